import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { silentLogger, type ComposedRun } from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyRun } from '../../test/tiny-config.js';
import { builtinRegistry } from '../builtin-plugins.js';
import type { Budget } from '../config/app-config.js';
import { trainingView } from '../evaluation/evaluate-run.js';
import { readCheckpoint } from './checkpoint.js';
import { BEST, runJob, type JobMonitor, type JobResult, type JobSpec } from './job-runner.js';

const root = mkdtempSync(join(tmpdir(), 'metadg-jobs-'));
const config = tinyRun();

beforeAll(async () => {
  await initBackend({ backend: 'wasm', log: () => {} });
});

/** A cheap, exact fingerprint of the model: the sum of the backbone's first parameter. */
async function fingerprint(run: ComposedRun): Promise<number> {
  const [first] = Object.values((await run.get('backbone')).params);
  const sum = (first as tf.Variable).sum();
  const value = (await sum.data())[0] as number;
  sum.dispose();
  return value;
}

function spec(name: string, budget: Budget, extra: Partial<JobSpec<number>> = {}): JobSpec<number> {
  return { label: name, dir: join(root, name), key: name, config, budget, checkpointEvery: 2, evaluate: fingerprint, ...extra };
}

const hooks = (extra: object = {}) => ({
  compose: { registry: builtinRegistry(), searchFrom: [process.cwd()], trainingView: trainingView(config.protocol) },
  log: silentLogger,
  ...extra,
});

/** Runs a job that crashes right after its checkpoint at `crashAt`, then reruns it (the resume). */
async function crashThenResume(s: JobSpec<number>, crashAt: number): Promise<JobResult<number>> {
  await expect(
    runJob(s, hooks({ onCheckpoint: (step: number) => { if (step === crashAt) throw new Error('crash'); } })),
  ).rejects.toThrow('crash');
  expect(existsSync(join(s.dir, 'done'))).toBe(false);
  const logs: string[] = [];
  const result = await runJob(s, { ...hooks(), log: { ...silentLogger, info: (m: string) => logs.push(m) } });
  expect(logs.some((l) => l.includes(`resuming from step ${crashAt}`))).toBe(true);
  return result;
}

const paramsOf = (file: string) => readCheckpoint(file).params.map((p) => Array.from(p.values));
const optimizerOf = (file: string) => readCheckpoint(file).optimizer.map((p) => Array.from(p.values));

describe('budgets in jobs', () => {
  it('a steps budget trains exactly that many outer steps', async () => {
    const r = await runJob(spec('steps', { kind: 'steps', value: 3 }), hooks());
    expect(r.steps).toBe(3);
    expect(r.history.map((h) => h.step)).toEqual([1, 2, 3]);
    // MFR 2 + 1 domains × 2B images, B = 4.
    expect(r.imagesSeen).toBe(3 * 24);
    expect(r.budget).toEqual({ kind: 'steps', value: 3 });
  });

  it('an images budget stops after the first step that reaches it', async () => {
    const r = await runJob(spec('images', { kind: 'images', value: 100 }), hooks());
    // 24 images per step: 96 < 100 after 4 steps, 120 ≥ 100 after 5.
    expect(r.steps).toBe(5);
    expect(r.imagesSeen).toBe(120);
    expect(r.history.map((h) => h.images)).toEqual([24, 48, 72, 96, 120]);
  });

  it('a seconds budget stops once the training seconds reach it', async () => {
    const r = await runJob(spec('seconds', { kind: 'seconds', value: 1e-6 }), hooks());
    expect(r.steps).toBe(1);
    expect(r.secondsSpent).toBeGreaterThanOrEqual(1e-6);
  });

  it('resumes bit-identically under an images budget after a crash', async () => {
    const budget: Budget = { kind: 'images', value: 130 };
    const straight = await runJob(spec('img-straight', budget), hooks());
    const resumed = await crashThenResume(spec('img-crash', budget), 2);
    expect(resumed.steps).toBe(straight.steps);
    expect(resumed.imagesSeen).toBe(straight.imagesSeen);
    expect(resumed.history.map((h) => h.loss)).toEqual(straight.history.map((h) => h.loss));
    expect(resumed.metrics).toBe(straight.metrics);
    const [a, b] = ['img-straight', 'img-crash'].map((n) => join(root, n, 'checkpoint.bin')) as [string, string];
    expect(paramsOf(b)).toEqual(paramsOf(a));
    expect(optimizerOf(b)).toEqual(optimizerOf(a));
  });

  it('keeps the tensor count flat: what a job leaves behind does not grow with its steps, evaluations or restores', async () => {
    await runJob(spec('warm', { kind: 'steps', value: 2 }), hooks());
    const left = async (name: string, steps: number, script: number[]) => {
      const before = tf.memory().numTensors;
      // The best checkpoint is an early one, so the final evaluation restores best.bin.
      await runJob(spec(name, { kind: 'steps', value: steps }, { monitor: scripted(script) }), hooks());
      return tf.memory().numTensors - before;
    };
    const short = await left('flat-2', 2, [0.9, 0.1]);
    const long = await left('flat-6', 6, [0.5, 0.9, 0.1, 0.2, 0.3, 0.4]);
    expect(long).toBe(short);
    expect(short).toBe(0);
  });
});

