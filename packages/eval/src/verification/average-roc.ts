import { EvaluationError } from '../errors.js';
import type { RocCurve } from './roc.js';

/** A ROC curve as points only (no thresholds), e.g. an average of several. */
export type RocPoints = Pick<RocCurve, 'fpr' | 'tpr'>;

/**
 * Vertical averaging of ROC curves (Fawcett 2006, §8.1), e.g. over seeds:
 * each curve is read as the polyline through its points, evaluated at every
 * FPR at which any curve has a point, and the TPRs are averaged. Where a
 * curve rises vertically at an FPR both ends of the rise are averaged, so
 * the result of averaging a single curve is that curve, and the area under
 * the average equals the mean of the areas.
 *
 * @throws EvaluationError on an empty list, mismatched lengths, empty
 *   curves, or a decreasing FPR.
 */
export function averageRocs(curves: readonly RocPoints[]): { fpr: number[]; tpr: number[] } {
  if (curves.length === 0) throw new EvaluationError('EVAL_INPUT_INVALID', 'curves', 'no ROC curve to average');
  curves.forEach(checkCurve);
  const grid = [...new Set(curves.flatMap((c) => c.fpr))].sort((a, b) => a - b);
  const low = new Float64Array(grid.length);
  const high = new Float64Array(grid.length);
  for (const c of curves) {
    let k = 0; // first point with fpr ≥ grid[g]
    grid.forEach((x, g) => {
      while (k < c.fpr.length && (c.fpr[k] as number) < x) k++;
      const [lo, hi] = tprRangeAt(c, k, x);
      low[g] = (low[g] as number) + lo / curves.length;
      high[g] = (high[g] as number) + hi / curves.length;
    });
  }
  const fpr: number[] = [];
  const tpr: number[] = [];
  const push = (x: number, y: number) => {
    if (fpr.length === 0 || fpr[fpr.length - 1] !== x || tpr[tpr.length - 1] !== y) {
      fpr.push(x);
      tpr.push(y);
    }
  };
  grid.forEach((x, g) => {
    push(x, low[g] as number);
    push(x, high[g] as number);
  });
  return { fpr, tpr };
}

/** TPRs the polyline takes at FPR `x`, given `k` = first point with fpr ≥ x: an interval on vertical rises. */
function tprRangeAt(c: RocPoints, k: number, x: number): [number, number] {
  const n = c.fpr.length;
  if (k < n && c.fpr[k] === x) {
    let last = k;
    while (last + 1 < n && c.fpr[last + 1] === x) last++;
    return [c.tpr[k] as number, c.tpr[last] as number];
  }
  if (k === 0) return [c.tpr[0] as number, c.tpr[0] as number]; // left of the curve: its first TPR
  if (k === n) return [c.tpr[n - 1] as number, c.tpr[n - 1] as number]; // right of the curve: its last TPR
  const [x0, x1, y0, y1] = [c.fpr[k - 1] as number, c.fpr[k] as number, c.tpr[k - 1] as number, c.tpr[k] as number];
  const y = y0 + ((x - x0) * (y1 - y0)) / (x1 - x0);
  return [y, y];
}

function checkCurve(c: RocPoints, i: number): void {
  if (c.fpr.length !== c.tpr.length) {
    throw new EvaluationError('EVAL_INPUT_INVALID', `curves[${i}].tpr`, `length ${c.tpr.length} differs from curves[${i}].fpr length ${c.fpr.length}`);
  }
  if (c.fpr.length === 0) throw new EvaluationError('EVAL_INPUT_INVALID', `curves[${i}]`, 'empty ROC curve');
  for (let k = 0; k < c.fpr.length; k++) {
    const f = c.fpr[k] as number;
    const t = c.tpr[k] as number;
    if (!Number.isFinite(f) || !Number.isFinite(t)) {
      throw new EvaluationError('EVAL_INPUT_INVALID', `curves[${i}]`, `point ${k} is not finite`);
    }
    if (k > 0 && f < (c.fpr[k - 1] as number)) {
      throw new EvaluationError('EVAL_INPUT_INVALID', `curves[${i}].fpr[${k}]`, 'FPR must be non-decreasing along the curve');
    }
  }
}
