import { ConfigError, ShapeError } from '@metadg/core';
import { activationLayer, type ActivationName } from './activation.js';
import { conv2dLayer, type Conv2dOptions } from './conv2d.js';
import { denseLayer, type DenseOptions } from './dense.js';
import { groupNormLayer, type GroupNormOptions } from './group-norm.js';
import { formatShape, type FeatureShape, type Layer } from './layer.js';
import { flattenLayer, globalAvgPoolLayer } from './reshape.js';

/**
 * Layers applied one after the other. Checks that each layer's input shape is
 * the previous layer's output and that no two parameters share a name.
 */
export function sequential(name: string, layers: readonly Layer[]): Layer {
  const first = layers[0];
  if (!first) throw new ConfigError(name, 'a sequential network needs at least one layer');
  for (let i = 1; i < layers.length; i++) {
    const prev = layers[i - 1] as Layer;
    const layer = layers[i] as Layer;
    if (formatShape(prev.outputShape) !== formatShape(layer.inputShape)) {
      throw new ShapeError(`layer "${layer.name}" input (after "${prev.name}")`, formatShape(prev.outputShape), layer.inputShape);
    }
  }
  const params = layers.flatMap((l) => l.params);
  const seen = new Set<string>();
  for (const p of params) {
    if (seen.has(p.name)) throw new ConfigError(name, `parameter name "${p.name}" is used twice; layer names must be unique`);
    seen.add(p.name);
  }
  const last = layers[layers.length - 1] as Layer;
  return {
    name,
    kind: 'sequential',
    inputShape: first.inputShape,
    outputShape: last.outputShape,
    params,
    flops: layers.reduce((sum, l) => sum + l.flops, 0),
    children: layers,
    apply: (x, read) => layers.reduce((h, l) => l.apply(h, read), x),
  };
}

/**
 * Builds a sequential network layer by layer, tracking the feature shape so
 * each layer is created for the shape it will actually receive.
 *
 * ```ts
 * const net = new NetworkBuilder([32, 32, 1])
 *   .conv2d('conv1', { filters: 32, kernelSize: 3, stride: 2 })
 *   .groupNorm('gn1', { groups: 8 })
 *   .activation('act1', 'relu')
 *   .flatten()
 *   .dense('embed', { units: 128 })
 *   .build('my-cnn');
 * ```
 */
export class NetworkBuilder {
  private readonly layers: Layer[] = [];

  constructor(readonly inputShape: FeatureShape) {}

  /** Output shape of the layers added so far. */
  get shape(): FeatureShape {
    return this.layers[this.layers.length - 1]?.outputShape ?? this.inputShape;
  }

  /** Adds any layer, created for the current shape. */
  add(make: (inputShape: FeatureShape) => Layer): this {
    this.layers.push(make(this.shape));
    return this;
  }

  /** Adds a conv2d layer (see `conv2dLayer`). */
  conv2d(name: string, options: Conv2dOptions): this {
    return this.add((s) => conv2dLayer(name, s, options));
  }

  /** Adds a GroupNorm layer (see `groupNormLayer`). */
  groupNorm(name: string, options: GroupNormOptions): this {
    return this.add((s) => groupNormLayer(name, s, options));
  }

  /** Adds an activation layer. */
  activation(name: string, fn: ActivationName): this {
    return this.add((s) => activationLayer(name, s, fn));
  }

  /** Flattens each sample to a vector. */
  flatten(name = 'flatten'): this {
    return this.add((s) => flattenLayer(name, s));
  }

  /** Averages each channel over all positions. */
  globalAvgPool(name = 'gap'): this {
    return this.add((s) => globalAvgPoolLayer(name, s));
  }

  /** Adds a dense layer (see `denseLayer`). */
  dense(name: string, options: DenseOptions): this {
    return this.add((s) => denseLayer(name, s, options));
  }

  /** The finished network as one sequential layer. */
  build(name: string): Layer {
    return sequential(name, this.layers);
  }
}
