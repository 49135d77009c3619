// `metadg data id-merge` end to end: a tiny trained job's backbone embeds a
// dataset, suspected duplicates across sources are listed, and the merge map
// written is one the loader accepts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMergeMap } from '@metadg/data';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = join(root, 'apps/metadg/dist/cli.js');
const work = mkdtempSync(join(tmpdir(), 'metadg-idmerge-'));
const metadg = (args: string[]) => {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, METADG_BACKEND: 'wasm' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const glyphs = { maxIdentities: 12, imageSize: 16, samplesPerIdentity: 4 };

describe('metadg data id-merge', () => {
  it('lists suspected duplicates from a trained job and writes a valid merge map', () => {
    const config = join(work, 'run.json');
    writeFileSync(
      config,
      JSON.stringify({
        name: 'idm',
        dataset: { name: 'glyphs', hparams: glyphs },
        split: { heldOut: ['display'] },
        backbone: { name: 'small-cnn', hparams: { channels: [8, 8], groups: 4, embeddingSize: 16 } },
        losses: [{ name: 'hard-pair' }, { name: 'soft-classification' }],
        sampler: { name: 'mfr-sampler', hparams: { batchSize: 4 } },
        algorithm: { name: 'erm' },
        train: { steps: 3 },
        protocol: { pairs: 20, samples: 20 },
      }),
    );
    const trained = metadg(['train', '--config', config, '--out', join(work, 'out')]);
    expect(trained.code, trained.stderr).toBe(0);
    const jobs = join(work, 'out/idm/runs');
    const job = join(jobs, readdirSync(jobs)[0]!);
    const map = join(work, 'merge.json');
    const r = metadg(['data', 'id-merge', 'glyphs', '--hparams', JSON.stringify(glyphs), '--model', job, '--out', map, '--json', join(work, 'report.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(0);
    // Glyph identities are shared by all domains by construction: the same key is one identity, never a "merge".
    const report = JSON.parse(readFileSync(join(work, 'report.json'), 'utf8'));
    for (const pair of report.pairs) expect(pair.a.identity).not.toBe(pair.b.identity);
    expect(() => parseMergeMap(JSON.parse(readFileSync(map, 'utf8')), map)).not.toThrow();
  });

  it('names a missing model and a bad threshold', () => {
    let r = metadg(['data', 'id-merge', 'glyphs', '--hparams', JSON.stringify(glyphs)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--model: required/);
    r = metadg(['data', 'id-merge', 'glyphs', '--hparams', JSON.stringify(glyphs), '--model', work, '--threshold', '2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--threshold: must be "auto" or a cosine in \[-1, 1\], got "2"/);
  });
});
