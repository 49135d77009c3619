import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError, type DomainDataset } from '@metadg/core';
import { tempDir, useCpuBackend } from '../../test/helpers.js';
import { InMemoryDataset } from '../dataset/in-memory.js';
import { findIdMerges, type IdMergePair } from './find-merges.js';
import { classCentres, dot } from './label-embeddings.js';
import { MERGE_MAP_KIND, applyMergeMap, buildMergeMap, parseMergeMap, readMergeMap, serializeMergeMap, writeMergeMap, type MergeMap } from './merge-map.js';
import { UnionFind } from './union-find.js';

beforeAll(useCpuBackend);
let cleanup: (() => Promise<void>) | undefined;
afterAll(async () => cleanup?.());

function pair(a: string, b: string, similarity: number): IdMergePair {
  const label = (key: string) => {
    const [source, domain, identity] = key.split('/') as [string, string, string];
    return { source, domain, identity, samples: 3 };
  };
  return { a: label(a), b: label(b), similarity, margin: null };
}

/** Distinct identity keys over all domains. */
function identityCount(ds: DomainDataset): number {
  return new Set(ds.domains.flatMap((d) => ds.identities(d).map((i) => i.id))).size;
}

/** Domain → identity → one 1×1 grey sample whose value encodes (domain, identity). */
function tinyDataset(layout: Record<string, string[]>): InMemoryDataset {
  let v = 0;
  const samples = Object.fromEntries(
    Object.entries(layout).map(([domain, ids]) => [domain, Object.fromEntries(ids.map((id) => [id, Uint8Array.from([++v * 10])]))]),
  );
  return new InMemoryDataset({ name: 'tiny', sampleShape: [1, 1, 1], samples });
}

describe('UnionFind', () => {
  it('joins transitively and lists only the non-trivial groups', () => {
    const u = new UnionFind();
    u.union('a', 'b');
    u.union('c', 'd');
    u.union('b', 'c');
    u.find('lonely');
    u.union('x', 'y');
    const groups = u.groups().map((g) => [...g].sort());
    expect(groups.sort()).toEqual([['a', 'b', 'c', 'd'], ['x', 'y']]);
    expect(u.find('a')).toBe(u.find('d'));
    expect(u.find('a')).not.toBe(u.find('x'));
  });
});

describe('buildMergeMap', () => {
  it('maps every member of a group to the identity of the earliest source (ties: smaller key)', () => {
    const map = buildMergeMap({
      sources: ['S1', 'S2', 'S3'],
      threshold: { value: 0.7 },
      pairs: [
        pair('S2/web/p', 'S3/cam/q', 0.9), // p ~ q ~ x: one person, named after S1's x
        pair('S1/vis/x', 'S2/web/p', 0.8),
        pair('S2/web/m', 'S3/cam/k', 0.75), // no S1 member: S2's m wins
        pair('S3/cam/b', 'S3/cam2/a', 0.72), // same source rank: the smaller key wins
      ],
    });
    expect(map.kind).toBe(MERGE_MAP_KIND);
    expect(map.mapping).toEqual({ b: 'a', k: 'm', p: 'x', q: 'x' });
    expect(Object.keys(map.mapping)).toEqual(['b', 'k', 'p', 'q']); // sorted: diff-friendly files
    expect(map.threshold).toBe(0.7);
    expect(map.evidence?.[1]).toEqual({ a: { domain: 'vis', identity: 'x' }, b: { domain: 'web', identity: 'p' }, similarity: 0.8 });
    // Building twice, or from the pairs in another order, gives the same mapping.
    const again = buildMergeMap({ sources: ['S1', 'S2', 'S3'], pairs: [pair('S2/web/m', 'S3/cam/k', 0.75), pair('S1/vis/x', 'S2/web/p', 0.8), pair('S3/cam/b', 'S3/cam2/a', 0.72), pair('S2/web/p', 'S3/cam/q', 0.9)] });
    expect(again.mapping).toEqual(map.mapping);
  });

  it('gives one entry for a duplicate found in several domains of a source', () => {
    const map = buildMergeMap({ sources: ['vis', 'nir', 'web'], pairs: [pair('vis/vis/x', 'web/web/z', 0.9), pair('nir/nir/x', 'web/web/z', 0.85)] });
    expect(map.mapping).toEqual({ z: 'x' });
    expect(buildMergeMap({ sources: ['a', 'b'], pairs: [] }).mapping).toEqual({});
  });

  it('rejects a pair whose source is not in the report', () => {
    expect(() => buildMergeMap({ sources: ['S1'], pairs: [pair('S1/d/x', 'S9/e/y', 0.9)] })).toThrow(/source "S9" is not among report.sources/);
  });
});

