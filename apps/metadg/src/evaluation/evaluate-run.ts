import { DataError, Rng, type Backbone, type ComposedRun, type DomainDataset, type SampleRef, type TrainingTask } from '@metadg/core';
import { makeIdentificationSplit, makeVerificationPairs, refKey, restrictDomains, splitIdentities } from '@metadg/data';
import {
  classificationAccuracy,
  computeVerificationMetrics,
  flattenVerificationMetrics,
  rank1Accuracy,
  type RocPoints,
} from '@metadg/eval';
import type { Protocol } from '../config/app-config.js';
import { dot, embedRefs, row } from './embed.js';

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

/**
 * The identities a run must never train on, for the open-set protocol; the
 * same split (by `splitSeed`) for every run seed, so all runs test alike.
 */
export function trainingView(protocol: Protocol): ((dataset: DomainDataset) => DomainDataset) | undefined {
  const fraction = protocol.testIdentities;
  if (fraction === undefined) return undefined;
  return (dataset) => splitIdentities(dataset, { testFraction: fraction, seed: protocol.splitSeed }).train;
}

/**
 * Evaluates a trained run on each held-out domain: verification (cosine
 * similarity of normalised embeddings over balanced same/different pairs,
 * ROC, AUC, TPR@FPR, 10-fold accuracy) plus rank-1 identification on the
 * test identities (open-set), or nearest-class-centre accuracy for
 * closed-set datasets, where classes are shared across domains. A run
 * without held-out domains returns no evaluation.
 */
export async function evaluateRun(run: ComposedRun, protocol: Protocol): Promise<DomainEvaluation[]> {
  const [dataset, task, backbone] = await Promise.all([run.get('dataset'), run.get('task'), run.get('backbone')]);
  // Nothing unseen to test on: training-only runs report no metrics.
  if (task.heldOutDomains.length === 0) return [];
  const metric = protocol.metric === 'auto' ? (protocol.testIdentities === undefined ? 'classification' : 'verification') : protocol.metric;
  const testView =
    protocol.testIdentities === undefined
      ? dataset
      : splitIdentities(dataset, { testFraction: protocol.testIdentities, seed: protocol.splitSeed }).test;
  const out: DomainEvaluation[] = [];
  for (const domain of task.heldOutDomains) {
    const seed = `${run.config.seed}/${domain}`;
    out.push(
      metric === 'verification'
        ? await verification(backbone, restrictDomains(testView, [domain], `${dataset.name}:${domain}`), domain, protocol, seed)
        : await classification(backbone, task, dataset, domain, protocol, seed),
    );
  }
  return out;
}

async function verification(
  backbone: Backbone,
  dataset: DomainDataset,
  domain: string,
  protocol: Protocol,
  seed: string,
): Promise<DomainEvaluation> {
  const infos = dataset.identities(domain);
  const possiblePositives = infos.reduce((s, i) => s + (i.samples * (i.samples - 1)) / 2, 0);
  const positives = Math.min(protocol.pairs, possiblePositives);
  if (positives === 0 || infos.length < 2) {
    throw new DataError(`domain "${domain}"`, 'needs at least two identities, one with two samples, for verification');
  }
  const pairs = makeVerificationPairs(dataset, domain, { positives, negatives: positives, seed });
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

async function classification(
  backbone: Backbone,
  task: TrainingTask,
  dataset: DomainDataset,
  domain: string,
  protocol: Protocol,
  seed: string,
): Promise<DomainEvaluation> {
  // Class centres from the source domains' training samples, then
  // nearest-centre (cosine) classification of held-out samples: works for
  // every algorithm, whatever its loss head.
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

  const all: SampleRef[] = [];
  for (const info of dataset.identities(domain)) {
    if (task.labels.indexOf(info.id) < 0) continue;
    for (let index = 0; index < info.samples; index++) all.push({ domain, identity: info.id, index });
  }
  if (all.length === 0) throw new DataError(`domain "${domain}"`, 'has no samples of the training classes to classify');
  const tests = rng.fork('tests').sample(all, Math.min(all.length, protocol.samples));
  const emb = await embedRefs(backbone, dataset, tests, protocol.batchSize);
  const logits: number[][] = [];
  for (let i = 0; i < emb.rows; i++) {
    const e = row(emb, i);
    logits.push(classes.map((_, c) => dot(e, centres.subarray(c * emb.cols, (c + 1) * emb.cols))));
  }
  const result = classificationAccuracy({ logits, labels: tests.map((r) => task.labels.indexOf(r.identity)) });
  return { domain, metrics: { accuracy: result.accuracy }, counts: { samples: tests.length, classes: classes.length } };
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
