import * as tf from '@tensorflow/tfjs-core';
import type { NetworkBackbone } from '@metadg/backbone-cnn';
import { batchImages, episodeImages, Rng, type Backbone, type DomainBatch, type Episode, type LabelledBatch, type Loss, type PairBatch } from '@metadg/core';
import { buildParamSpace, createOuterOptimizer, phaseObjective, type ObjectiveModel, type OuterOptimizerHparams } from '@metadg/meta';
import { ErmOptimizer } from '@metadg/plugin-erm';
import { createDomainAlignmentLoss, createHardPairLoss, createSoftClassificationLoss, MfrMetaOptimizer } from '@metadg/plugin-mfr';
import { disposeParams, valueAndGradsOf } from '@metadg/tensor';
import { createBackbone, WORKLOAD_SEEDS } from './bench-backbone.js';

/** Identifiers of the timed cases, the same for every network, cheapest first (the order they run in). */
export const CASE_IDS = ['forward', 'first-order-step', 'erm-step', 'mfr-first-order', 'mfr-second-order'] as const;
export type CaseId = (typeof CASE_IDS)[number];

/** Identifiers of the benchmark networks. */
export const NETWORK_IDS = ['reference', 'app'] as const;
export type NetworkId = (typeof NETWORK_IDS)[number];

/** One timed operation of a workload. `run` performs it once, disposing everything it creates. */
export interface BenchCase {
  readonly id: CaseId;
  readonly title: string;
  /** Exactly what one run does (printed in the JSON). */
  readonly what: string;
  /** Images fed through the network per run (each forward pass counted once). */
  readonly images: number;
  run(): Promise<void>;
}

/** A fixed network + data + loss setup and its cases. */
export interface Workload {
  readonly network: NetworkId;
  readonly title: string;
  /** Network, data and loss, in words (printed in the JSON). */
  readonly setup: string;
  /** Forward FLOPs of one image through the backbone (architecture count). */
  readonly forwardFlopsPerImage: number;
  readonly cases: readonly BenchCase[];
  dispose(): void;
}

/** Plain SGD (no momentum, no weight decay), as in the PyTorch reference of TFJS-NOTES. */
const PLAIN_SGD: OuterOptimizerHparams = { optimizer: 'sgd', lr: 0.01, momentum: 0, nesterov: false, weightDecay: 0 };
/** The outer optimizer of the default app config (the `mfr`/`erm` plugin defaults). */
const APP_OPTIMIZER: OuterOptimizerHparams = { optimizer: 'momentum', lr: 0.01, momentum: 0.9, nesterov: false, weightDecay: 5e-4 };

function images(rng: Rng, n: number, shape: readonly number[]): tf.Tensor4D {
  const size = n * shape.reduce((a, b) => a * b, 1);
  return tf.tensor4d(Float32Array.from({ length: size }, () => rng.next()), [n, shape[0] as number, shape[1] as number, shape[2] as number]);
}

function labelledBatch(rng: Rng, domain: string, n: number, shape: readonly number[], classes: number): LabelledBatch {
  const ids = Array.from({ length: n }, () => rng.int(classes));
  return {
    kind: 'labelled',
    domain,
    x: images(rng.fork('x'), n, shape),
    labels: tf.tensor1d(ids, 'int32'),
    identities: ids.map(String),
  };
}

function pairBatch(rng: Rng, domain: string, pairs: number, shape: readonly number[], classes: number): PairBatch {
  // Distinct identities within a batch, as the mfr-sampler draws them.
  const ids = rng.sample(Array.from({ length: classes }, (_, i) => i), pairs);
  return {
    kind: 'pairs',
    domain,
    gallery: images(rng.fork('gallery'), pairs, shape),
    probe: images(rng.fork('probe'), pairs, shape),
    labels: tf.tensor1d(ids, 'int32'),
    identities: ids.map(String),
  };
}

