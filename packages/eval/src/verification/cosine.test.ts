import { describe, expect, it } from 'vitest';
import { allPairsByIdentity, pairCosineScores } from './cosine.js';

describe('pairCosineScores', () => {
  it('scores aligned rows by cosine (hand-computed)', () => {
    // cos((1,0),(1,1)) = 1/√2; cos((3,4),(−3,−4)) = −1; cos((0,2),(5,0)) = 0.
    const s = pairCosineScores(
      [[1, 0], [3, 4], [0, 2]],
      [[1, 1], [-3, -4], [5, 0]],
    );
    expect(s[0]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(s[1]).toBeCloseTo(-1, 15);
    expect(s[2]).toBe(0);
  });

  it('requires as many probe rows as gallery rows', () => {
    expect(() => pairCosineScores([[1, 0]], [[1, 0], [0, 1]])).toThrow('probe: length 2 differs from gallery length 1');
  });
});

describe('allPairsByIdentity', () => {
  it('lists every gallery × probe pair, gallery-major, labelled by identity', () => {
    const r = allPairsByIdentity({
      gallery: [[1, 0], [0, 1]],
      galleryIds: [7, 8],
      probe: [[1, 0], [1, 1], [0, 3]],
      probeIds: [7, 8, 8],
    });
    expect(r.labels).toEqual([1, 0, 0, 0, 1, 1]);
    expect(r.scores.map((x) => Number(x.toFixed(6)))).toEqual([1, 0.707107, 0, 0, 0.707107, 1]);
  });
});
