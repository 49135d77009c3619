import { describe, expect, it } from 'vitest';
import { lossHistoryFromSteps } from './loss-history.js';

describe('lossHistoryFromSteps', () => {
  it('turns step records into one series per part, NaN where a part is missing', () => {
    const h = lossHistoryFromSteps([
      { step: 1, loss: 3, parts: { hardPair: 1, softCls: 2 } },
      { step: 2, loss: 2.5, parts: { softCls: 1.5 } },
      { step: 3, loss: 2 },
    ]);
    expect(h.steps).toEqual([1, 2, 3]);
    expect(h.parts).toEqual({ total: [3, 2.5, 2], hardPair: [1, NaN, NaN], softCls: [2, 1.5, NaN] });
  });
});
