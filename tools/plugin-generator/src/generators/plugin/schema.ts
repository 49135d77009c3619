/** The component kinds the generator can scaffold (the `PluginKind`s of `@metadg/core`). */
export const PLUGIN_KINDS = ['loss', 'backbone', 'sampler', 'meta-optimizer', 'dataset'] as const;

/** One of {@link PLUGIN_KINDS}. */
export type PluginKindOption = (typeof PLUGIN_KINDS)[number];

/** Options of `nx g @metadg/tools:plugin` (mirrors `generators/plugin/schema.json`). */
export interface PluginGeneratorSchema {
  /** Plugin name in kebab-case, as run configs refer to it (e.g. `my-loss`); also the folder name. */
  name: string;
  /** Which component the plugin provides. */
  kind: PluginKindOption;
  /** Folder, relative to the workspace root, that receives the package folder. Default `plugins`. */
  directory?: string;
  /** npm scope, e.g. `@acme` → `@acme/metadg-plugin-<name>`. */
  packageScope?: string;
  /** Full npm package name; overrides the default and `packageScope`. */
  packageName?: string;
  /** One-line package description. */
  description?: string;
  /** Skip the workspace's Prettier pass. */
  skipFormat?: boolean;
}

/** Options after validation and defaulting: everything the templates need. */
export interface NormalizedPluginOptions {
  readonly name: string;
  readonly kind: PluginKindOption;
  /** Package folder relative to the workspace root, e.g. `plugins/my-loss`. */
  readonly projectRoot: string;
  readonly packageName: string;
  readonly description: string;
  /** `MyLoss`, `myLoss`, `my-loss`: identifier forms of `name`. */
  readonly className: string;
  readonly propertyName: string;
  readonly fileName: string;
  readonly skipFormat: boolean;
}
