import * as tf from '@tensorflow/tfjs-core';
import { DataError, ShapeError, z, type NamedTensor, type Rng } from '@metadg/core';

/** Outer optimizers a meta-learner can be configured with (all from `tf.train`). */
export const OUTER_OPTIMIZERS = ['sgd', 'momentum', 'adam', 'rmsprop', 'adagrad'] as const;
/** Name of an outer optimizer. */
export type OuterOptimizerName = (typeof OUTER_OPTIMIZERS)[number];

/**
 * Hyper-parameters of the outer optimizer, as a zod shape to spread into an
 * algorithm's own schema (`z.object({ ...outerOptimizerShape, gamma: … })`).
 */
export const outerOptimizerShape = {
  optimizer: z.enum(OUTER_OPTIMIZERS).default('momentum'),
  lr: z.number().positive('must be > 0').default(0.01),
  momentum: z.number().min(0, 'must be in [0, 1)').lt(1, 'must be in [0, 1)').default(0.9),
  nesterov: z.boolean().default(false),
  weightDecay: z.number().min(0, 'must be ≥ 0').default(5e-4),
};

/** Validated outer-optimizer hyper-parameters. */
export interface OuterOptimizerHparams {
  /** `sgd`, `momentum` (SGD with momentum), `adam`, `rmsprop` or `adagrad`. */
  readonly optimizer: OuterOptimizerName;
  /** Learning rate. */
  readonly lr: number;
  /** Momentum coefficient (`momentum`, `rmsprop`). */
  readonly momentum: number;
  /** Nesterov momentum (`momentum` only). */
  readonly nesterov: boolean;
  /** L2 weight decay, added to the gradient as wd·θ (coupled, as PyTorch's SGD) for every parameter. */
  readonly weightDecay: number;
}

/** Where each outer-optimizer default comes from. */
export const outerOptimizerSources: { readonly [K in keyof OuterOptimizerHparams]: string } = {
  optimizer: 'The paper (Guo et al. 2020) updates θ with SGD with momentum.',
  lr:
    'Not published in the paper nor in the notes of the glyph experiment reported with the MFR specification; ' +
    '0.01 is our choice (a usual SGD-with-momentum rate for small CNNs trained from scratch).',
  momentum: '0.9, the momentum of the glyph experiment reported with the MFR specification (SGD momentum 0.9).',
  nesterov: 'Plain (heavy-ball) momentum, as PyTorch SGD uses by default.',
  weightDecay:
    'Not published in the paper; 5e-4 is the common face-recognition setting (e.g. insightface arcface_torch), our choice.',
};

/** Random search ranges (DomainBed-style) for the outer optimizer. */
export const outerOptimizerSpace: { readonly [K in keyof OuterOptimizerHparams]?: (rng: Rng) => OuterOptimizerHparams[K] } = {
  lr: (rng) => 10 ** rng.uniform(-3, -1),
  momentum: (rng) => rng.pick([0, 0.5, 0.9, 0.95]),
  weightDecay: (rng) => 10 ** rng.uniform(-6, -2),
};

/**
 * The optimizer that applies a meta-learner's update direction to θ, with
 * checkpointable state under stable names (`iter`, `<param key>/<slot>`).
 */
export interface OuterOptimizer {
  /** One update of every variable with `grads` (same global keys as the variables). */
  apply(grads: Readonly<Record<string, tf.Tensor>>): void;
  /** Copies of the optimizer state (iteration count, slots such as momentum); the caller disposes them. */
  getState(): Promise<NamedTensor[]>;
  /** Restores state saved by `getState` (the caller keeps ownership of the given tensors). */
  setState(state: readonly NamedTensor[]): Promise<void>;
  dispose(): void;
}

// The slot variables tf.train keeps per parameter, in the group order of getWeights/setWeights.
const SLOTS: Readonly<Record<OuterOptimizerName, readonly string[]>> = {
  sgd: [],
  momentum: ['momentum'],
  adam: ['m', 'v'],
  rmsprop: ['rms', 'momentum'],
  adagrad: ['accumulator'],
};

