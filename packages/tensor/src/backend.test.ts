import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as BackendModule from './backend.js';

/** A fresh copy of backend.ts (no backend started yet), as a new process would see it. */
async function freshBackendModule(): Promise<typeof BackendModule> {
  vi.resetModules();
  return import('./backend.js');
}

function recorder() {
  const lines: string[] = [];
  return { lines, log: (line: string) => lines.push(line) };
}

describe('initBackend', () => {
  let savedEnv: string | undefined;
  beforeEach(() => {
    savedEnv = process.env['METADG_BACKEND'];
    delete process.env['METADG_BACKEND'];
  });
  afterEach(() => {
    if (savedEnv === undefined) delete process.env['METADG_BACKEND'];
    else process.env['METADG_BACKEND'] = savedEnv;
    vi.restoreAllMocks();
  });

  it('starts a forced cpu backend', async () => {
    const { initBackend } = await freshBackendModule();
    const { lines, log } = recorder();
    const info = await initBackend({ backend: 'cpu', log });
    expect(info).toMatchObject({ candidate: 'cpu', backend: 'cpu', requestedBy: 'option', skipped: [] });
    expect(tf.getBackend()).toBe('cpu');
    expect(lines).toEqual(['metadg: tensor backend cpu (pure JavaScript)']);
  });

  it('starts a forced wasm backend and installs its kernels', async () => {
    const { initBackend } = await freshBackendModule();
    const info = await initBackend({ backend: 'WASM', log: () => {} });
    expect(info.candidate).toBe('wasm');
    expect(info.description).toMatch(/^wasm \((SIMD|no SIMD), (1 thread|multi-threaded)\)$/);
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeDefined();
    expect(tf.getKernel(tf.UnsortedSegmentSum, 'wasm')).toBeDefined();
  });

  it('honours METADG_BACKEND, and an explicit option overrides it', async () => {
    process.env['METADG_BACKEND'] = 'cpu';
    const first = await freshBackendModule();
    expect(await first.initBackend({ log: () => {} })).toMatchObject({ candidate: 'cpu', requestedBy: 'env' });
    const second = await freshBackendModule();
    expect(await second.initBackend({ backend: 'wasm', log: () => {} })).toMatchObject({ candidate: 'wasm', requestedBy: 'option' });
  });

  it('rejects an unknown value with a BackendError naming its source', async () => {
    const { initBackend, BackendError } = await freshBackendModule();
    process.env['METADG_BACKEND'] = 'tpu';
    await expect(initBackend({ log: () => {} })).rejects.toThrow(BackendError);
    await expect(initBackend({ log: () => {} })).rejects.toThrow(
      'METADG_BACKEND: unknown backend "tpu" (choose one of auto, tensorflow-gpu, tensorflow, wasm, cpu)',
    );
    await expect(initBackend({ backend: 'gpu', log: () => {} })).rejects.toThrow(/^--backend: unknown backend "gpu"/);
  });

  it('forcing an uninstalled backend fails with "not installed" and keeps the running one', async () => {
    const { initBackend, currentBackend, BackendError } = await freshBackendModule();
    const running = await initBackend({ backend: 'cpu', log: () => {} });
    await expect(initBackend({ backend: 'tensorflow', log: () => {} })).rejects.toThrow(BackendError);
    await expect(initBackend({ backend: 'tensorflow', log: () => {} })).rejects.toThrow(
      'backend "tensorflow" (@tensorflow/tfjs-node) cannot start: not installed',
    );
    await expect(initBackend({ backend: 'tensorflow-gpu', log: () => {} })).rejects.toThrow(/tfjs-node-gpu\) cannot start: not installed/);
    expect(tf.getBackend()).toBe('cpu');
    expect(await currentBackend()).toBe(running);
  });

  it('auto picks the first candidate that starts and logs the choice once, with the skipped ones', async () => {
    const { initBackend } = await freshBackendModule();
    const { lines, log } = recorder();
    const info = await initBackend({ log });
    expect(await initBackend({ log })).toBe(info);
    expect(info).toMatchObject({ candidate: 'wasm', requestedBy: 'auto' });
    expect(info.skipped).toEqual([
      { candidate: 'tensorflow-gpu', reason: 'not installed' },
      { candidate: 'tensorflow', reason: 'not installed' },
    ]);
    // Naming the candidate auto chose is not a switch either.
    expect(await initBackend({ backend: 'wasm', log })).toBe(info);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^metadg: tensor backend wasm \(.*\) \(skipped tensorflow-gpu: not installed; tensorflow: not installed\)$/);
  });

  it('switches when called again with another backend, and otherwise keeps the running one', async () => {
    const { initBackend, currentBackend } = await freshBackendModule();
    await initBackend({ backend: 'cpu', log: () => {} });
    const made = tf.tensor1d([1, 2, 3]);
    const wasm = await initBackend({ backend: 'wasm', log: () => {} });
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeDefined();
    // A library calling initBackend() without a choice does not override the application's.
    expect(await initBackend({ log: () => {} })).toBe(wasm);
    expect(await currentBackend()).toBe(wasm);
    // Tensors made on the previous backend stay usable (tfjs moves them on read).
    expect(Array.from(tf.add(made, 1).dataSync())).toEqual([2, 3, 4]);
    await initBackend({ backend: 'cpu', log: () => {} });
    expect(tf.getBackend()).toBe('cpu');
    made.dispose();
  });

  it('silences only the "running TensorFlow.js in Node.js" banner of the cpu backend', async () => {
    const { initBackend } = await freshBackendModule();
    await tf.setBackend('wasm');
    // Make the cpu backend look unused, as in a new process.
    const cpu = tf.findBackend('cpu') as tf.KernelBackend & { firstUse?: boolean };
    cpu.firstUse = true;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await initBackend({ backend: 'cpu', log: () => {} });
    tf.tidy(() => tf.ones([2]).dataSync());
    expect(warn.mock.calls.flat().join(' ')).not.toMatch(/Hi, looks like you are running TensorFlow\.js in Node\.js/);
    expect(cpu.firstUse).toBe(false);
  });
});
