#!/usr/bin/env node
// The project's one test command (`npm test`, called by .ci/run): build every
// package (tests of the built bundles need dist/), run the whole vitest suite,
// and end with the plain totals line `N passed, N failed` that CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../../../..');
const extraArgs = process.argv.slice(2);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  return r.status ?? 1;
}

if (!process.env.METADG_SKIP_BUILD) {
  const built = run('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static']);
  if (built !== 0) {
    console.log('0 passed, 1 failed');
    console.error('build failed');
    process.exit(built);
  }
}

const outDir = mkdtempSync(join(tmpdir(), 'metadg-test-'));
const report = join(outDir, 'vitest.json');
const status = run('npx', [
  'vitest',
  'run',
  '--config',
  'tools/dev/vitest.workspace.config.ts',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...extraArgs,
]);

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests ?? 0;
  failed = (json.numFailedTests ?? 0) + (json.numFailedTestSuites ?? 0);
  skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
} else {
  failed = 1;
}
rmSync(outDir, { recursive: true, force: true });
const exitCode = status !== 0 || failed > 0 || passed === 0 ? status || 1 : 0;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(exitCode);
