import { EvaluationError } from '../errors.js';
import { positiveInteger } from '../internal/validate.js';
import { mean, standardDeviation } from '../stats.js';
import { sortPairs, type ScoredPairs, type SortedPairs } from './pairs-input.js';

/** Verification accuracy estimated by k-fold cross-validation of the threshold. */
export interface KFoldAccuracy {
  /** Mean held-out accuracy over the folds. */
  readonly mean: number;
  /** Population standard deviation (ddof = 0) over the folds, as insightface / LFW scripts report. */
  readonly std: number;
  /** Held-out accuracy of each fold, in fold order. */
  readonly accuracies: number[];
  /**
   * The threshold chosen on the other folds, per fold: pairs with
   * `score ≥ threshold` are called "same". `+Infinity` (accept nothing) or
   * `-Infinity` (accept everything) when that was best on the training folds.
   */
  readonly thresholds: number[];
}

/** Options of {@link kFoldAccuracy}. */
export interface KFoldOptions {
  /** Number of folds (default 10, the LFW protocol). */
  readonly folds?: number;
}

/**
 * Best-threshold verification accuracy, LFW style: split the pairs into `k`
 * contiguous folds in input order (the LFW protocol's 10 sets; the same split
 * as insightface's `KFold(n_splits=10, shuffle=False)`: the first `n mod k`
 * folds hold one extra pair), choose on the other `k − 1` folds the threshold
 * that maximises accuracy, and measure accuracy on the held-out fold.
 *
 * The threshold search is exact: every distinct training score is a cut, and
 * the reported threshold is the midpoint between the accepted and the next
 * rejected training score. When several cuts tie on training accuracy the
 * highest threshold (fewest accepted pairs) wins — the first argmax over
 * ascending distance thresholds in insightface's code.
 *
 * Because folds are contiguous, order matters: keep the pairs in their
 * protocol order (do not sort by score or by label first).
 *
 * @throws EvaluationError on invalid pairs, a missing class, or fewer pairs
 *   than folds.
 */
export function kFoldAccuracy(pairs: ScoredPairs, options: KFoldOptions = {}): KFoldAccuracy {
  const k = positiveInteger(options.folds ?? 10, 'folds');
  return kFoldAccuracyOfSorted(sortPairs(pairs), k);
}

/** {@link kFoldAccuracy} of already validated and sorted pairs. */
export function kFoldAccuracyOfSorted(pairs: SortedPairs, k: number): KFoldAccuracy {
  const { scores, labels, order } = pairs;
  const n = scores.length;
  if (n < k) {
    throw new EvaluationError('EVAL_METRIC_UNDEFINED', 'scores', `${k}-fold accuracy needs at least ${k} pairs, got ${n}`);
  }
  const bounds = contiguousFoldBounds(n, k);
  const accuracies: number[] = [];
  const thresholds: number[] = [];
  for (let f = 0; f < k; f++) {
    const [start, end] = [bounds[f] as number, bounds[f + 1] as number];
    // One global sort serves every fold: the training set in score order is
    // the sorted order with the held-out fold filtered out.
    const threshold = bestThreshold(scores, labels, order.filter((i) => i < start || i >= end));
    let correct = 0;
    for (let i = start; i < end; i++) if (((scores[i] as number) >= threshold ? 1 : 0) === labels[i]) correct++;
    accuracies.push(correct / (end - start));
    thresholds.push(threshold);
  }
  return { mean: mean(accuracies), std: standardDeviation(accuracies, 0), accuracies, thresholds };
}

/**
 * Boundaries of `k` contiguous folds of `n` items, sized as sklearn's KFold:
 * fold `f` is `[bounds[f], bounds[f + 1])`.
 */
export function contiguousFoldBounds(n: number, k: number): number[] {
  const bounds = [0];
  for (let f = 0; f < k; f++) bounds.push((bounds[f] as number) + Math.floor(n / k) + (f < n % k ? 1 : 0));
  return bounds;
}

/**
 * The accuracy-maximising threshold for training pairs given in descending
 * score order: accepting each further group of tied scores changes the number
 * of correct decisions by (#positives − #negatives) in the group.
 */
function bestThreshold(scores: Float64Array, labels: Uint8Array, order: Uint32Array): number {
  let negatives = 0;
  for (const i of order) negatives += 1 - (labels[i] as number);
  // Accepting nothing gets every negative right.
  let correct = negatives;
  let bestCorrect = correct;
  let bestCut = -1; // position in `order` of the last accepted pair; -1 = accept nothing
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    correct += labels[i] === 1 ? 1 : -1;
    const next = order[k + 1];
    const endOfTie = next === undefined || scores[next] !== scores[i];
    // Strict `>` keeps the highest threshold among cuts tied in accuracy.
    if (endOfTie && correct > bestCorrect) {
      bestCorrect = correct;
      bestCut = k;
    }
  }
  if (bestCut === -1) return Number.POSITIVE_INFINITY;
  const next = order[bestCut + 1];
  if (next === undefined) return Number.NEGATIVE_INFINITY;
  return midpoint(scores[order[bestCut] as number] as number, scores[next] as number);
}

/** A threshold strictly above `low` and at most `high` (adjacent doubles can round the midpoint onto `low`). */
function midpoint(high: number, low: number): number {
  const mid = low + (high - low) / 2;
  return mid > low ? mid : high;
}
