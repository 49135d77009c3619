import { DataError, Rng, type Backbone, type ComposedRun, type DomainDataset, type SampleRef, type TrainingTask } from '@metadg/core';
import { makeIdentificationSplit, makeVerificationPairs, refKey, restrictDomains, splitIdentities, type IdentitySplit } from '@metadg/data';
import {
  classificationAccuracy,
  computeVerificationMetrics,
  flattenVerificationMetrics,
  rank1Accuracy,
  roc,
  rocAuc,
  type RocPoints,
} from '@metadg/eval';
import type { Protocol } from '../config/app-config.js';
import { dot, embedRefs, row } from './embed.js';
import { holdOutSamples } from './sample-holdout.js';

/** What one held-out domain scored. */
export interface DomainEvaluation {
  readonly domain: string;
  /** Flat metric values (`auc`, `tpr@1e-3`, `accuracy10fold`, `rank1`, `accuracy` …). */
  readonly metrics: Record<string, number>;
  /** ROC of the verification pairs, when verification ran. */
  readonly roc?: RocPoints;
  /** Pairs or samples scored. */
  readonly counts: Record<string, number>;
}

/** Whether a protocol scores verification (open-set) or classification (closed-set). */
export function protocolMetric(protocol: Protocol): 'verification' | 'classification' {
  return protocol.metric === 'auto' ? (protocol.testIdentities === undefined ? 'classification' : 'verification') : protocol.metric;
}

/** The key of the metric that selection and convergence curves use: `auc` or `accuracy`. */
export function mainMetricKey(protocol: Protocol): 'auc' | 'accuracy' {
  return protocolMetric(protocol) === 'verification' ? 'auc' : 'accuracy';
}

/** Whether the protocol holds back a validation split (training-domain selection). */
export function selectsOnValidation(protocol: Protocol): boolean {
  return protocol.selection.method === 'training-domain';
}

/**
 * The part of the dataset a run may train on: without the test identities
 * (open-set), and without the validation split when selecting — the same
 * split (by `splitSeed`) for every run seed, so all runs train and test alike.
 */
export function trainingView(protocol: Protocol): ((dataset: DomainDataset) => DomainDataset) | undefined {
  const selecting = selectsOnValidation(protocol);
  if (protocol.testIdentities !== undefined) return (dataset) => identitySplit(dataset, protocol).train;
  if (!selecting) return undefined;
  return (dataset) => holdOutSamples(dataset, protocol.selection.valFraction, protocol.splitSeed).train;
}

/**
 * The identity split of the open-set protocol (`protocol.testIdentities`
 * set): train / validation (when selecting) / test views, disjoint in
 * identities in every domain, the same for every run seed.
 */
export function identitySplit(dataset: DomainDataset, protocol: Protocol): IdentitySplit {
  if (protocol.testIdentities === undefined) throw new DataError(dataset.name, 'identitySplit needs protocol.testIdentities (open-set protocol)');
  return splitIdentities(dataset, {
    testFraction: protocol.testIdentities,
    valFraction: selectsOnValidation(protocol) ? protocol.selection.valFraction : 0,
    seed: protocol.splitSeed,
  });
}

/**
 * Evaluates a trained run on each held-out domain: verification (cosine
 * similarity of normalised embeddings over balanced same/different pairs,
 * ROC, AUC, TPR@FPR, 10-fold accuracy) plus rank-1 identification on the
 * test identities (open-set), or nearest-class-centre accuracy for
 * closed-set datasets, where classes are shared across domains. A run
 * without held-out domains returns no evaluation. `only` restricts the
 * evaluation to some of the held-out domains.
 */
export async function evaluateRun(run: ComposedRun, protocol: Protocol, only?: readonly string[]): Promise<DomainEvaluation[]> {
  const [dataset, task, backbone] = await Promise.all([run.get('dataset'), run.get('task'), run.get('backbone')]);
  // Nothing unseen to test on: training-only runs report no metrics.
  if (task.heldOutDomains.length === 0) return [];
  const testView = protocol.testIdentities === undefined ? dataset : identitySplit(dataset, protocol).test;
  const out: DomainEvaluation[] = [];
  for (const domain of task.heldOutDomains.filter((d) => only === undefined || only.includes(d))) {
    const seed = `${run.config.seed}/${domain}`;
    if (protocolMetric(protocol) === 'verification') {
      out.push(await verification(backbone, restrictDomains(testView, [domain], `${dataset.name}:${domain}`), domain, protocol, seed));
    } else {
      const tests = drawSamples(dataset, domain, task, protocol.samples, new Rng(seed).fork('tests'));
      const accuracy = await nearestCentreAccuracy(backbone, task, dataset, tests, protocol, seed);
      out.push({ domain, metrics: { accuracy }, counts: { samples: tests.length, classes: task.labels.size } });
    }
  }
  return out;
}

