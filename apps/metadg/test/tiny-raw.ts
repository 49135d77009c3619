// Raw (unparsed) tiny glyph configs shared by the app's unit tests and the
// end-to-end tests of the built CLI (test/built): plain data, no imports, so
// either side can use them. 30 identities × 5 domains × 6 samples at 16 px,
// an 8-channel CNN, B = 4 — seconds per job on 2 cores.

/** The mfr-sampler with B = 4 and optional extra hyper-parameters. */
export const tinySampler = (extra: Record<string, unknown> = {}) => ({ name: 'mfr-sampler', hparams: { batchSize: 4, ...extra } });

/** The tiny evaluation protocol; `selectionPoints` is how often validation runs during training. */
export const tinyProtocol = (selectionPoints = 4) => ({
  testIdentities: 0.3,
  pairs: 40,
  samples: 40,
  selection: { pairs: 20, points: selectionPoints },
  convergence: { pairs: 20 },
});

/** The raw base of every tiny config (MFR on tiny glyphs). */
export function tinyRaw(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'tiny',
    seed: 0,
    dataset: { name: 'glyphs', hparams: { maxIdentities: 30, imageSize: 16, samplesPerIdentity: 6 } },
    backbone: { name: 'small-cnn', hparams: { channels: [8, 8], groups: 4, embeddingSize: 16 } },
    losses: [{ name: 'hard-pair' }, { name: 'soft-classification' }, { name: 'domain-alignment' }],
    sampler: tinySampler(),
    algorithm: { name: 'mfr' },
    train: { steps: 4, logEvery: 100 },
    protocol: tinyProtocol(),
    ...overrides,
  };
}

/** A raw tiny MFR vs ERM comparison (held out: serif; in-process). */
export function tinyCompareRaw(overrides: Record<string, unknown> = {}, compare: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...tinyRaw(overrides),
    compare: {
      algorithms: [
        { label: 'MFR', algorithm: { name: 'mfr' } },
        { label: 'ERM', algorithm: { name: 'erm' }, sampler: tinySampler({ metaTrainDomains: 'rest' }) },
      ],
      heldOut: ['serif'],
      seeds: 2,
      workers: 0,
      checkpointEvery: 2,
      ...compare,
    },
  };
}
