// The metadg CLI as users run it (the built bin), end to end: metrics,
// reference cases, data commands, a leave-one-domain-out comparison in and
// across processes, kill -9 + resume, a corrupt checkpoint, and bad configs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCheckpoint } from '@metadg/cli';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = join(root, 'apps/metadg/dist/cli.js');
const work = mkdtempSync(join(tmpdir(), 'metadg-cli-'));

function metadg(args: string[], cwd = work) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, METADG_BACKEND: 'wasm' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A tiny glyph comparison: 3 algorithms × 5 held-out domains × 2 seeds, a few steps each. */
function tinyCompareConfig(overrides: Record<string, unknown> = {}, compare: Record<string, unknown> = {}) {
  const demo = JSON.parse(readFileSync(join(root, 'apps/metadg/configs/demo-glyphs.json'), 'utf8'));
  const sampler = (extra: object = {}) => ({ name: 'mfr-sampler', hparams: { batchSize: 4, ...extra } });
  return {
    ...demo,
    name: 'tiny',
    dataset: { name: 'glyphs', hparams: { maxIdentities: 30, imageSize: 16, samplesPerIdentity: 6 } },
    backbone: { name: 'small-cnn', hparams: { channels: [8, 8], groups: 4, embeddingSize: 16 } },
    sampler: sampler(),
    train: { steps: 3, logEvery: 100 },
    protocol: { testIdentities: 0.3, pairs: 40, samples: 40 },
    ...overrides,
    compare: {
      algorithms: [
        { label: 'MFR', algorithm: { name: 'mfr' } },
        { label: 'ERM', algorithm: { name: 'erm' }, sampler: sampler({ metaTrainDomains: 'rest' }) },
        { label: 'MLDG', algorithm: { name: 'mldg' }, sampler: sampler({ metaTrainDomains: 'rest' }) },
      ],
      heldOut: 'all',
      seeds: 2,
      workers: 0,
      checkpointEvery: 2,
      ...compare,
    },
  };
}

function writeConfig(name: string, config: unknown): string {
  const file = join(work, name);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

describe('metadg metrics', () => {
  it('scores externally computed pairs (hand-checked AUC)', () => {
    // Positives .9 .8 .6 .3 beat 6, 6, 5 and 3 of the 6 negatives: AUC = 20/24.
    const file = writeConfig('scores.json', {
      scores: [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05],
      labels: [1, 1, 0, 1, 0, 0, 1, 0, 0, 0],
    });
    const r = metadg(['metrics', file]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.auc).toBeCloseTo(20 / 24, 12);
    expect(Object.keys(out.tpr)).toEqual(['1e-1', '1e-2', '1e-3']);
    expect(out.roc.fpr).toHaveLength(out.roc.tpr.length);
    expect(out.roc.thresholds).toHaveLength(out.roc.tpr.length);
    expect(typeof out.accuracy10fold.mean).toBe('number');
  });

  it('names the bad field in one line', () => {
    const file = writeConfig('bad-scores.json', { scores: [0.1, 0.2], labels: [1, 2] });
    const r = metadg(['metrics', file]);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/labels\[1\]/);
  });
});

describe('metadg mfr-reference', () => {
  for (const backend of ['cpu', 'wasm']) {
    it(`reproduces a reference case on ${backend} and prints the expected keys`, () => {
      const file = join(root, 'plugins/mfr/test/fixtures/mfr-case-2.json');
      const r = metadg(['mfr-reference', file, '--check', '--backend', backend]);
      expect(r.code, r.stderr).toBe(0);
      const expected = JSON.parse(readFileSync(file, 'utf8')).expected;
      expect(Object.keys(JSON.parse(r.stdout)).sort()).toEqual(Object.keys(expected).sort());
      expect(r.stderr).not.toMatch(/FAIL/);
    });
  }
});

describe('metadg data', () => {
  it('prints stats of the glyph benchmark and previews the face fixture as a PNG', () => {
    const stats = metadg(['data', 'stats', 'glyphs']);
    expect(stats.code, stats.stderr).toBe(0);
    for (const d of ['serif', 'sans', 'mono', 'handwriting', 'display']) expect(stats.stdout).toContain(d);
    const png = join(work, 'faces.png');
    const preview = metadg(['data', 'preview', 'faces-fixture', '--out', png, '--per-domain', '5']);
    expect(preview.code, preview.stderr).toBe(0);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
  });

  it('names an unknown dataset', () => {
    const r = metadg(['data', 'stats', 'no-such-dataset']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/no-such-dataset: is neither a dataset plugin/);
  });
});

