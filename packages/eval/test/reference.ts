/**
 * Independent, deliberately naive reference implementations used to
 * cross-check the metrics (O(n²) and brute-force searches), plus a tiny
 * seeded PRNG for test data.
 */

/** mulberry32: a small seeded PRNG so random test data is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Random verification pairs; scores are rounded to `levels` values so that
 * ties are frequent, positives shifted up by `separation`.
 */
export function randomPairs(seed: number, n: number, levels: number, separation = 0.3): { scores: number[]; labels: (0 | 1)[] } {
  const rand = seededRandom(seed);
  const scores: number[] = [];
  const labels: (0 | 1)[] = [];
  for (let i = 0; i < n; i++) {
    const label: 0 | 1 = rand() < 0.4 ? 1 : 0;
    const raw = rand() + (label === 1 ? separation : 0);
    scores.push(Math.round(raw * levels) / levels);
    labels.push(label);
  }
  // Both classes must be present for the metrics to be defined.
  labels[0] = 1;
  labels[1] = 0;
  return { scores, labels };
}

/** Mann–Whitney AUC by comparing every positive with every negative; ties count ½. */
export function mannWhitneyAuc(scores: readonly number[], labels: readonly number[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((sp, i) => {
    if (labels[i] !== 1) return;
    scores.forEach((sn, j) => {
      if (labels[j] !== 0) return;
      pairs++;
      wins += sp > sn ? 1 : sp === sn ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

/** ROC by evaluating the rule `score ≥ t` from scratch at +∞ and every distinct score. */
export function bruteForceRoc(scores: readonly number[], labels: readonly number[]) {
  const positives = labels.filter((l) => l === 1).length;
  const negatives = labels.length - positives;
  const thresholds = [Number.POSITIVE_INFINITY, ...[...new Set(scores)].sort((a, b) => b - a)];
  const fpr: number[] = [];
  const tpr: number[] = [];
  for (const t of thresholds) {
    fpr.push(scores.filter((s, i) => s >= t && labels[i] === 0).length / negatives);
    tpr.push(scores.filter((s, i) => s >= t && labels[i] === 1).length / positives);
  }
  return { fpr, tpr, thresholds };
}

/** Accuracy of the rule `score ≥ t ⇒ same` on the given pairs. */
export function accuracyAt(scores: readonly number[], labels: readonly number[], t: number): number {
  let correct = 0;
  scores.forEach((s, i) => {
    if ((s >= t ? 1 : 0) === labels[i]) correct++;
  });
  return correct / scores.length;
}

/**
 * k-fold accuracy with every candidate threshold (±∞ and midpoints between
 * distinct training scores) evaluated from scratch, highest threshold first
 * so that ties in training accuracy keep the highest.
 */
export function bruteForceKFold(scores: readonly number[], labels: readonly number[], k: number) {
  const n = scores.length;
  const sizes = Array.from({ length: k }, (_, f) => Math.floor(n / k) + (f < n % k ? 1 : 0));
  const accuracies: number[] = [];
  const thresholds: number[] = [];
  let start = 0;
  for (const size of sizes) {
    const inFold = (i: number) => i >= start && i < start + size;
    const trS = scores.filter((_, i) => !inFold(i));
    const trL = labels.filter((_, i) => !inFold(i));
    const distinct = [...new Set(trS)].sort((a, b) => b - a);
    const candidates = [Number.POSITIVE_INFINITY];
    for (let j = 0; j + 1 < distinct.length; j++) candidates.push(((distinct[j] as number) + (distinct[j + 1] as number)) / 2);
    candidates.push(Number.NEGATIVE_INFINITY);
    let best = Number.POSITIVE_INFINITY;
    let bestAcc = -1;
    for (const t of candidates) {
      const acc = accuracyAt(trS, trL, t);
      if (acc > bestAcc + 1e-12) {
        bestAcc = acc;
        best = t;
      }
    }
    thresholds.push(best);
    accuracies.push(accuracyAt(scores.slice(start, start + size), labels.slice(start, start + size), best));
    start += size;
  }
  return { accuracies, thresholds };
}
