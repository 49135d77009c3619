import { describe, expect, it } from 'vitest';
import { requestLayout, shardRows } from './protocol.js';

describe('shardRows', () => {
  it('gives the main thread mainWeight times a worker share and the remainder', () => {
    expect(shardRows(64, 1, 1.5)).toEqual([39, 25]);
    expect(shardRows(10, 1, 1)).toEqual([5, 5]);
    expect(shardRows(11, 2, 1)).toEqual([5, 3, 3]);
    expect(shardRows(3, 3, 1.5)).toEqual([3, 0, 0, 0]);
  });
  it('covers every row exactly once', () => {
    for (let rows = 0; rows < 50; rows++) for (const w of [0, 1, 2, 3]) expect(shardRows(rows, w, 1.5).reduce((a, b) => a + b, 0)).toBe(rows);
  });
  it('names the bad argument', () => {
    expect(() => shardRows(-1, 1, 1)).toThrow(/rows/);
    expect(() => shardRows(4, 1.5, 1)).toThrow(/workers/);
    expect(() => shardRows(4, 1, 0)).toThrow(/mainWeight/);
  });
});

describe('requestLayout', () => {
  it('places θ, images, dE and the result one after another', () => {
    const at = requestLayout({ paramFloats: 10, imageFloats: 4, embeddingSize: 3 }, 2);
    expect(at).toEqual({ params: 0, images: 10, upstream: 18, result: 24, total: 34 });
    // The result region holds the larger of the embeddings and the gradient.
    expect(requestLayout({ paramFloats: 1, imageFloats: 1, embeddingSize: 5 }, 2).total).toBe(1 + 2 + 10 + 10);
  });
});
