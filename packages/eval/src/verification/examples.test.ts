import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bruteForceKFold, bruteForceRoc, mannWhitneyAuc } from '../../test/reference.js';
import { metricsFromScoresFile } from './scores-file.js';

describe('README example (examples/scores.json)', () => {
  it('gives the numbers the README shows, which agree with the brute-force references', async () => {
    const path = fileURLToPath(new URL('../../examples/scores.json', import.meta.url));
    const { scores, labels } = JSON.parse(readFileSync(path, 'utf8')) as { scores: number[]; labels: number[] };
    const m = await metricsFromScoresFile(path);
    expect(m.pairs).toEqual({ positives: 20, negatives: 20 });
    // Values quoted in README.md:
    expect(m.auc).toBeCloseTo(0.9775, 15);
    expect(m.tpr).toEqual({ '1e-1': 0.95, '1e-2': 0.85, '1e-3': 0.85 });
    expect(m.accuracy10fold.mean).toBeCloseTo(0.875, 15);
    // … and their independent references.
    expect(m.auc).toBeCloseTo(mannWhitneyAuc(scores, labels), 15);
    const brute = bruteForceRoc(scores, labels);
    expect(m.tpr['1e-1']).toBe(Math.max(...brute.tpr.filter((_, i) => (brute.fpr[i] as number) <= 0.1)));
    expect(m.accuracy10fold.accuracies).toEqual(bruteForceKFold(scores, labels, 10).accuracies);
  });
});
