import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokenPackage, fixtureRoot, goodPackage, repoRoot, unbuiltPackage } from '../test/fixtures.js';
import { checkPackage } from './check-package.js';
import { importedPackages } from './checks/deps.js';
import { checkContents } from './checks/pack.js';
import { checkReadme, codeBlocks } from './checks/readme.js';
import { declarationFor, LOOKUPS, resolveTarget } from './exports-map.js';
import { formatReport, hasFailures } from './report.js';
import { satisfies } from './semver-lite.js';
import type { PackageReport, Problem } from './types.js';
import { publishablePackages, selectPackages } from './workspace.js';

let fixtures: ReturnType<typeof fixtureRoot>;
beforeAll(() => {
  fixtures = fixtureRoot();
});
afterAll(() => fixtures?.dispose());

const messages = (problems: readonly Problem[], check: string) =>
  problems.filter((p) => p.check === check && p.severity === 'error').map((p) => p.message);

describe('release check on fixture packages', () => {
  it('passes a correct dual ESM/CJS package with per-format types, running every check', async () => {
    const report = await checkPackage(goodPackage(fixtures.root));
    expect(report.problems).toEqual([]);
    expect(report.skipped).toEqual({});
    expect(hasFailures([report], true)).toBe(false);
  });

  it('finds every deliberate fault of a broken package', async () => {
    const report = await checkPackage(brokenPackage(fixtures.root), { skip: ['load'] });
    const { problems } = report;
    expect(messages(problems, 'pack')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/no "files" whitelist/),
        'tarball lacks README.md',
        'tarball lacks dist/*.d.cts (CommonJS types)',
        expect.stringMatching(/ships source folder: src\/index.test.ts, src\/index.ts/),
        expect.stringMatching(/ships test folder: test\/fixtures\/image.json/),
      ]),
    );
    expect(messages(problems, 'exports')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/types \(require\) → \.\/dist\/index\.d\.ts, expected CommonJS declarations/),
      ]),
    );
    expect(messages(problems, 'attw').join('\n')).toMatch(/FalseESM/);
    expect(messages(problems, 'deps')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^"@tensorflow\/tfjs-core" is a dependency; it must be a peerDependency/),
        'dist imports "@metadg/core", which package.json does not declare',
      ]),
    );
    expect(messages(problems, 'readme')).toEqual(['no README.md']);
    expect(messages(problems, 'meta')).toEqual(['no "license"']);
    expect(hasFailures([report])).toBe(true);
    expect(formatReport([report])).toMatch(/@fixture\/broken\s+0\.0\.1\s+✗ \d+\s+✗ 1\s+–/);
  });

  it('reports an unbuilt package as such and skips the checks that need the build', async () => {
    const report = await checkPackage(unbuiltPackage(fixtures.root));
    expect(messages(report.problems, 'pack')[0]).toMatch(/^not built: \.\/dist\/index\.js, \.\/dist\/index\.cjs missing \(run: npx nx run @fixture\/unbuilt:build\)/);
    expect(report.skipped).toEqual({ load: 'not built', publint: 'not built', attw: 'not built' });
  });

  it('fails loading when an export target breaks at run time', async () => {
    const pkg = goodPackage(fixtures.root);
    writeFileSync(join(pkg.dir, 'dist', 'index.cjs'), 'require("./missing-chunk.cjs");\n');
    const report = await checkPackage(pkg, { skip: ['publint', 'attw'] });
    expect(messages(report.problems, 'load')).toEqual([expect.stringMatching(/^require\("@fixture\/good"\) fails: .*Cannot find module/)]);
  });
});

