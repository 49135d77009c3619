import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, memoryLogger, type SampleRef } from '@metadg/core';
import { countSkipped, datasetStats, formatStats, openImageFolder, type ImageFolderDataset } from '../src/index.js';
import { encodedPattern, meanAbsDiff, put, tempDir, writeFolder } from './helpers.js';

beforeAll(useBackend);
async function useBackend(): Promise<void> {
  const { useCpuBackend } = await import('./helpers.js');
  await useCpuBackend();
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});
async function fresh(): Promise<string> {
  const t = await tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

function allRefs(ds: ImageFolderDataset): SampleRef[] {
  return ds.domains.flatMap((domain) =>
    ds.identities(domain).flatMap((i) => Array.from({ length: i.samples }, (_, index) => ({ domain, identity: i.id, index }))),
  );
}

describe('openImageFolder on a well-formed folder', () => {
  let root: string;
  beforeAll(async () => {
    root = await fresh();
    await writeFolder(root, ['photo', 'sketch'], ['alice', 'bob', 'carol'], 2);
    await writeFolder(root, ['photo'], ['dave'], 3); // dave only in one domain
  });

  it('indexes domains → identities → images and loads float32 NHWC batches in [0, 1] of the requested size', async () => {
    const ds = await openImageFolder(root, { imageSize: 32 });
    expect(ds.domains).toEqual(['photo', 'sketch']);
    expect(ds.identities('photo').map((i) => [i.id, i.samples])).toEqual([['alice', 2], ['bob', 2], ['carol', 2], ['dave', 3]]);
    expect(ds.sampleShape).toEqual([32, 32, 3]);
    const t = await ds.load(allRefs(ds));
    expect(t.shape).toEqual([15, 32, 32, 3]);
    expect(t.dtype).toBe('float32');
    const v = await t.data();
    expect(v.every((x) => x >= 0 && x <= 1)).toBe(true);
    t.dispose();
    expect(ds.loaderReport.codec).toBe('sharp');
    expect(ds.loaderReport.images).toBe(15);
  });

  it('reports statistics: images per domain and identities shared across domains', async () => {
    const ds = await openImageFolder(root, { imageSize: 16 });
    const stats = datasetStats(ds);
    expect(stats.domains.map((d) => [d.domain, d.identities, d.samples])).toEqual([['photo', 4, 9], ['sketch', 3, 6]]);
    expect(stats.identities).toBe(4);
    expect(stats.sharedIdentities).toBe(3);
    expect(stats.overlap).toEqual([[4, 3], [3, 3]]);
    expect(stats.loader?.images).toBe(15);
    const text = formatStats(stats);
    expect(text).toMatch(/photo\s+4\s+9/);
    expect(text).toMatch(/identities shared by >= 2 domains: 3 of 4/);
    expect(text).toMatch(/15 images accepted, 0 files skipped/);
  });

  it('the pure-JS fallback decodes to nearly the same pixels as sharp, in grey too', async () => {
    const a = await openImageFolder(root, { imageSize: 24, codec: 'sharp' });
    const b = await openImageFolder(root, { imageSize: 24, codec: 'pure-js' });
    expect(b.loaderReport.codec).toBe('pure-js');
    const refs = allRefs(a).slice(0, 4);
    const [ta, tb] = [await a.load(refs), await b.load(refs)];
    // Different resampling kernels (lanczos vs area) and JPEG decoders: close, not equal.
    expect(meanAbsDiff(await ta.data(), await tb.data())).toBeLessThan(0.03);
    tf.dispose([ta, tb]);
    const grey = await openImageFolder(root, { imageSize: [20, 12], channels: 1, codec: 'pure-js' });
    const tg = await grey.load(refs);
    expect(tg.shape).toEqual([4, 20, 12, 1]);
    tg.dispose();
  });

  it('keeps the tensor count flat and the cache within its byte budget over a run', async () => {
    const budget = 3 * 16 * 16 * 3 * 4; // three decoded images
    const ds = await openImageFolder(root, { imageSize: 16, cacheBytes: budget });
    const refs = allRefs(ds);
    const before = tf.memory().numTensors;
    for (let step = 0; step < 6; step++) (await ds.load(refs.slice(step, step + 5))).dispose();
    expect(tf.memory().numTensors).toBe(before);
    const stats = ds.cacheStats();
    expect(stats.bytes).toBeLessThanOrEqual(budget);
    expect(stats.evictions).toBeGreaterThan(0);
  });

  it('restricts to named domains and refuses unknown ones, naming the path', async () => {
    const ds = await openImageFolder(root, { domains: ['sketch'], minDomains: 1, imageSize: 8 });
    expect(ds.domains).toEqual(['sketch']);
    await expect(openImageFolder(root, { domains: ['nope'] })).rejects.toThrow(/nope: domain directory not found/);
  });
});

describe('openImageFolder on bad input', () => {
  let root: string;
  let paths: Record<string, string>;
  beforeAll(async () => {
    root = await fresh();
    await writeFolder(root, ['a', 'b'], ['p1', 'p2'], 2);
    const good = await encodedPattern(40, 40, 1, 'jpeg');
    paths = {
      truncated: join(root, 'a', 'p1', 'truncated.jpg'),
      garbage: join(root, 'a', 'p1', 'garbage.jpg'),
      zero: join(root, 'a', 'p2', 'zero.jpg'),
      pngAsJpg: join(root, 'b', 'p1', 'really-a-png.jpg'),
      text: join(root, 'b', 'p1', 'notes.txt'),
      tiny: join(root, 'b', 'p2', 'tiny.png'),
      huge: join(root, 'b', 'p2', 'huge.jpg'),
      dangling: join(root, 'a', 'p2', 'dangling.jpg'),
      hidden: join(root, 'a', 'p2', '.DS_Store'),
    };
    await put(paths.truncated!, good.subarray(0, Math.floor(good.length / 2)));
    await put(paths.garbage!, Buffer.concat([good.subarray(0, 2), Buffer.from([0xff, 0xe0, 0x00, 0x10]), Buffer.alloc(200, 0x41)]));
    await put(paths.zero!, new Uint8Array(0));
    await put(paths.pngAsJpg!, await encodedPattern(40, 40, 2, 'png'));
    await put(paths.text!, 'not an image');
    await put(paths.tiny!, await sharp({ create: { width: 1, height: 1, channels: 3, background: '#ff0000' } }).png().toBuffer());
    await put(
      paths.huge!,
      await sharp({ create: { width: 6000, height: 6000, channels: 3, background: { r: 51, g: 102, b: 204 } } }).jpeg().toBuffer(),
    );
    await symlink(join(root, 'does-not-exist.jpg'), paths.dangling!);
    await put(paths.hidden!, 'junk');
  }, 60_000);

  it('skips and counts each bad file with a warning naming it, and loads the rest', async () => {
    const log = memoryLogger();
    const ds = await openImageFolder(root, { imageSize: 32, log });
    const report = ds.loaderReport;
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.path, s.reason]));
    expect(reasons).toEqual({
      [paths.garbage!]: 'corrupt',
      [paths.zero!]: 'corrupt',
      [paths.dangling!]: 'unreadable',
      [paths.text!]: 'non-image',
      [paths.tiny!]: 'too-small',
    });
    for (const s of report.skipped) expect(log.lines.some((l) => l.startsWith('warn: ') && l.includes(s.path))).toBe(true);
    expect(log.lines.some((l) => l.includes('.DS_Store'))).toBe(false);
    expect(report.extensionMismatches).toEqual([paths.pngAsJpg]);
    // truncated.jpg has an intact header: it is accepted now and found when decoded.
    expect(ds.identities('a').find((i) => i.id === 'p1')?.samples).toBe(3);
    expect(ds.identities('b').find((i) => i.id === 'p2')?.samples).toBe(3); // 2 good + huge
  });

  it('a truncated JPEG met mid-run is skipped with a warning, replaced, counted, and the run goes on', async () => {
    const log = memoryLogger();
    const ds = await openImageFolder(root, { imageSize: 32, log });
    const refs = allRefs(ds);
    for (let epoch = 0; epoch < 3; epoch++) (await ds.load(refs)).dispose();
    const atLoad = ds.loaderReport.skipped.filter((s) => s.when === 'load');
    expect(atLoad.map((s) => s.path)).toEqual([paths.truncated]);
    expect(atLoad[0]?.detail).toMatch(/premature end|truncat/i);
    expect(log.lines.filter((l) => l.includes(paths.truncated!))).toHaveLength(1);
    expect(countSkipped(ds.loaderReport).corrupt).toBe(3);
    expect(formatStats(datasetStats(ds))).toMatch(/6 files skipped \(non-image: 1, unreadable: 1, corrupt: 3, too-small: 1\)/);
  });

  it('verify: "decode" finds the truncated JPEG while opening', async () => {
    const ds = await openImageFolder(root, { imageSize: 16, verify: 'decode' });
    expect(ds.loaderReport.skipped.some((s) => s.path === paths.truncated && s.when === 'load')).toBe(true);
  });

  it('resizes a 6000×6000 image to the target size (no blow-up), with the right colour', async () => {
    const ds = await openImageFolder(root, { imageSize: 32, domains: ['b'], minDomains: 1 });
    const index = 0; // files sort by name: huge.jpg, img0.jpg, img1.jpg
    const t = await ds.load([{ domain: 'b', identity: 'p2', index }]);
    expect(t.shape).toEqual([1, 32, 32, 3]);
    const v = await t.data();
    expect(v[0]).toBeCloseTo(0.2, 1);
    expect(v[1]).toBeCloseTo(0.4, 1);
    expect(v[2]).toBeCloseTo(0.8, 1);
    t.dispose();
  });

  it('the pure-JS codec handles the same folder the same way', async () => {
    const ds = await openImageFolder(root, { imageSize: 16, codec: 'pure-js', domains: ['a'], minDomains: 1 });
    for (let i = 0; i < 2; i++) (await ds.load(allRefs(ds))).dispose();
    expect(ds.loaderReport.skipped.filter((s) => s.when === 'load').map((s) => s.path)).toEqual([paths.truncated]);
    const huge = await openImageFolder(root, { imageSize: 16, codec: 'pure-js', domains: ['b'], minDomains: 1, maxPixels: 1_000_000 });
    expect(huge.loaderReport.skipped.find((s) => s.path === paths.huge)?.reason).toBe('too-large');
  });

  it('strict mode turns each bad file into a DataError naming it', async () => {
    await expect(openImageFolder(root, { strict: true })).rejects.toThrow(DataError);
    await expect(openImageFolder(root, { strict: true })).rejects.toThrow(paths.garbage!);
    const onlyTruncated = await fresh();
    await writeFolder(onlyTruncated, ['a', 'b'], ['p'], 1);
    const good = await encodedPattern(40, 40, 1, 'jpeg');
    await put(join(onlyTruncated, 'a', 'p', 'cut.jpg'), good.subarray(0, good.length - 100));
    const ds = await openImageFolder(onlyTruncated, { strict: true, imageSize: 8 });
    await expect(ds.load(allRefs(ds))).rejects.toThrow(/cut\.jpg: cannot decode image/);
    const cases: [string, Uint8Array | string][] = [
      ['zero.jpg', new Uint8Array(0)],
      ['notes.txt', 'hello'],
      ['tiny.png', await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } }).png().toBuffer()],
    ];
    for (const [name, bytes] of cases) {
      const dir = await fresh();
      await writeFolder(dir, ['a', 'b'], ['p'], 1);
      await put(join(dir, 'b', 'p', name), bytes);
      await expect(openImageFolder(dir, { strict: true }), name).rejects.toThrow(join(dir, 'b', 'p', name));
    }
  });

  it('an identity whose files are all unusable is left out with a warning', async () => {
    const dir = await fresh();
    await writeFolder(dir, ['a', 'b'], ['p'], 1);
    await put(join(dir, 'a', 'ghost', 'x.jpg'), new Uint8Array(0));
    const log = memoryLogger();
    const ds = await openImageFolder(dir, { log, imageSize: 8 });
    expect(ds.identities('a').map((i) => i.id)).toEqual(['p']);
    expect(ds.loaderReport.droppedIdentities).toEqual([join(dir, 'a', 'ghost')]);
    expect(log.lines.some((l) => l.includes('ghost: no usable image'))).toBe(true);
  });
});

