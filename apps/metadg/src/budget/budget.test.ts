import { parseConfigWith, ConfigError } from '@metadg/core';
import { describe, expect, it } from 'vitest';
import { tinyRaw } from '../../test/tiny-config.js';
import { appRunConfigSchema, type Budget } from '../config/app-config.js';
import {
  budgetFraction,
  budgetReached,
  describeBudget,
  estimateTotalSteps,
  isEvaluationPoint,
  resolveBudget,
  spentIn,
  stepsForImages,
} from './budget.js';

const spent = (steps: number, images: number, seconds: number) => ({ steps, images, seconds });

describe('budgets', () => {
  it('measure what is spent in their own unit', () => {
    const s = spent(3, 288, 1.5);
    expect(spentIn({ kind: 'steps', value: 10 }, s)).toBe(3);
    expect(spentIn({ kind: 'images', value: 10 }, s)).toBe(288);
    expect(spentIn({ kind: 'seconds', value: 10 }, s)).toBe(1.5);
  });

  it('are reached by the first step that gets to the value, and report the fraction spent', () => {
    const images: Budget = { kind: 'images', value: 300 };
    expect(budgetReached(images, spent(3, 288, 0))).toBe(false);
    expect(budgetReached(images, spent(4, 384, 0))).toBe(true);
    expect(budgetFraction(images, spent(3, 150, 0))).toBe(0.5);
    expect(budgetFraction(images, spent(4, 384, 0))).toBe(1);
    expect(budgetReached({ kind: 'seconds', value: 2 }, spent(9, 0, 2))).toBe(true);
    expect(budgetReached({ kind: 'steps', value: 5 }, spent(4, 999, 999))).toBe(false);
  });

  it('convert images to steps by rounding up (training stops after the step that reaches the budget)', () => {
    // 60 MFR steps of 96 images = 5760 images; ERM sees 128 per step: 45 steps exactly; 100 per step: 58 steps (5800 ≥ 5760).
    expect(stepsForImages(60 * 96, 128)).toBe(45);
    expect(stepsForImages(60 * 96, 100)).toBe(58);
    expect(stepsForImages(60 * 96, 96)).toBe(60);
  });

  it('estimate the total steps for progress bars', () => {
    expect(estimateTotalSteps({ kind: 'steps', value: 60 }, spent(0, 0, 0), 0)).toBe(60);
    expect(estimateTotalSteps({ kind: 'images', value: 1000 }, spent(0, 0, 0), 0)).toBeNaN();
    // 2 steps of 96 seen, 808 to go at 96 per step: 9 more.
    expect(estimateTotalSteps({ kind: 'images', value: 1000 }, spent(2, 192, 0), 96)).toBe(11);
    // 4 s for 2 steps, 6 s to go: 3 more.
    expect(estimateTotalSteps({ kind: 'seconds', value: 10 }, spent(2, 0, 4), 0)).toBe(5);
    expect(estimateTotalSteps({ kind: 'images', value: 100 }, spent(7, 120, 0), 20)).toBe(7);
  });

  it('place evaluation points every K steps, or at fractions of the budget, and always at the end', () => {
    const steps: Budget = { kind: 'steps', value: 10 };
    const pointsAt = (budget: Budget, every: number, points: number, perStep: number) => {
      const out: number[] = [];
      let before = spent(0, 0, 0);
      while (!budgetReached(budget, before)) {
        const after = spent(before.steps + 1, before.images + perStep, 0);
        if (isEvaluationPoint(budget, before, after, every, points)) out.push(after.steps);
        before = after;
      }
      return out;
    };
    expect(pointsAt(steps, 3, 4, 1)).toEqual([3, 6, 9, 10]);
    expect(pointsAt(steps, 0, 4, 1)).toEqual([3, 5, 8, 10]);
    expect(pointsAt(steps, 0, 1, 1)).toEqual([10]);
    // An images budget of 1000 at 96 per step (11 steps): quarters are crossed at steps 3, 6, 8 and 11.
    expect(pointsAt({ kind: 'images', value: 1000 }, 0, 4, 96)).toEqual([3, 6, 8, 11]);
  });

  it('default to train.steps outer steps', () => {
    expect(resolveBudget({ train: { steps: 60 } })).toEqual({ kind: 'steps', value: 60 });
    expect(resolveBudget({ train: { steps: 60 }, budget: { kind: 'images', value: 5760 } })).toEqual({ kind: 'images', value: 5760 });
    expect(describeBudget({ kind: 'images', value: 5760 })).toBe('5760 images');
    expect(describeBudget({ kind: 'steps', value: 60 })).toBe('60 outer steps');
    expect(describeBudget({ kind: 'seconds', value: 90 })).toBe('90 s of training');
  });

  it('are validated with one clear error per bad field', () => {
    const parse = (budget: unknown) => () => parseConfigWith(appRunConfigSchema, tinyRaw({ budget }), 'run.json');
    expect(parse({ kind: 'images', value: 5760 })().budget).toEqual({ kind: 'images', value: 5760 });
    expect(parse({ kind: 'seconds', value: 2.5 })().budget).toEqual({ kind: 'seconds', value: 2.5 });
    expect(parse({ kind: 'steps', value: 2.5 })).toThrow('run.json: budget.value: must be a whole number of steps, got 2.5');
    expect(parse({ kind: 'epochs', value: 3 })).toThrow(/^run\.json: budget\.kind: Invalid enum value\. Expected 'steps' \| 'images' \| 'seconds', received 'epochs'$/);
    expect(parse({ kind: 'images', value: -1 })).toThrow('run.json: budget.value: must be > 0');
    expect(parse({ kind: 'images' })).toThrow('run.json: budget.value: required');
    expect(parse({ kind: 'images', value: 10, unit: 'x' })).toThrow('run.json: budget.unit: unknown field');
    expect(parse({ kind: 'steps', value: 0 })).toThrow(ConfigError);
  });
});
