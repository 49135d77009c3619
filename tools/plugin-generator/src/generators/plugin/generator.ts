import { formatFiles, generateFiles, logger, type GeneratorCallback, type Tree } from '@nx/devkit';
import { join } from 'node:path';
import { KIND_INFO } from './kinds.js';
import { normalizeOptions } from './options.js';
import { templatesRoot } from './package-root.js';
import type { NormalizedPluginOptions, PluginGeneratorSchema } from './schema.js';
import { generatedVersions } from './versions.js';

/**
 * `nx g @metadg/tools:plugin <name> --kind <kind>`: writes a standalone plugin
 * package (manifest, implementation skeleton, test, README, tsup/vitest/tsc
 * config) to `<directory>/<name>`. The package depends on `@metadg/core` and
 * `@tensorflow/tfjs-core` as peers only, so the host keeps one instance of each.
 */
export async function pluginGenerator(tree: Tree, schema: PluginGeneratorSchema): Promise<GeneratorCallback> {
  const options = normalizeOptions(tree, schema);
  const substitutions = templateSubstitutions(options);
  // Shared files first, then the kind's own (implementation, test, README).
  generateFiles(tree, join(templatesRoot(), 'common'), options.projectRoot, substitutions);
  generateFiles(tree, join(templatesRoot(), options.kind), options.projectRoot, substitutions);
  if (!options.skipFormat) await formatFiles(tree);
  return () => {
    logger.info(
      [
        `Created ${options.packageName} (${options.kind} plugin "${options.name}") in ${options.projectRoot}.`,
        `Next: cd ${options.projectRoot} && npm install && npm test && npm run build`,
      ].join('\n'),
    );
  };
}

/** Values the EJS templates read (see `generators/plugin/files`). */
export function templateSubstitutions(options: NormalizedPluginOptions): Record<string, unknown> {
  const info = KIND_INFO[options.kind];
  return {
    ...options,
    info,
    versions: generatedVersions(),
    // The description also goes into a /** … */ comment: keep it from closing it.
    docDescription: options.description.replace(/\*\//g, '*\\/'),
    version: '0.1.0',
    // File-name placeholders: `__tmpl__` keeps templates out of every tool's
    // globs (tsc, vitest, lint); `__dot__` because npm drops dotfiles from tarballs.
    tmpl: '',
    dot: '.',
  };
}

export default pluginGenerator;
