import { performance } from 'node:perf_hooks';
import { ConfigError, disposeEpisode, type Logger, type StepMetrics, type Trainer } from '@metadg/core';
import { budgetReached, estimateTotalSteps, type Spent } from '../budget/budget.js';
import type { Budget } from '../config/app-config.js';

/** Options of {@link trainWithinBudget}. */
export interface BudgetLoopOptions {
  readonly budget: Budget;
  /** What the run had spent when this call started (0 for a fresh run, the checkpoint's totals on resume). */
  readonly start: Spent;
  readonly logEvery: number;
  readonly log: Logger;
  /** After every step: its 0-based index, its metrics, and the totals before and after it. */
  onStep(step: number, metrics: StepMetrics, before: Spent, after: Spent): void | Promise<void>;
}

/**
 * The training loop under a budget: sample the episode of the next step,
 * let the algorithm step on it, dispose the episode — until the first step
 * that reaches the budget. Core's `Trainer.train` runs a fixed step range;
 * an images or seconds budget only knows when to stop after each step, so
 * the app drives the trainer's sampler and algorithm itself (the episode of
 * step k is still `sampler.sample(k)`, which keeps resumes exact).
 *
 * @throws ConfigError when an images budget meets an algorithm that reports
 *   no images for a step (the budget could never be reached).
 */
export async function trainWithinBudget(trainer: Trainer, options: BudgetLoopOptions): Promise<Spent> {
  const { budget, log } = options;
  let spent = options.start;
  while (!budgetReached(budget, spent)) {
    const step = spent.steps;
    const started = performance.now();
    const episode = await trainer.sampler.sample(step);
    let metrics: StepMetrics;
    try {
      metrics = await trainer.algorithm.step(episode);
    } finally {
      disposeEpisode(episode);
    }
    if (budget.kind === 'images' && !(metrics.images > 0)) {
      throw new ConfigError('budget.kind', `"images", but algorithm "${trainer.algorithm.name}" reported ${metrics.images} images for step ${step + 1}; use a steps budget`);
    }
    const before = spent;
    spent = { steps: step + 1, images: spent.images + metrics.images, seconds: spent.seconds + (performance.now() - started) / 1000 };
    if ((step + 1) % options.logEvery === 0 || budgetReached(budget, spent)) {
      log.info(`step ${step + 1}/${estimateTotalSteps(budget, spent, metrics.images)} loss ${metrics.loss.toFixed(4)}`);
    }
    await options.onStep(step, metrics, before, spent);
  }
  return spent;
}
