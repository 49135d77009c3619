// What the end-to-end test publishes, derived from the workspace rather than
// listed by hand: the first-party packages the consumer installs plus every
// workspace package they depend on, and the third-party packages those need.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** The subset of package.json read here. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  optionalDependencies?: Record<string, string>;
  workspaces?: string[];
}

/** A workspace package: its folder and manifest. */
export interface WorkspacePackage {
  readonly dir: string;
  readonly manifest: Manifest;
}

export const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** All packages of the root's npm workspaces (`folder/*` patterns), by name. */
export function workspacePackages(root: string): Map<string, WorkspacePackage> {
  const found = new Map<string, WorkspacePackage>();
  for (const pattern of readManifest(root).workspaces ?? []) {
    const parent = resolve(root, pattern.replace(/\/\*$/, ''));
    if (!existsSync(parent)) continue;
    for (const name of readdirSync(parent)) {
      const dir = join(parent, name);
      if (!statSync(dir).isDirectory() || !existsSync(join(dir, 'package.json'))) continue;
      const manifest = readManifest(dir);
      found.set(manifest.name, { dir, manifest });
    }
  }
  return found;
}

/** Runtime dependency names of a manifest: dependencies, optional ones, and non-optional peers. */
function runtimeDependencies(m: Manifest): string[] {
  const optionalPeers = m.peerDependenciesMeta ?? {};
  const peers = Object.keys(m.peerDependencies ?? {}).filter((n) => !optionalPeers[n]?.optional);
  return [...Object.keys(m.dependencies ?? {}), ...Object.keys(m.optionalDependencies ?? {}), ...peers];
}

/**
 * The workspace packages to publish so that installing `roots` succeeds:
 * the roots and, transitively, every workspace package they depend on.
 * Throws when one of them is private (it could never be installed).
 */
export function firstPartyClosure(workspace: Map<string, WorkspacePackage>, roots: readonly string[]): WorkspacePackage[] {
  const out = new Map<string, WorkspacePackage>();
  const visit = (name: string, from: string) => {
    if (out.has(name)) return;
    const pkg = workspace.get(name);
    if (!pkg) throw new Error(`${from} needs "${name}", which is not a workspace package`);
    if (pkg.manifest.private) throw new Error(`${from} needs "${name}", which is private (never published)`);
    out.set(name, pkg);
    for (const dep of runtimeDependencies(pkg.manifest)) if (workspace.has(dep)) visit(dep, name);
  };
  for (const name of roots) visit(name, 'the consumer');
  return [...out.values()];
}

/** Where Node would find `name` from `fromDir`: the nearest node_modules/name, as a real path. */
function installedDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/** One installed third-party package version to seed the registry with. */
export interface InstalledPackage {
  readonly dir: string;
  readonly manifest: Manifest;
  /** Its folder relative to the repository root (its package-lock.json key). */
  readonly lockKey: string;
}

/**
 * Third-party packages (with the exact versions installed here) needed by
 * `first` plus `extra` names: dependencies, installed optional dependencies
 * and required peers, transitively, resolved the way Node resolves them.
 * Optional dependencies not installed on this platform are left out.
 */
export function thirdPartyClosure(root: string, first: readonly WorkspacePackage[], extra: readonly string[]): InstalledPackage[] {
  const firstNames = new Set(first.map((p) => p.manifest.name));
  const visited = new Set<string>();
  // One entry per name@version (a registry takes each version once), though
  // every installed copy is walked: copies may resolve their own deps differently.
  const out = new Map<string, InstalledPackage>();
  const queue: [name: string, from: string, optional: boolean][] = extra.map((n) => [n, root, false]);
  for (const p of first) {
    const optional = new Set(Object.keys(p.manifest.optionalDependencies ?? {}));
    for (const dep of runtimeDependencies(p.manifest)) if (!firstNames.has(dep)) queue.push([dep, p.dir, optional.has(dep)]);
  }
  while (queue.length > 0) {
    const [name, from, optional] = queue.shift()!;
    if (firstNames.has(name)) continue;
    const dir = installedDir(name, from);
    if (!dir) {
      if (optional) continue;
      throw new Error(`"${name}" (needed from ${relative(root, from) || '.'}) is not installed under ${root}/node_modules`);
    }
    if (visited.has(dir)) continue;
    visited.add(dir);
    const manifest = readManifest(dir);
    const id = `${manifest.name}@${manifest.version}`;
    if (!out.has(id)) out.set(id, { dir, manifest, lockKey: relative(root, dir) });
    const optionals = new Set(Object.keys(manifest.optionalDependencies ?? {}));
    for (const dep of runtimeDependencies(manifest)) queue.push([dep, dir, optionals.has(dep)]);
  }
  return [...out.values()];
}

/**
 * The original registry tarball of an installed package, from the local npm
 * cache (content-addressed by the integrity package-lock.json records), after
 * checking that integrity. `undefined` when the cache does not hold it.
 */
export function cachedTarball(cacheDir: string, integrity: string | undefined): Buffer | undefined {
  if (!integrity) return undefined;
  const [algorithm, digest] = integrity.split(/\s+/)[0]!.split('-', 2) as [string, string];
  if (!digest || !['sha512', 'sha384', 'sha256', 'sha1'].includes(algorithm)) return undefined;
  const hex = Buffer.from(digest, 'base64').toString('hex');
  const file = join(cacheDir, '_cacache', 'content-v2', algorithm, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
  if (!existsSync(file)) return undefined;
  const bytes = readFileSync(file);
  return createHash(algorithm).update(bytes).digest('base64') === digest ? bytes : undefined;
}
