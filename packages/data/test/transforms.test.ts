import { describe, expect, it } from 'vitest';
import { ConfigError, Rng } from '@metadg/core';
import {
  DOMAIN_PRESETS,
  buildTransform,
  gammaLighting,
  gaussianBlur,
  gaussianKernel,
  greyscale,
  jpegQuality,
  loadCodec,
  lowResolution,
  occlusionBand,
  simulateNir,
  type Image,
} from '../src/index.js';
import { img, maxAbsDiff, meanAbsDiff, pattern } from './helpers.js';

const rng = new Rng(1);

describe('colour transforms', () => {
  it('greyscale of pure red, green and blue pixels is their BT.601 weight, in every channel', () => {
    const out = greyscale(img(1, 3, 3, [1, 0, 0, 0, 1, 0, 0, 0, 1]));
    expect(maxAbsDiff(out.data, [0.299, 0.299, 0.299, 0.587, 0.587, 0.587, 0.114, 0.114, 0.114])).toBeLessThan(1e-6);
  });

  it('greyscale of (0.2, 0.4, 0.6) is 0.299·0.2 + 0.587·0.4 + 0.114·0.6 = 0.363', () => {
    const out = greyscale(img(1, 1, 3, [0.2, 0.4, 0.6]));
    expect(out.data[0]).toBeCloseTo(0.363, 6);
    expect(out.data[2]).toBeCloseTo(0.363, 6);
  });

  it('simulated NIR mixes channels, applies contrast about 0.5 and an offset, and clamps', () => {
    // mix (0.6, 0.3, 0.1) of (0.5, 0.2, 0.1) = 0.37; 1.3·(0.37 − 0.5) + 0.5 + 0.05 = 0.381.
    const out = simulateNir(img(1, 2, 3, [0.5, 0.2, 0.1, 1, 1, 1]));
    expect(out.data[0]).toBeCloseTo(0.381, 5);
    expect(out.data[1]).toBeCloseTo(0.381, 5);
    expect(out.data[3]).toBe(1); // 1.3·0.5 + 0.55 > 1 → clamped
    const custom = simulateNir(img(1, 1, 3, [0.8, 0, 0]), { mix: [1, 0, 0], contrast: 1, brightness: 0 });
    expect(custom.data[0]).toBeCloseTo(0.8, 6);
  });

  it('gamma 2 maps 0.5 to 0.25 and keeps 0 and 1', () => {
    const out = gammaLighting(img(1, 3, 1, [0, 0.5, 1]), { gamma: 2 });
    expect(Array.from(out.data)).toEqual([0, 0.25, 1]);
  });

  it('reject bad parameters with a ConfigError naming the field', () => {
    expect(() => gammaLighting(img(1, 1, 1, [0]), { gamma: 0 })).toThrow(/gamma\.gamma/);
    expect(() => simulateNir(img(1, 1, 3, [0, 0, 0]), { mix: [0, 0, 0] })).toThrow(ConfigError);
    expect(() => gaussianBlur(img(1, 1, 1, [0]), { sigma: -1 })).toThrow(/blur\.sigma/);
    expect(() => lowResolution(img(1, 1, 1, [0]), { factor: 0.5 })).toThrow(/low-res\.factor/);
    expect(() => occlusionBand(img(1, 1, 1, [0]), { top: 1.5 })).toThrow(/occlusion\.top/);
  });
});

