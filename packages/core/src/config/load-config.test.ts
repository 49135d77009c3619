import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { loadRunConfig, parseRunConfig } from './load-config.js';

const minimal = {
  dataset: { name: 'toy' },
  backbone: { name: 'toy-linear' },
  losses: [{ name: 'toy-ce' }],
  sampler: { name: 'toy-sampler' },
  algorithm: { name: 'toy-sgd' },
};

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseRunConfig', () => {
  it('fills defaults', () => {
    const c = parseRunConfig(minimal);
    expect(c.seed).toBe(0);
    expect(c.backend).toBe('auto');
    expect(c.plugins).toEqual([]);
    expect(c.losses[0]).toEqual({ name: 'toy-ce', hparams: {}, weight: 1 });
    expect(c.split.heldOut).toEqual([]);
    expect(c.train.steps).toBe(100);
  });

  it('names an unknown field', () => {
    const e = errorOf(() => parseRunConfig({ ...minimal, sede: 3 }));
    expect(e.field).toBe('sede');
    expect(e.message).toBe('sede: unknown field');
  });

  it('names a nested unknown field', () => {
    const e = errorOf(() => parseRunConfig({ ...minimal, train: { steps: 5, stepz: 1 } }));
    expect(e.message).toBe('train.stepz: unknown field');
  });

  it('names a wrong type', () => {
    const e = errorOf(() => parseRunConfig({ ...minimal, seed: 'zero' }));
    expect(e.field).toBe('seed');
    expect(e.message).toBe('seed: Expected number, received string');
  });

  it('names a missing component', () => {
    const { backbone: _omit, ...rest } = minimal;
    const e = errorOf(() => parseRunConfig(rest));
    expect(e.message).toBe('backbone: required');
  });

  it('rejects a negative loss weight and a non-positive step count with their paths', () => {
    expect(errorOf(() => parseRunConfig({ ...minimal, losses: [{ name: 'x', weight: -1 }] })).message).toBe(
      'losses[0].weight: Number must be greater than or equal to 0',
    );
    expect(errorOf(() => parseRunConfig({ ...minimal, train: { steps: 0 } })).field).toBe('train.steps');
  });

  it('reports every problem on one line', () => {
    const e = errorOf(() => parseRunConfig({ ...minimal, seed: -1, backend: 'tpu' }));
    expect(e.message.split('\n')).toHaveLength(1);
    expect(e.message).toMatch(/^seed: .*; backend: /);
  });
});

describe('loadRunConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'metadg-config-'));

  it('reads JSON and YAML', () => {
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ ...minimal, seed: 4 }));
    writeFileSync(
      join(dir, 'a.yaml'),
      'seed: 4\ndataset: {name: toy}\nbackbone: {name: toy-linear}\nlosses:\n  - name: toy-ce\nsampler: {name: toy-sampler}\nalgorithm: {name: toy-sgd}\n',
    );
    expect(loadRunConfig(join(dir, 'a.json'))).toEqual(loadRunConfig(join(dir, 'a.yaml')));
  });

  it('names the file in errors', () => {
    writeFileSync(join(dir, 'bad.json'), '{ "seed": ');
    expect(() => loadRunConfig(join(dir, 'bad.json'))).toThrow(/bad\.json: not valid JSON/);
    expect(() => loadRunConfig(join(dir, 'missing.json'))).toThrow(/missing\.json: cannot read config file \(ENOENT\)/);
    writeFileSync(join(dir, 'wrong.json'), JSON.stringify({ ...minimal, seed: 'x' }));
    expect(() => loadRunConfig(join(dir, 'wrong.json'))).toThrow(/wrong\.json: seed: Expected number/);
  });
});
