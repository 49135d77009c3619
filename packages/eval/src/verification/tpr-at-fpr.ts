import { EvaluationError } from '../errors.js';
import { describeValue } from '../internal/validate.js';
import type { RocCurve } from './roc.js';

/**
 * The TPR reachable while keeping the FPR at or below `target`: the largest
 * TPR among the curve's points with `fpr ≤ target` (no interpolation, so the
 * value is achievable by an actual threshold).
 *
 * When no point qualifies the result is 0 — no threshold meets the target, so
 * the only admissible operating point accepts nothing. (A curve from
 * {@link roc} always starts at (0, 0), so this is also what it returns when
 * only that first point qualifies.)
 *
 * @throws EvaluationError when `target` is not a finite number in [0, 1].
 */
export function tprAtFpr(curve: Pick<RocCurve, 'fpr' | 'tpr'>, target: number): number {
  if (typeof target !== 'number' || !Number.isFinite(target) || target < 0 || target > 1) {
    throw new EvaluationError('EVAL_INPUT_INVALID', 'target', `FPR target must be a number in [0, 1] (got ${describeValue(target)})`);
  }
  let best = 0;
  for (let i = 0; i < curve.fpr.length; i++) {
    if ((curve.fpr[i] as number) <= target && (curve.tpr[i] as number) > best) best = curve.tpr[i] as number;
  }
  return best;
}

/** The FPR operating points MetaDG reports, keyed as they appear in JSON. */
export const FPR_TARGETS = { '1e-1': 1e-1, '1e-2': 1e-2, '1e-3': 1e-3, '1e-4': 1e-4 } as const;

/** A key of {@link FPR_TARGETS}: `"1e-1"`, `"1e-2"`, `"1e-3"` or `"1e-4"`. */
export type FprTargetKey = keyof typeof FPR_TARGETS;

/**
 * Which FPR targets are reported for a given number of negative pairs:
 * `1e-1`, `1e-2` and `1e-3` always, `1e-4` only when there are at least 10 000
 * negatives — below that an FPR of 1e-4 is not resolvable (one false accept
 * already exceeds it) and the number would only repeat TPR at FPR = 0.
 */
export function reportedFprTargets(negatives: number): FprTargetKey[] {
  const keys: FprTargetKey[] = ['1e-1', '1e-2', '1e-3'];
  if (negatives >= 1 / FPR_TARGETS['1e-4']) keys.push('1e-4');
  return keys;
}
