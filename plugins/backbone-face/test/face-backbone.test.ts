// The pretrained face backbone on the real face fixture (wasm: the cpu
// backend needs ≈ 1 s per 150×150 image for this network). Descriptors of
// the 55 photos of each domain are computed once and shared by the tests.
import * as tf from '@tensorflow/tfjs-core';
import { PluginError, ShapeError, type DomainDataset, type SampleRef } from '@metadg/core';
import { openFacesFixture } from '@metadg/data';
import { computeVerificationMetrics } from '@metadg/eval';
import { checkGradient, checkHvp, crossEntropyWithLogits, initBackend, l2Normalize, valueAndGradsOf, type Params } from '@metadg/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEAD_BIAS, HEAD_KERNEL, createFaceBackbone, loadFaceWeights, type FaceBackbone } from '../src/index.js';
import { faceApiForward } from './face-api-reference.js';

const DOMAINS = ['clean', 'nir', 'low-res', 'occluded'] as const;

let faces: DomainDataset;
let backbone: FaceBackbone;
const refs = new Map<string, SampleRef[]>();
const descriptors = new Map<string, number[][]>();

function allRefs(ds: DomainDataset, domain: string): SampleRef[] {
  return ds.identities(domain).flatMap((id) => Array.from({ length: id.samples }, (_, index) => ({ domain, identity: id.id, index })));
}

/** Cosine of every unordered pair of rows, labelled 1 for the same identity. */
function allPairs(rows: number[][], ids: readonly string[]): { scores: number[]; labels: number[] } {
  const unit = rows.map((r) => {
    const n = Math.hypot(...r);
    return r.map((v) => v / n);
  });
  const scores: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < unit.length; i++) {
    for (let j = i + 1; j < unit.length; j++) {
      scores.push((unit[i] as number[]).reduce((s, v, k) => s + v * ((unit[j] as number[])[k] as number), 0));
      labels.push(ids[i] === ids[j] ? 1 : 0);
    }
  }
  return { scores, labels };
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
  faces = await openFacesFixture({ imageSize: 150, domains: [...DOMAINS] });
  backbone = createFaceBackbone({ headInit: 'identity' });
  for (const domain of DOMAINS) {
    const r = allRefs(faces, domain);
    refs.set(domain, r);
    const x = await faces.load(r);
    const d = backbone.descriptor(x);
    descriptors.set(domain, (await d.array()) as number[][]);
    tf.dispose([x, d]);
  }
});

afterAll(() => backbone?.dispose());

describe('face-resnet34 on the real face fixture', () => {
  it('separates the 5 people of the clean photos: verification AUC ≥ 0.99 over all 1485 pairs', () => {
    const r = refs.get('clean') as SampleRef[];
    expect(r).toHaveLength(55);
    const pairs = allPairs(descriptors.get('clean') as number[][], r.map((x) => x.identity));
    const m = computeVerificationMetrics(pairs);
    expect(m.pairs).toEqual({ positives: 5 * 55, negatives: 1485 - 5 * 55 });
    expect(m.auc).toBeGreaterThanOrEqual(0.99);
  });

  it("keeps dlib's distance scale: same person ≲ 0.6 apart on average, different people ≳ 0.6", () => {
    const rows = descriptors.get('clean') as number[][];
    const ids = (refs.get('clean') as SampleRef[]).map((x) => x.identity);
    const dist: [number[], number[]] = [[], []];
    for (let i = 0; i < rows.length; i++) {
      for (let j = i + 1; j < rows.length; j++) {
        const d = Math.sqrt((rows[i] as number[]).reduce((s, v, k) => s + (v - ((rows[j] as number[])[k] as number)) ** 2, 0));
        dist[ids[i] === ids[j] ? 1 : 0].push(d);
      }
    }
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(dist[1])).toBeLessThan(0.6);
    expect(mean(dist[0])).toBeGreaterThan(0.6);
  });

  it('reports the AUC of every fixture domain (the domain shift a user sees); each stays far above chance', () => {
    const table = DOMAINS.map((domain) => {
      const r = refs.get(domain) as SampleRef[];
      const pairs = allPairs(descriptors.get(domain) as number[][], r.map((x) => x.identity));
      const m = computeVerificationMetrics(pairs);
      const mean = (label: number) => {
        const s = pairs.scores.filter((_, i) => pairs.labels[i] === label);
        return s.reduce((a, b) => a + b, 0) / s.length;
      };
      return { domain, auc: m.auc, tprAt1e2: m.tpr['1e-2'], genuine: mean(1), impostor: mean(0) };
    });
    const line = (t: (typeof table)[number]) =>
      `  ${t.domain.padEnd(9)} AUC ${t.auc.toFixed(4)}  TPR@FPR=1e-2 ${t.tprAt1e2.toFixed(3)}  ` +
      `mean cosine genuine ${t.genuine.toFixed(3)} / impostor ${t.impostor.toFixed(3)}`;
    console.log(`face-resnet34 verification on the face fixture (all pairs):\n${table.map(line).join('\n')}`);
    for (const t of table) expect(t.auc).toBeGreaterThan(0.9);
  });

  it("matches face-api's own layer sequence (unfolded scale layers, 0–255 input) to float32 precision", async () => {
    const r = (refs.get('clean') as SampleRef[]).filter((_, i) => i % 27 === 0);
    const x = await faces.load(r);
    const [ours, theirs] = tf.tidy(() => [backbone.descriptor(x), faceApiForward(tf.mul(x, 255) as tf.Tensor4D, loadFaceWeights())]);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(ours as tf.Tensor, theirs as tf.Tensor))).dataSync()[0] as number);
    const scale = tf.tidy(() => tf.max(tf.abs(theirs as tf.Tensor)).dataSync()[0] as number);
    expect(scale).toBeGreaterThan(0.05);
    expect(diff / scale).toBeLessThan(1e-4);
    tf.dispose([x, ours as tf.Tensor, theirs as tf.Tensor]);
  });
});

