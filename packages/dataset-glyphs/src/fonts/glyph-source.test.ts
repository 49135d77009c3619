import { basename } from 'node:path';
import { DataError } from '@metadg/core';
import { describe, expect, it } from 'vitest';
import { GLYPH_DOMAINS, uniqueFamilies } from '../domains.js';
import { defaultGlyphTable } from '../table/default-table.js';
import { GlyphSource } from './glyph-source.js';

describe('GlyphSource: each code point from the file that really holds it', () => {
  it('maps Latin, Cyrillic and Vietnamese code points to their subset files', () => {
    const src = new GlyphSource({ id: 'lobster', weights: [400] });
    expect(basename(src.fileFor(0x41, 400)!)).toBe('lobster-latin-400-normal.woff2');
    expect(basename(src.fileFor(0x416, 400)!)).toBe('lobster-cyrillic-400-normal.woff2'); // Ж
    expect(basename(src.fileFor(0x1ea0, 400)!)).toBe('lobster-vietnamese-400-normal.woff2'); // Ạ
    expect(basename(src.fileFor(0x100, 400)!)).toBe('lobster-latin-ext-400-normal.woff2'); // Ā
  });

  it('prefers the latin subset when a numbered emoji subset also lists the digits (Playpen Sans)', () => {
    const src = new GlyphSource({ id: 'playpen-sans', weights: [400] });
    expect(src.fonts.subsetsFor(0x31).map((s) => s.name)).toEqual(['latin', '[2]']);
    expect(basename(src.fileFor(0x31, 400)!)).toBe('playpen-sans-latin-400-normal.woff2');
  });

  it('fails loudly, naming font, weight and code point, when no file holds a glyph', () => {
    const src = new GlyphSource({ id: 'lobster', weights: [400] });
    expect(src.holds(0x391, 400)).toBe(false); // Lobster has no Greek
    const err = (() => {
      try {
        src.outline(0x391, 400);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(/@fontsource\/lobster@\d+\.\d+\.\d+ weight 400: .*U\+0391 "Α"/);
  });

  it('fails loudly on a missing package or a weight the package does not ship', () => {
    expect(() => new GlyphSource({ id: 'no-such-font-xyz', weights: [400] })).toThrow(/@fontsource\/no-such-font-xyz: font package is not installed/);
    const src = new GlyphSource({ id: 'lobster', weights: [700] });
    expect(() => src.outline(0x41, 700)).toThrow(DataError);
    expect(() => src.outline(0x41, 700)).toThrow(/lobster-latin-700-normal\.woff2: missing font file/);
  });

  it('reads outlines with sensible bounds and a reference (cap) height', () => {
    const src = new GlyphSource({ id: 'roboto', weights: [400] });
    const a = src.outline(0x41, 400);
    expect(a.blank).toBe(false);
    expect(a.svg.startsWith('M')).toBe(true);
    expect(a.minY).toBeGreaterThanOrEqual(-1);
    expect(a.maxY).toBeGreaterThan(0);
    expect(src.outline(0x20, 400).blank).toBe(true); // space
    // Roboto's cap height is 0.711 em (1456 / 2048 units).
    const capEm = src.referenceHeight(400) / 2048;
    expect(capEm).toBeGreaterThan(0.69);
    expect(capEm).toBeLessThan(0.73);
  });

  it('every family holds every member of every committed identity at every listed weight', () => {
    const table = defaultGlyphTable();
    const missing: string[] = [];
    for (const family of uniqueFamilies(GLYPH_DOMAINS)) {
      const src = new GlyphSource(family);
      for (const w of family.weights) {
        for (const members of table.identities) {
          for (const cp of members) if (!src.holds(cp, w)) missing.push(`${family.id}@${w}:U+${cp.toString(16)}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
