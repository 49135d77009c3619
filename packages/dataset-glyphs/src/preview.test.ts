import { ConfigError, DataError } from '@metadg/core';
import { describe, expect, it } from 'vitest';
import { glyphToAscii, renderGlyph } from './preview.js';

describe('renderGlyph (previews)', () => {
  it('renders a character white on black, centred, on the baseline', () => {
    const img = renderGlyph('H', { family: 'roboto' });
    expect(img.size).toBe(32);
    const rows = glyphToAscii(img).split('\n');
    expect(rows).toHaveLength(32);
    // Cap height 0.42 × 32 ≈ 13.4 px above the baseline at 0.733 × 32 ≈ 23.5.
    const inked = rows.map((r, y) => (/[#+]/.test(r) ? y : -1)).filter((y) => y >= 0);
    expect(inked[0]).toBeGreaterThanOrEqual(9);
    expect(inked[0]).toBeLessThanOrEqual(11);
    expect(inked.at(-1)).toBe(23);
    // Horizontally centred: ink columns symmetric about the middle within a pixel.
    const cols = [...Array(32).keys()].filter((x) => rows.some((r) => r[x] === '#'));
    expect(Math.abs((cols[0]! + cols.at(-1)!) / 2 - 15.5)).toBeLessThanOrEqual(1);
  });

  it('a pose rotates the glyph: "-" turned by 90° becomes a vertical bar', () => {
    const flat = renderGlyph('-', { family: 'noto-sans', imageSize: 48 });
    const upright = renderGlyph('-', { family: 'noto-sans', imageSize: 48, pose: { rotation: 90 } });
    const extent = (img: { size: number; data: Float32Array }): [number, number] => {
      let minX = img.size, maxX = -1, minY = img.size, maxY = -1;
      img.data.forEach((v, i) => {
        if (v < 0.5) return;
        const x = i % img.size, y = Math.floor(i / img.size);
        minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
      });
      return [maxX - minX + 1, maxY - minY + 1];
    };
    const [w0, h0] = extent(flat);
    const [w1, h1] = extent(upright);
    expect(w0).toBeGreaterThan(2 * h0);
    expect(h1).toBeGreaterThan(2 * w1);
    expect(Math.abs(w0 - h1)).toBeLessThanOrEqual(1);
  });

  it('rejects bad input with typed errors', () => {
    expect(() => renderGlyph('AB')).toThrow(ConfigError);
    expect(() => renderGlyph('A', { family: 'comic-sans' })).toThrow(/unknown family "comic-sans"/);
    expect(() => renderGlyph('Ω', { family: 'lobster' })).toThrow(DataError);
  });
});
