import { DataError } from '@metadg/core';
import { formatCodePoint } from '../fonts/unicode-ranges.js';
import type { GlyphLayout } from '../render/pose.js';
import type { LookalikeCriterion } from './lookalikes.js';

/**
 * The identity list of a glyph benchmark: which characters exist in every
 * family of its domain table, and which of them were merged as look-alikes.
 */
export interface GlyphTable {
  readonly version: 1;
  /**
   * One entry per identity: its members' code points, ascending. The first
   * member is the representative that samples render; the identity's key is
   * its `U+XXXX` name.
   */
  readonly identities: readonly (readonly number[])[];
  /** Code points shared by all families (before merging). */
  readonly sharedCodePoints: number;
  /** How look-alikes were decided; `null` when nothing was merged. */
  readonly merge: (LookalikeCriterion & { readonly imageSize: number; readonly layout: GlyphLayout }) | null;
  /** Font packages and versions the table was computed from. */
  readonly fonts: Readonly<Record<string, string>>;
}

/** The identity key of a table entry: its representative's `U+XXXX` name. */
export function identityKey(members: readonly number[]): string {
  return formatCodePoint(members[0] as number);
}

/**
 * Checks that `value` is a well-formed {@link GlyphTable} (e.g. a JSON file
 * written by `scripts/build-glyph-table.mjs`); `source` names it in errors.
 */
export function validateGlyphTable(value: unknown, source: string): GlyphTable {
  if (typeof value !== 'object' || value === null) throw new DataError(source, 'glyph table must be an object');
  const t = value as Partial<Record<keyof GlyphTable, unknown>>;
  if (t.version !== 1) throw new DataError(source, `unsupported glyph table version ${String(t.version)} (expected 1)`);
  if (!Array.isArray(t.identities) || t.identities.length === 0) throw new DataError(source, 'identities: expected a non-empty array');
  const seen = new Set<number>();
  for (const [i, members] of t.identities.entries()) {
    if (!Array.isArray(members) || members.length === 0) throw new DataError(source, `identities[${i}]: expected a non-empty array of code points`);
    let prev = -1;
    for (const cp of members) {
      if (!Number.isInteger(cp) || cp < 0 || cp > 0x10ffff || cp <= prev) {
        throw new DataError(source, `identities[${i}]: expected ascending code points, got ${JSON.stringify(members)}`);
      }
      if (seen.has(cp)) throw new DataError(source, `identities[${i}]: ${formatCodePoint(cp)} belongs to two identities`);
      seen.add(cp);
      prev = cp;
    }
  }
  if (typeof t.sharedCodePoints !== 'number') throw new DataError(source, 'sharedCodePoints: expected a number');
  if (typeof t.fonts !== 'object' || t.fonts === null) throw new DataError(source, 'fonts: expected an object');
  return value as GlyphTable;
}
