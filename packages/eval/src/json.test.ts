import { describe, expect, it } from 'vitest';
import { parseEvalJson, stringifyEvalJson } from './json.js';

describe('eval JSON', () => {
  it('round-trips infinities as the strings "Infinity" / "-Infinity"', () => {
    const value = { thresholds: [Infinity, 0.5, -Infinity], n: 3 };
    const text = stringifyEvalJson(value, 0);
    expect(text).toBe('{"thresholds":["Infinity",0.5,"-Infinity"],"n":3}');
    expect(parseEvalJson(text)).toEqual(value);
  });
});
