import { LOOKUPS, exportEntries, resolveTarget } from '../exports-map.js';
import { run } from '../run.js';
import type { PackageManifest, Problem } from '../types.js';

const errorLine = (stderr: string) =>
  stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /Error|Cannot|not found|ERR_/.test(l)) ?? stderr.trim().split('\n').pop() ?? '(no output)';

/**
 * The package actually loads by its own name — `import()` and `require()`,
 * resolved through its `exports` (self-reference), in a fresh Node process —
 * so a wrong condition, a missing file or an ESM/CJS mix-up fails here the
 * way it would for a user.
 */
export async function checkLoad(dir: string, manifest: PackageManifest): Promise<Problem[]> {
  const problems: Problem[] = [];
  const name = JSON.stringify(manifest.name);
  const root = exportEntries(manifest.exports).get('.');
  const attempts: [string, string[]][] = [['import', ['--input-type=module', '-e', `await import(${name});`]]];
  if (resolveTarget(root, LOOKUPS.require) !== undefined) attempts.push(['require', ['-e', `require(${name});`]]);
  for (const [how, args] of attempts) {
    const r = await run(process.execPath, args, dir, 120_000);
    if (r.status !== 0) problems.push({ check: 'load', severity: 'error', message: `${how}(${name}) fails: ${errorLine(r.stderr)}` });
  }
  return problems;
}