describe('merge-map files', () => {
  const map: MergeMap = {
    kind: MERGE_MAP_KIND,
    version: 1,
    mapping: { 'web-17': 'p03', 'web-42': 'p06' },
    threshold: 0.81,
    evidence: [{ a: { domain: 'vis', identity: 'p03' }, b: { domain: 'web', identity: 'web-17' }, similarity: 0.97 }],
  };

  it('round-trips through JSON and through a file', async () => {
    expect(parseMergeMap(JSON.parse(serializeMergeMap(map)))).toEqual(map);
    const tmp = await tempDir();
    cleanup = tmp.cleanup;
    const file = join(tmp.dir, 'merge.json');
    await writeMergeMap(file, map);
    expect(await readFile(file, 'utf8')).toMatch(/^\{\n {2}"kind": "metadg-id-merge-map",[\s\S]*\n\}\n$/);
    expect(await readMergeMap(file)).toEqual(map);
    // Only kind, version and mapping are required (a hand-written map).
    expect(parseMergeMap({ kind: MERGE_MAP_KIND, version: 1, mapping: { b: 'a' } })).toEqual({ kind: MERGE_MAP_KIND, version: 1, mapping: { b: 'a' } });
  });

  it('writes a valid map for exact copies, whose centre similarity rounds above 1 before clamping', () => {
    const v = Float32Array.from([0.1, 0.2, 0.3]);
    const set = {
      embeddingSize: 3,
      labels: [
        { domain: 'A', identity: 'x', vectors: v },
        { domain: 'A', identity: 'y', vectors: Float32Array.from([0.3, -0.2, 0]) },
        { domain: 'B', identity: 'copy', vectors: v },
      ],
    };
    const [c] = classCentres(set);
    expect(dot(c?.centre as Float64Array, c?.centre as Float64Array)).toBeGreaterThan(1); // the case being guarded
    const report = findIdMerges(set, { threshold: 0.9 });
    expect(report.pairs[0]?.similarity).toBe(1);
    expect(parseMergeMap(JSON.parse(serializeMergeMap(buildMergeMap(report)))).mapping).toEqual({ copy: 'x' });
  });

  it('names the file and the field at fault', async () => {
    const tmp = await tempDir();
    const prev = cleanup;
    cleanup = async () => {
      await prev?.();
      await tmp.cleanup();
    };
    const missing = join(tmp.dir, 'nope.json');
    await expect(readMergeMap(missing)).rejects.toThrow(DataError);
    await expect(readMergeMap(missing)).rejects.toThrow(`${missing}: cannot read merge map`);
    const broken = join(tmp.dir, 'broken.json');
    await writeFile(broken, '{"kind": ');
    await expect(readMergeMap(broken)).rejects.toThrow(`${broken}: merge map is not valid JSON`);
    const wrong = join(tmp.dir, 'wrong.json');
    await writeFile(wrong, JSON.stringify({ ...map, mapping: { 'web-17': 5 } }));
    await expect(readMergeMap(wrong)).rejects.toThrow(ConfigError);
    await expect(readMergeMap(wrong)).rejects.toThrow(`${wrong}: mapping.web-17: Expected string, received number`);
  });

  it('rejects a wrong kind or version, empty keys, self-maps, chains and unknown fields', () => {
    const base = { kind: MERGE_MAP_KIND, version: 1, mapping: { b: 'a' } };
    expect(() => parseMergeMap({ ...base, kind: 'other' }, 'm.json')).toThrow(/^m\.json: kind: Invalid literal value/);
    expect(() => parseMergeMap({ ...base, version: 2 })).toThrow(/version: Invalid literal value/);
    expect(() => parseMergeMap({ ...base, mapping: { b: '' } })).toThrow(/mapping\.b: must be a non-empty identity key/);
    expect(() => parseMergeMap({ ...base, mapping: { '': 'a' } })).toThrow(/identity keys must be non-empty/);
    expect(() => parseMergeMap({ ...base, mapping: { a: 'a' } })).toThrow(/mapping\.a: maps an identity to itself/);
    expect(() => parseMergeMap({ ...base, mapping: { c: 'b', b: 'a' } })).toThrow(/mapping\.c: points at "b", which is itself mapped to "a"/);
    expect(() => parseMergeMap({ ...base, extra: 1 })).toThrow(/Unrecognized key\(s\) in object: 'extra'/);
    expect(() => parseMergeMap({ ...base, threshold: 2 })).toThrow(/threshold: Number must be less than or equal to 1/);
    expect(() => parseMergeMap('{}')).toThrow(ConfigError);
  });
});

