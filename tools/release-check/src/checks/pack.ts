import { run } from '../run.js';
import type { PackageManifest, PackList, Problem } from '../types.js';

/** What must never be published unless `files` lists that very folder. */
const UNSHIPPABLE: readonly (readonly [RegExp, string])[] = [
  // The package's own sources and tests sit at the top; a nested src/ inside
  // a shipped asset folder (e.g. generator templates) is not the package's source.
  [/^src\//, 'source folder'],
  [/^(test|tests)\/|(^|\/)__tests__\//, 'test folder'],
  [/\.(test|spec)\.[cm]?[jt]sx?$/, 'test file'],
  [/(^|\/)(fixtures?|__fixtures__)\//, 'test fixtures'],
  [/(^|\/)coverage\//, 'coverage report'],
  [/(^|\/)node_modules\//, 'node_modules'],
  [/(^|\/)tsconfig(\.[^/]*)?\.json$/, 'tsconfig'],
  [/(^|\/)(vitest|vite|jest|tsup)\.config\.[cm]?[jt]s$/, 'build/test config'],
  [/\.tsbuildinfo$/, 'tsc build info'],
  [/\.tgz$/, 'packed tarball'],
  [/(^|\/)\.env(\.|$)/, 'environment file'],
];

/** Files a dual ESM/CJS package with types must ship. */
const REQUIRED: readonly (readonly [RegExp, string])[] = [
  [/^dist\/.+\.js$/, 'dist/*.js (ESM)'],
  [/^dist\/.+\.cjs$/, 'dist/*.cjs (CommonJS)'],
  [/^dist\/.+\.d\.ts$/, 'dist/*.d.ts (ESM types)'],
  [/^dist\/.+\.d\.cts$/, 'dist/*.d.cts (CommonJS types)'],
];

const LARGE = 50 * 1024 * 1024;

/** Runs `npm pack --dry-run --json` in `dir`: the files the tarball would hold. */
export async function packList(dir: string): Promise<PackList> {
  const r = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], dir);
  if (r.status !== 0) throw new Error(`npm pack --dry-run failed in ${dir}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  const parsed = JSON.parse(r.stdout) as { files: { path: string }[]; unpackedSize: number }[];
  const entry = parsed[0];
  if (!entry) throw new Error(`npm pack --dry-run in ${dir} reported no package`);
  return { files: entry.files.map((f) => f.path).sort(), unpackedSize: entry.unpackedSize };
}

/** `files` entries as path prefixes (`"fixtures/**"` → `"fixtures"`). */
function explicitEntries(manifest: PackageManifest): string[] {
  return (manifest.files ?? []).map((f) => f.replace(/^\.\//, '').replace(/\/\*\*(\/\*)?$/, '').replace(/\/$/, ''));
}

/**
 * The tarball holds package.json, README.md and the dual build, and nothing
 * from development (sources, tests, fixtures, configs) — except a folder the
 * package needs at run time and lists by name in `files`.
 */
export function checkContents(manifest: PackageManifest, pack: PackList): Problem[] {
  const problems: Problem[] = [];
  const error = (message: string) => problems.push({ check: 'pack', severity: 'error', message });
  if (!manifest.files || manifest.files.length === 0) error('package.json has no "files" whitelist (everything not .npmignored would ship)');
  if (!pack.files.includes('package.json')) error('tarball lacks package.json');
  if (!pack.files.some((f) => /^readme(\.md)?$/i.test(f))) error('tarball lacks README.md');
  for (const [pattern, what] of REQUIRED) if (!pack.files.some((f) => pattern.test(f))) error(`tarball lacks ${what}`);

  const explicit = explicitEntries(manifest);
  const offending = new Map<string, string[]>();
  for (const file of pack.files) {
    const hit = UNSHIPPABLE.find(([pattern]) => pattern.test(file));
    if (!hit) continue;
    const listed = explicit.some((e) => (file === e || file.startsWith(`${e}/`)) && hit[0].test(file === e ? e : `${e}/`));
    if (listed) continue;
    offending.set(hit[1], [...(offending.get(hit[1]) ?? []), file]);
  }
  for (const [what, files] of offending) {
    const shown = files.slice(0, 3).join(', ') + (files.length > 3 ? `, … (${files.length} files)` : '');
    error(`tarball ships ${what}: ${shown} (narrow "files", or list the folder there if it is needed at run time)`);
  }
  if (pack.unpackedSize > LARGE) {
    problems.push({ check: 'pack', severity: 'warning', message: `tarball unpacks to ${(pack.unpackedSize / 1048576).toFixed(1)} MB` });
  }
  return problems;
}
