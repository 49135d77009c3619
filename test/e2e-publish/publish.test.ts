// End-to-end publish test: the release path as a user meets it.
//
//  1. start verdaccio on 127.0.0.1 (temp storage, no uplinks);
//  2. seed it with the third-party packages the consumer needs (tfjs, zod,
//     inversify … exact installed versions: the original tarballs from the
//     local npm cache, checked against package-lock.json's integrity, or
//     `npm pack` of the installed copy when the cache lacks one);
//  3. `npm publish` the built workspace packages the consumer installs (and
//     their workspace dependencies), derived from the workspace;
//  4. as a third party would: generate a loss and a meta-optimizer plugin
//     package with `nx g @metadg/tools:plugin`, build them, `npm publish`;
//  5. in a fresh consumer project whose npm can reach nothing but that
//     registry, `npm install` core, tensor, tfjs and the two plugins (and the
//     app, once `withApp` is switched on in e2e.config.ts);
//  6. run a composed run that trains with the third-party plugins.
//
// The registry is stopped in afterAll, whether or not the tests passed.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPackage, readManifest as readPublishManifest, type PackageReport } from '@metadg/release-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appCommands, consumerExtras, consumerPackages, withApp } from './e2e.config.js';
import { cleanEnv, isolatedNpm, run, type Ran } from './isolated-npm.js';
import { publishTarball, startLocalRegistry, type LocalRegistry, type VersionManifest } from './local-registry.js';
import {
  cachedTarball,
  firstPartyClosure,
  readManifest,
  thirdPartyClosure,
  workspacePackages,
  type InstalledPackage,
  type WorkspacePackage,
} from './packages-to-publish.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);

/** The two plugin packages a third party generates and publishes. */
const PLUGINS = [
  { name: 'e2e-loss', kind: 'loss', scope: '@acme', packageName: '@acme/metadg-plugin-e2e-loss' },
  { name: 'e2e-mldg', kind: 'meta-optimizer', scope: '', packageName: 'metadg-plugin-e2e-mldg' },
] as const;

const timings: [string, number][] = [];
async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    timings.push([label, (performance.now() - t0) / 1000]);
  }
}

const ok = (r: Ran, what: string) => {
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`.slice(0, 6000));
  return r;
};

let tmp: string;
let registry: LocalRegistry | undefined;
let npm: ReturnType<typeof isolatedNpm>;
let firstParty: WorkspacePackage[];
let seeded: { fromCache: number; packed: number; total: number };
const pluginReports: PackageReport[] = [];
const consumerDir = () => join(tmp, 'consumer');

/** Built output of a workspace package, or the reason it is missing. */
function assertBuilt(pkg: WorkspacePackage): void {
  if (!existsSync(join(pkg.dir, 'dist'))) {
    throw new Error(`${pkg.manifest.name} is not built (${pkg.dir}/dist missing): run \`npx nx run-many -t build\` first`);
  }
}

/** Seeds the registry with the installed third-party packages. */
async function seedThirdParty(packages: readonly InstalledPackage[]): Promise<typeof seeded> {
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { integrity?: string }>;
  };
  const cache = ok(await run('npm', ['config', 'get', 'cache'], repoRoot), 'npm config get cache').stdout.trim();
  // METADG_E2E_NO_CACHE=1 exercises the fallback (npm pack of the installed copies) for every package.
  const useCache = process.env['METADG_E2E_NO_CACHE'] !== '1';
  const misses: InstalledPackage[] = [];
  let fromCache = 0;
  for (const pkg of packages) {
    const tarball = useCache ? cachedTarball(cache, lock.packages[pkg.lockKey]?.integrity) : undefined;
    if (!tarball) {
      misses.push(pkg);
      continue;
    }
    await publishTarball(registry!, readManifest(pkg.dir) as VersionManifest, tarball);
    fromCache++;
  }
  if (misses.length > 0) {
    // Not in the cache: pack the installed copies (same files as published).
    const out = join(tmp, 'packed');
    mkdirSync(out, { recursive: true });
    const packed = ok(
      await run('npm', ['pack', ...misses.map((p) => p.dir), '--pack-destination', out, '--json', '--ignore-scripts'], tmp),
      'npm pack of installed dependencies',
    );
    const files = new Map(
      (JSON.parse(packed.stdout) as { name: string; version: string; filename: string }[]).map((f) => [`${f.name}@${f.version}`, f.filename]),
    );
    for (const pkg of misses) {
      const filename = files.get(`${pkg.manifest.name}@${pkg.manifest.version}`);
      if (!filename) throw new Error(`npm pack produced no tarball for ${pkg.manifest.name}@${pkg.manifest.version} (${pkg.dir})`);
      await publishTarball(registry!, readManifest(pkg.dir) as VersionManifest, readFileSync(join(out, filename)));
    }
  }
  return { fromCache, packed: misses.length, total: packages.length };
}

