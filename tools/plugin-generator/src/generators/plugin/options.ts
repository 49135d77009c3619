import { joinPathFragments, names, type Tree } from '@nx/devkit';
import { PluginGeneratorError } from './errors.js';
import { KIND_INFO } from './kinds.js';
import { PLUGIN_KINDS, type NormalizedPluginOptions, type PluginGeneratorSchema } from './schema.js';

// Same rule as the plugin registry's names, minus "." and "_" so that the
// name also makes a clean folder, file and identifier.
const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const SCOPE = /^@[a-z0-9][a-z0-9._~-]*$/;
const PACKAGE = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/**
 * Validates the generator options and fills in defaults. Every problem is a
 * {@link PluginGeneratorError} naming the option at fault.
 */
export function normalizeOptions(tree: Tree, schema: PluginGeneratorSchema): NormalizedPluginOptions {
  const name = typeof schema.name === 'string' ? schema.name.trim() : '';
  if (!NAME.test(name)) {
    const hint = name ? ` (try "${names(name).fileName}")` : '';
    throw new PluginGeneratorError('name', `must be kebab-case: lower-case letters and digits separated by "-", got "${name}"${hint}`);
  }
  if (!(PLUGIN_KINDS as readonly string[]).includes(schema.kind)) {
    throw new PluginGeneratorError('kind', `must be one of ${PLUGIN_KINDS.join(', ')}, got "${String(schema.kind)}"`);
  }

  const directory = (schema.directory ?? 'plugins').trim().replace(/\\/g, '/').replace(/\/+$/, '');
  if (directory.startsWith('/') || /^[A-Za-z]:/.test(directory) || directory.split('/').includes('..')) {
    throw new PluginGeneratorError('directory', `must be a folder inside the workspace (relative, no ".."), got "${directory}"`);
  }
  const projectRoot = joinPathFragments(directory || '.', name);
  if (tree.exists(projectRoot) && tree.children(projectRoot).length > 0) {
    throw new PluginGeneratorError('name', `${projectRoot} already exists and is not empty; choose another name or --directory`);
  }

  const packageName = resolvePackageName(name, schema);
  const ids = names(name);
  return {
    name,
    kind: schema.kind,
    projectRoot,
    packageName,
    description: schema.description?.trim() || KIND_INFO[schema.kind].description,
    className: ids.className,
    propertyName: ids.propertyName,
    fileName: ids.fileName,
    skipFormat: schema.skipFormat ?? false,
  };
}

function resolvePackageName(name: string, schema: PluginGeneratorSchema): string {
  if (schema.packageName !== undefined && schema.packageName.trim() !== '') {
    const packageName = schema.packageName.trim();
    if (!PACKAGE.test(packageName) || packageName.length > 214) {
      throw new PluginGeneratorError('packageName', `"${packageName}" is not a valid npm package name (lower-case, optional @scope/)`);
    }
    return packageName;
  }
  const base = `metadg-plugin-${name}`;
  if (schema.packageScope === undefined || schema.packageScope.trim() === '') return base;
  const raw = schema.packageScope.trim().replace(/\/$/, '');
  const scope = raw.startsWith('@') ? raw : `@${raw}`;
  if (!SCOPE.test(scope)) throw new PluginGeneratorError('packageScope', `"${raw}" is not a valid npm scope (e.g. @acme)`);
  return `${scope}/${base}`;
}
