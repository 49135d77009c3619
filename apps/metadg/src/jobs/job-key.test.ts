import { describe, expect, it } from 'vitest';
import { canonicalJson, jobKey } from './job-key.js';

describe('jobKey', () => {
  it('ignores key order but not values', () => {
    const a = { seed: 1, algorithm: { name: 'mfr', hparams: { gamma: 0.5, alpha: 0.1 } } };
    const b = { algorithm: { hparams: { alpha: 0.1, gamma: 0.5 }, name: 'mfr' }, seed: 1 };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(jobKey('MFR-serif-s1', a)).toBe(jobKey('MFR-serif-s1', b));
    expect(jobKey('MFR-serif-s1', a)).not.toBe(jobKey('MFR-serif-s1', { ...a, seed: 2 }));
  });

  it('keeps a readable, filesystem-safe prefix', () => {
    expect(jobKey('MFR (γ=0.5)/serif s0', {})).toMatch(/^MFR_0\.5_serif_s0-[0-9a-f]{12}$/);
  });
});
