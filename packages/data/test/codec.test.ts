import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@metadg/core';
import { loadCodec, type Image } from '../src/index.js';
import { maxAbsDiff } from './helpers.js';

const solid = (width: number, height: number, channels: 3 | 4, background: { r: number; g: number; b: number; alpha?: number }) =>
  sharp({ create: { width, height, channels, background } });

describe.each(['sharp', 'pure-js'] as const)('%s codec', (name) => {
  it('decodes 16-bit PNG, grey JPEG and RGBA PNG to [0, 1] RGB (alpha ignored)', async () => {
    const codec = await loadCodec(name);
    const png16 = await solid(6, 4, 3, { r: 255, g: 128, b: 0 }).toColourspace('rgb16').png().toBuffer();
    const a = await codec.decode(png16);
    expect([a.height, a.width, a.channels]).toEqual([4, 6, 3]);
    expect(maxAbsDiff(a.data.subarray(0, 3), [1, 128 / 255, 0])).toBeLessThan(0.01);
    const greyJpeg = await solid(8, 8, 3, { r: 100, g: 100, b: 100 }).greyscale().jpeg({ quality: 95 }).toBuffer();
    const g = await codec.decode(greyJpeg, { height: 4, width: 4, channels: 3, fit: 'cover' });
    expect(Math.abs((g.data[0] as number) - 100 / 255)).toBeLessThan(0.02);
    expect(g.data[0]).toBeCloseTo(g.data[1] as number, 6);
    const rgba = await solid(5, 5, 4, { r: 10, g: 20, b: 200, alpha: 0.5 }).png().toBuffer();
    const r = await codec.decode(rgba, { height: 5, width: 5, channels: 3, fit: 'fill' });
    expect(maxAbsDiff(r.data.subarray(0, 3), [10 / 255, 20 / 255, 200 / 255])).toBeLessThan(0.01);
  });

  it('cover-fits a wide image by centre-cropping it', async () => {
    const codec = await loadCodec(name);
    // Left third red, middle third green, right third blue: a square crop keeps the green middle.
    const stripes = Buffer.alloc(30 * 10 * 3);
    for (let y = 0; y < 10; y++) for (let x = 0; x < 30; x++) stripes[(y * 30 + x) * 3 + Math.floor(x / 10)] = 255;
    const png = await sharp(stripes, { raw: { width: 30, height: 10, channels: 3 } }).png().toBuffer();
    const out = await codec.decode(png, { height: 5, width: 5, channels: 3, fit: 'cover' });
    const centre = out.data.subarray((2 * 5 + 2) * 3, (2 * 5 + 2) * 3 + 3);
    expect(maxAbsDiff(centre, [0, 1, 0])).toBeLessThan(0.05);
  });

  it('round-trips an image through PNG exactly (8-bit values)', async () => {
    const codec = await loadCodec(name);
    const values = Array.from({ length: 3 * 4 * 3 }, (_, i) => ((i * 37) % 256) / 255);
    const image: Image = { height: 3, width: 4, channels: 3, data: Float32Array.from(values) };
    const back = await codec.decode(await codec.encodePng(image));
    expect(maxAbsDiff(back.data, image.data)).toBeLessThan(1e-6);
    const grey: Image = { height: 2, width: 2, channels: 1, data: Float32Array.of(0, 0.2, 0.6, 1) };
    const g = await codec.decode(await codec.encodePng(grey), { height: 2, width: 2, channels: 1, fit: 'fill' });
    expect(maxAbsDiff(g.data, [0, 51 / 255, 153 / 255, 1])).toBeLessThan(1e-6);
  });

  it('refuses garbage with a one-line error', async () => {
    const codec = await loadCodec(name);
    const err = await codec.decode(new TextEncoder().encode('definitely not an image')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).not.toContain('\n');
  });
});

describe('loadCodec', () => {
  it('honours EXIF orientation with sharp', async () => {
    const codec = await loadCodec('sharp');
    const tagged = await solid(20, 10, 3, { r: 0, g: 0, b: 0 }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const out = await codec.decode(tagged);
    expect([out.height, out.width]).toEqual([20, 10]);
  });

  it('rejects an unknown codec name', async () => {
    await expect(loadCodec('magic' as never)).rejects.toThrow(ConfigError);
  });
});