describe('degradations', () => {
  it('the Gaussian kernel sums to 1, is symmetric and peaks in the middle', () => {
    const k = gaussianKernel(1.5);
    expect(k.length).toBe(2 * Math.ceil(4.5) + 1);
    expect(k.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    for (let i = 0; i < k.length; i++) expect(k[i]).toBeCloseTo(k[k.length - 1 - i] as number, 7);
    expect(Math.max(...k)).toBe(k[(k.length - 1) / 2]);
  });

  it('blur spreads an impulse into the 2-D kernel (outer product) and keeps its total', () => {
    const n = 9;
    const data = new Array<number>(n * n).fill(0);
    data[4 * n + 4] = 1;
    const out = gaussianBlur(img(n, n, 1, data), { sigma: 1 });
    const k = gaussianKernel(1); // radius 3: fits inside the 9×9 image, no edge effects
    expect(out.data[4 * n + 4]).toBeCloseTo((k[3] as number) ** 2, 6);
    expect(out.data[4 * n + 5]).toBeCloseTo((k[3] as number) * (k[4] as number), 6);
    expect(out.data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('blur leaves a constant image unchanged (edges replicated, no dark border)', () => {
    const flat = img(5, 6, 3, new Array(90).fill(0.6));
    expect(maxAbsDiff(gaussianBlur(flat, { sigma: 2 }).data, flat.data)).toBeLessThan(1e-6);
  });

  it('low resolution: a blocky image survives the round trip exactly, a checkerboard becomes flat grey', () => {
    const blocks = img(4, 4, 1, [0.1, 0.1, 0.9, 0.9, 0.1, 0.1, 0.9, 0.9, 0.3, 0.3, 0.6, 0.6, 0.3, 0.3, 0.6, 0.6]);
    const round = lowResolution(blocks, { factor: 2, upsample: 'nearest' });
    expect(maxAbsDiff(round.data, blocks.data)).toBeLessThan(1e-6);
    const checker = img(4, 4, 1, [0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0]);
    const flat = lowResolution(checker, { factor: 2 });
    expect(maxAbsDiff(flat.data, new Array(16).fill(0.5))).toBeLessThan(1e-6);
    expect(flat.height).toBe(4);
  });

  it('low resolution removes detail but keeps the mean of a pattern', () => {
    const p = pattern(32, 32, 3);
    const low = lowResolution(p, { factor: 4 });
    expect(meanAbsDiff(low.data, p.data)).toBeGreaterThan(0.01);
    const mean = (a: Float32Array): number => a.reduce((s, v) => s + v, 0) / a.length;
    expect(Math.abs(mean(low.data) - mean(p.data))).toBeLessThan(0.01);
  });

  it('occlusion band covers exactly rows round(top·H) … round((top + height)·H) − 1, all columns and channels', () => {
    const h = 10;
    const w = 4;
    const src = img(h, w, 3, new Array(h * w * 3).fill(0.8));
    const out = occlusionBand(src, { top: 0.3, height: 0.2, value: 0.1 });
    for (let y = 0; y < h; y++) {
      const row = out.data.subarray(y * w * 3, (y + 1) * w * 3);
      const expected = y >= 3 && y < 5 ? 0.1 : 0.8;
      expect(maxAbsDiff(row, new Array(w * 3).fill(expected))).toBeLessThan(1e-6);
    }
    expect(src.data[3 * w * 3]).toBeCloseTo(0.8, 6); // input untouched
  });

  it('occlusion jitter moves the band by a seeded amount', () => {
    const src = img(100, 2, 1, new Array(200).fill(1));
    const bandTop = (im: Image): number => {
      for (let y = 0; y < im.height; y++) if ((im.data[y * 2] as number) < 0.5) return y;
      return -1;
    };
    const a = bandTop(occlusionBand(src, { top: 0.4, height: 0.1, value: 0, jitter: 0.2 }, new Rng(5)));
    const b = bandTop(occlusionBand(src, { top: 0.4, height: 0.1, value: 0, jitter: 0.2 }, new Rng(5)));
    const tops = new Set([1, 2, 3, 4, 5, 6].map((s) => bandTop(occlusionBand(src, { top: 0.4, height: 0.1, value: 0, jitter: 0.2 }, new Rng(s)))));
    expect(a).toBe(b);
    expect(tops.size).toBeGreaterThan(1);
    for (const t of tops) expect(t >= 20 && t <= 60).toBe(true);
  });
});

describe.each(['sharp', 'pure-js'] as const)('JPEG quality loss (%s)', (codecName) => {
  it('keeps the shape, loses more at lower quality, and is close to the input at 100', async () => {
    const codec = await loadCodec(codecName);
    const p = pattern(32, 48, 2);
    const q100 = await jpegQuality(p, { quality: 100 }, codec);
    const q50 = await jpegQuality(p, { quality: 50 }, codec);
    const q5 = await jpegQuality(p, { quality: 5 }, codec);
    expect([q5.height, q5.width, q5.channels]).toEqual([32, 48, 3]);
    const e100 = meanAbsDiff(q100.data, p.data);
    const e50 = meanAbsDiff(q50.data, p.data);
    const e5 = meanAbsDiff(q5.data, p.data);
    expect(e100).toBeLessThan(0.04); // not 0: chroma is subsampled even at quality 100
    expect(e50).toBeGreaterThan(e100);
    expect(e5).toBeGreaterThan(e50);
    const grey = await jpegQuality(greyscale({ ...p, channels: 3 }), { quality: 30 }, codec);
    expect(grey.channels).toBe(3);
    const one = await jpegQuality({ height: 8, width: 8, channels: 1, data: new Float32Array(64).fill(0.5) }, { quality: 30 }, codec);
    expect(one.channels).toBe(1);
    expect(maxAbsDiff(one.data, new Array(64).fill(0.5))).toBeLessThan(0.01);
  });
});

describe('transform specs', () => {
  it('chains steps left to right (greyscale then gamma 2)', async () => {
    const t = buildTransform([{ kind: 'greyscale' }, { kind: 'gamma', gamma: 2 }]);
    const out = await t(img(1, 1, 3, [0.2, 0.4, 0.6]), rng);
    expect(out.data[0]).toBeCloseTo(0.363 ** 2, 5);
  });

  it('every preset keeps the shape and changes a pattern image', async () => {
    const p = pattern(24, 24, 1);
    for (const [name, steps] of Object.entries(DOMAIN_PRESETS)) {
      const out = await buildTransform(steps)(p, rng.fork(name));
      expect([out.height, out.width, out.channels], name).toEqual([24, 24, 3]);
      expect(meanAbsDiff(out.data, p.data), name).toBeGreaterThan(0.005);
      expect(out.data.every((v) => v >= 0 && v <= 1), name).toBe(true);
    }
  });

  it('rejects an unknown kind or field with a ConfigError naming it', () => {
    expect(() => buildTransform([{ kind: 'gamma', gamma: 2 }, { kind: 'sepia' } as never])).toThrow(/transforms\[1\]/);
    expect(() => buildTransform([{ kind: 'blur', sigma: 1, radius: 3 } as never])).toThrow(ConfigError);
  });
});
