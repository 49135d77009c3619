import { describe, expect, it } from 'vitest';
import { formatCodePoint, parseCodePoint, parseUnicodeRange, rangesContain } from './unicode-ranges.js';

describe('unicode ranges', () => {
  it('parses fontsource unicode-range lists (single points, spans, lower-case hex, astral)', () => {
    const r = parseUnicodeRange('U+0000-00FF,U+0131, U+1f3f3-1f3f4');
    expect(r).toEqual([
      { from: 0, to: 0xff },
      { from: 0x131, to: 0x131 },
      { from: 0x1f3f3, to: 0x1f3f4 },
    ]);
    expect(rangesContain(r!, 0x41)).toBe(true);
    expect(rangesContain(r!, 0x131)).toBe(true);
    expect(rangesContain(r!, 0x130)).toBe(false);
    expect(rangesContain(r!, 0x1f3f4)).toBe(true);
    expect(rangesContain(r!, 0x1f3f5)).toBe(false);
  });

  it('rejects malformed lists instead of guessing', () => {
    expect(parseUnicodeRange('')).toBeUndefined();
    expect(parseUnicodeRange('U+00FF-0000')).toBeUndefined();
    expect(parseUnicodeRange('0041')).toBeUndefined();
    expect(parseUnicodeRange('U+0041,,U+0042')).toBeUndefined();
  });

  it('names code points as U+XXXX and parses them back', () => {
    expect(formatCodePoint(0x41)).toBe('U+0041');
    expect(formatCodePoint(0x410)).toBe('U+0410');
    expect(formatCodePoint(0x1f600)).toBe('U+1F600');
    expect(parseCodePoint('U+0041')).toBe(0x41);
    expect(parseCodePoint('U+1F600')).toBe(0x1f600);
    expect(parseCodePoint('U+41')).toBeUndefined();
    expect(parseCodePoint('A')).toBeUndefined();
    expect(parseCodePoint('U+110000')).toBeUndefined();
  });
});
