import type { PluginKindOption } from './schema.js';

/** A hyper-parameter of a skeleton, as its README table lists it. */
export interface SkeletonHParam {
  readonly name: string;
  readonly default: string;
  readonly meaning: string;
}

/** What the templates need to know about one kind's skeleton. */
export interface KindInfo {
  /** Default package description. */
  readonly description: string;
  /** Field of the run config that selects a plugin of this kind. */
  readonly configField: 'dataset' | 'backbone' | 'losses' | 'sampler' | 'algorithm';
  /** Example hyper-parameters for the README's run-config snippet. */
  readonly exampleHparams: string;
  /** The skeleton's hyper-parameters (kept in step with its zod schema by a unit test). */
  readonly hparams: readonly SkeletonHParam[];
}

/** Per-kind skeleton facts, used for the README and the package description. */
export const KIND_INFO: { readonly [K in PluginKindOption]: KindInfo } = {
  loss: {
    description: 'MetaDG loss plugin: mean squared gallery–probe distance over pair batches.',
    configField: 'losses',
    exampleHparams: '{ scale: 1 }',
    hparams: [{ name: 'scale', default: '1', meaning: 'multiplies the mean squared distance' }],
  },
  backbone: {
    description: 'MetaDG backbone plugin: a functional linear embedding (flatten → x·W + b).',
    configField: 'backbone',
    exampleHparams: '{ width: 16 }',
    hparams: [
      { name: 'width', default: '16', meaning: 'embedding size d' },
      { name: 'initScale', default: '1', meaning: 'weights are drawn from N(0, initScale² / fan-in) (LeCun normal)' },
    ],
  },
  sampler: {
    description: 'MetaDG sampler plugin: gallery/probe pairs per source domain, one held out as meta-test.',
    configField: 'sampler',
    exampleHparams: '{ batchSize: 4 }',
    hparams: [{ name: 'batchSize', default: '4', meaning: 'identities (pairs) per domain per episode' }],
  },
  'meta-optimizer': {
    description: 'MetaDG meta-optimizer plugin: first-order MLDG (meta-train step, meta-test at adapted parameters).',
    configField: 'algorithm',
    exampleHparams: '{ lr: 0.05, innerLr: 0.1, beta: 1 }',
    hparams: [
      { name: 'lr', default: '0.05', meaning: 'outer SGD learning rate' },
      { name: 'innerLr', default: '0.1', meaning: 'step size α of the virtual meta-train update θ′ = θ − α∇L_S' },
      { name: 'beta', default: '1', meaning: 'weight β of the meta-test loss (MLDG, Li et al. 2018: β = 1)' },
    ],
  },
  dataset: {
    description: 'MetaDG dataset plugin: synthetic identities rendered in several intensity domains.',
    configField: 'dataset',
    exampleHparams: '{ domains: 3, identities: 8 }',
    hparams: [
      { name: 'domains', default: '3', meaning: 'number of domains (`domain-0`, `domain-1`, …)' },
      { name: 'identities', default: '8', meaning: 'identities, shared by every domain' },
      { name: 'samples', default: '4', meaning: 'samples per identity and domain' },
      { name: 'size', default: '8', meaning: 'image height and width (1 channel)' },
    ],
  },
};
