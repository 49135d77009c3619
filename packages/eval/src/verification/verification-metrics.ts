import { kFoldAccuracyOfSorted, type KFoldAccuracy } from './kfold-accuracy.js';
import { sortPairs, type ScoredPairs } from './pairs-input.js';
import { rocAuc, rocOfSorted, type RocCurve } from './roc.js';
import { FPR_TARGETS, reportedFprTargets, tprAtFpr } from './tpr-at-fpr.js';

/** TPR at each reported FPR target; `"1e-4"` only with ≥ 10 000 negative pairs. */
export interface TprAtReportedFprs {
  readonly '1e-1': number;
  readonly '1e-2': number;
  readonly '1e-3': number;
  readonly '1e-4'?: number;
}

/**
 * Everything MetaDG reports for a set of verification pairs — the object
 * `metadg metrics <scores.json>` prints (as JSON, see
 * {@link verificationMetricsToJson}).
 */
export interface VerificationMetrics {
  /** Area under the ROC curve (trapezoid rule; ties count ½). */
  readonly auc: number;
  /** TPR at FPR ≤ 1e-1, 1e-2, 1e-3 (and 1e-4 when resolvable), see {@link tprAtFpr}. */
  readonly tpr: TprAtReportedFprs;
  /** 10-fold best-threshold accuracy, LFW protocol (see {@link kFoldAccuracy}). */
  readonly accuracy10fold: KFoldAccuracy;
  /** The full ROC curve (see {@link roc}). */
  readonly roc: RocCurve;
  /** Number of genuine (label 1) and impostor (label 0) pairs. */
  readonly pairs: { readonly positives: number; readonly negatives: number };
}

/**
 * Computes every verification metric from scores and labels, validating and
 * sorting the pairs once.
 *
 * @throws EvaluationError on invalid input (naming the field), when a class is
 *   absent, or with fewer than 10 pairs.
 */
export function computeVerificationMetrics(input: ScoredPairs): VerificationMetrics {
  const pairs = sortPairs(input);
  const curve = rocOfSorted(pairs);
  const at = (target: number) => tprAtFpr(curve, target);
  const tpr: TprAtReportedFprs = {
    '1e-1': at(FPR_TARGETS['1e-1']),
    '1e-2': at(FPR_TARGETS['1e-2']),
    '1e-3': at(FPR_TARGETS['1e-3']),
    ...(reportedFprTargets(pairs.negatives).includes('1e-4') ? { '1e-4': at(FPR_TARGETS['1e-4']) } : {}),
  };
  return {
    auc: rocAuc(curve),
    tpr,
    accuracy10fold: kFoldAccuracyOfSorted(pairs, 10),
    roc: curve,
    pairs: { positives: pairs.positives, negatives: pairs.negatives },
  };
}
