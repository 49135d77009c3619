import { DataError } from '@metadg/core';
import { describe, expect, it } from 'vitest';
import { GLYPH_DOMAINS, uniqueFamilies, type GlyphDomainSpec } from '../domains.js';
import { GlyphSource } from '../fonts/glyph-source.js';
import { buildGlyphTable, canonicalRenders, DEFAULT_MERGE, sharedCodePoints } from './build.js';
import { defaultGlyphTable } from './default-table.js';
import { identityKey, validateGlyphTable } from './glyph-table.js';
import { renderDistance } from './lookalikes.js';

const table = defaultGlyphTable();
const groupOf = (cp: number): readonly number[] | undefined => table.identities.find((m) => m.includes(cp));

describe('the committed glyph table', () => {
  it('has at least 450 identities, each a sorted group with a unique U+XXXX key', () => {
    expect(table.identities.length).toBeGreaterThanOrEqual(450);
    expect(table.sharedCodePoints).toBeGreaterThanOrEqual(table.identities.length);
    const keys = table.identities.map(identityKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain('U+0041');
    expect(Object.keys(table.fonts)).toHaveLength(15);
    expect(table.merge).toMatchObject({ threshold: DEFAULT_MERGE.threshold, agreement: DEFAULT_MERGE.agreement });
  });

  it('merged Latin/Cyrillic look-alikes and kept different letters apart', () => {
    expect(groupOf(0x41)).toEqual([0x41, 0x410]); // A А
    expect(groupOf(0x42)).toEqual([0x42, 0x412]); // B В
    expect(groupOf(0x6f)).toEqual([0x6f, 0x43e]); // o о
    expect(groupOf(0x70)).toEqual([0x70, 0x440]); // p р
    expect(groupOf(0x4b)).toEqual([0x4b]); // K: Cyrillic К is drawn differently in most fonts
    expect(groupOf(0x41a)).toEqual([0x41a]);
    expect(groupOf(0x4f)).not.toContain(0x30); // O vs 0
    expect(groupOf(0x6c)).not.toContain(0x49); // l vs I
    expect(groupOf(0x2d)).not.toContain(0x2013); // - vs –
  });

  it('has no Greek identity: five default families ship no Greek subset', () => {
    expect(groupOf(0x391)).toBeUndefined();
  });

  it('validation names the file and the entry at fault', () => {
    expect(() => validateGlyphTable({ ...table, identities: [[0x42, 0x41]] }, 't.json')).toThrow(/t\.json: identities\[0\]/);
    expect(() => validateGlyphTable({ ...table, identities: [[0x41], [0x41]] }, 't.json')).toThrow(DataError);
    expect(() => validateGlyphTable({ ...table, version: 2 }, 't.json')).toThrow(/version 2/);
  });
});

describe('look-alike merging, recomputed from the fonts', () => {
  it('the table covers exactly the standalone code points every family holds at every weight', () => {
    const shared = sharedCodePoints(GLYPH_DOMAINS);
    expect(shared.length).toBe(table.sharedCodePoints);
    expect(table.identities.flat().sort((a, b) => a - b)).toEqual(shared);
  });

  it('reproduces the committed groups on Basic Latin + Cyrillic', () => {
    const candidates: number[] = [];
    for (let cp = 0x21; cp <= 0x7e; cp++) candidates.push(cp);
    for (let cp = 0x400; cp <= 0x45f; cp++) candidates.push(cp);
    const fresh = buildGlyphTable(GLYPH_DOMAINS, { codePoints: candidates });
    const inRange = new Set(candidates);
    const committed = table.identities
      .map((m) => m.filter((cp) => inRange.has(cp)))
      .filter((m) => m.length > 0)
      .sort((a, b) => (a[0] as number) - (b[0] as number));
    expect(fresh.identities).toEqual(committed);
  });

  it('merges Latin A / Cyrillic А / Greek Α across the families that have Greek', () => {
    const greekFamilies = new Set(['noto-serif', 'alegreya', 'eb-garamond', 'noto-sans', 'open-sans', 'roboto', 'cousine', 'noto-sans-mono', 'playpen-sans', 'comfortaa']);
    const domains: GlyphDomainSpec[] = GLYPH_DOMAINS.map((d) => ({
      name: d.name,
      families: d.families.filter((f) => greekFamilies.has(f.id)).map((f) => ({ ...f, weights: [400] })),
    })).filter((d) => d.families.length > 0);
    const cps = [0x41, 0x410, 0x391, 0x42, 0x412, 0x392, 0x4b, 0x3a9];
    const t = buildGlyphTable(domains, { codePoints: cps });
    expect(t.identities).toContainEqual([0x41, 0x391, 0x410]);
    expect(t.identities).toContainEqual([0x42, 0x392, 0x412]);
    expect(t.identities).toContainEqual([0x3a9]); // Ω stays itself
  });

  it('no two identities render near-identically (mean render across the 15 families)', () => {
    const sources = uniqueFamilies(GLYPH_DOMAINS).map((f) => new GlyphSource(f));
    const reps = table.identities.map((m) => m[0] as number);
    // Two unmerged look-alikes as a control: the check must be able to fail.
    const controls = [0x410, 0x43e];
    const renders = canonicalRenders(sources, [...reps, ...controls], 32);
    const mean = (i: number): Float32Array => {
      const m = new Float32Array(32 * 32);
      for (const fr of renders) {
        const r = fr[i] as Float32Array;
        for (let p = 0; p < m.length; p++) m[p] = (m[p] as number) + (r[p] as number) / renders.length;
      }
      return m;
    };
    const means = [...reps, ...controls].map((_, i) => mean(i));
    const NEAR = 0.04;
    let closest = { d: Infinity, pair: '' };
    for (let i = 0; i < reps.length; i++) {
      for (let j = i + 1; j < reps.length; j++) {
        const d = renderDistance(means[i] as Float32Array, means[j] as Float32Array);
        if (d < closest.d) closest = { d, pair: String.fromCodePoint(reps[i] as number, reps[j] as number) };
      }
    }
    expect(closest.d, `closest pair ${closest.pair}`).toBeGreaterThan(NEAR);
    const a = reps.indexOf(0x41);
    const o = reps.indexOf(0x6f);
    expect(renderDistance(means[a] as Float32Array, means[reps.length] as Float32Array)).toBeLessThan(NEAR); // A vs А
    expect(renderDistance(means[o] as Float32Array, means[reps.length + 1] as Float32Array)).toBeLessThan(NEAR); // o vs о
  });
});
