import { ConfigError, ShapeError } from '@metadg/core';
import { formatShape, type FeatureShape } from './layer.js';

/** Throws a `ConfigError` naming `field` unless `value` is an integer ≥ `min`. */
export function requireInt(field: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(field, `must be an integer ≥ ${min}, got ${value}`);
  }
}

/** Throws a `ShapeError` unless a layer's input is a feature map `[H, W, C]`. */
export function requireMap(layer: string, shape: FeatureShape): readonly [number, number, number] {
  if (shape.length !== 3 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ShapeError(`layer "${layer}" input`, '[H, W, C] (a feature map)', formatShape(shape));
  }
  return [shape[0] as number, shape[1] as number, shape[2] as number];
}

/** Throws a `ShapeError` unless a layer's input is a vector `[D]`. */
export function requireVector(layer: string, shape: FeatureShape): number {
  if (shape.length !== 1 || !Number.isInteger(shape[0]) || (shape[0] as number) < 1) {
    throw new ShapeError(`layer "${layer}" input`, '[D] (a vector; flatten or pool first)', formatShape(shape));
  }
  return shape[0] as number;
}
