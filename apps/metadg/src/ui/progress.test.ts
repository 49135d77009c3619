import { describe, expect, it } from 'vitest';
import { Progress, formatDuration } from './progress.js';

describe('formatDuration', () => {
  it('formats seconds, minutes and hours', () => {
    expect(formatDuration(12.4)).toBe('12s');
    expect(formatDuration(185)).toBe('3m05s');
    expect(formatDuration(3720)).toBe('1h02m');
    expect(formatDuration(Number.NaN)).toBe('?');
  });
});

describe('Progress', () => {
  it('prints periodic plain lines with step, loss parts and ETA when not on a TTY', () => {
    let now = 0;
    const lines: string[] = [];
    const p = new Progress('mfr', 10, { isTTY: false, write: (t) => lines.push(t) }, 10, () => now);
    for (let step = 1; step <= 10; step++) {
      now += 3000; // 3 s per step
      p.update({ done: step, loss: 1 / step, parts: { 'metaTrain/softCls': 0.5 } });
    }
    // A line at most every 10 s, plus the final one.
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines.length).toBeLessThanOrEqual(5);
    expect(lines.at(-1)).toBe('mfr step 10/10 loss 0.1000 (metaTrain/softCls 0.500) ETA 0s\n');
    expect(lines.every((l) => !l.includes('\r'))).toBe(true);
  });

  it('redraws one bar line on a TTY', () => {
    const out: string[] = [];
    const p = new Progress('erm', 4, { isTTY: true, write: (t) => out.push(t) });
    for (let step = 1; step <= 4; step++) p.update({ done: step, loss: 1 });
    expect(out).toHaveLength(4);
    expect(out[0]).toMatch(/^\r\x1b\[2K\[#####\.{15}\] erm step 1\/4/);
    expect(out[3]).toMatch(/\[#{20}\].*\n$/);
  });
});
