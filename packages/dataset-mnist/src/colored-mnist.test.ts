import { ConfigError, Rng } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { coloredEnvironmentName, createColoredMnist, drawColoredEnvironment } from './colored-mnist.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('Colored MNIST draws', () => {
  it('hand cases: no noise keeps label = digit < 5 and colour = label; certain flips invert both', () => {
    const digits = [0, 4, 5, 9];
    expect(drawColoredEnvironment(digits, 0, 0, new Rng(1))).toEqual([
      { label: 1, color: 1 },
      { label: 1, color: 1 },
      { label: 0, color: 0 },
      { label: 0, color: 0 },
    ]);
    expect(drawColoredEnvironment(digits, 1, 1, new Rng(1))).toEqual([
      { label: 0, color: 1 },
      { label: 0, color: 1 },
      { label: 1, color: 0 },
      { label: 1, color: 0 },
    ]);
  });

  it('label noise 25 % and colour agreement 1 − e, within sampling tolerance', () => {
    const n = 40_000;
    const digits = Array.from({ length: n }, (_, i) => i % 10);
    for (const e of [0.1, 0.2, 0.9]) {
      const draws = drawColoredEnvironment(digits, e, 0.25, new Rng(e * 10));
      const clean = draws.filter((d, i) => d.label === ((digits[i]! < 5) ? 1 : 0)).length / n;
      const agree = draws.filter((d) => d.color === d.label).length / n;
      // Binomial std ≈ 0.002 at n = 40k; 0.01 is 4–5 σ.
      expect(Math.abs(clean - 0.75)).toBeLessThan(0.01);
      expect(Math.abs(agree - (1 - e))).toBeLessThan(0.01);
    }
  });

  it("names environments like DomainBed's ENVIRONMENTS", () => {
    expect([0.1, 0.2, 0.9].map(coloredEnvironmentName)).toEqual(['+90%', '+80%', '-90%']);
    expect(coloredEnvironmentName(0.25)).toBe('+75%');
  });
});

describe('Colored MNIST dataset', () => {
  it('3 environments of 28×28×2 images, binary classes, colour correlated with the label per environment', async () => {
    const ds = await createColoredMnist({ seed: 0 });
    expect(ds.name).toBe('colored-mnist');
    expect(ds.domains).toEqual(['+90%', '+80%', '-90%']);
    expect(ds.sampleShape).toEqual([28, 28, 2]);
    expect(ds.classes).toEqual(['0', '1']);
    expect(ds.domains.reduce((n, d) => n + ds.size(d), 0)).toBe(10_000);

    const expected = [0.9, 0.8, 0.1];
    for (const [k, domain] of ds.domains.entries()) {
      const refs = ds.refs(domain);
      const x = await ds.load(refs);
      const v = await x.data();
      x.dispose();
      let agree = 0;
      let labelOnes = 0;
      refs.forEach((ref, i) => {
        let ink0 = 0;
        let ink1 = 0;
        for (let p = 0; p < 784; p++) {
          ink0 += v[(i * 784 + p) * 2]!;
          ink1 += v[(i * 784 + p) * 2 + 1]!;
        }
        // Exactly one channel carries the digit, the other is zero.
        expect(Math.min(ink0, ink1)).toBe(0);
        expect(Math.max(ink0, ink1)).toBeGreaterThan(10);
        const color = ink1 > 0 ? '1' : '0';
        if (color === ref.identity) agree++;
        if (ref.identity === '1') labelOnes++;
      });
      // ~3,333 images per environment: binomial std ≈ 0.005–0.007; 0.03 is > 4 σ.
      expect(Math.abs(agree / refs.length - expected[k]!)).toBeLessThan(0.03);
      // Noisy label "digit < 5": about half the images (51 % of the npm digits are 0–4).
      expect(Math.abs(labelOnes / refs.length - 0.5)).toBeLessThan(0.05);
    }
  });

  it('is deterministic per seed and validates its options', async () => {
    const a = await createColoredMnist({ seed: 5 });
    const b = await createColoredMnist({ seed: 5 });
    const c = await createColoredMnist({ seed: 6 });
    const sig = (ds: typeof a): string => ds.domains.map((d) => ds.identities(d).map((i) => i.samples).join('/')).join(' ');
    expect(sig(a)).toBe(sig(b));
    expect(sig(a)).not.toBe(sig(c));
    await expect(createColoredMnist({ environments: [0.1, 1.2] })).rejects.toThrow(ConfigError);
    await expect(createColoredMnist({ labelNoise: -0.1 })).rejects.toThrow(/labelNoise/);
    await expect(createColoredMnist({ environments: [0.1, 0.1] })).rejects.toThrow(/share a name/);
  });
});
