import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LOOKUPS, declarationFor, exportEntries, packagePath, resolveTarget, type Lookup } from '../exports-map.js';
import type { PackageManifest, PackList, Problem } from '../types.js';

const isEsmJs = (file: string, type: string | undefined) => file.endsWith('.mjs') || (file.endsWith('.js') && type === 'module');
const isCjsJs = (file: string, type: string | undefined) => file.endsWith('.cjs') || (file.endsWith('.js') && type !== 'module');
const isEsmTypes = (file: string, type: string | undefined) => file.endsWith('.d.mts') || (file.endsWith('.d.ts') && type === 'module');
const isCjsTypes = (file: string, type: string | undefined) => file.endsWith('.d.cts') || (file.endsWith('.d.ts') && type !== 'module');

/** What each lookup must land on, so Node and TypeScript agree on the module format. */
const FORMAT: { readonly [L in Lookup]: readonly [(file: string, type: string | undefined) => boolean, string] } = {
  import: [isEsmJs, 'an ES module (.mjs, or .js with "type": "module")'],
  require: [isCjsJs, 'a CommonJS file (.cjs, or .js without "type": "module")'],
  'types (import)': [isEsmTypes, 'ESM declarations (.d.mts, or .d.ts with "type": "module")'],
  'types (require)': [isCjsTypes, 'CommonJS declarations (.d.cts) — otherwise the types masquerade as ESM'],
};

/**
 * Every export subpath resolves, for `import`, `require` and the types of
 * each, to a file that is in the tarball and has the right module format;
 * `main`/`module`/`types`/`bin` point at packed files too.
 */
export function checkExports(manifest: PackageManifest, pack: PackList): Problem[] {
  const problems: Problem[] = [];
  const error = (message: string) => problems.push({ check: 'exports', severity: 'error', message });
  const packed = new Set(pack.files);
  const entries = exportEntries(manifest.exports);
  if (entries.size === 0) {
    error('package.json has no "exports" map');
  } else if (!entries.has('.')) {
    error('"exports" has no "." entry');
  }
  if (entries.size > 0 && !entries.has('./package.json')) {
    problems.push({ check: 'exports', severity: 'warning', message: '"exports" does not expose "./package.json" (tools read it)' });
  }

  for (const [subpath, node] of entries) {
    if (subpath === './package.json' || subpath.includes('*')) continue;
    if (typeof node === 'string' && node.endsWith('.json')) continue;
    for (const lookup of Object.keys(LOOKUPS) as Lookup[]) {
      const raw = resolveTarget(node, LOOKUPS[lookup]);
      if (raw === undefined) {
        error(`exports["${subpath}"] has no target for ${lookup}`);
        continue;
      }
      const file = lookup.startsWith('types') ? declarationFor(raw) : raw;
      const path = packagePath(file);
      if (!packed.has(path)) {
        error(`exports["${subpath}"] ${lookup} → ${file}, which is not in the tarball`);
        continue;
      }
      const [ok, expected] = FORMAT[lookup];
      if (!ok(path, manifest.type)) error(`exports["${subpath}"] ${lookup} → ${file}, expected ${expected}`);
    }
  }

  const fields: [string, string | undefined][] = [
    ['main', manifest.main],
    ['module', manifest.module],
    ['types', manifest.types ?? manifest.typings],
  ];
  const bins = typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {});
  for (const [bin, target] of Object.entries(bins)) fields.push([`bin.${bin}`, target]);
  for (const [field, target] of fields) {
    if (target !== undefined && !packed.has(packagePath(target))) error(`"${field}": ${target} is not in the tarball`);
  }
  return problems;
}

/**
 * The files the `"."` entry resolves to for `import` and `require` that are
 * missing on disk: a package that has not been built yet.
 */
export function missingBuildOutputs(dir: string, manifest: PackageManifest): string[] {
  const root = exportEntries(manifest.exports).get('.');
  const targets = [LOOKUPS.import, LOOKUPS.require].map((c) => resolveTarget(root, c));
  if (!targets.some((t) => t !== undefined) && manifest.main) targets.push(manifest.main);
  return [...new Set(targets.filter((t): t is string => t !== undefined))].filter((t) => !existsSync(join(dir, t)));
}
