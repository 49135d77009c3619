import { ConfigError } from '@metadg/core';
import { describe, expect, it } from 'vitest';
import { tinyCompare } from '../../test/tiny-config.js';
import { ABLATION_STUDIES, ablationConfig, ablationSpec, isAblationStudy } from './studies.js';

const base = tinyCompare({ algorithm: { name: 'mfr', hparams: { lr: 0.02 } } });
const mfrLosses = base.losses;
const label = (c: { label?: string }) => c.label;

describe('ablation studies', () => {
  it('are the five named studies', () => {
    expect([...ABLATION_STUDIES]).toEqual(['order', 'gamma', 'losses', 'sampling', 'alpha']);
    expect(isAblationStudy('gamma')).toBe(true);
    expect(isAblationStudy('beta')).toBe(false);
  });

  it('order: exact second order, first order, finite-difference Hessian — the rest of the MFR run unchanged', () => {
    const spec = ablationSpec('order', base);
    expect(spec.variants.map((v) => v.label)).toEqual(['second order', 'first order', 'finite-difference Hessian']);
    expect(spec.variants.map((v) => v.contender.algorithm)).toEqual([
      { name: 'mfr', hparams: { order: 2, hessian: 'exact' } },
      { name: 'mfr', hparams: { order: 1 } },
      { name: 'mfr', hparams: { order: 2, hessian: 'finite-difference' } },
    ]);
    for (const v of spec.variants) {
      expect(v.contender.sampler).toEqual(base.sampler);
      expect(v.contender.losses).toEqual(mfrLosses);
    }
  });

  it('gamma and alpha: one variant per value, plotted against it', () => {
    const gamma = ablationSpec('gamma', base);
    expect(gamma.variants.map((v) => [v.label, v.value, v.contender.algorithm.hparams.gamma])).toEqual([
      ['γ = 0', 0, 0],
      ['γ = 0.25', 0.25, 0.25],
      ['γ = 0.5', 0.5, 0.5],
      ['γ = 0.75', 0.75, 0.75],
      ['γ = 1', 1, 1],
    ]);
    expect(gamma.axis).toEqual({ label: 'γ', scale: 'linear' });
    const alpha = ablationSpec('alpha', base);
    expect(alpha.variants.map((v) => v.contender.algorithm.hparams.alpha)).toEqual([0.001, 0.01, 0.05, 0.1, 0.3]);
    expect(alpha.axis?.scale).toBe('log');
  });

  it('keeps the MFR contender\'s own hyper-parameters in every variant', () => {
    const own = tinyCompare({}, { algorithms: [{ label: 'MFR', algorithm: { name: 'mfr', hparams: { lr: 0.02, gamma: 0.3 } } }] });
    const v = ablationSpec('alpha', own).variants[0]!;
    expect(v.contender.algorithm.hparams).toEqual({ lr: 0.02, gamma: 0.3, alpha: 0.001 });
  });

  it('losses: full, then without hard-pair, classification and domain alignment', () => {
    const spec = ablationSpec('losses', base);
    expect(spec.variants.map((v) => [v.label, (v.contender.losses ?? []).map((l) => l.name)])).toEqual([
      ['full', ['hard-pair', 'soft-classification', 'domain-alignment']],
      ['without hard-pair', ['soft-classification', 'domain-alignment']],
      ['without classification', ['hard-pair', 'domain-alignment']],
      ['without domain alignment', ['hard-pair', 'soft-classification']],
    ]);
    const noAlign = tinyCompare({ losses: [{ name: 'hard-pair' }, { name: 'soft-classification' }] });
    expect(() => ablationSpec('losses', noAlign)).toThrow(ConfigError);
    expect(() => ablationSpec('losses', noAlign)).toThrow(/removes "domain-alignment", which the base MFR run does not use/);
  });

  it('sampling: 2 + 1, 1 + 1, 1 + 2 and all leave-one-out splits, keeping the batch size', () => {
    const spec = ablationSpec('sampling', base);
    expect(spec.variants.map((v) => [v.label, v.contender.sampler?.hparams])).toEqual([
      ['2 + 1', { batchSize: 4, metaTrainDomains: 2, metaTestDomains: 1, mode: 'random' }],
      ['1 + 1', { batchSize: 4, metaTrainDomains: 1, metaTestDomains: 1, mode: 'random' }],
      ['1 + 2', { batchSize: 4, metaTrainDomains: 1, metaTestDomains: 2, mode: 'random' }],
      ['all leave-one-out splits', { batchSize: 4, metaTrainDomains: 'rest', metaTestDomains: 1, mode: 'all-splits' }],
    ]);
    // One meta-train domain: the (identically zero) alignment of meta-train centres is left out.
    expect(spec.variants.map((v) => (v.contender.losses ?? []).map((l) => l.name).join(','))).toEqual([
      'hard-pair,soft-classification,domain-alignment',
      'hard-pair,soft-classification',
      'hard-pair,soft-classification',
      'hard-pair,soft-classification,domain-alignment',
    ]);
  });

  it('builds the study\'s comparison config with its overrides', () => {
    const { config } = ablationConfig('gamma', base, { steps: 7, seeds: 1, heldOut: ['mono'], workers: 0 });
    expect(config.name).toBe('ablate-gamma');
    expect(config.train.steps).toBe(7);
    expect(config.compare.seeds).toBe(1);
    expect(config.compare.heldOut).toEqual(['mono']);
    expect(config.compare.algorithms.map(label)).toEqual(['γ = 0', 'γ = 0.25', 'γ = 0.5', 'γ = 0.75', 'γ = 1']);
    expect(ablationConfig('gamma', base).config.compare.seeds).toBe(base.compare.seeds);
  });

  it('needs an MFR run to vary', () => {
    const erm = tinyCompare({ algorithm: { name: 'erm' } }, { algorithms: [{ algorithm: { name: 'erm' } }] });
    expect(() => ablationSpec('gamma', erm)).toThrow(/an ablation needs an "mfr" contender/);
  });
});