/**
 * Training-domain validation (DomainBed): the main metric on the validation
 * split of every source domain, averaged over them — AUC of `selection.pairs`
 * same/different pairs of validation identities per domain (open-set), or
 * nearest-centre accuracy on held-back samples (closed-set). The held-out
 * domain is never looked at.
 */
export async function validationScore(run: ComposedRun, protocol: Protocol): Promise<number> {
  const [dataset, task, backbone] = await Promise.all([run.get('dataset'), run.get('task'), run.get('backbone')]);
  const scores: number[] = [];
  if (protocolMetric(protocol) === 'verification') {
    const val = identitySplit(dataset, protocol).val;
    if (val === undefined) throw new DataError(dataset.name, 'no validation identities (protocol.selection.valFraction)');
    for (const domain of task.sourceDomains) {
      if (!val.domains.includes(domain)) continue;
      scores.push(await pairAuc(backbone, val, domain, protocol.selection.pairs, `${run.config.seed}/val/${domain}`, protocol.batchSize));
    }
  } else {
    const holdout = holdOutSamples(dataset, protocol.selection.valFraction, protocol.splitSeed);
    const rng = new Rng(`${run.config.seed}/val`);
    for (const domain of task.sourceDomains) {
      const refs = holdout.validation(domain);
      if (refs.length === 0) continue;
      const tests = rng.fork(domain).sample(refs, Math.min(refs.length, protocol.selection.samples));
      scores.push(await nearestCentreAccuracy(backbone, task, dataset, tests, protocol, `${run.config.seed}/val`));
    }
  }
  if (scores.length === 0) {
    throw new DataError(dataset.name, `no source domain has validation data (${task.sourceDomains.join(', ')}); raise protocol.selection.valFraction`);
  }
  return scores.reduce((s, v) => s + v, 0) / scores.length;
}

/**
 * The held-out-domain diagnostic at a checkpoint: the main metric on a
 * small pair set (`convergence.pairs`) or sample set of the held-out
 * domain(s), averaged. It looks at the test domain, so it draws convergence
 * curves and the oracle upper bound, and never selects the reported model.
 */
export async function heldOutScore(run: ComposedRun, protocol: Protocol): Promise<number> {
  const [dataset, task, backbone] = await Promise.all([run.get('dataset'), run.get('task'), run.get('backbone')]);
  if (task.heldOutDomains.length === 0) throw new DataError(dataset.name, 'the run holds out no domain to trace');
  const scores: number[] = [];
  for (const domain of task.heldOutDomains) {
    const seed = `${run.config.seed}/trace/${domain}`;
    if (protocolMetric(protocol) === 'verification') {
      const test = identitySplit(dataset, protocol).test;
      scores.push(await pairAuc(backbone, test, domain, protocol.convergence.pairs, seed, protocol.batchSize));
    } else {
      const tests = drawSamples(dataset, domain, task, protocol.convergence.samples, new Rng(seed));
      scores.push(await nearestCentreAccuracy(backbone, task, dataset, tests, protocol, seed));
    }
  }
  return scores.reduce((s, v) => s + v, 0) / scores.length;
}

/** AUC of up to `positives` same-identity (and as many different-identity) pairs of `domain`. */
async function pairAuc(backbone: Backbone, dataset: DomainDataset, domain: string, positives: number, seed: string, batchSize: number): Promise<number> {
  const pairs = makeVerificationPairs(dataset, domain, { ...pairCounts(dataset, domain, positives), seed });
  const { refs, index } = uniqueRefs(pairs.flatMap((p) => [p.gallery, p.probe]));
  const emb = await embedRefs(backbone, dataset, refs, batchSize);
  const scores = pairs.map((p) => dot(row(emb, index(p.gallery)), row(emb, index(p.probe))));
  return rocAuc(roc({ scores, labels: pairs.map((p) => p.label) }));
}

/** Balanced pair counts capped by what `domain` holds; a domain that cannot form both kinds is a `DataError`. */
function pairCounts(dataset: DomainDataset, domain: string, wanted: number): { positives: number; negatives: number } {
  const infos = dataset.identities(domain);
  const possible = infos.reduce((s, i) => s + (i.samples * (i.samples - 1)) / 2, 0);
  const positives = Math.min(wanted, possible);
  if (positives === 0 || infos.length < 2) {
    throw new DataError(`domain "${domain}" of ${dataset.name}`, 'needs at least two identities, one with two samples, for verification');
  }
  return { positives, negatives: positives };
}

