// Shared helpers for the @metadg/data tests: tiny hand-made images, a tensor
// backend, temporary image folders written with sharp.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { initBackend } from '@metadg/tensor';
import type { Image } from '../src/index.js';

/** Starts the cpu backend once (quietly). */
export async function useCpuBackend(): Promise<void> {
  await initBackend({ backend: 'cpu', log: () => {} });
}

/** An image from explicit HWC values. */
export function img(height: number, width: number, channels: number, values: readonly number[]): Image {
  if (values.length !== height * width * channels) throw new Error('test image: wrong number of values');
  return { height, width, channels, data: Float32Array.from(values) };
}

/** A smooth, identity-specific colour pattern (so identities differ and resizing is meaningful). */
export function pattern(height: number, width: number, seed: number): Image {
  const data = new Float32Array(height * width * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      data[o] = 0.5 + 0.4 * Math.sin((x / width) * Math.PI * (1 + seed));
      data[o + 1] = 0.5 + 0.4 * Math.cos((y / height) * Math.PI * (2 + seed));
      data[o + 2] = ((x + y + seed * 17) % 32) / 32;
    }
  }
  return { height, width, channels: 3, data };
}

/** Largest absolute difference between two arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

/** Mean absolute difference between two arrays. */
export function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs((a[i] as number) - (b[i] as number));
  return s / a.length;
}

/** A fresh temporary directory, and a function that removes it. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'metadg-data-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Encodes a pattern image of `width × height` as JPEG or PNG bytes. */
export async function encodedPattern(width: number, height: number, seed: number, format: 'jpeg' | 'png'): Promise<Buffer> {
  const p = pattern(height, width, seed);
  const bytes = Uint8Array.from(p.data, (v) => Math.round(v * 255));
  const s = sharp(bytes, { raw: { width, height, channels: 3 } });
  return format === 'jpeg' ? s.jpeg({ quality: 90 }).toBuffer() : s.png().toBuffer();
}

/** Writes `bytes` to `path`, creating parent directories. */
export async function put(path: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
}

/**
 * A well-formed folder: `domains` × `identities` × `perIdentity` JPEGs of
 * 48×40 px; identity k's images all use pattern seed k (+ a small per-image shift).
 */
export async function writeFolder(
  root: string,
  domains: readonly string[],
  identities: readonly string[],
  perIdentity: number,
): Promise<void> {
  for (const d of domains) {
    for (const [k, id] of identities.entries()) {
      for (let i = 0; i < perIdentity; i++) {
        await put(join(root, d, id, `img${i}.jpg`), await encodedPattern(48, 40, k + i * 0.01, 'jpeg'));
      }
    }
  }
}
