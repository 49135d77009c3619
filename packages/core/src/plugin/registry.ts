import { PluginError } from '../errors.js';
import { describeIssues } from '../validation.js';
import type { PluginInstanceMap, PluginKind, PluginManifest, PluginPackage } from './manifest.js';

/** A manifest together with the package that provided it. */
export interface RegisteredPlugin {
  readonly manifest: PluginManifest<PluginKind, object>;
  readonly packageName: string;
}

const KINDS: readonly PluginKind[] = ['dataset', 'backbone', 'loss', 'sampler', 'meta-optimizer'];

/**
 * Named, versioned components by kind. Plugins arrive from packages
 * (`register`), never by editing core; a name may be provided once per kind.
 */
export class PluginRegistry {
  private readonly entries = new Map<string, RegisteredPlugin>();

  /** Adds every plugin of a package. Throws `PLUGIN_DUPLICATE` if another package (or version) took a name. */
  register(pkg: PluginPackage): this {
    checkPackageShape(pkg);
    for (const manifest of pkg.plugins) this.add(manifest, pkg.packageName);
    return this;
  }

  /** Adds a single manifest (packageName names its origin in errors). */
  add(manifest: PluginManifest<PluginKind, object>, packageName: string): this {
    checkManifestShape(manifest, packageName);
    const key = `${manifest.kind}:${manifest.name}`;
    const existing = this.entries.get(key);
    if (existing) {
      // The same package version listed twice (e.g. bundled with the app and
      // named in a config) is one plugin; anything else is a real conflict.
      if (existing.packageName === packageName && existing.manifest.version === manifest.version) return this;
      throw new PluginError(
        'PLUGIN_DUPLICATE',
        manifest.name,
        `${manifest.kind} provided twice, by "${existing.packageName}" (${existing.manifest.version}) and by "${packageName}" (${manifest.version})`,
      );
    }
    this.entries.set(key, { manifest, packageName });
    return this;
  }

  has(kind: PluginKind, name: string): boolean {
    return this.entries.has(`${kind}:${name}`);
  }

  /** The plugin of `kind` called `name`; `PLUGIN_NOT_FOUND` lists what is available. */
  get<K extends PluginKind>(kind: K, name: string): PluginManifest<K, object> {
    const entry = this.entries.get(`${kind}:${name}`);
    if (!entry) {
      const available = this.list(kind).map((e) => e.manifest.name);
      throw new PluginError(
        'PLUGIN_NOT_FOUND',
        name,
        `no ${kind} plugin with this name is registered (available: ${available.join(', ') || 'none'}); ` +
          'add the package that provides it to "plugins" in the run config',
      );
    }
    return entry.manifest as PluginManifest<K, object>;
  }

  /** Registered plugins, optionally of one kind, sorted by kind then name. */
  list(kind?: PluginKind): RegisteredPlugin[] {
    return [...this.entries.values()]
      .filter((e) => kind === undefined || e.manifest.kind === kind)
      .sort((a, b) =>
        a.manifest.kind === b.manifest.kind
          ? a.manifest.name.localeCompare(b.manifest.name)
          : KINDS.indexOf(a.manifest.kind) - KINDS.indexOf(b.manifest.kind),
      );
  }
}

/**
 * Validates raw hyper-parameters against a plugin's schema, filling defaults.
 * Every problem is reported in one line naming the plugin and field.
 */
export function validateHparams<K extends PluginKind, H extends object>(
  manifest: PluginManifest<K, H>,
  raw: unknown,
): H {
  const result = manifest.hparams.safeParse(raw ?? {});
  if (result.success) return result.data;
  const { field, message } = describeIssues(result.error.issues);
  throw new PluginError('PLUGIN_HPARAMS_INVALID', manifest.name, message.replace(/unknown field/g, 'unknown hyper-parameter'), field);
}

/** Creates a plugin instance from raw hyper-parameters. */
export async function instantiate<K extends PluginKind>(
  manifest: PluginManifest<K, object>,
  raw: unknown,
  ctx: Parameters<PluginManifest<K, object>['create']>[1],
): Promise<PluginInstanceMap[K]> {
  const hparams = validateHparams(manifest, raw);
  return manifest.create(hparams, ctx);
}

function checkPackageShape(pkg: PluginPackage): void {
  const name = typeof pkg?.packageName === 'string' ? pkg.packageName : '(unnamed package)';
  if (!pkg || typeof pkg !== 'object' || !Array.isArray(pkg.plugins)) {
    throw new PluginError('PLUGIN_INVALID', name, 'a plugin package must export { packageName, version, plugins: [...] }');
  }
}

function checkManifestShape(m: PluginManifest<PluginKind, object>, packageName: string): void {
  const label = typeof m?.name === 'string' && m.name ? m.name : `(unnamed plugin in ${packageName})`;
  const problem = !KINDS.includes(m?.kind)
    ? `kind must be one of ${KINDS.join(', ')}, got ${JSON.stringify(m?.kind)}`
    : typeof m.name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(m.name)
      ? 'name must be lower-case letters, digits, ".", "_" or "-"'
      : typeof m.version !== 'string' || !/^\d+\.\d+\.\d+/.test(m.version)
        ? 'version must be semver (e.g. 1.0.0)'
        : typeof m.hparams?.safeParse !== 'function'
          ? 'hparams must be a schema with safeParse (use definePlugin with a zod object)'
          : typeof m.create !== 'function'
            ? 'create must be a function'
            : undefined;
  if (problem) throw new PluginError('PLUGIN_INVALID', label, `${problem} (package "${packageName}")`);
}
