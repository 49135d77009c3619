import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEvalJson } from '../json.js';
import { bruteForceKFold, mannWhitneyAuc, randomPairs } from '../../test/reference.js';
import { metricsFromScoresFile, metricsFromScoresJson, verificationMetricsToJson } from './scores-file.js';
import { computeVerificationMetrics } from './verification-metrics.js';

describe('computeVerificationMetrics', () => {
  it('returns the documented object (hand-computed case)', () => {
    // 10 pairs, one per fold. Positives 0.9 0.8 0.6 0.35 0.3, negatives 0.7 0.5 0.4 0.2 0.1.
    // Mann–Whitney wins: 0.9→5, 0.8→5, 0.6→4, 0.35→2, 0.3→2 = 18 of 25 → AUC 0.72.
    // TPR at FPR ≤ 0.1 (i.e. 0 false accepts of 5): accept 0.9, 0.8 → 2/5.
    const scores = [0.9, 0.7, 0.8, 0.5, 0.6, 0.4, 0.35, 0.2, 0.3, 0.1];
    const labels = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0];
    const m = computeVerificationMetrics({ scores, labels });
    expect(Object.keys(m).sort()).toEqual(['accuracy10fold', 'auc', 'pairs', 'roc', 'tpr']);
    expect(m.auc).toBeCloseTo(0.72, 15);
    expect(m.tpr).toEqual({ '1e-1': 0.4, '1e-2': 0.4, '1e-3': 0.4 });
    expect(m.pairs).toEqual({ positives: 5, negatives: 5 });
    expect(m.roc.thresholds[0]).toBe(Infinity);
    expect(m.roc.fpr).toHaveLength(11);
    const brute = bruteForceKFold(scores, labels, 10);
    expect(m.accuracy10fold.accuracies).toEqual(brute.accuracies);
    expect(m.accuracy10fold.mean).toBeCloseTo(brute.accuracies.reduce((a, b) => a + b) / 10, 15);
  });

  it('reports TPR at 1e-4 once there are 10 000 negatives, equal to an order-statistic formula', () => {
    const { scores, labels } = randomPairs(21, 17000, 100000, 0.8);
    const negatives = scores.filter((_, i) => labels[i] === 0).sort((a, b) => b - a);
    const positives = scores.filter((_, i) => labels[i] === 1);
    expect(negatives.length).toBeGreaterThanOrEqual(1e4);
    const m = computeVerificationMetrics({ scores, labels });
    expect(Object.keys(m.tpr)).toEqual(['1e-1', '1e-2', '1e-3', '1e-4']);
    // At most a = ⌊N·target⌋ false accepts: accept exactly the scores above the
    // (a+1)-th highest negative score.
    for (const [key, target] of [['1e-1', 1e-1], ['1e-2', 1e-2], ['1e-3', 1e-3], ['1e-4', 1e-4]] as const) {
      const cut = negatives[Math.floor(negatives.length * target)] as number;
      expect(m.tpr[key]).toBe(positives.filter((s) => s > cut).length / positives.length);
    }
    const small = randomPairs(22, 2000, 30);
    expect(computeVerificationMetrics(small).auc).toBeCloseTo(mannWhitneyAuc(small.scores, small.labels), 12);
  });

  it('needs 10 pairs for the 10-fold accuracy', () => {
    expect(() => computeVerificationMetrics({ scores: [0.1, 0.9], labels: [0, 1] })).toThrow(
      'scores: 10-fold accuracy needs at least 10 pairs, got 2',
    );
  });
});

describe('scores files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'metadg-eval-'));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const pairs = randomPairs(31, 60, 10);

  it('reads {"scores", "labels"} and writes JSON with "Infinity" for the first threshold', async () => {
    const path = write('scores.json', JSON.stringify({ ...pairs, model: 'ignored' }));
    const m = await metricsFromScoresFile(path);
    expect(m).toEqual(computeVerificationMetrics(pairs));
    const json = verificationMetricsToJson(m);
    const raw = JSON.parse(json) as { roc: { thresholds: unknown[] }; tpr: Record<string, number> };
    expect(raw.roc.thresholds[0]).toBe('Infinity');
    expect(Object.keys(raw.tpr)).toEqual(['1e-1', '1e-2', '1e-3']);
    expect(parseEvalJson(json)).toEqual(m);
  });

  it('names the file and the field at fault', async () => {
    await expect(metricsFromScoresFile(join(dir, 'missing.json'))).rejects.toThrow(/missing\.json: file: cannot be read \(ENOENT\)/);
    const notJson = write('broken.json', '{"scores": [0.1,');
    await expect(metricsFromScoresFile(notJson)).rejects.toThrow(/broken\.json: file: is not valid JSON/);
    expect(() => metricsFromScoresJson('[1, 2]', 'a.json')).toThrow('a.json: (root): expected an object {"scores": [...], "labels": [...]}, got an array');
    expect(() => metricsFromScoresJson('{"labels": [1, 0]}', 'a.json')).toThrow('a.json: scores: missing (expected an array)');
    expect(() => metricsFromScoresJson('{"scores": {"0": 1}, "labels": [1]}', 'a.json')).toThrow('a.json: scores: expected an array, got object');
    // NaN written by other tools' JSON encoders arrives as null.
    expect(() => metricsFromScoresJson('{"scores": [0.1, 0.2, 0.3, null], "labels": [1, 0, 1, 0]}', 'b.json')).toThrow(
      'b.json: scores[3]: not a finite number (got null)',
    );
    expect(() => metricsFromScoresJson('{"scores": [0.1, 0.2], "labels": [1, 0, 1]}', 'b.json')).toThrow(
      'b.json: labels: length 3 differs from scores length 2',
    );
  });
});
