import { EvaluationError } from '../errors.js';
import { binaryLabels, finiteNumbers, sameLength } from '../internal/validate.js';

/**
 * Verification pairs as the metrics consume them: one similarity score per
 * pair (higher = more likely the same identity) and its ground truth
 * (1 = same identity, 0 = different).
 */
export interface ScoredPairs {
  /** Similarity per pair, e.g. the cosine of the two embeddings. Finite numbers. */
  readonly scores: ArrayLike<number>;
  /** 1 for a genuine (same-identity) pair, 0 for an impostor pair. */
  readonly labels: ArrayLike<number>;
}

/** Validated, copied pairs with their class counts. */
export interface CheckedPairs {
  readonly scores: Float64Array;
  readonly labels: Uint8Array;
  readonly positives: number;
  readonly negatives: number;
}

/**
 * Validates scores/labels (finite numbers, 0/1 labels, equal lengths, at
 * least one pair of each class, since ROC and AUC are undefined otherwise).
 */
export function checkPairs(input: ScoredPairs): CheckedPairs {
  if (typeof input !== 'object' || input === null) {
    throw new EvaluationError('EVAL_INPUT_INVALID', 'pairs', 'expected an object { scores, labels }');
  }
  const scores = finiteNumbers(input.scores, 'scores');
  const labels = binaryLabels(input.labels, 'labels');
  sameLength('labels', labels.length, 'scores', scores.length);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i] as number;
  const negatives = labels.length - positives;
  if (positives === 0) {
    throw new EvaluationError(
      'EVAL_METRIC_UNDEFINED',
      'labels',
      `no positive (label 1) pairs among ${labels.length}: ROC/AUC are undefined`,
    );
  }
  if (negatives === 0) {
    throw new EvaluationError(
      'EVAL_METRIC_UNDEFINED',
      'labels',
      `no negative (label 0) pairs among ${labels.length}: ROC/AUC are undefined`,
    );
  }
  return { scores, labels, positives, negatives };
}

/** Checked pairs plus their indices ordered by descending score (ties in any order: users group them). */
export interface SortedPairs extends CheckedPairs {
  readonly order: Uint32Array;
}

/** Validates (see {@link checkPairs}) and sorts once, for every metric to share. */
export function sortPairs(input: ScoredPairs): SortedPairs {
  const checked = checkPairs(input);
  const { scores } = checked;
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number));
  return { ...checked, order };
}
