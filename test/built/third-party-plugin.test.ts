// A plugin package that lives outside core (test/plugins/acme-toy) is found
// from a run config — by npm package name and by path — bound into the DI
// container and trained, using the *built* @metadg/core (ESM here, CJS in a
// child process). No core file knows about it.
import * as core from '@metadg/core';
import { initBackend } from '@metadg/tensor';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const pluginDir = resolve(here, '../plugins/acme-toy');

const baseConfig = {
  seed: 11,
  dataset: { name: 'acme-blobs' },
  split: { heldOut: ['bright'] },
  backbone: { name: 'acme-linear' },
  losses: [{ name: 'acme-contrastive' }],
  sampler: { name: 'acme-pairs' },
  algorithm: { name: 'acme-sgd' },
  train: { steps: 12, logEvery: 100 },
};

/** A consumer project: node_modules/@acme/metadg-toy → the plugin, and a config file. */
function consumerProject(plugins: string[]): { dir: string; configFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'metadg-consumer-'));
  mkdirSync(join(dir, 'node_modules', '@acme'), { recursive: true });
  symlinkSync(pluginDir, join(dir, 'node_modules', '@acme', 'metadg-toy'), 'dir');
  symlinkSync(pluginDir, join(dir, 'acme'), 'dir');
  const configFile = join(dir, 'run.json');
  writeFileSync(configFile, JSON.stringify({ ...baseConfig, plugins }));
  return { dir, configFile };
}

async function trainFrom(configFile: string, dir: string): Promise<number[]> {
  const config = core.loadRunConfig(configFile);
  const run = await core.composeRun(config, { searchFrom: [dir], log: core.silentLogger });
  expect(run.registry.list().map((p) => p.packageName)).toContain('@acme/metadg-toy');
  const history = await (await run.trainer()).train();
  return history.map((m) => m.loss);
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu', log: () => {} });
});

describe('third-party plugin package, built core', () => {
  it('is discovered by package name from a config and trains', async () => {
    const { dir, configFile } = consumerProject(['@acme/metadg-toy']);
    const losses = await trainFrom(configFile, dir);
    expect(losses).toHaveLength(12);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[11]!).toBeLessThan(losses[0]!);
  });

  it('is discovered by a path relative to the config file, with identical results', async () => {
    const byName = consumerProject(['@acme/metadg-toy']);
    const byPath = consumerProject(['./acme']);
    expect(await trainFrom(byPath.configFile, byPath.dir)).toEqual(await trainFrom(byName.configFile, byName.dir));
  });

  it('composes identically through the CommonJS bundles (decorators without metadata)', async () => {
    const { dir, configFile } = consumerProject(['@acme/metadg-toy']);
    const script = `
      const core = require('@metadg/core');
      const { initBackend } = require('@metadg/tensor');
      (async () => {
        await initBackend({ backend: 'cpu', log: () => {} });
        const run = await core.composeRun(core.loadRunConfig(${JSON.stringify(configFile)}), {
          searchFrom: [${JSON.stringify(dir)}], log: core.silentLogger });
        const trainer = await run.trainer();
        if (!(trainer instanceof core.Trainer)) throw new Error('Trainer not built by the container');
        const history = await trainer.train();
        process.stdout.write(JSON.stringify(history.map((m) => m.loss)));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: here, encoding: 'utf8' });
    const cjsLosses = JSON.parse(out) as number[];
    expect(cjsLosses).toEqual(await trainFrom(configFile, dir));
  });

  it('reports a package that does not export metadgPlugins, naming it', async () => {
    const { dir } = consumerProject([]);
    mkdirSync(join(dir, 'node_modules', 'not-a-plugin'));
    writeFileSync(join(dir, 'node_modules', 'not-a-plugin', 'package.json'), '{"name":"not-a-plugin","main":"i.js"}');
    writeFileSync(join(dir, 'node_modules', 'not-a-plugin', 'i.js'), 'module.exports = { hello: 1 };');
    const config = core.parseRunConfig({ ...baseConfig, plugins: ['not-a-plugin'] });
    await expect(core.composeRun(config, { searchFrom: [dir] })).rejects.toThrow(
      /^plugin "not-a-plugin": .*i\.js does not export "metadgPlugins"/,
    );
  });

  it('loads a package listed twice (by name and by path) once', async () => {
    const { dir } = consumerProject([]);
    const config = core.parseRunConfig({ ...baseConfig, plugins: ['@acme/metadg-toy', './acme'] });
    const run = await core.composeRun(config, { searchFrom: [dir], log: core.silentLogger });
    expect(run.registry.list('dataset').filter((p) => p.manifest.name === 'acme-blobs')).toHaveLength(1);
  });

  it('rejects two packages providing the same plugin name, naming both', async () => {
    const { dir } = consumerProject([]);
    const other = join(dir, 'node_modules', '@other', 'dup');
    mkdirSync(other, { recursive: true });
    writeFileSync(join(other, 'package.json'), '{"name":"@other/dup","type":"module","exports":"./index.js"}');
    writeFileSync(
      join(other, 'index.js'),
      `export const metadgPlugins = { packageName: '@other/dup', version: '9.9.9', plugins: [{
        kind: 'dataset', name: 'acme-blobs', version: '9.9.9', description: 'a clash',
        hparams: { safeParse: (x) => ({ success: true, data: x }) }, create() { throw new Error('unused'); } }] };`,
    );
    const config = core.parseRunConfig({ ...baseConfig, plugins: ['@acme/metadg-toy', '@other/dup'] });
    await expect(core.composeRun(config, { searchFrom: [dir] })).rejects.toThrow(
      'plugin "acme-blobs": dataset provided twice, by "@acme/metadg-toy" (1.2.3) and by "@other/dup" (9.9.9)',
    );
  });
});
