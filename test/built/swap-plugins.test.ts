// Swapping plugins is a one-line config change: every sensible loss ×
// backbone pair is composed from ONE base config with ONE field changed,
// through `composeRun` and the *built* packages (dist/, as users get them),
// and trained for one step on the wasm backend. Then MFR with ArcFace in
// place of soft classification trains a few steps and is evaluated on a
// held-out glyph domain — no code change, only config.
//
// Build first: `npx nx run-many -t build`.
import * as tf from '@tensorflow/tfjs-core';
import { metadgPlugins as backboneCnn } from '@metadg/backbone-cnn';
import { metadgPlugins as backboneFace } from '@metadg/backbone-face';
import { metadgPlugins as backboneResnet } from '@metadg/backbone-resnet';
import { PluginRegistry, composeRun, parseRunConfig, silentLogger, type RunConfigInput, type SampleRef } from '@metadg/core';
import { metadgPlugins as data } from '@metadg/data';
import { metadgPlugins as glyphs } from '@metadg/dataset-glyphs';
import { computeVerificationMetrics } from '@metadg/eval';
import { metadgPlugins as lossMargin } from '@metadg/loss-margin';
import { metadgPlugins as erm } from '@metadg/plugin-erm';
import { metadgPlugins as mfr } from '@metadg/plugin-mfr';
import { initBackend, l2Normalize } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';

/** A registry holding the bundled plugin packages plus the margin losses and the face backbone. */
function registry(): PluginRegistry {
  const r = new PluginRegistry();
  for (const pkg of [data, glyphs, backboneCnn, backboneResnet, backboneFace, mfr, erm, lossMargin]) r.register(pkg);
  return r;
}

// Tiny everything: one step each must stay well under a second on glyphs.
const glyphsBase = {
  seed: 3,
  dataset: { name: 'glyphs', hparams: { maxIdentities: 6, samplesPerIdentity: 4 } },
  split: { heldOut: ['display'] },
  backbone: { name: 'small-cnn', hparams: { channels: [8, 16], groups: 4, embeddingSize: 16 } },
  losses: [{ name: 'hard-pair' }, { name: 'soft-classification' }],
  sampler: { name: 'mfr-sampler', hparams: { batchSize: 2 } },
  algorithm: { name: 'mfr' },
  train: { steps: 1 },
} satisfies RunConfigInput;

// The face backbone needs 150×150 RGB faces: the real face fixture.
const facesBase = {
  ...glyphsBase,
  dataset: { name: 'faces-fixture', hparams: { imageSize: 150 } },
  split: { heldOut: [] },
  backbone: { name: 'face-resnet34' },
} satisfies RunConfigInput;

const LOSSES = ['soft-classification', 'arcface', 'cosface'] as const;
const BACKBONES = {
  'small-cnn (glyphs 32×32)': glyphsBase,
  'resnet (glyphs 32×32)': {
    ...glyphsBase,
    backbone: { name: 'resnet', hparams: { blocksPerStage: [1, 1], baseChannels: 8, groups: 4, embeddingSize: 16 } },
  },
  'face-resnet34 (faces fixture 150×150)': facesBase,
} as const;

/** The only difference between two runs of the matrix: the classification loss. */
const withLoss = (base: RunConfigInput, loss: string): RunConfigInput => ({ ...base, losses: [{ name: 'hard-pair' }, { name: loss }] });

async function trainOnce(input: RunConfigInput): Promise<{ loss: number; parts: Record<string, number>; changed: boolean }> {
  const run = await composeRun(parseRunConfig(input), { registry: registry(), log: silentLogger });
  const backbone = await run.get('backbone');
  const before = Object.fromEntries(Object.entries(backbone.params).map(([k, v]) => [k, Array.from(v.dataSync())]));
  const [metrics] = await (await run.trainer()).train();
  const changed = Object.entries(backbone.params).some(([k, v]) => Array.from(v.dataSync()).some((x, i) => x !== before[k]?.[i]));
  backbone.dispose();
  for (const loss of await run.losses()) loss.dispose();
  if (!metrics) throw new Error('no step was recorded');
  return { loss: metrics.loss, parts: { ...metrics.parts }, changed };
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

describe('swapping losses and backbones by config (built packages, wasm)', () => {
  for (const [backboneLabel, base] of Object.entries(BACKBONES)) {
    for (const loss of LOSSES) {
      it(`mfr: hard-pair + ${loss} × ${backboneLabel} trains one step`, async () => {
        const r = await trainOnce(withLoss(base, loss));
        expect(Number.isFinite(r.loss)).toBe(true);
        // The swapped-in loss really ran: its part is reported under its own name.
        const part = loss === 'soft-classification' ? 'softCls' : loss;
        expect(Number.isFinite(r.parts[`metaTrain/${part}`])).toBe(true);
        expect(Number.isFinite(r.parts[`metaTest/${part}`])).toBe(true);
        expect(r.changed).toBe(true);
      });
    }
  }

  it('erm: hard-pair + arcface × face-resnet34 trains one step (algorithm swapped the same way)', async () => {
    const r = await trainOnce({
      ...withLoss(facesBase, 'arcface'),
      algorithm: { name: 'erm' },
      sampler: { name: 'mfr-sampler', hparams: { batchSize: 2, metaTrainDomains: 'rest' } },
    });
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(r.changed).toBe(true);
  });
});

describe('MFR with ArcFace in place of soft classification, no code change', () => {
  it('trains a few steps and is evaluated on the held-out glyph domain (verification AUC > 0.5, finite)', async () => {
    const config = parseRunConfig({
      ...withLoss(glyphsBase, 'arcface'),
      dataset: { name: 'glyphs', hparams: { maxIdentities: 12, samplesPerIdentity: 6 } },
      sampler: { name: 'mfr-sampler', hparams: { batchSize: 6 } },
      train: { steps: 8 },
    });
    const run = await composeRun(config, { registry: registry(), log: silentLogger });
    const history = await (await run.trainer()).train();
    expect(history).toHaveLength(8);
    expect(history.every((m) => Number.isFinite(m.loss))).toBe(true);

    const dataset = await run.get('dataset');
    const backbone = await run.get('backbone');
    const [domain] = config.split.heldOut as [string];
    const refs: SampleRef[] = dataset.identities(domain).flatMap((id) => Array.from({ length: id.samples }, (_, index) => ({ domain, identity: id.id, index })));
    const x = await dataset.load(refs);
    const e = tf.tidy(() => l2Normalize(backbone.embed(x)));
    const rows = (await e.array()) as number[][];
    tf.dispose([x, e]);
    const scores: number[] = [];
    const labels: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      for (let j = i + 1; j < rows.length; j++) {
        scores.push((rows[i] as number[]).reduce((s, v, k) => s + v * ((rows[j] as number[])[k] as number), 0));
        labels.push(refs[i]?.identity === refs[j]?.identity ? 1 : 0);
      }
    }
    const { auc } = computeVerificationMetrics({ scores, labels });
    console.log(`mfr + arcface, small-cnn, 8 steps: verification AUC on held-out glyph domain "${domain}" = ${auc.toFixed(3)}`);
    expect(Number.isFinite(auc)).toBe(true);
    expect(auc).toBeGreaterThan(0.5);
    backbone.dispose();
    for (const loss of await run.losses()) loss.dispose();
  });
});
