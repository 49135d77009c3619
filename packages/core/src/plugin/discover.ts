import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PluginError } from '../errors.js';
import type { PluginPackage } from './manifest.js';
import type { PluginRegistry } from './registry.js';

interface PackageJson {
  name?: string;
  main?: string;
  module?: string;
  exports?: unknown;
}

/**
 * Loads plugin packages named in a run config into `registry`. A specifier
 * is an npm package name (found in `node_modules` above any of `searchFrom`)
 * or a path to a package directory or module file (relative to the first).
 */
export async function loadPluginPackages(
  registry: PluginRegistry,
  specifiers: readonly string[],
  searchFrom: readonly string[],
): Promise<PluginPackage[]> {
  const loaded: PluginPackage[] = [];
  for (const spec of specifiers) {
    const pkg = await importPluginPackage(spec, searchFrom);
    registry.register(pkg);
    loaded.push(pkg);
  }
  return loaded;
}

/** Imports one plugin package and returns its `metadgPlugins` (or default) export. */
export async function importPluginPackage(spec: string, searchFrom: readonly string[]): Promise<PluginPackage> {
  const entry = resolveEntry(spec, searchFrom);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  } catch (err) {
    throw new PluginError('PLUGIN_LOAD_FAILED', spec, `importing ${entry} failed: ${(err as Error).message}`);
  }
  const candidate = mod['metadgPlugins'] ?? mod['default'];
  const pkg = (candidate as { metadgPlugins?: unknown } | undefined)?.metadgPlugins ?? candidate;
  if (!pkg || typeof pkg !== 'object' || !Array.isArray((pkg as PluginPackage).plugins)) {
    throw new PluginError(
      'PLUGIN_INVALID',
      spec,
      `${entry} does not export "metadgPlugins" (a { packageName, version, plugins } object)`,
    );
  }
  return pkg as PluginPackage;
}

function resolveEntry(spec: string, searchFrom: readonly string[]): string {
  const isPath = spec.startsWith('.') || spec.startsWith('/');
  if (isPath) {
    const target = resolve(searchFrom[0] ?? process.cwd(), spec);
    if (!existsSync(target)) throw new PluginError('PLUGIN_PACKAGE_NOT_FOUND', spec, `no file or directory at ${target}`);
    return statSync(target).isDirectory() ? packageEntry(target, spec) : target;
  }
  for (const start of searchFrom) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', spec);
      if (existsSync(join(candidate, 'package.json'))) return packageEntry(candidate, spec);
      if (dirname(dir) === dir) break;
    }
  }
  throw new PluginError(
    'PLUGIN_PACKAGE_NOT_FOUND',
    spec,
    `package not installed (searched node_modules above ${searchFrom.join(', ')}); run: npm install ${spec}`,
  );
}

/** The ESM entry of a package directory, following its `exports` map. */
function packageEntry(dir: string, spec: string): string {
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(manifestPath)) throw new PluginError('PLUGIN_INVALID', spec, `${dir} has no package.json`);
  const pkg = JSON.parse(readFileSync(manifestPath, 'utf8')) as PackageJson;
  const rel = exportTarget(pkg.exports) ?? pkg.module ?? pkg.main ?? 'index.js';
  const file = resolve(dir, rel);
  if (!existsSync(file)) {
    throw new PluginError('PLUGIN_INVALID', spec, `entry ${file} does not exist (is the package built?)`);
  }
  return file;
}

function exportTarget(exportsField: unknown): string | undefined {
  if (typeof exportsField === 'string') return exportsField;
  if (!exportsField || typeof exportsField !== 'object') return undefined;
  const map = exportsField as Record<string, unknown>;
  const root = '.' in map ? map['.'] : map;
  return conditionTarget(root);
}

function conditionTarget(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (!node || typeof node !== 'object') return undefined;
  const map = node as Record<string, unknown>;
  for (const condition of ['import', 'node', 'default', 'require']) {
    const found = conditionTarget(map[condition]);
    if (found) return found;
  }
  return undefined;
}
