import * as tf from '@tensorflow/tfjs-core';
import { PluginError, Rng, validateHparams, type DomainBatch, type DomainEmbeddings } from '@metadg/core';
import { hvp, initBackend, l2Normalize, type Params } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { autodiffGradient, numericGradient, relError } from '../../test/helpers.js';
import { centreAlignmentLoss, createDomainAlignmentLoss, domainAlignmentLoss, domainAlignmentPlugin, domainCentre } from './domain-alignment.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

// Hand-computed case, d = 2, s = 2, two domains of one pair each:
//   A: g = (1, 0), p = (0, 1) → c_A = (0.5, 0.5)
//   B: g = (1, 0), p = (1, 0) → c_B = (1, 0)
//   c_mtr = (0.75, 0.25); c_A − c_mtr = (−0.25, 0.25), c_B − c_mtr = (0.25, −0.25)
//   ‖2·(c_j − c_mtr)‖² = 4 · 0.125 = 0.5 for both → L_da = 0.5
const domainA = () => ({ fg: tf.tensor2d([[1, 0]]), fp: tf.tensor2d([[0, 1]]) });
const domainB = () => ({ fg: tf.tensor2d([[1, 0]]), fp: tf.tensor2d([[1, 0]]) });

describe('domainAlignmentLoss', () => {
  it('is 1/n Σ‖s(c_j − c_mtr)‖² over domain centres (hand-computed)', () => {
    expect(tf.tidy(() => domainAlignmentLoss([domainA(), domainB()], 2).dataSync()[0])).toBeCloseTo(0.5, 6);
    // s sits inside the norm: the value scales with s².
    expect(tf.tidy(() => domainAlignmentLoss([domainA(), domainB()], 4).dataSync()[0])).toBeCloseTo(2, 6);
  });

  it('is 0 for one domain and for identical centres', () => {
    expect(tf.tidy(() => domainAlignmentLoss([domainA()], 8).dataSync()[0])).toBe(0);
    expect(tf.tidy(() => domainAlignmentLoss([domainB(), domainB()], 8).dataSync()[0])).toBe(0);
  });

  it('differentiates twice with a single meta-train domain (1 + 1 sampling)', () => {
    const x = tf.tensor2d([[0.3, -0.2], [0.5, 0.1]]);
    const v = tf.tensor2d([[1, 0], [0, -1]]);
    // L = L_da(one centre) + ‖x‖²: the alignment term is 0, so H·v = 2v.
    const f = (p: Params) => tf.add(centreAlignmentLoss([domainCentre(p['x'] as tf.Tensor2D)], 16), tf.sum(tf.square(p['x']!))) as tf.Scalar;
    const hv = hvp(f, { x }, { x: v });
    expect(relError(Array.from(hv['x']!.dataSync()), [2, 0, 0, -2])).toBeLessThan(1e-6);
    tf.dispose([x, v, hv['x']!]);
  });

  it('matches finite differences through the L2 normalisation', () => {
    const rng = new Rng(5);
    const x = tf.tensor2d(rng.normalArray(3 * 4), [3, 4]);
    const others = [0, 1].map(() => ({
      fg: l2Normalize(tf.tensor2d(rng.normalArray(12), [3, 4])),
      fp: l2Normalize(tf.tensor2d(rng.normalArray(12), [3, 4])),
    }));
    const f = (g: tf.Tensor): tf.Scalar =>
      domainAlignmentLoss([{ fg: l2Normalize(g as tf.Tensor2D), fp: others[0]!.fp }, others[1]!], 3);
    expect(relError(autodiffGradient(f, x), numericGradient(f, x))).toBeLessThan(1e-3);
    tf.dispose([x, ...others.flatMap((o) => [o.fg, o.fp])]);
  });
});

describe('domain-alignment loss term', () => {
  const batch = (domain: string, kind: 'pairs' | 'labelled'): DomainBatch => ({ kind, domain }) as unknown as DomainBatch;

  it('applies in the meta-train and pooled phases only', () => {
    expect(createDomainAlignmentLoss({ scale: 1 }).phases).toEqual(['meta-train', 'pooled']);
  });

  it('uses the row mean as the centre of a labelled batch', () => {
    const loss = createDomainAlignmentLoss({ scale: 2 });
    tf.tidy(() => {
      const a = domainA();
      const pairs: DomainEmbeddings = { kind: 'pairs', gallery: a.fg, probe: a.fp };
      // Rows (1, 0) and (1, 0): the same centre as domain B.
      const labelled: DomainEmbeddings = { kind: 'labelled', x: tf.tensor2d([[1, 0], [1, 0]]) };
      const r = loss.compute([batch('a', 'pairs'), batch('b', 'labelled')], [pairs, labelled], {}, 'pooled');
      expect(r.value.dataSync()[0]).toBeCloseTo(0.5, 6);
      expect(Object.keys(r.parts)).toEqual(['domainAlign']);
    });
  });

  it('validates s_da > 0 with a PluginError naming the field', () => {
    expect(validateHparams(domainAlignmentPlugin, {})).toEqual({ scale: 16 });
    expect(() => validateHparams(domainAlignmentPlugin, { scale: 0 })).toThrow(
      new PluginError('PLUGIN_HPARAMS_INVALID', 'domain-alignment', 'must be > 0', 'scale'),
    );
  });
});
