import { DataError } from '@metadg/core';

/**
 * How a tensor is stored in the weight file: quantised to `dtype` with
 * value = q · scale + min (tfjs's affine weight quantisation), or raw float32
 * when `quantization` is absent.
 */
export interface WeightQuantization {
  readonly dtype: 'uint8' | 'uint16';
  readonly scale: number;
  readonly min: number;
}

/** One tensor of a tfjs weights manifest, in file order. */
export interface WeightEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly quantization?: WeightQuantization;
}

/** One weights group of a tfjs manifest: its shard files (read in order, concatenated) and tensors. */
export interface WeightGroup {
  readonly paths: readonly string[];
  readonly weights: readonly WeightEntry[];
}

/**
 * Validates a parsed tfjs `*-weights_manifest.json` (an array of groups of
 * `{ paths, weights: [{ name, shape, dtype, quantization? }] }`). Only what
 * the face network needs is accepted: float32 tensors, raw or affinely
 * quantised to uint8/uint16. Anything else is a `DataError` naming `file`
 * and the entry at fault.
 */
export function parseWeightsManifest(json: unknown, file: string): WeightGroup[] {
  if (!Array.isArray(json) || json.length === 0) throw new DataError(file, 'expected a non-empty array of weight groups');
  return json.map((group: unknown, g) => {
    const where = `weight group ${g}`;
    if (!isRecord(group)) throw new DataError(file, `${where} is not an object`);
    const { paths, weights } = group;
    if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string' && p.length > 0)) {
      throw new DataError(file, `${where}: "paths" must be a non-empty list of file names`);
    }
    if (!Array.isArray(weights)) throw new DataError(file, `${where}: "weights" must be a list`);
    return { paths: paths as string[], weights: weights.map((w: unknown, i) => parseEntry(w, `${where}, weights[${i}]`, file)) };
  });
}

function parseEntry(entry: unknown, where: string, file: string): WeightEntry {
  if (!isRecord(entry)) throw new DataError(file, `${where} is not an object`);
  const { name, shape, dtype, quantization } = entry;
  if (typeof name !== 'string' || name.length === 0) throw new DataError(file, `${where}: "name" must be a non-empty string`);
  const at = `${where} ("${name}")`;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    throw new DataError(file, `${at}: "shape" must be a list of non-negative integers`);
  }
  if (dtype !== 'float32') throw new DataError(file, `${at}: dtype ${String(dtype)} is not supported (float32 only)`);
  if (quantization === undefined) return { name, shape: shape as number[] };
  if (!isRecord(quantization)) throw new DataError(file, `${at}: "quantization" must be an object`);
  const q = quantization;
  if (q['dtype'] !== 'uint8' && q['dtype'] !== 'uint16') {
    throw new DataError(file, `${at}: quantization dtype ${String(q['dtype'])} is not supported (uint8, uint16)`);
  }
  const scale = q['scale'];
  const min = q['min'];
  if (typeof scale !== 'number' || !Number.isFinite(scale) || typeof min !== 'number' || !Number.isFinite(min)) {
    throw new DataError(file, `${at}: quantization needs finite "scale" and "min"`);
  }
  return { name, shape: shape as number[], quantization: { dtype: q['dtype'], scale, min } };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
