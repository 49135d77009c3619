import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, PluginError, ShapeError, checkBackboneInput, type Backbone, type ParamMap, type Rng, type SampleShape, type VariableMap } from '@metadg/core';
import { initialParams } from './layers/init.js';
import { formatShape, sizeOf, type Layer } from './layers/layer.js';

/** A backbone built from a functional `Layer` network; keeps the network for FLOP counts and summaries. */
export interface NetworkBackbone extends Backbone {
  /** The architecture (static shapes, parameter specs, FLOPs). */
  readonly network: Layer;
}

/** Options of `createBackbone`. */
export interface CreateBackboneOptions {
  /** Backbone name used in errors and logs, e.g. `small-cnn`. */
  readonly name: string;
  /** Stream the initial weights are drawn from (a plugin passes `ctx.rng`). */
  readonly rng: Rng;
}

/**
 * Instantiates a network as a `Backbone`: one trainable variable per parameter
 * spec, initialised from `options.rng` (same seed ⇒ same weights, bit for bit).
 *
 * `embed(x, params)` computes with `params[name]` wherever given and the
 * variables elsewhere; names in `params` that the network does not use are
 * ignored (a meta-learner may pass θ including its classifier's weights).
 */
export function createBackbone(network: Layer, options: CreateBackboneOptions): NetworkBackbone {
  const { name, rng } = options;
  if (network.inputShape.length !== 3) {
    throw new ShapeError(`backbone "${name}" network input`, '[H, W, C]', formatShape(network.inputShape));
  }
  if (network.outputShape.length !== 1) {
    throw new ShapeError(`backbone "${name}" network output`, '[D] (end with flatten/pooling and a dense layer)', formatShape(network.outputShape));
  }
  const inputShape = network.inputShape as SampleShape;
  const initial = initialParams(network.params, rng);
  const variables: Record<string, tf.Variable> = {};
  for (const spec of network.params) {
    const values = initial.get(spec.name) as Float32Array;
    variables[spec.name] = tf.tidy(() => tf.variable(tf.tensor(values, [...spec.shape], 'float32'), true));
  }
  let disposed = false;

  const checkParams = (params: ParamMap): void => {
    for (const spec of network.params) {
      const p = params[spec.name];
      if (p && formatShape(p.shape) !== formatShape(spec.shape)) {
        throw new ShapeError(`backbone "${name}" params["${spec.name}"]`, formatShape(spec.shape), p.shape);
      }
    }
  };

  return {
    name,
    inputShape,
    embeddingSize: network.outputShape[0] as number,
    params: variables as VariableMap,
    network,
    embed(x, params) {
      if (disposed) throw new PluginError('PLUGIN_DISPOSED', name, 'embed() called after dispose()');
      checkBackboneInput(name, inputShape, x);
      if (params) checkParams(params);
      const read = (key: string): tf.Tensor => {
        const t = params?.[key] ?? variables[key];
        // Only reachable through a malformed custom layer: every spec has a variable.
        if (!t) throw new ConfigError(`${name}.params`, `layer asked for unknown parameter "${key}"`);
        return t;
      };
      return tf.tidy(() => network.apply(x, read) as tf.Tensor2D);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const v of Object.values(variables)) v.dispose();
    },
  };
}

/**
 * Number of trainable scalars of a backbone (or of any parameter map):
 * the sum of the sizes of its tensors.
 */
export function countParams(source: Backbone | ParamMap | Layer): number {
  if (isLayer(source)) return source.params.reduce((n, p) => n + sizeOf(p.shape), 0);
  const map: ParamMap = isBackbone(source) ? source.params : source;
  return Object.values(map).reduce((n, t) => n + t.size, 0);
}

function isBackbone(x: Backbone | ParamMap | Layer): x is Backbone {
  return typeof (x as Backbone).embed === 'function' && typeof (x as Backbone).params === 'object';
}

function isLayer(x: Backbone | ParamMap | Layer): x is Layer {
  return typeof (x as Layer).apply === 'function' && Array.isArray((x as Layer).params);
}
