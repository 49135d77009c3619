import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/reference.js';
import { rank1Accuracy } from './rank1.js';

describe('rank1Accuracy', () => {
  it('matches a hand-computed case', () => {
    // Gallery: id 0 along x, id 1 along y. Probes (cosines to x / to y):
    //  (1, 0.2) id 0 → 0.98 / 0.20 → id 0 ✓
    //  (0.1, 1) id 1 → 0.10 / 0.99 → id 1 ✓
    //  (3, 1)   id 1 → 0.95 / 0.32 → id 0 ✗ (scale does not matter, only direction)
    const r = rank1Accuracy({
      gallery: [
        [1, 0],
        [0, 1],
      ],
      galleryIds: [0, 1],
      probe: [
        [1, 0.2],
        [0.1, 1],
        [3, 1],
      ],
      probeIds: [0, 1, 1],
    });
    expect(r).toEqual({ accuracy: 2 / 3, correct: 2, total: 3 });
  });

  it('gives exact ties to the lowest gallery index', () => {
    const input = { gallery: [[1, 0], [1, 0]], probe: [[2, 0]], probeIds: [5] };
    expect(rank1Accuracy({ ...input, galleryIds: [5, 6] }).correct).toBe(1);
    expect(rank1Accuracy({ ...input, galleryIds: [6, 5] }).correct).toBe(0);
  });

  it('agrees with a brute-force argmax over the full cosine matrix (flat-buffer input)', () => {
    const rand = seededRandom(5);
    const [g, p, d] = [30, 50, 8];
    const gallery = Float32Array.from({ length: g * d }, () => rand() - 0.5);
    const probe = Float32Array.from({ length: p * d }, () => rand() - 0.5);
    const galleryIds = Array.from({ length: g }, (_, i) => i % 10);
    const probeIds = Array.from({ length: p }, (_, j) => j % 10);
    const row = (m: Float32Array, i: number) => Array.from(m.subarray(i * d, (i + 1) * d));
    const cos = (a: number[], b: number[]) => {
      const dot = a.reduce((s, x, k) => s + x * (b[k] as number), 0);
      return dot / Math.hypot(...a) / Math.hypot(...b);
    };
    let correct = 0;
    for (let j = 0; j < p; j++) {
      const sims = galleryIds.map((_, i) => cos(row(gallery, i), row(probe, j)));
      const best = sims.indexOf(Math.max(...sims));
      if (galleryIds[best] === probeIds[j]) correct++;
    }
    const r = rank1Accuracy({ gallery: { data: gallery, rows: g, cols: d }, galleryIds, probe: { data: probe, rows: p, cols: d }, probeIds });
    expect(r.correct).toBe(correct);
    expect(r.total).toBe(p);
  });

  it('rejects bad input with errors naming the field', () => {
    const ok = { gallery: [[1, 0]], galleryIds: [0], probe: [[0, 1]], probeIds: [0] };
    expect(() => rank1Accuracy({ ...ok, probeIds: [3] })).toThrow('probeIds[0]: identity 3 is not in the gallery');
    expect(() => rank1Accuracy({ ...ok, probe: [[0, 0]] })).toThrow('probe[0]: zero vector: cosine similarity is undefined');
    expect(() => rank1Accuracy({ ...ok, probe: [[0, 1, 2]] })).toThrow('probe: embedding size 3 differs from gallery embedding size 2');
    expect(() => rank1Accuracy({ ...ok, gallery: [[1, NaN]] })).toThrow('gallery[0][1]: not a finite number (got NaN)');
    expect(() => rank1Accuracy({ ...ok, gallery: [[1, 0], [1]] })).toThrow('gallery: expected 2 values per row (as row 0), row 1 has 1');
    expect(() => rank1Accuracy({ ...ok, galleryIds: [0, 1] })).toThrow('galleryIds: length 2 differs from gallery rows length 1');
    expect(() => rank1Accuracy({ ...ok, galleryIds: [-1] })).toThrow('galleryIds[0]: must be a non-negative integer (got -1)');
    expect(() => rank1Accuracy({ ...ok, probe: [], probeIds: [] })).toThrow('probe: is empty');
    expect(() => rank1Accuracy({ ...ok, gallery: { data: [1, 0, 0], rows: 1, cols: 2 } })).toThrow(
      'gallery.data: expected 1×2 = 2 values, got 3 values',
    );
  });
});
