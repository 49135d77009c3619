import { describe, expect, it } from 'vitest';
import { transferable } from './protocol.js';

describe('transferable', () => {
  it('moves only buffers an array owns whole, each once', () => {
    const own = new Float32Array(4);
    const big = new Float32Array(8);
    const view = big.subarray(2, 4);
    expect(transferable([own, view, own])).toEqual([own.buffer]);
    expect(transferable([big])).toEqual([big.buffer]);
  });
});