async function verification(
  backbone: Backbone,
  dataset: DomainDataset,
  domain: string,
  protocol: Protocol,
  seed: string,
): Promise<DomainEvaluation> {
  const infos = dataset.identities(domain);
  const pairs = makeVerificationPairs(dataset, domain, { ...pairCounts(dataset, domain, protocol.pairs), seed });
  const { refs, index } = uniqueRefs(pairs.flatMap((p) => [p.gallery, p.probe]));
  const emb = await embedRefs(backbone, dataset, refs, protocol.batchSize);
  const scores = pairs.map((p) => dot(row(emb, index(p.gallery)), row(emb, index(p.probe))));
  const v = computeVerificationMetrics({ scores, labels: pairs.map((p) => p.label) });

  const ident = makeIdentificationSplit(dataset, domain, { seed });
  const idOf = new Map(infos.map((info, i) => [info.id, i] as const));
  const probes = new Rng(seed).fork('probes').sample(ident.probes, Math.min(ident.probes.length, protocol.samples));
  const gallery = await embedRefs(backbone, dataset, ident.gallery, protocol.batchSize);
  const probe = await embedRefs(backbone, dataset, probes, protocol.batchSize);
  const rank1 = rank1Accuracy({
    gallery,
    galleryIds: ident.gallery.map((r) => idOf.get(r.identity) as number),
    probe,
    probeIds: probes.map((r) => idOf.get(r.identity) as number),
  });
  return {
    domain,
    metrics: { ...flattenVerificationMetrics(v), rank1: rank1.accuracy },
    roc: { fpr: v.roc.fpr, tpr: v.roc.tpr },
    counts: { pairs: pairs.length, identities: infos.length, probes: probes.length },
  };
}

/** Up to `count` samples of `domain` whose identity is a training class, drawn with `rng`. */
function drawSamples(dataset: DomainDataset, domain: string, task: TrainingTask, count: number, rng: Rng): SampleRef[] {
  const all: SampleRef[] = [];
  for (const info of dataset.identities(domain)) {
    if (task.labels.indexOf(info.id) < 0) continue;
    for (let index = 0; index < info.samples; index++) all.push({ domain, identity: info.id, index });
  }
  if (all.length === 0) throw new DataError(`domain "${domain}"`, 'has no samples of the training classes to classify');
  return rng.sample(all, Math.min(all.length, count));
}

/**
 * Nearest-class-centre (cosine) accuracy of `tests` (refs into `dataset`):
 * centres from the source domains' training samples, so it works for every
 * algorithm, whatever its loss head.
 */
async function nearestCentreAccuracy(
  backbone: Backbone,
  task: TrainingTask,
  dataset: DomainDataset,
  tests: readonly SampleRef[],
  protocol: Protocol,
  seed: string,
): Promise<number> {
  const classes = task.labels.identities;
  const rng = new Rng(seed);
  const perClass = Math.max(1, Math.floor(protocol.samples / Math.max(classes.length, 1)));
  const centreRefs: SampleRef[] = [];
  const centreLabels: number[] = [];
  for (const source of task.sourceDomains) {
    for (const info of task.dataset.identities(source)) {
      const picks = rng.fork(`${source}/${info.id}`).sample(
        Array.from({ length: info.samples }, (_, i) => i),
        Math.min(info.samples, Math.ceil(perClass / task.sourceDomains.length)),
      );
      for (const index of picks) {
        centreRefs.push({ domain: source, identity: info.id, index });
        centreLabels.push(task.labels.indexOf(info.id));
      }
    }
  }
  const centreEmb = await embedRefs(backbone, task.dataset, centreRefs, protocol.batchSize);
  const centres = new Float32Array(classes.length * centreEmb.cols);
  centreLabels.forEach((label, i) => {
    const r = row(centreEmb, i);
    for (let k = 0; k < r.length; k++) centres[label * centreEmb.cols + k]! += r[k] as number;
  });
  const emb = await embedRefs(backbone, dataset, tests, protocol.batchSize);
  const logits: number[][] = [];
  for (let i = 0; i < emb.rows; i++) {
    const e = row(emb, i);
    logits.push(classes.map((_, c) => dot(e, centres.subarray(c * emb.cols, (c + 1) * emb.cols))));
  }
  return classificationAccuracy({ logits, labels: tests.map((r) => task.labels.indexOf(r.identity)) }).accuracy;
}

/** Distinct refs in first-seen order, and the row of each ref. */
function uniqueRefs(all: readonly SampleRef[]): { refs: SampleRef[]; index: (r: SampleRef) => number } {
  const rows = new Map<string, number>();
  const refs: SampleRef[] = [];
  for (const r of all) {
    const key = refKey(r);
    if (!rows.has(key)) {
      rows.set(key, refs.length);
      refs.push(r);
    }
  }
  return { refs, index: (r) => rows.get(refKey(r)) as number };
}
