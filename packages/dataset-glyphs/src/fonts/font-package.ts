import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataError } from '@metadg/core';
import type { FontFamilySpec } from '../domains.js';
import { formatCodePoint, parseUnicodeRange, rangesContain, type CodePointRange } from './unicode-ranges.js';

/** One unicode subset of a fontsource package (`latin`, `cyrillic-ext`, `[3]`…). */
export interface FontSubset {
  readonly name: string;
  readonly ranges: readonly CodePointRange[];
}

const requireHere = createRequire(import.meta.url);

/**
 * A fontsource-style font package on disk: where it is, which unicode subsets
 * it ships and which file holds each (subset, weight). Each woff2 file holds
 * one subset only, so a code point must be looked up in the right file.
 */
export class FontPackage {
  readonly family: FontFamilySpec;
  readonly packageName: string;
  readonly dir: string;
  readonly version: string;
  /** Subsets in browser priority order (fontsource's CSS declares `latin` last, and the last matching face wins). */
  readonly subsets: readonly FontSubset[];

  constructor(family: FontFamilySpec) {
    this.family = family;
    this.packageName = family.package ?? `@fontsource/${family.id}`;
    this.dir = family.dir ?? resolvePackageDir(this.packageName);
    const pkgJson = readJson(join(this.dir, 'package.json'));
    this.version = isRecord(pkgJson) && typeof pkgJson['version'] === 'string' ? pkgJson['version'] : 'unknown';
    this.subsets = readSubsets(join(this.dir, 'unicode.json')).reverse();
    for (const w of family.weights) {
      if (!Number.isInteger(w) || w < 1 || w > 1000) throw new DataError(this.packageName, `weight ${w} is not a CSS font weight (1–1000)`);
    }
  }

  /** Subsets whose unicode-range includes `codePoint`, in priority order. */
  subsetsFor(codePoint: number): FontSubset[] {
    return this.subsets.filter((s) => rangesContain(s.ranges, codePoint));
  }

  /**
   * Path of the normal-style file of `subset` at `weight` (woff2, else woff).
   * Throws a `DataError` naming the file when neither exists.
   */
  filePath(subset: FontSubset, weight: number): string {
    // Numbered subsets are keyed "[3]" in unicode.json but named "-3-" in files.
    const token = subset.name.replace(/^\[(.*)\]$/, '$1');
    const stem = join(this.dir, 'files', `${this.family.id}-${token}-${weight}-normal`);
    for (const ext of ['.woff2', '.woff']) if (existsSync(stem + ext)) return stem + ext;
    throw new DataError(`${stem}.woff2`, `missing font file (${this.packageName} has no ${subset.name} subset at weight ${weight})`);
  }

  /** `@fontsource/roboto@5.3.0 weight 400` — how errors name a family. */
  describe(weight?: number): string {
    return `${this.packageName}@${this.version}${weight === undefined ? '' : ` weight ${weight}`}`;
  }

  /** Error for a code point no file of this family holds. */
  missingGlyph(codePoint: number, weight: number): DataError {
    const ch = String.fromCodePoint(codePoint);
    return new DataError(this.describe(weight), `no font file holds a glyph for ${formatCodePoint(codePoint)} "${ch}"`);
  }
}

function resolvePackageDir(name: string): string {
  try {
    return dirname(requireHere.resolve(`${name}/package.json`));
  } catch (cause) {
    throw new DataError(name, `font package is not installed (${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)})`);
  }
}

function readSubsets(path: string): FontSubset[] {
  const json = readJson(path);
  if (!isRecord(json)) throw new DataError(path, 'expected an object mapping subset names to unicode ranges');
  const subsets: FontSubset[] = [];
  for (const [name, value] of Object.entries(json)) {
    const ranges = typeof value === 'string' ? parseUnicodeRange(value) : undefined;
    if (!ranges) throw new DataError(path, `subset "${name}": expected a unicode-range string like "U+0000-00FF,U+0131"`);
    subsets.push({ name, ranges });
  }
  if (subsets.length === 0) throw new DataError(path, 'lists no subsets');
  return subsets;
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new DataError(path, 'cannot read file');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DataError(path, 'is not valid JSON');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
