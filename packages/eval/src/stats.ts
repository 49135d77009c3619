/** Arithmetic mean; `NaN` for an empty list (callers check emptiness first). */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return sum / values.length;
}

/**
 * Standard deviation with `ddof` delta degrees of freedom, as numpy's
 * `np.std(x, ddof=…)`: `ddof = 0` is the population std (what insightface and
 * the LFW scripts report over 10 folds), `ddof = 1` the sample std (what we
 * report over seeds). Returns 0 when there are not more values than `ddof`,
 * so a single run reads as "no spread measured" rather than NaN.
 */
export function standardDeviation(values: ArrayLike<number>, ddof: 0 | 1): number {
  const n = values.length;
  if (n <= ddof) return 0;
  const m = mean(values);
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - m;
    ss += d * d;
  }
  return Math.sqrt(ss / (n - ddof));
}
