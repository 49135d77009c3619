/**
 * @metadg/tools — nx generators for MetaDG. `nx g @metadg/tools:plugin my-loss
 * --kind loss` scaffolds a standalone, publishable plugin package.
 *
 * @packageDocumentation
 */
export { pluginGenerator, templateSubstitutions } from './generators/plugin/generator.js';
export { normalizeOptions } from './generators/plugin/options.js';
export { PluginGeneratorError } from './generators/plugin/errors.js';
export { KIND_INFO, type KindInfo, type SkeletonHParam } from './generators/plugin/kinds.js';
export {
  PLUGIN_KINDS,
  type NormalizedPluginOptions,
  type PluginGeneratorSchema,
  type PluginKindOption,
} from './generators/plugin/schema.js';
export { TOOLCHAIN_VERSIONS, generatedVersions, type GeneratedVersions } from './generators/plugin/versions.js';
export { packageRoot, templatesRoot } from './generators/plugin/package-root.js';
