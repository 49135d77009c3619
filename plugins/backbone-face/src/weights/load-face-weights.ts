import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataError } from '@metadg/core';
import { decodeWeights, elementCount } from './dequantize.js';
import { parseWeightsManifest } from './manifest.js';

/** Base name of face-api's face recognition model files (`<name>-weights_manifest.json`, `<name>.bin`). */
export const FACE_RECOGNITION_MODEL = 'face_recognition_model';

/** Decoded float32 weights by tensor name, with each tensor's shape. */
export interface FaceWeights {
  /** Directory the files were read from. */
  readonly dir: string;
  readonly tensors: ReadonlyMap<string, { readonly shape: readonly number[]; readonly values: Float32Array }>;
}

/**
 * Directory holding face-api's model files: `model/` of the installed
 * `@vladmandic/face-api` package, found with Node's module resolution from
 * this module (works from the sources and both bundles).
 */
export function faceApiModelDir(): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve('@vladmandic/face-api/package.json');
  } catch (cause) {
    throw new DataError('@vladmandic/face-api', `not installed (${String(cause).split('\n')[0]}); it ships the face network's weights`);
  }
  return join(dirname(pkg), 'model');
}

const cache = new Map<string, FaceWeights>();

/**
 * Reads and dequantises the face recognition network's weights from local
 * files (`dir`, default {@link faceApiModelDir}) — never from the network.
 * Decoded once per process and directory; later calls return the same
 * object. Missing/garbled files are a `DataError` naming the file.
 */
export function loadFaceWeights(dir: string = faceApiModelDir()): FaceWeights {
  const cached = cache.get(dir);
  if (cached) return cached;
  const manifestFile = join(dir, `${FACE_RECOGNITION_MODEL}-weights_manifest.json`);
  if (!existsSync(manifestFile)) throw new DataError(manifestFile, 'face recognition weights manifest not found');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch (cause) {
    throw new DataError(manifestFile, `is not valid JSON (${(cause as Error).message})`);
  }
  const tensors = new Map<string, { shape: readonly number[]; values: Float32Array }>();
  for (const group of parseWeightsManifest(json, manifestFile)) {
    const files = group.paths.map((p) => join(dir, p));
    for (const f of files) if (!existsSync(f)) throw new DataError(f, 'weight shard listed in the manifest not found');
    const bytes = concat(files.map((f) => readFileSync(f)));
    const decoded = decodeWeights(group.weights, bytes, files.join(' + '));
    for (const entry of group.weights) {
      const values = decoded.get(entry.name) as Float32Array;
      if (values.length !== elementCount(entry.shape)) throw new DataError(manifestFile, `tensor "${entry.name}" size mismatch`);
      tensors.set(entry.name, { shape: entry.shape, values });
    }
  }
  const weights: FaceWeights = { dir, tensors };
  cache.set(dir, weights);
  return weights;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
