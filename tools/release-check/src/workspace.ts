import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PackageManifest, PackageUnderCheck } from './types.js';

/** Reads and parses `dir/package.json`, naming the file when it is not valid JSON. */
export function readManifest(dir: string): PackageManifest {
  const file = join(dir, 'package.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageManifest;
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}

/**
 * The folders of the npm workspaces of `root` (its package.json `workspaces`:
 * explicit folders and `folder/*` globs, the forms npm documents and this
 * repository uses).
 */
export function workspaceDirs(root: string): string[] {
  const { workspaces } = readManifest(root) as PackageManifest & { workspaces?: readonly string[] };
  const dirs: string[] = [];
  for (const pattern of workspaces ?? []) {
    if (pattern.endsWith('/*') && !pattern.slice(0, -2).includes('*')) {
      const parent = resolve(root, pattern.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const name of readdirSync(parent).sort()) {
        const dir = join(parent, name);
        if (statSync(dir).isDirectory() && existsSync(join(dir, 'package.json'))) dirs.push(dir);
      }
    } else if (!pattern.includes('*')) {
      const dir = resolve(root, pattern);
      if (existsSync(join(dir, 'package.json'))) dirs.push(dir);
    } else {
      throw new Error(`${join(root, 'package.json')}: workspaces pattern "${pattern}" is not supported (use "folder/*" or a folder)`);
    }
  }
  return dirs;
}

/**
 * The publishable (non-private) workspace packages, each with the versions of
 * all workspace packages so internal ranges can be checked.
 */
export function publishablePackages(root: string): PackageUnderCheck[] {
  const all = workspaceDirs(root).map((dir) => ({ dir, manifest: readManifest(dir) }));
  const workspaceVersions = new Map(all.map((p) => [p.manifest.name, p.manifest.version] as const));
  return all.filter((p) => p.manifest.private !== true).map((p) => ({ ...p, workspaceVersions }));
}

/** Keeps the packages named by `filters` (package names, or folders relative to `root`). */
export function selectPackages(packages: readonly PackageUnderCheck[], filters: readonly string[], root: string): PackageUnderCheck[] {
  if (filters.length === 0) return [...packages];
  return filters.map((filter) => {
    const dir = resolve(root, filter);
    const found = packages.find((p) => p.manifest.name === filter || p.dir === dir);
    if (!found) throw new Error(`"${filter}" is not a publishable workspace package (name or folder)`);
    return found;
  });
}