describe('release check rules', () => {
  it('resolves exports like Node and TypeScript: key order, first match, fallthrough', () => {
    const map = { import: { types: './a.d.ts', default: './a.js' }, require: { types: './a.d.cts', default: './a.cjs' } };
    expect(resolveTarget(map, LOOKUPS.import)).toBe('./a.js');
    expect(resolveTarget(map, LOOKUPS.require)).toBe('./a.cjs');
    expect(resolveTarget(map, LOOKUPS['types (require)'])).toBe('./a.d.cts');
    // A leading "types" wins for both formats: the masquerading case.
    expect(resolveTarget({ types: './t.d.ts', require: './a.cjs' }, LOOKUPS['types (require)'])).toBe('./t.d.ts');
    expect(resolveTarget({ node: { import: './n.js' }, default: './d.js' }, LOOKUPS.require)).toBe('./d.js');
    expect(declarationFor('./dist/index.cjs')).toBe('./dist/index.d.cts');
  });

  it('reads imports from bundles without mistaking strings for specifiers', () => {
    const source = [
      'import { a } from "@scope/pkg/sub";',
      'import * as tf from "@tensorflow/tfjs-core";',
      'import "reflect-metadata";',
      'const c = require("zod"); const d = await import("yaml");',
      'import { x } from "./local.js"; import fs from "node:fs"; require("path");',
      'for (const condition of ["import", "node", "default"]) {}',
      'const message = "loaded from \'somewhere else\'";',
    ].join('\n');
    expect([...importedPackages(source)].sort()).toEqual(['@scope/pkg', '@tensorflow/tfjs-core', 'reflect-metadata', 'yaml', 'zod']);
  });

  it('checks ranges against workspace versions', () => {
    expect(satisfies('0.1.0', '^0.1.0')).toBe(true);
    expect(satisfies('0.2.0', '^0.1.0')).toBe(false);
    expect(satisfies('1.4.0', '^1.2.0')).toBe(true);
    expect(satisfies('0.1.3', '~0.1.0')).toBe(true);
    expect(satisfies('0.1.0', '0.1.0')).toBe(true);
    expect(satisfies('0.1.1', '0.1.0')).toBe(false);
    expect(satisfies('2.0.0', '1.x || >=2.0.0')).toBe(true);
    expect(satisfies('1.0.0', 'workspace:*')).toBeUndefined();
  });

  it('allows a fixtures folder only when `files` lists it by name', () => {
    const pack = { files: ['README.md', 'dist/index.cjs', 'dist/index.d.cts', 'dist/index.d.ts', 'dist/index.js', 'fixtures/a.png', 'package.json'], unpackedSize: 1 };
    const base = { name: 'x', version: '1.0.0' };
    expect(checkContents({ ...base, files: ['dist', 'fixtures', 'README.md'] }, pack)).toEqual([]);
    expect(checkContents({ ...base, files: ['dist', 'fixtures/**', 'README.md'] }, pack)).toEqual([]);
    // A src/ nested in a shipped asset folder (generator templates) is not the package's source…
    const templates = { ...pack, files: [...pack.files, 'generators/files/src/index.ts__tmpl__'] };
    expect(checkContents({ ...base, files: ['dist', 'fixtures', 'generators', 'README.md'] }, templates)).toEqual([]);
    // …but the top-level src/ is.
    const sources = { ...pack, files: [...pack.files, 'src/index.ts'] };
    expect(checkContents({ ...base, files: ['dist', 'fixtures', 'README.md', 'src/index.ts'] }, sources)).toEqual([]);
    expect(checkContents({ ...base, files: ['dist', 'fixtures', 'README.md'] }, sources)[0]?.message).toMatch(/ships source folder: src\/index.ts/);
    const nested = { ...pack, files: [...pack.files.filter((f) => !f.startsWith('fixtures')), 'dist/fixtures/a.png'] };
    expect(checkContents({ ...base, files: ['dist', 'README.md'] }, nested).map((p) => p.message)).toEqual([
      expect.stringMatching(/ships test fixtures: dist\/fixtures\/a.png/),
    ]);
  });

  it('accepts a shell example for a package with a bin, and finds fenced blocks', () => {
    expect(codeBlocks('text\n```ts\nconst a = 1;\n```\n~~~sh\nls\n~~~\n')).toEqual([
      { lang: 'ts', code: 'const a = 1;\n' },
      { lang: 'sh', code: 'ls\n' },
    ]);
    const { root } = fixtures;
    const dir = join(root, 'readme-only');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'README.md'), '# cli\n\n```sh\nnpx metadg train run.yaml\n```\n');
    expect(checkReadme(dir, { name: '@metadg/cli', version: '1.0.0', bin: { metadg: './dist/cli.js' } })).toEqual([]);
    expect(checkReadme(dir, { name: '@metadg/lib', version: '1.0.0' })[0]?.message).toBe('README.md has no code example that imports "@metadg/lib"');
  });
});

describe('workspace discovery', () => {
  it('checks the non-private workspace packages of this repository', () => {
    const names = publishablePackages(repoRoot).map((p) => p.manifest.name);
    expect(names).toEqual(expect.arrayContaining(['@metadg/core', '@metadg/tensor', '@metadg/tools']));
    expect(names).not.toContain('@metadg/dev');
    expect(names).not.toContain('@metadg/release-check');
    const core = selectPackages(publishablePackages(repoRoot), ['packages/core'], repoRoot);
    expect(core.map((p) => p.manifest.name)).toEqual(['@metadg/core']);
    expect(() => selectPackages(publishablePackages(repoRoot), ['@metadg/nope'], repoRoot)).toThrow(/not a publishable workspace package/);
  });
});

describe('command line', () => {
  const here = resolve(import.meta.dirname, '..');
  const cli = join(here, 'dist', 'cli.js');
  const newest = (dir: string): number =>
    Math.max(...readdirSync(dir).map((n) => (statSync(join(dir, n)).isDirectory() ? newest(join(dir, n)) : statSync(join(dir, n)).mtimeMs)));

  beforeAll(() => {
    // `npm test` builds first; when run alone with newer sources, build here.
    if (existsSync(cli) && statSync(cli).mtimeMs >= newest(join(here, 'src'))) return;
    const r = spawnSync(join(repoRoot, 'node_modules', '.bin', 'tsup'), [], { cwd: here, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`building release-check failed: ${r.stdout}${r.stderr}`);
  });

  const runCli = (args: string[]) => spawnSync(process.execPath, [cli, '--root', fixtures.root, '--skip', 'attw,publint,load', ...args], { encoding: 'utf8' });

  it('prints a table and exits 1 when a package fails, 0 when all pass', () => {
    goodPackage(fixtures.root);
    brokenPackage(fixtures.root);
    const all = runCli([]);
    expect(all.status).toBe(1);
    expect(all.stdout).toMatch(/^package\s+version\s+pack\s+exports\s+load\s+publint\s+attw\s+deps\s+readme\s+meta\s+result$/m);
    expect(all.stdout).toMatch(/^@fixture\/good\s+1\.2\.3\s+✓\s+✓\s+–\s+–\s+–\s+✓\s+✓\s+✓\s+ok$/m);
    expect(all.stdout).toMatch(/^@fixture\/broken\s.*FAIL$/m);
    const good = runCli(['packages/good']);
    expect(good.status, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toMatch(/1 package\(s\) checked: 1 ok, 0 failing/);
  });

  it('rejects an unknown check name with usage, exit 2', () => {
    const r = runCli(['--skip', 'typos']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--skip: unknown check\(s\) typos/);
  });
});

