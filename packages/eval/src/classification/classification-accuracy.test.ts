import { describe, expect, it } from 'vitest';
import { classificationAccuracy } from './classification-accuracy.js';

describe('classificationAccuracy', () => {
  it('computes accuracy and the confusion matrix (hand-computed)', () => {
    // argmax per row: 0, 2, 1, 1 (tie 1 vs 2 → lower index 1); truths 0, 1, 1, 2.
    // Correct: rows 0 and 2 → 2/4. confusion[true][pred]: (0,0) (1,2) (1,1) (2,1).
    const r = classificationAccuracy({
      logits: [
        [5, 1, 0],
        [0, 1, 2],
        [0, 3, -1],
        [0, 4, 4],
      ],
      labels: [0, 1, 1, 2],
    });
    expect(r.accuracy).toBe(0.5);
    expect(r.correct).toBe(2);
    expect(r.total).toBe(4);
    expect(r.confusion).toEqual([
      [1, 0, 0],
      [0, 1, 1],
      [0, 1, 0],
    ]);
  });

  it('accepts a flat buffer, as from a tensor', () => {
    const r = classificationAccuracy({ logits: { data: new Float32Array([0.1, 0.9, 0.8, 0.2]), rows: 2, cols: 2 }, labels: [1, 0] });
    expect(r.accuracy).toBe(1);
  });

  it('rejects bad input with errors naming the field', () => {
    expect(() => classificationAccuracy({ logits: [[1, 2]], labels: [2] })).toThrow('labels[0]: class 2 is out of range for 2 logit columns');
    expect(() => classificationAccuracy({ logits: [[1, 2]], labels: [0.5] })).toThrow('labels[0]: must be a non-negative integer (got 0.5)');
    expect(() => classificationAccuracy({ logits: [[1, 2]], labels: [0, 1] })).toThrow('labels: length 2 differs from logits rows length 1');
    expect(() => classificationAccuracy({ logits: [[1, Infinity]], labels: [0] })).toThrow('logits[0][1]: not a finite number (got Infinity)');
    expect(() => classificationAccuracy({ logits: [], labels: [] })).toThrow('logits: no samples');
    expect(() => classificationAccuracy({ logits: { data: [], rows: 2, cols: 0 }, labels: [0, 0] })).toThrow('logits: no classes (0 columns)');
  });
});
