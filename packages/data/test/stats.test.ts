import { describe, expect, it } from 'vitest';
import { InMemoryDataset, datasetStats, formatStats } from '../src/index.js';

function dataset(): InMemoryDataset {
  const px = (n: number): Float32Array => new Float32Array(n);
  return new InMemoryDataset({
    name: 'counts',
    sampleShape: [1, 1, 1],
    samples: {
      x: { a: px(3), b: px(1), c: px(2) },
      y: { a: px(4), c: px(4) },
      z: { d: px(5) },
    },
  });
}

describe('datasetStats', () => {
  it('counts identities and samples per domain, singletons, and identities shared across domains', () => {
    const s = datasetStats(dataset());
    expect(s.domains).toEqual([
      { domain: 'x', identities: 3, samples: 6, minPerIdentity: 1, maxPerIdentity: 3, singletons: 1 },
      { domain: 'y', identities: 2, samples: 8, minPerIdentity: 4, maxPerIdentity: 4, singletons: 0 },
      { domain: 'z', identities: 1, samples: 5, minPerIdentity: 5, maxPerIdentity: 5, singletons: 0 },
    ]);
    expect(s.identities).toBe(4);
    expect(s.samples).toBe(19);
    expect(s.sharedIdentities).toBe(2);
    expect(s.identitiesInAllDomains).toBe(0);
    expect(s.overlap).toEqual([[3, 2, 0], [2, 2, 0], [0, 0, 1]]);
    expect(s.loader).toBeUndefined();
  });

  it('formats a readable table', () => {
    const text = formatStats(datasetStats(dataset()));
    const lines = text.split('\n');
    expect(lines[0]).toBe('dataset counts: 3 domains, 4 identities, 19 samples, sample shape [1, 1, 1]');
    expect(lines[1]).toMatch(/^domain\s+identities\s+samples\s+per identity\s+singletons$/);
    expect(lines[3]).toMatch(/^x\s+3\s+6\s+1–3\s+1$/);
    expect(lines[4]).toMatch(/^y\s+2\s+8\s+4\s+0$/);
    expect(text).toContain('identities shared by >= 2 domains: 2 of 4; in all 3 domains: 0');
    expect(text).toMatch(/\nx\s+3\s+2\s+0\n/);
  });
});
