// The generator's promise, checked for real: in a throw-away workspace,
// `nx g @metadg/tools:plugin` (the CLI, loading the built generator as nx
// would) writes packages that type-check, pass their own tests and build,
// untouched.
//
// Fully, one package at a time, as their authors would run them: the loss and
// meta-optimizer packages (simplest and most involved skeleton): tsc, vitest,
// tsup, then their bundles loaded as ESM and as CJS. The backbone, sampler
// and dataset packages are type-checked in one tsc run and tested in one
// vitest run over their own, untouched vitest configs (to keep this suite
// short on 2-core CI machines).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, createTempWorkspace, ensureGeneratorBuilt, nxGeneratePlugin, runTool } from '../../../test/temp-workspace.js';
import { PLUGIN_KINDS, type PluginKindOption } from './schema.js';

const FULL: readonly PluginKindOption[] = ['loss', 'meta-optimizer'];
const BATCHED = PLUGIN_KINDS.filter((k) => !FULL.includes(k));

let workspace: ReturnType<typeof createTempWorkspace>;
const dirs = new Map<PluginKindOption, string>();

beforeAll(() => {
  ensureGeneratorBuilt();
  workspace = createTempWorkspace();
  for (const kind of PLUGIN_KINDS) dirs.set(kind, nxGeneratePlugin(workspace.root, `demo-${kind}`, kind));
});

afterAll(() => workspace?.dispose());

/** Runs vitest in `cwd` and reads its JSON report. */
function vitest(cwd: string, args: readonly string[] = []): { passed: number; failed: number; files: number; output: string } {
  const report = join(cwd, 'vitest-report.json');
  const r = runTool('vitest', ['run', ...args, '--reporter=json', `--outputFile=${report}`], cwd);
  if (!existsSync(report)) return { passed: 0, failed: 1, files: 0, output: r.output };
  const json = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numTotalTestSuites: number;
    testResults: unknown[];
  };
  return {
    passed: json.numPassedTests,
    failed: json.numFailedTests + (r.status === 0 ? 0 : 1),
    files: json.testResults.length,
    output: r.output,
  };
}

describe.each(FULL)('generated %s package, untouched, on its own', (kind) => {
  it('type-checks (strict) and passes its own tests', () => {
    const dir = dirs.get(kind)!;
    const tsc = runTool('tsc', ['--noEmit', '-p', 'tsconfig.json'], dir);
    expect(tsc.output).toBe('');
    expect(tsc.status).toBe(0);
    const tests = vitest(dir);
    expect(tests.failed, tests.output).toBe(0);
    expect(tests.passed).toBeGreaterThanOrEqual(6);
  });

  it('builds ESM + CJS + .d.ts, and both bundles export its metadgPlugins', () => {
    const dir = dirs.get(kind)!;
    const build = runTool('tsup', [], dir);
    expect(build.status, build.output).toBe(0);
    for (const file of ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts']) {
      expect(existsSync(join(dir, 'dist', file)), file).toBe(true);
    }
    const probe = (code: string, type: 'module' | 'commonjs') =>
      execFileSync(process.execPath, ['--input-type', type, '-e', code], { cwd: dir, env: cleanEnv(), encoding: 'utf8' });
    const summary = 'const p = m.metadgPlugins; process.stdout.write(p.packageName + " " + p.plugins.map((x) => x.kind + ":" + x.name).join());';
    const expected = `metadg-plugin-demo-${kind} ${kind}:demo-${kind}`;
    expect(probe(`const m = await import("./dist/index.js"); ${summary}`, 'module')).toBe(expected);
    expect(probe(`const m = require("./dist/index.cjs"); ${summary}`, 'commonjs')).toBe(expected);
  });
});

describe(`generated ${BATCHED.join(', ')} packages, untouched`, () => {
  it('type-check (strict, with their own compiler options)', () => {
    // One tsc over all three: each package's own tsconfig options, its files.
    const first = relative(workspace.root, dirs.get(BATCHED[0]!)!);
    const tsconfig = join(workspace.root, 'tsconfig.batched.json');
    writeFileSync(
      tsconfig,
      JSON.stringify({ extends: `./${first}/tsconfig.json`, include: BATCHED.map((k) => `${relative(workspace.root, dirs.get(k)!)}/src`) }),
    );
    const tsc = runTool('tsc', ['--noEmit', '-p', tsconfig], workspace.root);
    expect(tsc.output).toBe('');
    expect(tsc.status).toBe(0);
  });

  it('pass their own tests (each package a vitest project with its own config)', () => {
    const projects = BATCHED.map((k) => `./${relative(workspace.root, join(dirs.get(k)!, 'vitest.config.ts'))}`);
    const config = join(workspace.root, 'vitest.batched.config.mjs');
    writeFileSync(config, `export default { test: { projects: ${JSON.stringify(projects)} } };\n`);
    const tests = vitest(workspace.root, ['--config', config]);
    expect(tests.failed, tests.output).toBe(0);
    expect(tests.files).toBe(2 * BATCHED.length);
    expect(tests.passed).toBeGreaterThanOrEqual(6 * BATCHED.length);
  });
});
