import { EvaluationError } from '../errors.js';
import { sortPairs, type ScoredPairs, type SortedPairs } from './pairs-input.js';

/**
 * A receiver operating characteristic, as scikit-learn's
 * `roc_curve(labels, scores, drop_intermediate=False)` returns it: one point
 * per distinct score, thresholds strictly descending, and a first point
 * (0, 0) at threshold `+Infinity` (nothing accepted). Point `i` is what the
 * rule "same identity iff score ≥ thresholds[i]" achieves.
 */
export interface RocCurve {
  /** False positive rate per threshold, non-decreasing from 0 to 1. */
  readonly fpr: number[];
  /** True positive rate per threshold, non-decreasing from 0 to 1. */
  readonly tpr: number[];
  /**
   * Thresholds, strictly descending; `thresholds[0]` is `+Infinity`. JSON has
   * no Infinity: {@link verificationMetricsToJson} writes it as the string
   * `"Infinity"`.
   */
  readonly thresholds: number[];
}

/**
 * Computes the ROC of verification scores (see {@link RocCurve}). Tied scores
 * form a single point, so the curve moves diagonally across a tie, exactly
 * as standard implementations do and as the Mann–Whitney statistic counts
 * ties (½).
 *
 * @throws EvaluationError on non-finite scores, labels other than 0/1, a
 *   length mismatch, or when one class is absent (the ROC is undefined).
 */
export function roc(pairs: ScoredPairs): RocCurve {
  return rocOfSorted(sortPairs(pairs));
}

/** {@link roc} of already validated and sorted pairs. */
export function rocOfSorted(pairs: SortedPairs): RocCurve {
  const { scores, labels, positives, negatives, order } = pairs;
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Number.POSITIVE_INFINITY];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    if (labels[i] === 1) tp++;
    else fp++;
    const next = order[k + 1];
    // Emit a point only after the last pair of a run of equal scores.
    if (next === undefined || scores[next] !== scores[i]) {
      fpr.push(fp / negatives);
      tpr.push(tp / positives);
      thresholds.push(scores[i] as number);
    }
  }
  return { fpr, tpr, thresholds };
}

/**
 * Area under a ROC curve by the trapezoid rule (scikit-learn's `auc`). For a
 * curve from {@link roc} this equals the Mann–Whitney probability that a
 * random positive pair outscores a random negative one, ties counting ½.
 *
 * @throws EvaluationError when the arrays differ in length, hold fewer than
 *   two points, or FPR decreases (not a ROC curve).
 */
export function rocAuc(curve: Pick<RocCurve, 'fpr' | 'tpr'>): number {
  const { fpr, tpr } = curve;
  if (fpr.length !== tpr.length) {
    throw new EvaluationError('EVAL_INPUT_INVALID', 'roc.tpr', `length ${tpr.length} differs from roc.fpr length ${fpr.length}`);
  }
  if (fpr.length < 2) {
    throw new EvaluationError('EVAL_INPUT_INVALID', 'roc.fpr', `a ROC curve needs at least 2 points, got ${fpr.length}`);
  }
  let area = 0;
  for (let i = 1; i < fpr.length; i++) {
    const dx = (fpr[i] as number) - (fpr[i - 1] as number);
    if (!(dx >= 0)) {
      throw new EvaluationError('EVAL_INPUT_INVALID', `roc.fpr[${i}]`, 'FPR must be non-decreasing along the curve');
    }
    area += (dx * ((tpr[i] as number) + (tpr[i - 1] as number))) / 2;
  }
  return area;
}
