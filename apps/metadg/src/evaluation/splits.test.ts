import { InMemoryDataset } from '@metadg/data';
import { createGlyphDataset } from '@metadg/dataset-glyphs';
import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyRun } from '../../test/tiny-config.js';
import { identitySplit, trainingView } from './evaluate-run.js';
import { holdOutSamples } from './sample-holdout.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const idsOf = (dataset: { domains: readonly string[]; identities(d: string): readonly { id: string }[] }) =>
  new Set(dataset.domains.flatMap((d) => dataset.identities(d).map((i) => i.id)));

describe('the open-set protocol split', () => {
  const protocol = tinyRun().protocol;
  const glyphs = createGlyphDataset({ maxIdentities: 30, imageSize: 16, samplesPerIdentity: 6 });

  it('keeps validation identities disjoint from training and test identities, in every domain', () => {
    const split = identitySplit(glyphs, protocol);
    const [train, val, test] = [split.train, split.val!, split.test].map(idsOf) as [Set<string>, Set<string>, Set<string>];
    expect(val.size).toBe(3); // 10 % of 30
    expect(test.size).toBe(9); // 30 % of 30
    expect(train.size).toBe(18);
    for (const id of val) expect(train.has(id) || test.has(id)).toBe(false);
    for (const id of test) expect(train.has(id)).toBe(false);
    // What training sees is exactly the training part.
    const view = trainingView(protocol)!(glyphs);
    expect(idsOf(view)).toEqual(train);
  });

  it('tests on the same identities with or without a validation split', () => {
    const selecting = identitySplit(glyphs, protocol);
    const last = identitySplit(glyphs, { ...protocol, selection: { ...protocol.selection, method: 'last' } });
    expect(last.val).toBeUndefined();
    expect(last.identities.test).toEqual(selecting.identities.test);
    expect(idsOf(trainingView({ ...protocol, selection: { ...protocol.selection, method: 'last' } })!(glyphs)).size).toBe(21);
  });
});

describe('holdOutSamples (closed-set validation)', () => {
  // 1×1 images whose pixel is the sample index: a loaded value names the sample behind it.
  const dataset = new InMemoryDataset({
    name: 'digits',
    sampleShape: [1, 1, 1],
    samples: {
      a: { '0': Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), '1': Uint8Array.from([20, 21]), '2': Uint8Array.from([30]) },
      b: { '0': Uint8Array.from([40, 41, 42, 43, 44]) },
    },
  });

  it('holds back a fraction of every identity\'s samples, at least one of two or more, none of one', () => {
    const h = holdOutSamples(dataset, 0.2, 7);
    expect(h.train.identities('a').map((i) => [i.id, i.samples])).toEqual([['0', 8], ['1', 1], ['2', 1]]);
    expect(h.train.identities('b').map((i) => [i.id, i.samples])).toEqual([['0', 4]]);
    expect(h.validation('a').filter((r) => r.identity === '0')).toHaveLength(2);
    expect(h.validation('a').filter((r) => r.identity === '2')).toHaveLength(0);
  });

  it('never loads a validation sample through the training view, and is deterministic per seed', async () => {
    const h = holdOutSamples(dataset, 0.3, 1);
    const val = new Set(h.validation('a').filter((r) => r.identity === '0').map((r) => r.index));
    const refs = Array.from({ length: h.train.identities('a')[0]!.samples }, (_, index) => ({ domain: 'a', identity: '0', index }));
    const pixels = Array.from(await (await h.train.load(refs)).data()).map((v) => Math.round(v * 255));
    expect(pixels).toHaveLength(7);
    expect(new Set([...pixels, ...val]).size).toBe(10);
    for (const p of pixels) expect(val.has(p)).toBe(false);
    expect(holdOutSamples(dataset, 0.3, 1).validation('a')).toEqual(h.validation('a'));
    expect(holdOutSamples(dataset, 0.3, 2).validation('a')).not.toEqual(h.validation('a'));
    await expect(h.train.load([{ domain: 'a', identity: '0', index: 7 }])).rejects.toThrow(/no training sample 7 of identity "0" in domain "a"/);
  });
});
