import * as tf from '@tensorflow/tfjs-core';
import {
  DataError,
  PluginError,
  Rng,
  buildLabelSpace,
  disposeEpisode,
  memoryLogger,
  silentLogger,
  validateHparams,
  type DomainDataset,
  type Episode,
  type PairBatch,
  type SampleRef,
  type TrainingTask,
} from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryDataset } from '../test/helpers.js';
import { MfrSampler, combinations, mfrSamplerPlugin, type MfrSamplerOptions } from './sampler.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

const DOMAINS = ['d0', 'd1', 'd2', 'd3'];

function task(dataset: DomainDataset, heldOut: string[] = []): TrainingTask {
  const sourceDomains = dataset.domains.filter((d) => !heldOut.includes(d));
  return { dataset, sourceDomains, heldOutDomains: heldOut, labels: buildLabelSpace(dataset, sourceDomains) };
}

const options = (over: Partial<MfrSamplerOptions> = {}): MfrSamplerOptions => ({
  batchSize: 4,
  metaTrainDomains: 2,
  metaTestDomains: 1,
  mode: 'random',
  ...over,
});

/** Records every SampleRef the sampler loads. */
function recording(dataset: DomainDataset): DomainDataset & { refs: SampleRef[][] } {
  const refs: SampleRef[][] = [];
  return {
    name: dataset.name,
    domains: dataset.domains,
    sampleShape: dataset.sampleShape,
    identities: (d) => dataset.identities(d),
    load: (r) => {
      refs.push([...r]);
      return dataset.load(r);
    },
    refs,
  };
}

async function describeEpisode(sampler: MfrSampler, step: number) {
  const e = await sampler.sample(step);
  const out = {
    domains: e.batches.map((b) => b.domain),
    identities: e.batches.map((b) => b.identities),
    labels: e.batches.map((b) => Array.from(b.labels.dataSync())),
    splits: e.splits.map((s) => ({ train: s.metaTrain.map((b) => b.domain), test: s.metaTest.map((b) => b.domain) })),
  };
  disposeEpisode(e);
  return out;
}

