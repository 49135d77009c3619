import * as tf from '@tensorflow/tfjs-core';
import {
  DataError,
  PluginError,
  definePlugin,
  z,
  type DomainSampler,
  type Episode,
  type EpisodeSplit,
  type IdentityInfo,
  type Logger,
  type PairBatch,
  type Rng,
  type TrainingTask,
} from '@metadg/core';
import { PLUGIN_VERSION } from './version.js';

/** How meta-test domains are chosen per episode. */
export type SamplerMode = 'random' | 'cycle' | 'all-splits';

/** Options of the MFR domain sampler. */
export interface MfrSamplerOptions {
  /** B: identities (gallery/probe pairs) per domain. */
  readonly batchSize: number;
  /** Meta-train domains per episode; `rest`: every source domain not drawn as meta-test (all of them are used). */
  readonly metaTrainDomains: number | 'rest';
  /** Meta-test domains per episode. */
  readonly metaTestDomains: number;
  /**
   * `random`: disjoint meta-train/meta-test domains drawn per episode.
   * `cycle`: meta-test domains rotate so every source domain is meta-test
   * equally often (each exactly `metaTestDomains` times per `n` steps).
   * `all-splits`: draw the episode's domains once and yield every split that
   * holds `metaTestDomains` of them out (leave-one-out by default).
   */
  readonly mode: SamplerMode;
}

const PLUGIN = 'mfr-sampler';

/**
 * The MFR domain-level sampler: per episode, disjoint meta-train and
 * meta-test domains from `task.sourceDomains`, then per domain B identities
 * with a gallery and a probe sample each (two different samples of the same
 * identity), labelled `task.labels.indexOf(identity)`. `sample(step)` depends
 * only on the seed of `rng` and `step`.
 *
 * Identities with fewer than 2 samples cannot form a pair: they are skipped
 * and counted (one log line). A domain with fewer than B usable identities,
 * or fewer source domains than the episode needs, is an error up front.
 */
export class MfrSampler implements DomainSampler {
  readonly name = PLUGIN;
  private readonly usable: ReadonlyMap<string, readonly IdentityInfo[]>;
  private readonly cycleOrder: readonly string[];
  private readonly metaTrainCount: number;

  constructor(
    private readonly task: TrainingTask,
    private readonly options: MfrSamplerOptions,
    private readonly rng: Rng,
    log: Logger,
  ) {
    const domains = task.sourceDomains;
    this.metaTrainCount =
      options.metaTrainDomains === 'rest' ? Math.max(domains.length - options.metaTestDomains, 1) : options.metaTrainDomains;
    const needed = this.metaTrainCount + options.metaTestDomains;
    if (domains.length < needed) {
      throw new PluginError(
        'PLUGIN_HPARAMS_INVALID',
        PLUGIN,
        `an episode needs ${needed} source domains (${this.metaTrainCount} meta-train + ${options.metaTestDomains} meta-test), ` +
          `the task has ${domains.length}: ${domains.join(', ') || 'none'}`,
        'metaTrainDomains',
      );
    }
    this.usable = usableIdentities(task, options.batchSize, log);
    this.cycleOrder = rng.fork('cycle-order').shuffle(domains);
  }

  async sample(step: number): Promise<Episode> {
    if (!Number.isInteger(step) || step < 0) throw new RangeError(`${PLUGIN}: step must be a non-negative integer, got ${step}`);
    const rng = this.rng.fork(step);
    const { metaTrain, metaTest } = this.chooseDomains(step, rng.fork('domains'));
    const drawn = [...metaTrain, ...metaTest];
    const batches: PairBatch[] = [];
    try {
      for (const domain of drawn) batches.push(await this.pairBatch(domain, rng.fork(`pairs:${domain}`)));
    } catch (err) {
      for (const b of batches) tf.dispose([b.gallery, b.probe, b.labels]);
      throw err;
    }
    return { step, batches, splits: this.splits(batches, metaTrain.length) };
  }

  private chooseDomains(step: number, rng: Rng): { metaTrain: string[]; metaTest: string[] } {
    const { metaTestDomains: t, mode } = this.options;
    const m = this.metaTrainCount;
    if (mode === 'cycle') {
      const n = this.cycleOrder.length;
      const metaTest = Array.from({ length: t }, (_, j) => this.cycleOrder[(step * t + j) % n] as string);
      const rest = this.cycleOrder.filter((d) => !metaTest.includes(d));
      return { metaTrain: rng.sample(rest, m), metaTest };
    }
    const drawn = rng.sample(this.task.sourceDomains, m + t);
    return { metaTrain: drawn.slice(0, m), metaTest: drawn.slice(m) };
  }

