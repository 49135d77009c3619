// Fair comparisons through the built CLI: budgets (equal images seen) with
// steps, images and seconds per job, model selection (best.bin survives
// kill -9), the oracle and convergence sections of the report, sweep
// determinism, leave-one-domain-out selection, and a tiny ablation study.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCheckpoint } from '@metadg/cli';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyCompareRaw, tinyProtocol, tinySampler } from '../../apps/metadg/test/tiny-raw.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const cli = join(root, 'apps/metadg/dist/cli.js');
const work = mkdtempSync(join(tmpdir(), 'metadg-fair-'));
const env = { ...process.env, METADG_BACKEND: 'wasm' };

function metadg(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: work, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Tiny glyphs, a tiny CNN, MFR vs ERM on one held-out domain, one seed, validation at 2 points (see tiny-raw.ts). */
function tiny(overrides: Record<string, unknown> = {}, compare: Record<string, unknown> = {}) {
  return tinyCompareRaw({ protocol: tinyProtocol(2), ...overrides }, { seeds: 1, ...compare });
}

function writeConfig(name: string, config: unknown): string {
  const file = join(work, name);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const sectionOf = (html: string, title: string) => html.split(/<section[^>]*>/).find((s) => s.startsWith(`<h2>${title}</h2>`)) ?? '';
const seriesNames = (svg: string) => [...svg.matchAll(/class="series" data-series="([^"]*)"/g)].map((m) => m[1]);

describe('metadg compare: equal images seen, selection, oracle and convergence', () => {
  const out = join(work, 'compare');
  let r: ReturnType<typeof metadg>;
  beforeAll(() => {
    r = metadg(['compare', '--config', writeConfig('compare.json', tiny({}, { heldOut: ['serif', 'mono'] })), '--out', out]);
  });

  it('gives every job the same images (MFR 24 per step, ERM 32) and lists steps, images and seconds', () => {
    expect(r.code, r.stderr).toBe(0);
    const output = json(join(out, 'tiny/compare.json'));
    expect(output.budget.budget).toEqual({ kind: 'images', value: 96 });
    expect(output.budget.contenders).toEqual([
      { label: 'MFR', imagesPerStep: 24, steps: 4 },
      { label: 'ERM', imagesPerStep: 32, steps: 3 },
    ]);
    expect(r.stderr).toContain('Budget: equal images seen — train.steps = 4 outer steps of MFR at 24 images per step = 96 images per job');
    for (const job of output.jobs) {
      expect([job.steps, job.images]).toEqual(job.algorithm === 'MFR' ? [4, 96] : [3, 96]);
      expect(job.seconds).toBeGreaterThan(0);
      expect(job.selection.method).toBe('training-domain');
      // The selected step is the arg-max of the recorded validation metric.
      const values = job.evaluations.map((e: { validation: number }) => e.validation);
      expect(job.selection.step).toBe(job.evaluations[values.indexOf(Math.max(...values))].step);
      expect(job.metrics.auc).toBeGreaterThan(0);
      // The oracle is the better of the selected and the diagnostic-best checkpoints: never below the reported model.
      expect(job.oracle.metrics.auc).toBeGreaterThanOrEqual(job.metrics.auc);
    }
    expect(output.oracle.algorithms).toEqual(['MFR', 'ERM']);
  });

  it('reports budgets, the oracle upper bound and convergence curves in the HTML', () => {
    const html = readFileSync(join(out, 'tiny/report.html'), 'utf8');
    expect(html).not.toMatch(/<script|(src|href)="https?:/);
    const budgets = sectionOf(html, 'Budgets');
    expect(budgets).toContain('<caption>Per job</caption>');
    expect(budgets).toMatch(/<th scope="col">steps<\/th><th scope="col">images<\/th><th scope="col">seconds<\/th>/);
    expect(sectionOf(html, 'Oracle (upper bound, not a valid model selection)')).toContain('<table');
    const convergence = sectionOf(html, 'Convergence: held-out-domain metric vs images seen (oracle-style diagnostic)');
    const charts = [...convergence.matchAll(/<svg class="line-chart"[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    expect(charts).toHaveLength(2);
    for (const chart of charts) expect(seriesNames(chart)).toEqual(['MFR', 'MFR · validation', 'ERM', 'ERM · validation']);
    expect(charts[0]).toContain('aria-label="auc vs images — held-out domain serif"');
  });
});

describe('metadg sweep', () => {
  const config = writeConfig('sweep.json', tiny({ sweep: { trials: 2 } }));

  it('selects the same trials and tables from the same config and seeds, run twice into different directories', () => {
    const runs = ['sweep-a', 'sweep-b'].map((dir) => {
      const r = metadg(['sweep', '--config', config, '--out', join(work, dir)]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/selected by training-domain validation/);
      expect(r.stdout).toMatch(/ORACLE: upper bound, not a valid model selection/);
      return { sweep: json(join(work, dir, 'tiny-sweep/sweep.json')), compare: json(join(work, dir, 'tiny-sweep/compare.json')) };
    });
    const [a, b] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(a.sweep.choices).toHaveLength(2);
    expect(b.sweep.choices).toEqual(a.sweep.choices);
    expect(b.sweep.selected).toEqual(a.sweep.selected);
    expect(b.sweep.trialTable).toEqual(a.sweep.trialTable);
    expect(b.compare.summary).toEqual(a.compare.summary);
    // Trial 1 drew values; trial 0 kept the config's.
    const mfr = a.sweep.trialTable.filter((t: { algorithm: string }) => t.algorithm === 'MFR');
    expect(mfr.map((t: { trial: number }) => t.trial)).toEqual([0, 1]);
    expect(mfr[0].hparams).toEqual({});
    expect(Object.keys(mfr[1].hparams)).toContain('algorithm.gamma');
    // Per cell, the oracle across trials is never below the selected trial.
    for (const cell of a.sweep.selected.cells.filter((c: { metric: string }) => c.metric === 'auc')) {
      const oracle = a.sweep.oracle.cells.find((c: { algorithm: string; heldOutDomain: string; metric: string }) => c.algorithm === cell.algorithm && c.heldOutDomain === cell.heldOutDomain && c.metric === 'auc');
      expect(oracle.mean).toBeGreaterThanOrEqual(cell.mean);
    }
    // The selected trial is the one with the best validation score.
    for (const choice of a.sweep.choices) {
      const job = json(join(work, 'sweep-a/tiny-sweep/jobs', choice.key, 'result.json'));
      expect(choice.score).toBe(job.selection.value);
    }
  });

  it('--trials overrides the config, and leave-one-domain-out selection scores trials on runs that also hold out each other domain', () => {
    const lodo = writeConfig('lodo.json', tiny({ sweep: { trials: 3, selection: 'leave-one-domain-out', components: ['algorithm'] } }, { algorithms: [{ label: 'ERM', algorithm: { name: 'erm' }, sampler: tinySampler({ metaTrainDomains: 'rest' }) }] }));
    const r = metadg(['sweep', '--config', lodo, '--trials', '2', '--out', join(work, 'lodo')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/10 jobs \(0 already done\)/);
    const dir = join(work, 'lodo/tiny-sweep');
    const sweep = json(join(dir, 'sweep.json'));
    expect(sweep.selection).toBe('leave-one-domain-out');
    expect(sweep.trialTable).toHaveLength(2);
    const validationAuc = (trial: number) =>
      readdirSync(join(dir, 'jobs'))
        .map((d) => json(join(dir, 'jobs', d, 'job.json')))
        .filter((j) => j.trial === trial && j.validationDomain)
        .map((j) => json(join(j.dir, 'result.json')).metrics.find((m: { domain: string }) => m.domain === j.validationDomain).metrics.auc);
    for (const trial of [0, 1]) {
      const aucs = validationAuc(trial);
      expect(aucs).toHaveLength(4);
      expect(sweep.trialTable[trial].score).toBeCloseTo(aucs.reduce((s: number, v: number) => s + v, 0) / 4, 12);
    }
    expect(json(join(dir, 'compare.json')).jobs[0].selection.method).toBe('last');
  });
});

describe('metadg ablate', () => {
  it('runs a study end to end: one contender per γ, a table and a plot of the metric against γ', () => {
    const r = metadg(['ablate', 'gamma', '--config', writeConfig('base.json', tiny()), '--out', join(work, 'ablate'), '--steps', '2', '--seeds', '1', '--held-out', 'mono']);
    expect(r.code, r.stderr).toBe(0);
    const output = json(join(work, 'ablate/ablate-gamma/compare.json'));
    expect(output.summary.algorithms).toEqual(['γ = 0', 'γ = 0.25', 'γ = 0.5', 'γ = 0.75', 'γ = 1']);
    expect(output.summary.heldOutDomains).toEqual(['mono']);
    expect(output.ablation.variants.map((v: { value: number }) => v.value)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const html = readFileSync(join(work, 'ablate/ablate-gamma/report.html'), 'utf8');
    const section = sectionOf(html, 'Ablation: Meta-train weight γ');
    expect([...section.matchAll(/<tr><th scope="row">γ = /g)]).toHaveLength(5);
    const plot = section.match(/<svg class="line-chart"[\s\S]*?<\/svg>/)?.[0] ?? '';
    expect(seriesNames(plot)).toEqual(['average', 'mono']);
    // The study's section comes before the standard results.
    expect(html.indexOf('Ablation: Meta-train weight γ')).toBeLessThan(html.indexOf('Results on the held-out domains'));
    // `report` rebuilds the directory's outputs, study section and table order included.
    const rebuilt = metadg(['report', join(work, 'ablate/ablate-gamma')]);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(json(join(work, 'ablate/ablate-gamma/compare.json')).summary).toEqual(output.summary);
    expect(readFileSync(join(work, 'ablate/ablate-gamma/report.html'), 'utf8')).toBe(html);
  });

  it('names an unknown study', () => {
    const r = metadg(['ablate', 'beta']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('ConfigError: STUDY: unknown study "beta" (studies: order, gamma, losses, sampling, alpha)');
  });
});

describe('model selection survives kill -9', () => {
  it('keeps best.bin and its record: the resumed run selects and reports exactly like an uninterrupted one', async () => {
    const { compare: _c, ...base } = tiny({
      name: 'durable',
      split: { heldOut: ['serif'] },
      budget: { kind: 'images', value: 40 * 24 },
      train: { steps: 40, logEvery: 100, checkpointEvery: 5 },
      protocol: { testIdentities: 0.3, pairs: 40, samples: 40, selection: { pairs: 20, every: 5 }, convergence: { enabled: false } },
    });
    const config = writeConfig('durable.json', base);
    const runDir = (out: string) => {
      const runs = join(out, 'durable/runs');
      return join(runs, readdirSync(runs)[0] as string);
    };
    const straight = join(work, 'straight');
    expect(metadg(['train', '--config', config, '--out', straight]).code).toBe(0);

    const killed = join(work, 'killed');
    const child = spawn(process.execPath, [cli, 'train', '--config', config, '--out', killed], { cwd: work, env, stdio: 'ignore' });
    const ready = () => existsSync(join(killed, 'durable/runs')) && ['best.bin', 'checkpoint.bin'].every((f) => existsSync(join(runDir(killed), f)));
    for (let i = 0; i < 600 && !ready(); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(ready()).toBe(true);
    expect(existsSync(join(runDir(killed), 'done'))).toBe(false);

    const resumed = metadg(['train', '--config', config, '--out', killed]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming from step \d+\/40/);
    const [a, b] = [straight, killed].map((o) => json(join(runDir(o), 'result.json')));
    expect(b.selection).toEqual(a.selection);
    expect(b.evaluations.map((e: { validation: number }) => e.validation)).toEqual(a.evaluations.map((e: { validation: number }) => e.validation));
    expect(b.metrics).toEqual(a.metrics);
    const [ba, bb] = [straight, killed].map((o) => readCheckpoint(join(runDir(o), 'best.bin')));
    expect(bb!.step).toBe(a.selection.step);
    expect(bb!.params.map((t) => Array.from(t.values))).toEqual(ba!.params.map((t) => Array.from(t.values)));
  });
});
