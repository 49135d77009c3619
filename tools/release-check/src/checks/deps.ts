import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { satisfies } from '../semver-lite.js';
import type { PackageUnderCheck, PackList, Problem } from '../types.js';

/**
 * Packages of which a process must load exactly one copy: tfjs keeps its
 * backends, kernels and gradient registry in module state (a second copy
 * has no backend and no gradients), and @metadg/core's registry, error
 * classes and zod instance must be the ones the host's run uses.
 */
export const SINGLETONS = ['@tensorflow/tfjs-core', '@tensorflow/tfjs', '@metadg/core'] as const;

const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** The package part of a bare specifier (`@scope/name/sub` → `@scope/name`). */
export function packageOfSpecifier(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec);
}

const PACKAGE_SPECIFIER = /^(@[a-z0-9~][\w.~-]*\/)?[a-z0-9~][\w.~-]*(\/.*)?$/i;

/** Bare packages a built JavaScript file imports or requires (string-literal specifiers). */
export function importedPackages(source: string): Set<string> {
  const found = new Set<string>();
  const patterns = [
    // static import/export statements with a from-clause (not across strings or statements)
    /(?:^|[\s;}])(?:import|export)\b[^;'"]*?\bfrom\s*["']([^"']+)["']/gm,
    // side-effect import statements
    /(?:^|[;\n])\s*import\s*["']([^"']+)["']/gm,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const m of source.matchAll(pattern)) {
      const spec = m[1] ?? '';
      if (spec.startsWith('.') || spec.startsWith('/') || !PACKAGE_SPECIFIER.test(spec)) continue;
      if (spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0] ?? '')) continue;
      found.add(packageOfSpecifier(spec));
    }
  }
  return found;
}

/**
 * Dependencies as consumers get them:
 *  - everything the built JavaScript imports is declared (no phantom
 *    dependencies that only work inside this monorepo);
 *  - singletons (tfjs, @metadg/core) are peerDependencies of libraries and
 *    never hard dependencies — except @metadg/core in an app (a package with
 *    a `bin`, which is the host), or where package.json gives a reason under
 *    `metadg.hardDependencies`;
 *  - ranges on other workspace packages admit their current versions.
 */
export function checkDeps(pkg: PackageUnderCheck, pack: PackList): Problem[] {
  const { manifest, dir } = pkg;
  const problems: Problem[] = [];
  const error = (message: string) => problems.push({ check: 'deps', severity: 'error', message });
  const deps = manifest.dependencies ?? {};
  const peers = manifest.peerDependencies ?? {};
  const optional = manifest.optionalDependencies ?? {};
  const dev = manifest.devDependencies ?? {};
  const justified = manifest.metadg?.hardDependencies ?? {};
  const isApp = manifest.bin !== undefined;

  const used = new Set<string>();
  for (const file of pack.files) {
    if (!/\.(m|c)?js$/.test(file) || !existsSync(join(dir, file))) continue;
    for (const name of importedPackages(readFileSync(join(dir, file), 'utf8'))) used.add(name);
  }
  used.delete(manifest.name);

  for (const name of [...used].sort()) {
    if (name in deps || name in peers || name in optional) continue;
    if (name in dev) error(`dist imports "${name}", which is only a devDependency (consumers will not have it)`);
    else error(`dist imports "${name}", which package.json does not declare`);
  }

  for (const name of SINGLETONS) {
    const hostMaySupply = isApp && name === '@metadg/core';
    if (name in deps && !hostMaySupply && !justified[name]) {
      error(`"${name}" is a dependency; it must be a peerDependency (one instance per process), or justified under metadg.hardDependencies`);
    } else if (used.has(name) && !(name in peers) && !(name in deps)) {
      error(`dist imports "${name}" but it is not a peerDependency`);
    }
  }

  const ranges: [string, Readonly<Record<string, string>>][] = [
    ['dependencies', deps],
    ['peerDependencies', peers],
    ['optionalDependencies', optional],
  ];
  for (const [field, map] of ranges) {
    for (const [name, range] of Object.entries(map)) {
      const current = pkg.workspaceVersions.get(name);
      if (current === undefined) continue;
      const ok = satisfies(current, range);
      if (ok === false) error(`${field}["${name}"] is "${range}", which excludes the workspace version ${current}`);
      if (ok === undefined) {
        problems.push({ check: 'deps', severity: 'warning', message: `${field}["${name}"]: cannot check range "${range}" against ${current}` });
      }
    }
  }
  return problems;
}
