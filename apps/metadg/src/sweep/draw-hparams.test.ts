import { describe, expect, it } from 'vitest';
import { tinyCompare } from '../../test/tiny-config.js';
import { builtinRegistry } from '../builtin-plugins.js';
import { jobConfig } from '../study/job-plan.js';
import { drawnValues, drawTrial, trialRng } from './draw-hparams.js';

const config = tinyCompare();
const budget = { kind: 'steps', value: 4 } as const;
const mfrJob = (domain = 'serif', seed = 0) => jobConfig(config, config.compare.algorithms[0]!, [domain], seed, budget);
const ermJob = () => jobConfig(config, config.compare.algorithms[1]!, ['serif'], 0, budget);
const all = ['algorithm', 'sampler', 'losses'] as const;

describe('sweep trials', () => {
  it('keep the configured values in trial 0', () => {
    expect(drawTrial(mfrJob(), 0, all, builtinRegistry())).toEqual(mfrJob());
  });

  it('draw every unpinned hyper-parameter from its plugin\'s search range, reproducibly', () => {
    const a = drawTrial(mfrJob(), 1, all, builtinRegistry());
    const b = drawTrial(mfrJob(), 1, all, builtinRegistry());
    expect(a).toEqual(b);
    const drawn = drawnValues(mfrJob(), a);
    expect(Object.keys(drawn).sort()).toEqual(
      [
        'algorithm.alpha',
        'algorithm.gamma',
        'algorithm.lr',
        'algorithm.momentum',
        'algorithm.weightDecay',
        'losses.domain-alignment.scale',
        'losses.hard-pair.tau',
        'losses.soft-classification.scale',
      ].sort(),
    );
    // The configured batchSize is pinned: the sampler has nothing else to draw.
    expect(a.sampler).toEqual(mfrJob().sampler);
    const h = a.algorithm.hparams as Record<string, number>;
    expect(h.gamma).toBeGreaterThanOrEqual(0);
    expect(h.gamma).toBeLessThan(1);
    expect(h.alpha).toBeGreaterThanOrEqual(1e-3);
    expect(h.alpha).toBeLessThan(10 ** -0.5);
    expect([0, 0.5, 0.9, 0.95]).toContain(h.momentum);
  });

  it('depend on (algorithm, dataset, trial) only: the same draws for every held-out domain and seed', () => {
    const a = drawTrial(mfrJob('serif', 0), 2, all, builtinRegistry());
    const b = drawTrial(mfrJob('mono', 1), 2, all, builtinRegistry());
    expect(drawnValues(mfrJob(), a)).toEqual(drawnValues(mfrJob(), b));
    expect(drawnValues(mfrJob(), drawTrial(mfrJob(), 3, all, builtinRegistry()))).not.toEqual(drawnValues(mfrJob(), a));
    // Another algorithm, another stream.
    const erm = drawnValues(ermJob(), drawTrial(ermJob(), 2, all, builtinRegistry()));
    expect(erm['algorithm.lr']).not.toBe(drawnValues(mfrJob(), a)['algorithm.lr']);
    expect(trialRng('mfr', 'glyphs', 2).next()).toBe(trialRng('mfr', 'glyphs', 2).next());
    expect(trialRng('mfr', 'glyphs', 2).next()).not.toBe(trialRng('mfr', 'mnist', 2).next());
  });

  it('leave values the config sets, and components not swept, untouched', () => {
    const pinned = { ...mfrJob(), algorithm: { name: 'mfr', hparams: { gamma: 0.5, lr: 0.01 } } };
    const drawn = drawTrial(pinned, 1, ['algorithm'], builtinRegistry());
    expect(drawn.algorithm.hparams.gamma).toBe(0.5);
    expect(drawn.algorithm.hparams.lr).toBe(0.01);
    expect(drawn.algorithm.hparams.alpha).toBeDefined();
    expect(drawn.losses).toEqual(pinned.losses);
    // A drawn value does not depend on which other components are swept.
    expect(drawTrial(mfrJob(), 1, ['algorithm'], builtinRegistry()).algorithm).toEqual(drawTrial(mfrJob(), 1, all, builtinRegistry()).algorithm);
  });
});