describe('applyMergeMap', () => {
  it('relabels the duplicates in every domain: the identity count drops by the number of merged pairs', async () => {
    const ds = tinyDataset({ vis: ['p1', 'p2', 'p3'], nir: ['p1', 'p2', 'p3'], web: ['w1', 'w2', 'w3'] });
    const map = buildMergeMap({ sources: ['vis', 'web'], pairs: [pair('vis/vis/p1', 'web/web/w2', 0.9), pair('vis/vis/p3', 'web/web/w3', 0.8)] });
    expect(identityCount(ds)).toBe(6);
    const merged = applyMergeMap(ds, map);
    expect(identityCount(merged)).toBe(6 - 2);
    expect(merged.identities('web')).toEqual([{ id: 'p1', samples: 1 }, { id: 'p3', samples: 1 }, { id: 'w1', samples: 1 }]);
    expect(merged.identities('vis')).toEqual(ds.identities('vis'));
    expect(merged.name).toBe('tiny[merged]');
    // The relabelled sample is the original one.
    const [viaMerge, original] = await Promise.all([merged.load([{ domain: 'web', identity: 'p1', index: 0 }]), ds.load([{ domain: 'web', identity: 'w2', index: 0 }])]);
    expect(Array.from(await viaMerge.data())).toEqual(Array.from(await original.data()));
    viaMerge.dispose();
    original.dispose();
  });

  it('concatenates the samples when both labels are in one domain', () => {
    const ds = tinyDataset({ d: ['a', 'b', 'c'], e: ['a'] });
    const merged = applyMergeMap(ds, parseMergeMap({ kind: MERGE_MAP_KIND, version: 1, mapping: { b: 'a' } }), { name: 'm' });
    expect(merged.identities('d')).toEqual([{ id: 'a', samples: 2 }, { id: 'c', samples: 1 }]);
    expect(merged.name).toBe('m');
  });

  it('refuses a map that names identities the dataset does not have, unless allowed', () => {
    const ds = tinyDataset({ d: ['a', 'b'], e: ['c'] });
    const map = parseMergeMap({ kind: MERGE_MAP_KIND, version: 1, mapping: { b: 'a', zz: 'a' } });
    expect(() => applyMergeMap(ds, map)).toThrow(/^mapping\.zz: identity "zz" is in no domain of dataset "tiny"/);
    expect(identityCount(applyMergeMap(ds, map, { allowUnknown: true }))).toBe(2);
  });

  it('handles identity keys that are also Object.prototype names', () => {
    const ds = tinyDataset({ d: ['constructor', 'toString'], e: ['x'] });
    const merged = applyMergeMap(ds, parseMergeMap({ kind: MERGE_MAP_KIND, version: 1, mapping: { x: 'constructor' } }));
    expect(merged.identities('e')).toEqual([{ id: 'constructor', samples: 1 }]);
    expect(merged.identities('d').map((i) => i.id)).toEqual(['constructor', 'toString']);
  });
});