/** A third party's workspace: nx + the generator + a toolchain, resolved from this repo's node_modules. */
async function generateAndPublishPlugins(): Promise<void> {
  const ws = join(tmp, 'third-party');
  mkdirSync(ws);
  writeFileSync(join(ws, 'package.json'), JSON.stringify({ name: 'acme-workspace', private: true }));
  writeFileSync(join(ws, 'nx.json'), JSON.stringify({ useDaemonProcess: false }));
  symlinkSync(join(repoRoot, 'node_modules'), join(ws, 'node_modules'), 'dir');
  for (const plugin of PLUGINS) {
    const scope = plugin.scope ? ['--packageScope', plugin.scope] : [];
    ok(await run(bin('nx'), ['g', '@metadg/tools:plugin', plugin.name, '--kind', plugin.kind, '--no-interactive', ...scope], ws), `nx g ${plugin.name}`);
    const dir = join(ws, 'plugins', plugin.name);
    ok(await run(bin('tsup'), [], dir), `tsup in ${dir}`);
    // The same pre-publish checks as MetaDG's own packages (tarball, exports, publint, attw, peers, README).
    pluginReports.push(await checkPackage({ dir, manifest: readPublishManifest(dir), workspaceVersions: new Map() }));
    // Scripts off: prepublishOnly would re-run tsc, vitest and tsup (done above / in the generator's own tests).
    ok(await npm(['publish', '--ignore-scripts'], dir), `npm publish ${plugin.packageName}`);
  }
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'metadg-e2e-publish-'));
  const workspace = workspacePackages(repoRoot);
  firstParty = firstPartyClosure(workspace, consumerPackages);
  for (const pkg of [...firstParty, workspace.get('@metadg/tools')!, workspace.get('@metadg/release-check')!]) assertBuilt(pkg);

  registry = await timed('start verdaccio', () => startLocalRegistry(join(tmp, 'registry'), join(repoRoot, 'node_modules/verdaccio/bin/verdaccio')));
  npm = isolatedNpm(join(tmp, 'npm'), registry);
  const thirdParty = thirdPartyClosure(repoRoot, firstParty, consumerExtras);
  seeded = await timed('seed third-party packages', () => seedThirdParty(thirdParty));
  await timed('npm publish workspace packages', async () => {
    for (const pkg of firstParty) ok(await npm(['publish', '--ignore-scripts', '--access', 'public'], pkg.dir), `npm publish ${pkg.manifest.name}`);
  });
  await timed('generate, build, publish plugins', generateAndPublishPlugins);
}, 900_000);

afterAll(async () => {
  await registry?.stop();
  if (timings.length > 0) {
    const total = timings.reduce((s, [, t]) => s + t, 0);
    const source = seeded ? ` (seeded ${seeded.total}: ${seeded.fromCache} from the npm cache, ${seeded.packed} packed)` : '';
    console.log(`e2e-publish timings: ${timings.map(([l, t]) => `${l} ${t.toFixed(1)} s`).join(', ')}; total ${total.toFixed(1)} s${source}`);
  }
  if (tmp && process.env['METADG_E2E_KEEP'] !== '1') rmSync(tmp, { recursive: true, force: true });
}, 60_000);

