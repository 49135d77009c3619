import { DataError } from '@metadg/core';
import type { WeightEntry } from './manifest.js';

/** Bytes one stored element of `entry` takes in the weight file. */
export function storedBytesPerElement(entry: WeightEntry): number {
  if (!entry.quantization) return 4;
  return entry.quantization.dtype === 'uint8' ? 1 : 2;
}

/** Number of elements of a shape. */
export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Decodes the tensors of one weights group from its concatenated shard bytes,
 * in manifest order: raw float32 (little-endian) is copied, quantised values
 * are mapped back with value = q · scale + min. The total size must match the
 * bytes exactly; a mismatch is a `DataError` naming `file` (a truncated or
 * foreign weight file).
 */
export function decodeWeights(entries: readonly WeightEntry[], bytes: Uint8Array, file: string): Map<string, Float32Array> {
  const expected = entries.reduce((n, e) => n + elementCount(e.shape) * storedBytesPerElement(e), 0);
  if (expected !== bytes.byteLength) {
    throw new DataError(file, `holds ${bytes.byteLength} bytes but the manifest describes ${expected}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Map<string, Float32Array>();
  let offset = 0;
  for (const entry of entries) {
    const n = elementCount(entry.shape);
    const values = new Float32Array(n);
    const q = entry.quantization;
    if (!q) {
      for (let i = 0; i < n; i++) values[i] = view.getFloat32(offset + 4 * i, true);
    } else if (q.dtype === 'uint8') {
      for (let i = 0; i < n; i++) values[i] = (bytes[offset + i] as number) * q.scale + q.min;
    } else {
      for (let i = 0; i < n; i++) values[i] = view.getUint16(offset + 2 * i, true) * q.scale + q.min;
    }
    offset += n * storedBytesPerElement(entry);
    if (out.has(entry.name)) throw new DataError(file, `tensor "${entry.name}" is listed twice in the manifest`);
    out.set(entry.name, values);
  }
  return out;
}
