import type { Dirent } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { DataError, type Logger } from '@metadg/core';
import { probeImage, type ImageFormat } from '../codec/probe.js';
import { mapLimit } from '../dataset/lazy-dataset.js';
import type { SkipReason, SkippedFile } from './report.js';

/** Extensions the loader reads (case-insensitive), with the format each promises. */
export const IMAGE_EXTENSIONS: Readonly<Record<string, ImageFormat>> = { '.jpg': 'jpeg', '.jpeg': 'jpeg', '.png': 'png' };

/** Options of `scanImageFolder`. */
export interface ScanOptions {
  /** Any problem is a `DataError` instead of a skipped file (default false). */
  readonly strict?: boolean;
  /** Fewer domains than this is an error (default 2: domain generalisation needs several). */
  readonly minDomains?: number;
  /** Images whose shorter side is below this are skipped as too small (default 16 px). */
  readonly minImageSide?: number;
  /** Images with more pixels are skipped as too large (default 100 MP). */
  readonly maxPixels?: number;
  /** Only these domains (default: every domain directory). */
  readonly domains?: readonly string[];
  readonly log?: Logger;
}

/** What a scan found: the usable files by domain → identity, and what it left out. */
export interface ScanResult {
  readonly root: string;
  readonly index: Map<string, Map<string, string[]>>;
  readonly images: number;
  readonly skipped: SkippedFile[];
  readonly extensionMismatches: string[];
  readonly droppedIdentities: string[];
}

// Files that operating systems and tools leave in folders; never worth a warning.
const IGNORED_FILES = new Set(['thumbs.db', 'desktop.ini']);
const isIgnored = (name: string): boolean => name.startsWith('.') || IGNORED_FILES.has(name.toLowerCase());
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const WARN_LIMIT = 20;

/**
 * Walks `root/<domain>/<identity>/<image>.(jpg|jpeg|png)` and checks every
 * image's header (format by content, dimensions). Structural problems —
 * missing root, no domains, too few domains, an empty domain or identity
 * directory, images directly in a domain directory — are `DataError`s naming
 * the path. File problems (non-image files, empty/corrupt/tiny/huge images)
 * are skipped with a warning and recorded, or are `DataError`s when strict.
 */