/** A monitor whose validation metric follows a script (one value per evaluation point). */
function scripted(values: readonly number[], every = 1): JobMonitor & { validate(): Promise<number> } {
  let calls = 0;
  return { every, points: 1, validate: async () => values[calls++] as number };
}

describe('model selection in jobs', () => {
  it('reports the checkpoint at the arg-max of the recorded validation metric (first one on ties)', async () => {
    const monitor = scripted([0.5, 0.8, 0.7, 0.8, 0.6]);
    const s = spec('select', { kind: 'steps', value: 5 }, { monitor });
    const fingerprints: number[] = [];
    const r = await runJob({ ...s, monitor: { ...monitor, validate: async (run) => { fingerprints.push(await fingerprint(run)); return monitor.validate(); } } }, hooks());
    expect(r.evaluations.map((e) => [e.step, e.validation])).toEqual([[1, 0.5], [2, 0.8], [3, 0.7], [4, 0.8], [5, 0.6]]);
    expect(r.selection).toEqual({ method: 'training-domain', step: 2, images: 48, value: 0.8 });
    // The reported evaluation is of the parameters at step 2, not of the final ones.
    expect(r.metrics).toBe(fingerprints[1]);
    expect(r.metrics).not.toBe(fingerprints[4]);
    const best = readCheckpoint(join(s.dir, BEST));
    expect(best.step).toBe(2);
    expect(best.optimizer).toEqual([]);
  });

  it('reports the last checkpoint without a validation monitor', async () => {
    const r = await runJob(spec('last', { kind: 'steps', value: 3 }), hooks());
    expect(r.selection).toEqual({ method: 'last', step: 3, images: 72 });
    expect(r.evaluations).toEqual([]);
    expect(existsSync(join(root, 'last', BEST))).toBe(false);
  });

  it('keeps best.bin and its record across a crash: the resumed job selects and reports exactly as an uninterrupted one', async () => {
    const values = [0.5, 0.9, 0.7, 0.95, 0.6, 0.65];
    const budget: Budget = { kind: 'steps', value: 6 };
    const straight = await runJob(spec('best-straight', budget, { monitor: scripted(values) }), hooks());
    // Crash after the step-4 checkpoint: best.bin then holds step 4 (0.95) and must survive the restart.
    const crashing = spec('best-crash', budget, { monitor: scripted(values) });
    await expect(runJob(crashing, hooks({ onCheckpoint: (step: number) => { if (step === 4) throw new Error('crash'); } }))).rejects.toThrow('crash');
    expect(readCheckpoint(join(crashing.dir, BEST)).step).toBe(4);
    // The resumed monitor continues the script where the crashed run left it (points 5 and 6).
    const resumed = await runJob({ ...crashing, monitor: scripted(values.slice(4)) }, hooks());
    expect(resumed.selection).toEqual(straight.selection);
    expect(resumed.selection.step).toBe(4);
    expect(resumed.evaluations).toEqual(straight.evaluations.map((e, i) => ({ ...e, seconds: resumed.evaluations[i]?.seconds })));
    expect(resumed.metrics).toBe(straight.metrics);
    expect(paramsOf(join(crashing.dir, BEST))).toEqual(paramsOf(join(root, 'best-straight', BEST)));
  });

  it('restarts from step 0 when best.bin is damaged at the end, and still finishes the same', async () => {
    const budget: Budget = { kind: 'steps', value: 4 };
    const straight = await runJob(spec('dmg-straight', budget, { monitor: scripted([0.9, 0.1, 0.1, 0.1]) }), hooks());
    const s = spec('dmg', budget, { monitor: scripted([0.9, 0.1, 0.1, 0.1]) });
    await expect(runJob(s, hooks({ onCheckpoint: (step: number) => { if (step === 4) throw new Error('crash'); } }))).rejects.toThrow('crash');
    rmSync(join(s.dir, BEST));
    const logs: string[] = [];
    const r = await runJob({ ...s, monitor: scripted([0.9, 0.1, 0.1, 0.1]) }, { ...hooks(), log: { ...silentLogger, warn: (m: string) => logs.push(m) } });
    expect(logs.join('\n')).toMatch(/best\.bin: cannot read \(ENOENT\); restarting dmg from step 0/);
    expect(r.metrics).toBe(straight.metrics);
    expect(readFileSync(join(s.dir, 'done'), 'utf8')).not.toBe('');
  });
});