describe('openImageFolder structural errors name the path', () => {
  it('missing root, or a file as root', async () => {
    const dir = await fresh();
    await expect(openImageFolder(join(dir, 'missing'))).rejects.toThrow(`${join(dir, 'missing')}: dataset root not found`);
    await put(join(dir, 'file.jpg'), 'x');
    await expect(openImageFolder(join(dir, 'file.jpg'))).rejects.toThrow(/file\.jpg: dataset root is not a directory/);
  });

  it('no domains, a single domain (unless allowed), images directly in a domain', async () => {
    const empty = await fresh();
    await expect(openImageFolder(empty)).rejects.toThrow(`${empty}: no domain directories`);
    const single = await fresh();
    await writeFolder(single, ['only'], ['p'], 1);
    await expect(openImageFolder(single)).rejects.toThrow(new RegExp(`${single}: found 1 domain \\(only\\); at least 2`));
    expect((await openImageFolder(single, { minDomains: 1, imageSize: 8 })).domains).toEqual(['only']);
    const flat = await fresh();
    await writeFolder(flat, ['a'], ['p'], 1);
    await put(join(flat, 'b', 'x.jpg'), await encodedPattern(20, 20, 1, 'jpeg'));
    await expect(openImageFolder(flat)).rejects.toThrow(`${join(flat, 'b')}: holds 1 images but no identity directories`);
  });

  it('an empty domain directory and an empty identity directory', async () => {
    const a = await fresh();
    await writeFolder(a, ['x'], ['p'], 1);
    await put(join(a, 'y', '.keep'), '');
    await expect(openImageFolder(a)).rejects.toThrow(`${join(a, 'y')}: empty domain directory`);
    const b = await fresh();
    await writeFolder(b, ['x', 'y'], ['p'], 1);
    await put(join(b, 'y', 'q', '.keep'), '');
    await expect(openImageFolder(b)).rejects.toThrow(`${join(b, 'y', 'q')}: empty identity directory`);
  });

  it('bad options are ConfigErrors naming the option', async () => {
    const dir = await fresh();
    await writeFolder(dir, ['x', 'y'], ['p'], 1);
    await expect(openImageFolder(dir, { imageSize: 0 })).rejects.toThrow(/imageSize/);
    await expect(openImageFolder(dir, { channels: 2 as never })).rejects.toThrow(/channels/);
  });
});
