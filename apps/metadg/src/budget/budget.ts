import type { Budget } from '../config/app-config.js';

/** What a run has spent so far, in every unit a budget can be stated in. */
export interface Spent {
  readonly steps: number;
  readonly images: number;
  /** Wall-clock seconds of training steps (evaluation excluded). */
  readonly seconds: number;
}

/** Nothing spent yet. */
export const NOTHING_SPENT: Spent = { steps: 0, images: 0, seconds: 0 };

/** A run config's budget: its `budget`, else `train.steps` outer steps. */
export function resolveBudget(config: { readonly budget?: Budget | undefined; readonly train: { readonly steps: number } }): Budget {
  return config.budget ?? { kind: 'steps', value: config.train.steps };
}

/** How much of `budget`'s own unit has been spent. */
export function spentIn(budget: Budget, spent: Spent): number {
  return budget.kind === 'steps' ? spent.steps : budget.kind === 'images' ? spent.images : spent.seconds;
}

/** Whether training must stop: the first step that reaches the budget is the last one. */
export function budgetReached(budget: Budget, spent: Spent): boolean {
  return spentIn(budget, spent) >= budget.value;
}

/** The fraction of the budget spent, in [0, 1]. */
export function budgetFraction(budget: Budget, spent: Spent): number {
  return Math.min(1, spentIn(budget, spent) / budget.value);
}

/**
 * The number of outer steps the run will take, for progress bars: exact for
 * a steps budget; for images and seconds extrapolated from the last step's
 * images (or the mean seconds per step) — `NaN` before the first step.
 */
export function estimateTotalSteps(budget: Budget, spent: Spent, lastStepImages: number): number {
  if (budget.kind === 'steps') return budget.value;
  if (budgetReached(budget, spent)) return spent.steps;
  if (spent.steps === 0) return Number.NaN;
  const perStep = budget.kind === 'images' ? lastStepImages : spent.seconds / spent.steps;
  if (!(perStep > 0)) return Number.NaN;
  return spent.steps + Math.ceil((budget.value - spentIn(budget, spent)) / perStep);
}

/**
 * Outer steps an images budget buys at `imagesPerStep` (the conversion
 * `compare` uses to state budgets in steps): ⌈images / imagesPerStep⌉, as
 * training stops after the first step that reaches the budget.
 */
export function stepsForImages(images: number, imagesPerStep: number): number {
  return Math.ceil(images / imagesPerStep);
}

/** `5760 images`, `60 steps`, `90 s`. */
export function describeBudget(budget: Budget): string {
  return budget.kind === 'seconds' ? `${budget.value} s of training` : `${budget.value} ${budget.kind === 'steps' ? 'outer steps' : 'images'}`;
}

/**
 * Whether the step that moved the run from `before` to `after` is an
 * evaluation point: every `every` steps when `every > 0`, else each time the
 * spent fraction of the budget crosses a multiple of 1/`points`. The step
 * that exhausts the budget always is.
 */
export function isEvaluationPoint(budget: Budget, before: Spent, after: Spent, every: number, points: number): boolean {
  if (budgetReached(budget, after)) return true;
  if (every > 0) return after.steps % every === 0;
  return Math.floor(budgetFraction(budget, after) * points) > Math.floor(budgetFraction(budget, before) * points);
}