function buildTfOptimizer(h: OuterOptimizerHparams): tf.Optimizer {
  switch (h.optimizer) {
    case 'sgd':
      return tf.train.sgd(h.lr);
    case 'momentum':
      return tf.train.momentum(h.lr, h.momentum, h.nesterov);
    case 'adam':
      return tf.train.adam(h.lr);
    case 'rmsprop':
      return tf.train.rmsprop(h.lr, 0.9, h.momentum);
    case 'adagrad':
      return tf.train.adagrad(h.lr);
  }
}

/**
 * Builds the outer optimizer over `variables` (global key → variable) from
 * `tf.train`. Gradients are always applied in the variables' key order, which
 * is what tf.train's slot bookkeeping (by position) and `setState` rely on.
 */
export function createOuterOptimizer(
  variables: Readonly<Record<string, tf.Variable>>,
  hparams: OuterOptimizerHparams,
): OuterOptimizer {
  const keys = Object.keys(variables);
  const optimizer = buildTfOptimizer(hparams);
  const slots = SLOTS[hparams.optimizer];
  const keyOfTfName = new Map(keys.map((k) => [(variables[k] as tf.Variable).name, k]));

  const stableName = (tfName: string): string => {
    if (tfName === 'iter') return tfName;
    const cut = tfName.lastIndexOf('/');
    const key = keyOfTfName.get(tfName.slice(0, cut));
    if (key === undefined) throw new DataError('optimizer state', `slot "${tfName}" belongs to no parameter of this run`);
    return `${key}/${tfName.slice(cut + 1)}`;
  };

  return {
    apply(grads) {
      tf.tidy(() => {
        const list = keys.map((key) => {
          const variable = variables[key] as tf.Variable;
          const g = grads[key];
          if (!g) throw new ShapeError(`gradient of "${key}"`, `[${variable.shape.join(', ')}]`, 'missing');
          if (!tf.util.arraysEqual(g.shape, variable.shape)) throw new ShapeError(`gradient of "${key}"`, `[${variable.shape.join(', ')}]`, g.shape);
          const tensor = hparams.weightDecay > 0 ? tf.add(g, tf.mul(variable, hparams.weightDecay)) : g;
          return { name: variable.name, tensor };
        });
        optimizer.applyGradients(list);
      });
    },

    async getState() {
      const weights = await optimizer.getWeights();
      // getWeights returns the live slot variables (and a fresh `iter`): hand out copies.
      return weights.map(({ name, tensor }) => ({ name: stableName(name), tensor: name === 'iter' ? tensor : tensor.clone() }));
    },

    async setState(state) {
      const byName = new Map(state.map((s) => [s.name, s.tensor] as const));
      const iter = byName.get('iter');
      if (!iter) throw new DataError('optimizer state', 'entry "iter" is missing');
      const expected = slots.flatMap((slot) => keys.map((key) => `${key}/${slot}`));
      for (const name of byName.keys()) {
        if (name !== 'iter' && !expected.includes(name)) {
          throw new DataError('optimizer state', `unknown entry "${name}" for a "${hparams.optimizer}" optimizer over this run's parameters`);
        }
      }
      // Slots exist only after the first update; a state saved before it has none.
      const present = expected.filter((n) => byName.has(n));
      if (present.length > 0 && present.length < expected.length) {
        throw new DataError('optimizer state', `entry "${expected.find((n) => !byName.has(n))}" is missing`);
      }
      const restored = present.map((name) => {
        const cut = name.lastIndexOf('/');
        const key = name.slice(0, cut);
        const variable = variables[key] as tf.Variable;
        const tensor = byName.get(name) as tf.Tensor;
        if (!tf.util.arraysEqual(tensor.shape, variable.shape)) {
          throw new ShapeError(`optimizer state "${name}"`, `[${variable.shape.join(', ')}]`, tensor.shape);
        }
        return { name: `${variable.name}/${name.slice(cut + 1)}`, tensor };
      });
      // setWeights replaces the slot variables without releasing the old ones.
      tf.dispose((await optimizer.getWeights()).map((w) => w.tensor));
      await optimizer.setWeights([{ name: 'iter', tensor: iter }, ...restored]);
    },

    dispose() {
      optimizer.dispose();
      // tfjs's MomentumOptimizer.dispose() skips its SGD parent's learning-rate scalar `c`.
      const c = (optimizer as unknown as { c?: tf.Tensor }).c;
      if (c && !c.isDisposed) c.dispose();
    },
  };
}
