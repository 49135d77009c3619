import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyCompare } from '../../test/tiny-config.js';
import { builtinRegistry } from '../builtin-plugins.js';
import { studyBudget } from './study-budget.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const searchFrom = [process.cwd()];

describe('studyBudget', () => {
  it('defaults to equal images seen: train.steps of the first contender, converted per contender', async () => {
    // MFR: 2 + 1 domains × 2B (B = 4) = 24 images per step; ERM over the 4 source domains: 32.
    const config = tinyCompare({ train: { steps: 10, logEvery: 100 } });
    const b = await studyBudget(config, ['MFR', 'ERM'], 'serif', 0, builtinRegistry, searchFrom);
    expect(b.budget).toEqual({ kind: 'images', value: 240 });
    expect(b.contenders).toEqual([
      { label: 'MFR', imagesPerStep: 24, steps: 10 },
      { label: 'ERM', imagesPerStep: 32, steps: 8 }, // ⌈240 / 32⌉ = 8 (256 images)
    ]);
    expect(b.rule).toMatch(/equal images seen — train\.steps = 10 outer steps of MFR at 24 images per step = 240 images per job/);
    expect(b.rule).toContain('ERM: 32 images/step → 8 steps');
  });

  it('applies an explicit budget as written', async () => {
    const steps = await studyBudget(tinyCompare({ budget: { kind: 'steps', value: 6 } }), ['MFR', 'ERM'], 'serif', 0, builtinRegistry, searchFrom);
    expect(steps.budget).toEqual({ kind: 'steps', value: 6 });
    expect(steps.contenders.map((c) => c.steps)).toEqual([6, 6]);
    const seconds = await studyBudget(tinyCompare({ budget: { kind: 'seconds', value: 30 } }), ['MFR', 'ERM'], 'serif', 0, builtinRegistry, searchFrom);
    expect(seconds.contenders.map((c) => c.steps)).toEqual([null, null]);
    expect(seconds.rule).toMatch(/^Budget: 30 s of training per job, as configured/);
  });
});