export async function scanImageFolder(rootPath: string, options: ScanOptions = {}): Promise<ScanResult> {
  const root = resolve(rootPath);
  const strict = options.strict ?? false;
  const minDomains = options.minDomains ?? 2;
  const minSide = options.minImageSide ?? 16;
  const maxPixels = options.maxPixels ?? 100_000_000;
  const result = { root, index: new Map<string, Map<string, string[]>>(), images: 0, skipped: [] as SkippedFile[], extensionMismatches: [] as string[], droppedIdentities: [] as string[] };
  let warned = 0;
  const skip = (path: string, reason: SkipReason, detail: string): void => {
    if (strict) throw new DataError(path, `${detail} (strict mode)`);
    result.skipped.push({ path, reason, detail, when: 'scan' });
    if (warned++ < WARN_LIMIT) options.log?.warn(`${path}: ${detail}; skipped`);
  };

  const rootEntries = await listDirectory(root, 'dataset root');
  let domainNames = rootEntries.dirs;
  if (options.domains) {
    for (const d of options.domains) {
      if (!domainNames.includes(d)) throw new DataError(join(root, d), `domain directory not found (domains: ${domainNames.join(', ') || 'none'})`);
    }
    domainNames = options.domains.slice();
  }
  if (domainNames.length === 0) {
    throw new DataError(root, 'no domain directories; expected root/<domain>/<identity>/<image>.(jpg|jpeg|png)');
  }
  if (domainNames.length < minDomains) {
    throw new DataError(
      root,
      `found ${domainNames.length} domain (${domainNames.join(', ')}); at least ${minDomains} are needed ` +
        '(root/<domain>/<identity>/<image>; set minDomains: 1 to load a single domain)',
    );
  }

  for (const domain of domainNames) {
    const domainDir = join(root, domain);
    const entries = await listDirectory(domainDir, 'domain directory');
    if (entries.dirs.length === 0) {
      const images = entries.files.filter((f) => IMAGE_EXTENSIONS[extname(f).toLowerCase()] !== undefined);
      throw new DataError(
        domainDir,
        images.length > 0
          ? `holds ${images.length} images but no identity directories; expected root/<domain>/<identity>/<image>`
          : 'empty domain directory (no identity subdirectories)',
      );
    }
    for (const f of entries.files) skip(join(domainDir, f), 'non-image', 'file outside any identity directory');
    const identities = new Map<string, string[]>();
    for (const identity of entries.dirs) {
      const idDir = join(domainDir, identity);
      const files = await listDirectory(idDir, 'identity directory');
      if (files.files.length === 0 && files.dirs.length === 0) throw new DataError(idDir, 'empty identity directory (no images)');
      for (const d of files.dirs) skip(join(idDir, d), 'non-image', 'directory inside an identity directory');
      const candidates = files.files.filter((f) => {
        if (IMAGE_EXTENSIONS[extname(f).toLowerCase()] !== undefined) return true;
        skip(join(idDir, f), 'non-image', `not an image file (extension "${extname(f) || 'none'}"; expected .jpg, .jpeg or .png)`);
        return false;
      });
      const checks = await mapLimit(candidates, 16, async (f) => ({ file: f, probe: await probeFile(join(idDir, f)) }));
      const accepted: string[] = [];
      for (const { file, probe } of checks) {
        const path = join(idDir, file);
        if (!probe.ok) {
          skip(path, probe.unreadable ? 'unreadable' : 'corrupt', probe.reason);
        } else if (Math.min(probe.width, probe.height) < minSide) {
          skip(path, 'too-small', `image too small (${probe.width}×${probe.height}; shorter side < ${minSide} px)`);
        } else if (probe.width * probe.height > maxPixels) {
          skip(path, 'too-large', `image too large (${probe.width}×${probe.height} > ${maxPixels} pixels)`);
        } else {
          if (IMAGE_EXTENSIONS[extname(file).toLowerCase()] !== probe.format) result.extensionMismatches.push(path);
          accepted.push(path);
        }
      }
      if (accepted.length === 0) {
        result.droppedIdentities.push(idDir);
        options.log?.warn(`${idDir}: no usable image; identity left out`);
        continue;
      }
      identities.set(identity, accepted);
      result.images += accepted.length;
    }
    if (identities.size === 0) throw new DataError(domainDir, 'no usable images in any identity directory');
    result.index.set(domain, identities);
  }
  if (warned > WARN_LIMIT) options.log?.warn(`… and ${warned - WARN_LIMIT} more skipped files (see the loader report)`);
  return result satisfies ScanResult;
}

/** Sorted visible subdirectories and files of `dir`; a missing or unreadable directory is a `DataError`. */
async function listDirectory(dir: string, what: string): Promise<{ dirs: string[]; files: string[] }> {
  let entries: Dirent[];
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new DataError(dir, `${what} is not a directory`);
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (err instanceof DataError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataError(dir, code === 'ENOENT' ? `${what} not found` : `cannot read ${what} (${code ?? String(err)})`);
  }
  const dirs: string[] = [];
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => byName(a.name, b.name))) {
    const name = entry.name;
    if (isIgnored(name)) continue;
    if (entry.isDirectory()) dirs.push(name);
    else if (!entry.isSymbolicLink()) files.push(name);
    else {
      // Links are followed; a dangling one is kept as a file and reported as unreadable when probed.
      const target = await stat(join(dir, name)).catch(() => undefined);
      (target?.isDirectory() ? dirs : files).push(name);
    }
  }
  return { dirs, files };
}

type FileProbe =
  | { ok: true; format: ImageFormat; width: number; height: number }
  | { ok: false; reason: string; unreadable: boolean };

/** Reads the start of a file (all of it if the JPEG frame header lies further in) and probes it. */
async function probeFile(path: string): Promise<FileProbe> {
  const HEAD = 64 * 1024;
  try {
    const handle = await open(path, 'r');
    try {
      const size = (await handle.stat()).size;
      const head = new Uint8Array(Math.min(size, HEAD));
      await handle.read(head, 0, head.length, 0);
      let probe = probeImage(head);
      if (!probe.ok && size > HEAD) {
        const all = new Uint8Array(size);
        await handle.read(all, 0, size, 0);
        probe = probeImage(all);
      }
      return probe.ok ? probe : { ok: false, reason: probe.reason, unreadable: false };
    } finally {
      await handle.close();
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, reason: `cannot read file (${code ?? String(err)})`, unreadable: true };
  }
}