function disposeBatch(b: DomainBatch): void {
  if (b.kind === 'pairs') tf.dispose([b.gallery, b.probe, b.labels]);
  else tf.dispose([b.x, b.labels]);
}

interface CaseParts {
  readonly model: ObjectiveModel;
  readonly episode: Episode;
  readonly forwardImages: tf.Tensor4D;
  /** Batches of the plain first-order step. */
  readonly firstOrderBatches: readonly DomainBatch[];
  readonly optimizer: OuterOptimizerHparams;
  readonly alpha: number;
  readonly gamma: number;
  readonly describe: Readonly<Record<CaseId, string>>;
}

/** The five cases over one model and one episode. */
function casesOf(p: CaseParts): { cases: BenchCase[]; dispose: () => void } {
  const { model, episode } = p;
  const theta = model.space.variables;
  const sgd = createOuterOptimizer(theta, p.optimizer);
  const meta = (order: 1 | 2) =>
    new MfrMetaOptimizer(model, { alpha: p.alpha, gamma: p.gamma, order, hessian: 'exact', fdStep: 1e-3 }, createOuterOptimizer(theta, p.optimizer));
  const mfr2 = meta(2);
  const mfr1 = meta(1);
  const erm = new ErmOptimizer(model, createOuterOptimizer(theta, p.optimizer));
  const { firstOrderBatches } = p;
  /** A case that runs one step of an algorithm on the whole episode. */
  const episodeStep = (id: CaseId, title: string, algorithm: { step(e: Episode): Promise<unknown> }): BenchCase => ({
    id,
    title,
    what: p.describe[id],
    images: episodeImages(episode),
    run: async () => {
      await algorithm.step(episode);
    },
  });

  const cases: BenchCase[] = [
    {
      id: 'forward',
      title: 'forward',
      what: p.describe.forward,
      images: p.forwardImages.shape[0],
      run: async () => {
        const e = tf.tidy(() => model.backbone.embed(p.forwardImages));
        await e.data();
        e.dispose();
      },
    },
    {
      id: 'first-order-step',
      title: 'first-order step',
      what: p.describe['first-order-step'],
      images: batchImages(firstOrderBatches),
      run: async () => {
        const { value, grads } = tf.tidy(() => {
          const r = valueAndGradsOf((params) => phaseObjective(model, firstOrderBatches, params, 'pooled'), theta);
          return { value: r.value, grads: r.grads };
        });
        sgd.apply(grads);
        await value.data();
        value.dispose();
        disposeParams(grads);
      },
    },
    episodeStep('erm-step', 'ERM step', erm),
    episodeStep('mfr-first-order', 'MFR meta-step, 1st order', mfr1),
    episodeStep('mfr-second-order', 'MFR meta-step, 2nd order', mfr2),
  ];
  return {
    cases,
    dispose: () => {
      sgd.dispose();
      mfr2.dispose();
      mfr1.dispose();
      erm.dispose();
    },
  };
}

/** The reference network, its loss and its two batches (seeded: every call builds the same θ and data). */
export interface ReferenceSetup {
  readonly backbone: NetworkBackbone;
  readonly loss: Loss;
  readonly metaTrain: LabelledBatch;
  readonly metaTest: LabelledBatch;
  readonly model: ObjectiveModel;
  dispose(): void;
}

/** Inner step α and meta weight γ of the reference meta-step. */
export const REFERENCE_META = { alpha: 0.1, gamma: 0.5 } as const;
/** The outer optimizer of the reference workload. */
export const REFERENCE_OPTIMIZER = PLAIN_SGD;

/**
 * How the objective sees the backbone: itself (default), or e.g. sharded
 * over threads. The parameters stay the backbone's own variables.
 */
export type BackboneView = (backbone: Backbone) => Backbone;

const itself: BackboneView = (b) => b;

