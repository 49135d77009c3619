import type { VerificationMetrics } from '../verification/verification-metrics.js';
import type { MetricSpec } from './comparison-types.js';

/** Labels of the metrics MetaDG produces, in the order tables show them. */
export const BUILT_IN_METRICS: readonly MetricSpec[] = [
  { key: 'auc', label: 'AUC' },
  { key: 'tpr@1e-1', label: 'TPR @ FPR=1e-1' },
  { key: 'tpr@1e-2', label: 'TPR @ FPR=1e-2' },
  { key: 'tpr@1e-3', label: 'TPR @ FPR=1e-3' },
  { key: 'tpr@1e-4', label: 'TPR @ FPR=1e-4' },
  { key: 'accuracy10fold', label: 'Accuracy (10-fold)' },
  { key: 'rank1', label: 'Rank-1' },
  { key: 'accuracy', label: 'Accuracy' },
];

/** A metric spec with every default filled in. */
export type ResolvedMetricSpec = Required<MetricSpec>;

/**
 * The specs to tabulate: the given ones (defaults filled in), or else every
 * key present in `keys`, built-in metrics first in their usual order.
 */
export function resolveMetricSpecs(specs: readonly MetricSpec[] | undefined, keys: readonly string[]): ResolvedMetricSpec[] {
  const chosen: readonly MetricSpec[] = specs ?? [
    ...BUILT_IN_METRICS.filter((m) => keys.includes(m.key)),
    ...keys.filter((k) => !BUILT_IN_METRICS.some((m) => m.key === k)).map((key) => ({ key })),
  ];
  return chosen.map((s) => ({
    key: s.key,
    label: s.label ?? BUILT_IN_METRICS.find((m) => m.key === s.key)?.label ?? s.key,
    higherIsBetter: s.higherIsBetter ?? true,
    digits: s.digits ?? 4,
  }));
}

/**
 * Verification metrics as the flat `RunResult.metrics` record:
 * `auc`, `tpr@1e-1` … (`tpr@1e-4` when reported) and `accuracy10fold` (the mean).
 */
export function flattenVerificationMetrics(m: VerificationMetrics): Record<string, number> {
  const out: Record<string, number> = { auc: m.auc };
  for (const [target, value] of Object.entries(m.tpr)) out[`tpr@${target}`] = value;
  out.accuracy10fold = m.accuracy10fold.mean;
  return out;
}