describe('end-to-end publish through a local registry', () => {
  it('serves only what was published: no uplinks, and npm cannot reach any other host', async () => {
    expect(seeded.total).toBeGreaterThan(10);
    expect(seeded.fromCache + seeded.packed).toBe(seeded.total);
    const unknown = await fetch(`${registry!.url}left-pad`);
    expect(unknown.status).toBe(404);
    // Any other registry is refused by the proxy tripwire before it is reached (.invalid never resolves anyway).
    const elsewhere = await npm(['view', 'left-pad', '--registry', 'https://registry.invalid/'], tmp);
    expect(elsewhere.status).not.toBe(0);
    expect(elsewhere.stderr).toMatch(/ECONNREFUSED 127\.0\.0\.1:9\b/);
  });

  it('publishes generated plugin packages that pass the release checks', () => {
    expect(pluginReports.map((r) => r.name)).toEqual(PLUGINS.map((p) => p.packageName));
    for (const report of pluginReports) {
      expect(report.problems.filter((p) => p.severity === 'error'), report.name).toEqual([]);
      expect(report.skipped).toEqual({});
    }
  });

  it('installs core, tensor, tfjs and the generated plugins in a fresh consumer, from that registry only', async () => {
    mkdirSync(consumerDir());
    writeFileSync(join(consumerDir(), 'package.json'), JSON.stringify({ name: 'metadg-e2e-consumer', private: true, type: 'module' }, null, 2));
    writeFileSync(join(consumerDir(), '.npmrc'), `registry=${registry!.url}\n`);
    const wanted = [...consumerPackages, ...consumerExtras, ...PLUGINS.map((p) => p.packageName)];
    await timed('consumer npm install', async () => ok(await npm(['install', ...wanted], consumerDir()), 'consumer npm install'));

    const lock = JSON.parse(readFileSync(join(consumerDir(), 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; resolved?: string; link?: boolean }>;
    };
    const entries = Object.entries(lock.packages).filter(([key]) => key.startsWith('node_modules/'));
    expect(entries.length).toBeGreaterThan(seeded.total / 2);
    for (const [key, entry] of entries) expect(entry.resolved, key).toMatch(new RegExp(`^${registry!.url}`));
    for (const pkg of firstParty) expect(lock.packages[`node_modules/${pkg.manifest.name}`]?.version).toBe(pkg.manifest.version);
    // One copy of each singleton: no nested node_modules/<singleton> anywhere.
    for (const single of ['@tensorflow/tfjs-core', '@metadg/core']) {
      expect(entries.filter(([key]) => key.endsWith(`node_modules/${single}`)).map(([key]) => key)).toEqual([`node_modules/${single}`]);
    }
  }, 600_000);

  it('runs a composed run that trains with the third-party plugins', async () => {
    copyFileSync(join(here, 'consumer', 'run.mjs'), join(consumerDir(), 'run.mjs'));
    const result = await timed('composed run', async () =>
      ok(await run(process.execPath, ['run.mjs', ...PLUGINS.map((p) => p.packageName)], consumerDir()), 'consumer run.mjs'),
    );
    const line = result.stdout.trim().split('\n').pop() ?? '';
    const report = JSON.parse(line) as { backend: string; losses: number[]; metaTest: number[]; leakedTensors: number; plugins: string[] };
    expect(report.backend).toBe('cpu');
    expect(report.plugins).toEqual(
      expect.arrayContaining(['@acme/metadg-plugin-e2e-loss loss:e2e-loss', 'metadg-plugin-e2e-mldg meta-optimizer:e2e-mldg']),
    );
    expect(report.losses).toHaveLength(15);
    expect(report.losses.every(Number.isFinite)).toBe(true);
    expect(report.metaTest.every(Number.isFinite)).toBe(true);
    expect(report.losses[14]!).toBeLessThan(report.losses[0]!);
    expect(report.leakedTensors).toBe(0);
  }, 300_000);

  it('loads the generated plugins through their CommonJS builds too', () => {
    const names = execFileSync(
      process.execPath,
      ['-e', `process.stdout.write(${JSON.stringify(PLUGINS.map((p) => p.packageName))}.map((n) => require(n).metadgPlugins.plugins[0].name).join())`],
      { cwd: consumerDir(), env: cleanEnv(), encoding: 'utf8' },
    );
    expect(names).toBe(PLUGINS.map((p) => p.name).join());
  });

  if (withApp) {
    it.each(appCommands.map((args) => [args.join(' '), args] as const))('runs the installed app: metadg %s', async (_label, args) => {
      const metadg = join(consumerDir(), 'node_modules', '.bin', 'metadg');
      expect(existsSync(metadg)).toBe(true);
      const ran = ok(await run(metadg, args, consumerDir()), `metadg ${args.join(' ')}`);
      // Every --plugin named must show up next to the bundled plugins.
      args.forEach((arg, i) => {
        if (args[i - 1] === '--plugin') expect(ran.stdout).toContain(arg);
      });
      if (args[0] === 'plugins') expect(ran.stdout).toMatch(/meta-optimizer\s+mfr\s/);
    }, 300_000);
  }
});