  private splits(batches: readonly PairBatch[], metaTrainCount: number): EpisodeSplit[] {
    if (this.options.mode !== 'all-splits') {
      return [{ metaTrain: batches.slice(0, metaTrainCount), metaTest: batches.slice(metaTrainCount) }];
    }
    return combinations(batches.length, this.options.metaTestDomains).map((held) => ({
      metaTrain: batches.filter((_, i) => !held.includes(i)),
      metaTest: held.map((i) => batches[i] as PairBatch),
    }));
  }

  private async pairBatch(domain: string, rng: Rng): Promise<PairBatch> {
    const pool = this.usable.get(domain) as readonly IdentityInfo[];
    const chosen = rng.sample(pool, this.options.batchSize);
    const galleryRefs = [];
    const probeRefs = [];
    for (const info of chosen) {
      // Two different samples: p is drawn from the n − 1 indices other than g.
      const g = rng.int(info.samples);
      const q = rng.int(info.samples - 1);
      const p = q >= g ? q + 1 : q;
      galleryRefs.push({ domain, identity: info.id, index: g });
      probeRefs.push({ domain, identity: info.id, index: p });
    }
    const identities = chosen.map((c) => c.id);
    const gallery = await this.task.dataset.load(galleryRefs);
    let probe: tf.Tensor4D;
    try {
      probe = await this.task.dataset.load(probeRefs);
    } catch (err) {
      gallery.dispose();
      throw err;
    }
    return {
      kind: 'pairs',
      domain,
      gallery,
      probe,
      labels: tf.tensor1d(identities.map((id) => this.task.labels.indexOf(id)), 'int32'),
      identities,
    };
  }
}

/**
 * Per source domain, the identities that can form a pair (≥ 2 samples).
 * Logs how many were skipped, once. Every identity must be in the label space.
 */
function usableIdentities(task: TrainingTask, batchSize: number, log: Logger): Map<string, IdentityInfo[]> {
  const out = new Map<string, IdentityInfo[]>();
  const skipped: string[] = [];
  for (const domain of task.sourceDomains) {
    const all = task.dataset.identities(domain);
    const unlabelled = all.find((i) => task.labels.indexOf(i.id) < 0);
    if (unlabelled) {
      throw new DataError(`domain "${domain}" of dataset "${task.dataset.name}"`, `identity "${unlabelled.id}" is not in the task's label space`);
    }
    const usable = all.filter((i) => i.samples >= 2);
    if (usable.length < all.length) skipped.push(`${all.length - usable.length} in "${domain}"`);
    if (usable.length < batchSize) {
      throw new DataError(
        `domain "${domain}" of dataset "${task.dataset.name}"`,
        `has ${usable.length} identities with at least 2 samples, fewer than batchSize = ${batchSize} (hparam of "${PLUGIN}")`,
      );
    }
    out.set(domain, usable);
  }
  if (skipped.length > 0) log.info(`${PLUGIN}: skipped identities with fewer than 2 samples: ${skipped.join(', ')}`);
  return out;
}

/** Every k-subset of [0, n) as sorted index lists, in lexicographic order. */
export function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const pick = (start: number, chosen: number[]): void => {
    if (chosen.length === k) {
      out.push(chosen.slice());
      return;
    }
    for (let i = start; i <= n - (k - chosen.length); i++) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
  return out;
}

/** Hyper-parameters of the `mfr-sampler` plugin. */
export const mfrSamplerHparams = z.object({
  batchSize: z.number().int('must be an integer').min(2, 'must be ≥ 2 (hard negatives need two pairs)').default(32),
  metaTrainDomains: z.union([z.number().int('must be an integer').min(1, 'must be ≥ 1'), z.literal('rest')]).default(2),
  metaTestDomains: z.number().int('must be an integer').min(1, 'must be ≥ 1').default(1),
  mode: z.enum(['random', 'cycle', 'all-splits']).default('random'),
});

/** Plugin `mfr-sampler`: MFR's domain-level episode sampler. */
export const mfrSamplerPlugin = definePlugin({
  kind: 'sampler',
  name: PLUGIN,
  version: PLUGIN_VERSION,
  description:
    'MFR domain-level sampling: disjoint meta-train/meta-test source domains per episode, B gallery/probe identity pairs per domain.',
  hparams: mfrSamplerHparams,
  hparamSources: {
    batchSize:
      'Not published per domain in the paper. 32 is the B of the independent glyph-identity experiment reported ' +
      'with the MFR specification.',
    metaTrainDomains:
      "2: the paper's ablation found 2 meta-train + 1 meta-test domains best. 'rest' uses every source domain (ERM, MLDG).",
    metaTestDomains: "1: the paper's ablation found 2 meta-train + 1 meta-test domains best.",
    mode:
      'random: a fresh domain split per episode. all-splits reproduces the setting of the official meta-optimization figure.',
  },
  hparamSpace: {
    batchSize: (rng) => rng.pick([16, 32, 64]),
  },
  async create(h, ctx) {
    return new MfrSampler(await ctx.get('task'), h, ctx.rng, ctx.log);
  },
});
