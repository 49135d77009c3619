import type { PluginRegistry } from '@metadg/core';
import type { Budget, CompareConfig } from '../config/app-config.js';
import { jobConfig } from '../study/job-plan.js';
import { describeBudget, stepsForImages } from './budget.js';
import { imagesPerStep } from './images-per-step.js';

/** How a study's common budget translates for one contender. */
export interface BudgetConversion {
  readonly label: string;
  /** Images one outer step of this contender feeds through the network. */
  readonly imagesPerStep: number;
  /** Outer steps the budget buys this contender (`null` for a seconds budget: it depends on the machine). */
  readonly steps: number | null;
}

/** A study's budget, how it was derived, and what it means per contender. */
export interface StudyBudget {
  readonly budget: Budget;
  /** One sentence for reports: the rule and the conversion. */
  readonly rule: string;
  readonly contenders: readonly BudgetConversion[];
}

/**
 * The budget every job of a comparison gets. An explicit `budget` in the
 * config applies to every job as written. Without one, comparisons are at
 * **equal images seen**: `train.steps` outer steps of the first contender,
 * converted to images (its images per step × `train.steps`); every other
 * contender trains until it has seen as many images — e.g. MFR 2 + 1
 * domains × 2B images per step for 60 steps is 360B images, which ERM over 4
 * source domains (8B per step) reaches in 45 steps.
 */
export async function studyBudget(
  config: CompareConfig,
  labels: readonly string[],
  probeDomain: string,
  probeSeed: number,
  registry: () => PluginRegistry,
  searchFrom: readonly string[],
): Promise<StudyBudget> {
  const placeholder: Budget = { kind: 'steps', value: config.train.steps };
  const perStep: number[] = [];
  for (const contender of config.compare.algorithms) {
    perStep.push(await imagesPerStep(jobConfig(config, contender, [probeDomain], probeSeed, placeholder), registry(), searchFrom));
  }
  const reference = perStep[0] as number;
  const budget: Budget = config.budget ?? { kind: 'images', value: config.train.steps * reference };
  const contenders = labels.map((label, i) => {
    const ips = perStep[i] as number;
    const steps = budget.kind === 'steps' ? budget.value : budget.kind === 'images' ? stepsForImages(budget.value, ips) : null;
    return { label, imagesPerStep: ips, steps };
  });
  const perContender = contenders
    .map((c) => `${c.label}: ${c.imagesPerStep} images/step${c.steps === null ? '' : ` → ${c.steps} steps`}`)
    .join('; ');
  const rule = config.budget
    ? `Budget: ${describeBudget(budget)} per job, as configured (${perContender}).`
    : `Budget: equal images seen — train.steps = ${config.train.steps} outer steps of ${labels[0]} at ${reference} images per step = ` +
      `${budget.value} images per job; every contender trains until it has seen as many (${perContender}).`;
  return { budget, rule, contenders };
}
