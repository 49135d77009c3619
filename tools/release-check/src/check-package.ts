import { checkAttw } from './checks/attw.js';
import { checkDeps } from './checks/deps.js';
import { checkExports, missingBuildOutputs } from './checks/exports.js';
import { checkLoad } from './checks/load.js';
import { checkMeta } from './checks/meta.js';
import { checkContents, packList } from './checks/pack.js';
import { checkPublint } from './checks/publint.js';
import { checkReadme } from './checks/readme.js';
import type { CheckName, PackageReport, PackageUnderCheck, Problem } from './types.js';

/** Options of {@link checkPackage}. */
export interface CheckOptions {
  /** Checks not to run (e.g. `attw` offline, `load` for a package with heavy side effects). */
  readonly skip?: readonly CheckName[];
}

/**
 * Runs every check on one package. Checks that need the build output
 * (`load`, `publint`, `attw`) are skipped, with the reason, when the package
 * is not built; the others still run, so one pass shows everything to fix.
 */
export async function checkPackage(pkg: PackageUnderCheck, options: CheckOptions = {}): Promise<PackageReport> {
  const { dir, manifest } = pkg;
  const problems: Problem[] = [];
  const skipped: Partial<Record<CheckName, string>> = {};
  for (const name of options.skip ?? []) skipped[name] = 'skipped by option';
  const wants = (name: CheckName) => skipped[name] === undefined;

  const missing = missingBuildOutputs(dir, manifest);
  if (missing.length > 0) {
    problems.push({ check: 'pack', severity: 'error', message: `not built: ${missing.join(', ')} missing (run: npx nx run ${manifest.name}:build)` });
    for (const name of ['load', 'publint', 'attw'] as const) skipped[name] ??= 'not built';
  }

  let pack;
  try {
    pack = await packList(dir);
  } catch (err) {
    problems.push({ check: 'pack', severity: 'error', message: (err as Error).message });
    for (const name of ['exports', 'deps'] as const) skipped[name] ??= 'npm pack failed';
  }
  if (pack && wants('pack')) problems.push(...checkContents(manifest, pack));
  if (pack && wants('exports')) problems.push(...checkExports(manifest, pack));
  if (wants('load')) problems.push(...(await checkLoad(dir, manifest)));
  if (wants('publint')) problems.push(...(await runGuarded('publint', () => checkPublint(dir))));
  if (wants('attw')) problems.push(...(await runGuarded('attw', () => checkAttw(dir))));
  if (pack && wants('deps')) problems.push(...checkDeps(pkg, pack));
  if (wants('readme')) problems.push(...checkReadme(dir, manifest));
  if (wants('meta')) problems.push(...checkMeta(manifest));
  return { name: manifest.name, version: manifest.version, dir, problems, skipped };
}

/** A tool that crashes is a failed check, reported like any other problem. */
async function runGuarded(check: CheckName, fn: () => Promise<Problem[]>): Promise<Problem[]> {
  try {
    return await fn();
  } catch (err) {
    return [{ check, severity: 'error', message: `${check} failed to run: ${(err as Error).message.split('\n')[0]}` }];
  }
}