/** Builds the reference setup of TFJS-NOTES (see `referenceWorkload`). */
export function referenceSetup(view: BackboneView = itself): ReferenceSetup {
  const rng = new Rng(WORKLOAD_SEEDS.reference);
  const backbone: NetworkBackbone = createBackbone({ network: 'reference' });
  const shape = [64, 64, 3];
  const metaTrain = labelledBatch(rng.fork('meta-train'), 'domain-a', 64, shape, 100);
  const metaTest = labelledBatch(rng.fork('meta-test'), 'domain-b', 64, shape, 100);
  const loss = createSoftClassificationLoss({ classes: 100, embeddingSize: 128, scale: 10, rng: rng.fork('W') });
  const losses: Loss[] = [loss];
  return {
    backbone,
    loss,
    metaTrain,
    metaTest,
    model: { backbone: view(backbone), losses, space: buildParamSpace(backbone, losses) },
    dispose: () => {
      loss.dispose();
      backbone.dispose();
      disposeBatch(metaTrain);
      disposeBatch(metaTest);
    },
  };
}

/**
 * The fixed reference workload of TFJS-NOTES (numbers compare across
 * commits; do not change it): `reference-cnn` (64×64×3 → 4 stride-2 3×3
 * convs 32/64/64/64, pad 1, softplus → dense 128), L2-normalised embeddings,
 * cosine logits × 10 over 100 classes (the `soft-classification` loss, s = 10,
 * C = 100, its W trained too), cross-entropy. Two labelled batches of 64
 * seeded images: meta-train (domain-a) and meta-test (domain-b). Inner step
 * α = 0.1, γ = 0.5; the outer optimizer is plain SGD (lr 0.01).
 */
export function referenceWorkload(view: BackboneView = itself): Workload {
  const ref = referenceSetup(view);
  const { backbone, metaTrain, metaTest, model } = ref;
  const episode: Episode = { step: 0, batches: [metaTrain, metaTest], splits: [{ metaTrain: [metaTrain], metaTest: [metaTest] }] };
  const { cases, dispose } = casesOf({
    model,
    episode,
    forwardImages: metaTrain.x,
    firstOrderBatches: [metaTrain],
    optimizer: REFERENCE_OPTIMIZER,
    alpha: REFERENCE_META.alpha,
    gamma: REFERENCE_META.gamma,
    describe: {
      forward: 'embed 64 images (64×64×3) → [64, 128], read the result',
      'first-order-step':
        'L = CE(10·cos(F, W)) on the 64 meta-train images; ∇ of L w.r.t. the backbone and W (valueAndGradsOf); one plain SGD update; read L',
      'mfr-second-order':
        'MfrMetaOptimizer.step, order 2, exact Hessian: L_S on 64 meta-train images, θ′ = θ − 0.1∇L_S, L_T(θ′) on 64 meta-test images, g = 0.5∇L_S + 0.5∇θL_T(θ′) through the inner step, NaN guards, SGD update',
      'mfr-first-order': 'MfrMetaOptimizer.step, order 1 (∇θ′L_T(θ′) instead of ∇θL_T), same data and update',
      'erm-step': 'ErmOptimizer.step on both batches pooled (128 images): one gradient of the pooled loss, NaN guards, SGD update',
    },
  });
  return {
    network: 'reference',
    title: 'reference-cnn, batch 64 of 64×64×3 → 128, cosine CE over 100 classes',
    setup:
      'reference-cnn (4 × conv3×3 stride 2 pad 1 + softplus, 32/64/64/64 → dense 128), L2-normalised, cosine logits × 10 over 100 classes ' +
      '(soft-classification, s = 10, C = 100), cross-entropy; labelled batches of 64 seeded uniform images: meta-train (domain-a), meta-test (domain-b); ' +
      'α = 0.1, γ = 0.5, outer SGD lr 0.01',
    forwardFlopsPerImage: backbone.network.flops,
    cases,
    dispose: () => {
      dispose();
      ref.dispose();
    },
  };
}