describe('MfrSampler', () => {
  it('draws disjoint meta-train (2) and meta-test (1) domains and B pairs per domain', async () => {
    const t = task(memoryDataset({ domains: DOMAINS, identities: 10 }));
    const sampler = new MfrSampler(t, options(), new Rng(1), silentLogger);
    for (let step = 0; step < 10; step++) {
      const e: Episode = await sampler.sample(step);
      expect(e.step).toBe(step);
      expect(e.batches).toHaveLength(3);
      expect(e.splits).toHaveLength(1);
      const [split] = e.splits;
      const train = split!.metaTrain.map((b) => b.domain);
      const test = split!.metaTest.map((b) => b.domain);
      expect(train).toHaveLength(2);
      expect(test).toHaveLength(1);
      expect(new Set([...train, ...test]).size).toBe(3);
      for (const b of e.batches as PairBatch[]) {
        expect(b.gallery.shape).toEqual([4, 2, 2, 1]);
        expect(b.probe.shape).toEqual([4, 2, 2, 1]);
        expect(new Set(b.identities).size).toBe(4);
        expect(Array.from(b.labels.dataSync())).toEqual(b.identities.map((id) => t.labels.indexOf(id)));
        expect(b.labels.dtype).toBe('int32');
      }
      disposeEpisode(e);
    }
  });

  it("metaTrainDomains 'rest' uses every source domain: n − 1 meta-train + 1 meta-test", async () => {
    const t = task(memoryDataset({ domains: [...DOMAINS, 'd4'], identities: 6 }), ['d2']);
    const sampler = new MfrSampler(t, options({ metaTrainDomains: 'rest' }), new Rng(4), silentLogger);
    for (let step = 0; step < 4; step++) {
      const { domains, splits } = await describeEpisode(sampler, step);
      expect([...domains].sort()).toEqual(['d0', 'd1', 'd3', 'd4']);
      expect(splits[0]!.train).toHaveLength(3);
      expect(splits[0]!.test).toHaveLength(1);
    }
  });

  it('pairs two different samples of the same identity', async () => {
    const dataset = recording(memoryDataset({ domains: DOMAINS, identities: 6, samples: () => 2 }));
    const sampler = new MfrSampler(task(dataset), options(), new Rng(2), silentLogger);
    for (let step = 0; step < 5; step++) disposeEpisode(await sampler.sample(step));
    // Loads alternate gallery, probe per domain.
    for (let i = 0; i < dataset.refs.length; i += 2) {
      const gallery = dataset.refs[i]!;
      const probe = dataset.refs[i + 1]!;
      gallery.forEach((g, j) => {
        expect(probe[j]!.identity).toBe(g.identity);
        expect(probe[j]!.domain).toBe(g.domain);
        expect(probe[j]!.index).not.toBe(g.index);
      });
    }
  });

  it('is a pure function of (seed, step): same episode in any order, another seed differs', async () => {
    const t = task(memoryDataset({ domains: DOMAINS, identities: 12 }));
    const a = new MfrSampler(t, options(), new Rng(5), silentLogger);
    const b = new MfrSampler(t, options(), new Rng(5), silentLogger);
    const c = new MfrSampler(t, options(), new Rng(6), silentLogger);
    const a3 = await describeEpisode(a, 3);
    await describeEpisode(b, 7);
    expect(await describeEpisode(b, 3)).toEqual(a3);
    const c3 = await describeEpisode(c, 3);
    expect(c3).not.toEqual(a3);
  });

  it('cycle mode makes every source domain meta-test equally often', async () => {
    const t = task(memoryDataset({ domains: DOMAINS, identities: 5 }));
    const sampler = new MfrSampler(t, options({ mode: 'cycle' }), new Rng(3), silentLogger);
    const counts = new Map<string, number>();
    for (let step = 0; step < 12; step++) {
      const e = await describeEpisode(sampler, step);
      const test = e.splits[0]!.test[0]!;
      expect(e.splits[0]!.train).not.toContain(test);
      counts.set(test, (counts.get(test) ?? 0) + 1);
    }
    expect([...counts.values()]).toEqual([3, 3, 3, 3]);
  });

  it('all-splits mode yields every leave-one-out split of the drawn domains', async () => {
    const t = task(memoryDataset({ domains: DOMAINS, identities: 5 }));
    const sampler = new MfrSampler(t, options({ mode: 'all-splits' }), new Rng(3), silentLogger);
    const e = await describeEpisode(sampler, 0);
    expect(e.domains).toHaveLength(3);
    expect(e.splits).toHaveLength(3);
    expect(e.splits.map((s) => s.test[0]).sort()).toEqual([...e.domains].sort());
    for (const s of e.splits) expect([...s.train, ...s.test].sort()).toEqual([...e.domains].sort());
  });

  it('skips identities with fewer than 2 samples and reports them once', async () => {
    const log = memoryLogger();
    const dataset = memoryDataset({ domains: DOMAINS, identities: 8, samples: (d, i) => (i < 2 && d === 'd1' ? 1 : 3) });
    const sampler = new MfrSampler(task(dataset), options(), new Rng(1), log);
    for (let step = 0; step < 20; step++) {
      const e = await sampler.sample(step);
      for (const b of e.batches as PairBatch[]) {
        if (b.domain === 'd1') expect(b.identities).not.toContain('id000');
      }
      disposeEpisode(e);
    }
    expect(log.lines).toEqual(['info: mfr-sampler: skipped identities with fewer than 2 samples: 2 in "d1"']);
  });

  it('names a domain with fewer usable identities than B', () => {
    const dataset = memoryDataset({ domains: DOMAINS, identities: 5, samples: (d, i) => (d === 'd2' && i > 2 ? 1 : 2) });
    expect(() => new MfrSampler(task(dataset), options(), new Rng(1), silentLogger)).toThrow(
      new DataError('domain "d2" of dataset "memory"', 'has 3 identities with at least 2 samples, fewer than batchSize = 4 (hparam of "mfr-sampler")'),
    );
  });

  it('names an identity missing from the label space', () => {
    const dataset = memoryDataset({ domains: DOMAINS, identities: 5 });
    const t = { ...task(dataset), labels: buildLabelSpace(memoryDataset({ domains: DOMAINS, identities: 4 }), DOMAINS) };
    expect(() => new MfrSampler(t, options(), new Rng(1), silentLogger)).toThrow(
      new DataError('domain "d0" of dataset "memory"', 'identity "id004" is not in the task\'s label space'),
    );
  });

  it('needs as many source domains as meta-train + meta-test', () => {
    const t = task(memoryDataset({ domains: DOMAINS, identities: 5 }), ['d0', 'd1']);
    expect(() => new MfrSampler(t, options(), new Rng(1), silentLogger)).toThrow(
      new PluginError(
        'PLUGIN_HPARAMS_INVALID',
        'mfr-sampler',
        'an episode needs 3 source domains (2 meta-train + 1 meta-test), the task has 2: d2, d3',
        'metaTrainDomains',
      ),
    );
  });

  it('releases what it loaded when a load fails', async () => {
    const base = memoryDataset({ domains: DOMAINS, identities: 5 });
    let calls = 0;
    const failing: DomainDataset = {
      ...base,
      identities: (d) => base.identities(d),
      load: async (refs) => {
        calls += 1;
        if (calls === 4) throw new Error('disk gone');
        return base.load(refs);
      },
    };
    const sampler = new MfrSampler(task(failing), options(), new Rng(1), silentLogger);
    const before = tf.memory().numTensors;
    await expect(sampler.sample(0)).rejects.toThrow('disk gone');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('mfr-sampler hyper-parameters', () => {
  it('defaults to B = 32, 2 meta-train + 1 meta-test, random', () => {
    expect(validateHparams(mfrSamplerPlugin, {})).toEqual({ batchSize: 32, metaTrainDomains: 2, metaTestDomains: 1, mode: 'random' });
  });

  it('rejects B < 2, naming the field', () => {
    expect(() => validateHparams(mfrSamplerPlugin, { batchSize: 1 })).toThrow(
      new PluginError('PLUGIN_HPARAMS_INVALID', 'mfr-sampler', 'must be ≥ 2 (hard negatives need two pairs)', 'batchSize'),
    );
    expect(() => validateHparams(mfrSamplerPlugin, { mode: 'shuffle' })).toThrow(/hparams.mode/);
  });
});

describe('combinations', () => {
  it('lists every k-subset', () => {
    expect(combinations(3, 1)).toEqual([[0], [1], [2]]);
    expect(combinations(4, 2)).toEqual([[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]);
  });
});
