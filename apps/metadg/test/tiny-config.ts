// A tiny glyph benchmark for app unit tests: 30 identities × 5 domains × 6
// samples at 16 px, an 8-channel CNN, B = 4 — seconds per job on 2 cores.
import { appRunConfigSchema, compareConfigSchema, type AppRunConfig, type CompareConfig } from '../src/config/app-config.js';

const sampler = (extra: Record<string, unknown> = {}) => ({ name: 'mfr-sampler', hparams: { batchSize: 4, ...extra } });

/** The raw (unparsed) base of every tiny config. */
export function tinyRaw(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'tiny',
    seed: 0,
    dataset: { name: 'glyphs', hparams: { maxIdentities: 30, imageSize: 16, samplesPerIdentity: 6 } },
    backbone: { name: 'small-cnn', hparams: { channels: [8, 8], groups: 4, embeddingSize: 16 } },
    losses: [{ name: 'hard-pair' }, { name: 'soft-classification' }, { name: 'domain-alignment' }],
    sampler: sampler(),
    algorithm: { name: 'mfr' },
    train: { steps: 4, logEvery: 100 },
    protocol: { testIdentities: 0.3, pairs: 40, samples: 40, selection: { pairs: 20, points: 4 }, convergence: { pairs: 20 } },
    ...overrides,
  };
}

/** A tiny single run holding out `serif`. */
export function tinyRun(overrides: Record<string, unknown> = {}): AppRunConfig {
  return appRunConfigSchema.parse(tinyRaw({ split: { heldOut: ['serif'] }, ...overrides }));
}

/** A tiny MFR vs ERM comparison (held out: serif; seeds 0, 1; in-process). */
export function tinyCompare(overrides: Record<string, unknown> = {}, compare: Record<string, unknown> = {}): CompareConfig {
  return compareConfigSchema.parse({
    ...tinyRaw(overrides),
    compare: {
      algorithms: [
        { label: 'MFR', algorithm: { name: 'mfr' } },
        { label: 'ERM', algorithm: { name: 'erm' }, sampler: sampler({ metaTrainDomains: 'rest' }) },
      ],
      heldOut: ['serif'],
      seeds: 2,
      workers: 0,
      checkpointEvery: 2,
      ...compare,
    },
  });
}