/**
 * The default app's network and step (apps/metadg/configs/demo-glyphs.json):
 * `small-cnn` [16, 32, 32], GroupNorm groups 4, ReLU, embedding 64, on 32×32×1
 * glyphs; MFR's three losses with the plugin defaults (hard-pair τ = 0.3,
 * soft-classification s = 16 over 450 classes — the glyph identities less
 * the 20 % test identities —, domain-alignment s = 16); an episode of 3
 * domains × 16 gallery/probe pairs (2 meta-train + 1 meta-test); mfr
 * defaults α = 0.05, γ = 0.5; outer SGD with momentum 0.9, lr 0.01, weight
 * decay 5e-4. Seeded random images stand in for the glyphs (speed does not
 * depend on pixel values).
 */
export function appWorkload(view: BackboneView = itself): Workload {
  const rng = new Rng(WORKLOAD_SEEDS.app);
  const shape = [32, 32, 1];
  const classes = 450;
  const backbone = createBackbone({ network: 'app' });
  const batches = ['serif', 'sans', 'mono'].map((d) => pairBatch(rng.fork(d), d, 16, shape, classes));
  const [b0, b1, b2] = batches as [PairBatch, PairBatch, PairBatch];
  const losses: Loss[] = [
    createHardPairLoss({ tau: 0.3 }),
    createSoftClassificationLoss({ classes, embeddingSize: 64, scale: 16, rng: rng.fork('W') }),
    createDomainAlignmentLoss({ scale: 16 }),
  ];
  const model: ObjectiveModel = { backbone: view(backbone), losses, space: buildParamSpace(backbone, losses) };
  const episode: Episode = { step: 0, batches, splits: [{ metaTrain: [b0, b1], metaTest: [b2] }] };
  const all = tf.concat(batches.flatMap((b) => [b.gallery, b.probe])) as tf.Tensor4D;
  const { cases, dispose } = casesOf({
    model,
    episode,
    forwardImages: all,
    firstOrderBatches: batches,
    optimizer: APP_OPTIMIZER,
    alpha: 0.05,
    gamma: 0.5,
    describe: {
      forward: 'embed the episode’s 96 images (32×32×1) → [96, 64], read the result',
      'first-order-step':
        'pooled MFR loss (hard-pair + soft-classification + domain-alignment) on the 3 domains (96 images); ∇ w.r.t. backbone and W; one momentum-SGD update; read L',
      'mfr-second-order':
        'MfrMetaOptimizer.step with the app defaults (order 2, α = 0.05, γ = 0.5): meta-train 2 domains × 16 pairs, meta-test 1 domain × 16 pairs',
      'mfr-first-order': 'MfrMetaOptimizer.step, order 1, same episode',
      'erm-step': 'ErmOptimizer.step on the 3 domains pooled (96 images), momentum SGD with weight decay',
    },
  });
  return {
    network: 'app',
    title: 'default app network: small-cnn [16,32,32] → 64 on 32×32×1, 3 domains × 16 pairs',
    setup:
      'small-cnn channels [16, 32, 32], groups 4, relu, embedding 64, input 32×32×1; losses hard-pair (τ 0.3), soft-classification (s 16, C 450), ' +
      'domain-alignment (s 16); episode 3 domains × 16 gallery/probe pairs, split 2 meta-train + 1 meta-test; α = 0.05, γ = 0.5; ' +
      'outer SGD momentum 0.9, lr 0.01, weight decay 5e-4',
    forwardFlopsPerImage: backbone.network.flops,
    cases,
    dispose: () => {
      dispose();
      for (const l of losses) l.dispose();
      backbone.dispose();
      all.dispose();
      batches.forEach(disposeBatch);
    },
  };
}

/** Builds the workload of `network`. */
export function buildWorkload(network: NetworkId, view: BackboneView = itself): Workload {
  return network === 'reference' ? referenceWorkload(view) : appWorkload(view);
}