describe('metadg compare', () => {
  const configFile = writeConfig('tiny.json', tinyCompareConfig());
  const out = join(work, 'out');

  it('runs 3 algorithms × every held-out domain × 2 seeds and writes JSON + an HTML report', () => {
    const r = metadg(['compare', '--config', configFile, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(out, 'tiny/compare.json'), 'utf8'));
    expect(json.jobs).toHaveLength(3 * 5 * 2);
    expect(json.summary.algorithms).toEqual(['MFR', 'ERM', 'MLDG']);
    expect(json.summary.heldOutDomains).toHaveLength(5);
    for (const job of json.jobs) {
      expect(job.metrics.auc).toBeGreaterThan(0);
      expect(job.steps).toBe(3);
      expect(job.images).toBeGreaterThan(0);
    }
    const html = readFileSync(join(out, 'tiny/report.html'), 'utf8');
    // Self-contained: no script, nothing loaded from the network (the SVG namespace URI is not a load).
    expect(html).not.toMatch(/<script|(src|href)="https?:/);
    const rocCharts = [...html.matchAll(/<svg class="line-chart"[^>]*aria-label="ROC[^"]*"[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    expect(rocCharts).toHaveLength(5);
    for (const chart of rocCharts) expect([...chart.matchAll(/class="series"/g)]).toHaveLength(3);
    expect(r.stdout).toMatch(/auc on the held-out domain/);
    expect(r.stdout).toContain(join(out, 'tiny/report.html'));
  });

  it('skips finished jobs on a rerun and reproduces the same tables', () => {
    const before = JSON.parse(readFileSync(join(out, 'tiny/compare.json'), 'utf8'));
    const r = metadg(['compare', '--config', configFile, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/30 jobs \(30 already done\)/);
    const after = JSON.parse(readFileSync(join(out, 'tiny/compare.json'), 'utf8'));
    expect(after.summary).toEqual(before.summary);
  });

  it('gives identical results in parallel worker processes', () => {
    const parallel = writeConfig('tiny-parallel.json', tinyCompareConfig({}, { heldOut: ['mono', 'display'], seeds: [1], workers: 2 }));
    const out2 = join(work, 'out-parallel');
    const r = metadg(['compare', '--config', parallel, '--out', out2]);
    expect(r.code, r.stderr).toBe(0);
    const inProcess = JSON.parse(readFileSync(join(out, 'tiny/compare.json'), 'utf8')).jobs;
    const workers = JSON.parse(readFileSync(join(out2, 'tiny/compare.json'), 'utf8')).jobs;
    expect(workers).toHaveLength(6);
    for (const job of workers) {
      const twin = inProcess.find((j: { key: string }) => j.key === job.key);
      expect(twin, job.key).toBeDefined();
      expect(job.metrics).toEqual(twin.metrics);
    }
  });

  it('rejects an unknown algorithm, an unknown held-out domain and a misspelt field, naming them', () => {
    const bad = tinyCompareConfig();
    bad.compare.algorithms[1].algorithm.name = 'ermm';
    let r = metadg(['compare', '--config', writeConfig('bad1.json', bad), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(
      /^ConfigError: .*bad1\.json: compare\.algorithms\[1\]\.algorithm\.name: plugin "ermm": no meta-optimizer plugin/,
    );
    r = metadg(['compare', '--config', writeConfig('bad2.json', tinyCompareConfig({}, { heldOut: ['gothic'] })), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/compare\.heldOut\[0\]: unknown domain "gothic"/);
    r = metadg(['compare', '--config', writeConfig('bad3.json', tinyCompareConfig({ trian: {} })), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/trian: unknown field/);
    r = metadg(['compare', '--config', writeConfig('bad4.json', tinyCompareConfig({ sampler: { name: 'mfr-sampler', hparams: { batchSize: -4 } } })), '--out', out]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/plugin "mfr-sampler", hparams\.batchSize/);
  });
});

describe('durable runs', () => {
  const runConfig = (name: string) => {
    const { compare: _compare, ...base } = tinyCompareConfig({
      name,
      split: { heldOut: ['serif'] },
      train: { steps: 40, logEvery: 100, checkpointEvery: 5 },
    });
    return writeConfig(`${name}.json`, base);
  };
  const result = (out: string) => {
    const runs = join(out, 'durable/runs');
    const [dir] = readdirSync(runs);
    return { dir: join(runs, dir!), result: JSON.parse(readFileSync(join(runs, dir!, 'result.json'), 'utf8')) };
  };

  it('survives kill -9 at any moment: the rerun resumes and ends exactly like an uninterrupted run', async () => {
    const config = runConfig('durable');
    const straight = join(work, 'straight');
    expect(metadg(['train', '--config', config, '--out', straight]).code).toBe(0);

    const killed = join(work, 'killed');
    const child = spawn(process.execPath, [cli, 'train', '--config', config, '--out', killed], {
      cwd: work,
      env: { ...process.env, METADG_BACKEND: 'wasm' },
      stdio: 'ignore',
    });
    const runs = join(killed, 'durable/runs');
    const checkpointed = () =>
      existsSync(runs) && readdirSync(runs).some((d) => existsSync(join(runs, d, 'checkpoint.bin')));
    for (let i = 0; i < 600 && !checkpointed(); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(checkpointed()).toBe(true);
    expect(existsSync(join(result(straight).dir, 'done'))).toBe(true);

    const resumed = metadg(['train', '--config', config, '--out', killed]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming from step \d+\/40/);
    const a = result(straight).result;
    const b = result(killed).result;
    expect(b.metrics).toEqual(a.metrics);
    expect(b.history.map((h: { loss: number }) => h.loss)).toEqual(a.history.map((h: { loss: number }) => h.loss));
    // The final parameters and optimizer slots are bit-identical.
    const [ka, kb] = [straight, killed].map((o) => readCheckpoint(join(result(o).dir, 'checkpoint.bin')));
    expect(kb!.params.map((t) => Array.from(t.values))).toEqual(ka!.params.map((t) => Array.from(t.values)));
    expect(kb!.optimizer.map((t) => Array.from(t.values))).toEqual(ka!.optimizer.map((t) => Array.from(t.values)));
  });

  it('restarts a job whose checkpoint is corrupt instead of crashing, and still finishes', () => {
    const config = runConfig('durable');
    const out = join(work, 'corrupt');
    const first = metadg(['train', '--config', config, '--out', out]);
    expect(first.code).toBe(0);
    const { dir } = result(out);
    // Undo completion and damage the checkpoint, as a crash mid-write on a bad disk might.
    for (const f of ['done', 'result.json']) rmSync(join(dir, f));
    writeFileSync(join(dir, 'checkpoint.bin'), readFileSync(join(dir, 'checkpoint.bin')).subarray(0, 100));
    const again = metadg(['train', '--config', config, '--out', out]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/checkpoint\.bin: .*; restarting .* from step 0/);
    expect(result(out).result.metrics).toEqual(result(join(work, 'straight')).result.metrics);
  });

  it('--threads 2 trains the same run with each batch split over two threads: the same losses up to float rounding', () => {
    const config = runConfig('durable');
    const out = join(work, 'threads');
    const r = metadg(['train', '--config', config, '--out', out, '--threads', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/backbone small-cnn: each batch split over 2 threads/);
    const one = result(join(work, 'straight')).result.history.map((h: { loss: number }) => h.loss) as number[];
    const two = result(out).result.history.map((h: { loss: number }) => h.loss) as number[];
    expect(two).toHaveLength(one.length);
    two.forEach((loss, i) => expect(Math.abs(loss - (one[i] as number))).toBeLessThan(1e-3 * Math.max(1, Math.abs(one[i] as number))));
    // A different job: the thread count is part of the config, hence of the job key.
    expect(result(out).dir.split('/').at(-1)).not.toBe(result(join(work, 'straight')).dir.split('/').at(-1));
    expect(metadg(['train', '--config', config, '--out', out, '--threads', '0']).stderr).toMatch(/--threads: must be ≥ 1/);
  });
});