describe('face-resnet34 as a Backbone', () => {
  const load = async (domain: string, n: number): Promise<tf.Tensor4D> => faces.load((refs.get(domain) as SampleRef[]).slice(0, n));

  it('lists only the head as trainable params; with headInit identity embed = descriptor', async () => {
    expect(Object.keys(backbone.params).sort()).toEqual([HEAD_BIAS, HEAD_KERNEL]);
    expect(backbone.params[HEAD_KERNEL]?.shape).toEqual([128, 128]);
    expect(backbone.inputShape).toEqual([150, 150, 3]);
    expect(backbone.embeddingSize).toBe(128);
    const x = await load('clean', 2);
    const e = backbone.embed(x);
    expect(Array.from(e.dataSync())).toEqual((descriptors.get('clean') as number[][]).slice(0, 2).flat().map(Math.fround));
    tf.dispose([x, e]);
  });

  it('the default orthogonal head preserves every pairwise cosine (d = 128) and draws from the rng', async () => {
    const a = createFaceBackbone();
    const b = createFaceBackbone({ embeddingSize: 200 });
    const x = await load('clean', 4);
    const cos = (e: tf.Tensor2D) => tf.tidy(() => Array.from(tf.matMul(l2Normalize(e), l2Normalize(e), false, true).dataSync()));
    const [ref, rotated, wide] = tf.tidy(() => [cos(backbone.embed(x)), cos(a.embed(x)), cos(b.embed(x))]);
    for (let i = 0; i < (ref as number[]).length; i++) {
      expect((rotated as number[])[i]).toBeCloseTo((ref as number[])[i] as number, 5);
      expect((wide as number[])[i]).toBeCloseTo((ref as number[])[i] as number, 5);
    }
    expect(Array.from(a.params[HEAD_KERNEL]?.dataSync() ?? []).slice(0, 8)).not.toEqual(Array.from(backbone.params[HEAD_KERNEL]?.dataSync() ?? []).slice(0, 8));
    x.dispose();
    a.dispose();
    b.dispose();
  });

  it('reads the head from params (functional form) and checks their shapes', async () => {
    const x = await load('clean', 2);
    tf.tidy(() => {
      const kernel = tf.mul(tf.randomNormal([128, 128], 0, 1, 'float32', 3), 0.1);
      const bias = tf.fill([128], 0.5);
      const e = backbone.embed(x, { [HEAD_KERNEL]: kernel, [HEAD_BIAS]: bias });
      const expected = tf.add(tf.matMul(backbone.descriptor(x), kernel), bias);
      expect(e.shape).toEqual([2, 128]);
      expect(tf.max(tf.abs(tf.sub(e, expected))).dataSync()[0]).toBeLessThan(1e-5);
      expect(tf.max(tf.abs(tf.sub(e, backbone.embed(x)))).dataSync()[0]).toBeGreaterThan(0.1);
      expect(() => backbone.embed(x, { [HEAD_KERNEL]: tf.zeros([64, 128]) })).toThrow(
        new ShapeError('backbone "face-resnet34" params["head/kernel"]', '[128, 128]', [64, 128]),
      );
    });
    x.dispose();
  });

  it('rejects images that are not float32 [N, 150, 150, 3] with a ShapeError', () => {
    for (const [x, got] of [
      [tf.zeros([1, 112, 112, 3]), 'float32 [1, 112, 112, 3]'],
      [tf.zeros([1, 150, 150, 1]), 'float32 [1, 150, 150, 1]'],
      [tf.zeros([150, 150, 3]), 'float32 [150, 150, 3]'],
      [tf.zeros([1, 150, 150, 3], 'int32'), 'int32 [1, 150, 150, 3]'],
    ] as const) {
      expect(() => backbone.embed(x as tf.Tensor4D)).toThrow(new ShapeError('backbone "face-resnet34" input', 'float32 [N, 150, 150, 3]', got));
      x.dispose();
    }
  });

  it('keeps the tensor count flat over repeated embeds and gradient evaluations', async () => {
    const x = await load('nir', 2);
    const f = (p: Params) => tf.sum(tf.square(l2Normalize(backbone.embed(x, p)))) as tf.Scalar;
    const once = () => {
      tf.dispose(backbone.embed(x));
      const r = valueAndGradsOf(f, { ...backbone.params });
      tf.dispose([r.value, ...Object.values(r.grads)]);
    };
    once();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) once();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('records none of the frozen network on the gradient tape (peak memory of a gradient ≈ of a forward pass)', async () => {
    const x = await load('clean', 4);
    const f = (p: Params) => tf.sum(l2Normalize(backbone.embed(x, p))) as tf.Scalar;
    const forward = await tf.profile(() => tf.dispose(backbone.embed(x)));
    const gradient = await tf.profile(() => {
      const r = valueAndGradsOf(f, { ...backbone.params });
      tf.dispose([r.value, ...Object.values(r.grads)]);
    });
    // With the network on the tape its activations are kept until backprop: ≈ 2× the forward peak for 4 images.
    expect(gradient.peakBytes).toBeLessThan(1.1 * forward.peakBytes);
    x.dispose();
  });

  it('differentiates twice through the head (gradient and Hessian-vector product against finite differences)', async () => {
    const x = await load('occluded', 4);
    const labels = tf.tensor1d([0, 1, 2, 0], 'int32');
    const centres = tf.tidy(() => l2Normalize(tf.randomNormal([3, 128], 0, 1, 'float32', 7)));
    // A cosine classifier over the normalised embeddings: smooth in the head parameters.
    const f = (p: Params) => crossEntropyWithLogits(tf.mul(tf.matMul(l2Normalize(backbone.embed(x, p)), centres, false, true), 8), labels);
    const theta = { ...backbone.params };
    const dir = tf.tidy(() => ({ [HEAD_KERNEL]: tf.randomNormal([128, 128], 0, 1, 'float32', 1), [HEAD_BIAS]: tf.randomNormal([128], 0, 1, 'float32', 2) }));
    expect(checkGradient(f, theta, dir).relativeError).toBeLessThan(1e-2);
    expect(checkHvp(f, theta, dir).relativeError).toBeLessThan(1e-2);
    tf.dispose([x, labels, centres, ...Object.values(dir)]);
  });

  it('resizes other RGB sizes inside when built for them (as face-api does): 112 px photos stay close to 150 px ones', async () => {
    const small = await openFacesFixture({ imageSize: 112, domains: ['clean'] });
    const resized = createFaceBackbone({ inputShape: [112, 112, 3], headInit: 'identity' });
    const x = await small.load((refs.get('clean') as SampleRef[]).slice(0, 3));
    const cos = tf.tidy(() => {
      const a = l2Normalize(resized.embed(x));
      const b = l2Normalize(tf.tensor2d((descriptors.get('clean') as number[][]).slice(0, 3)));
      return Array.from(tf.sum(tf.mul(a, b), 1).dataSync());
    });
    for (const c of cos) expect(c).toBeGreaterThan(0.9);
    expect(() => resized.embed(tf.zeros([1, 150, 150, 3]) as tf.Tensor4D)).toThrow(ShapeError);
    x.dispose();
    resized.dispose();
  });

  it('is unusable after dispose() (PluginError), and dispose releases the frozen weights and the head', () => {
    const before = tf.memory().numTensors;
    const b = createFaceBackbone();
    expect(tf.memory().numTensors).toBe(before + 29 * 2 + 1 + 2);
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => b.embed(tf.zeros([1, 150, 150, 3]) as tf.Tensor4D)).toThrow(PluginError);
  });
});
