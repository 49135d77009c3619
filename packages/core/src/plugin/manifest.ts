import { z } from 'zod';
import type { Backbone } from '../contracts/backbone.js';
import type { DomainDataset } from '../contracts/data.js';
import type { Loss } from '../contracts/loss.js';
import type { MetaOptimizer } from '../contracts/meta-optimizer.js';
import type { DomainSampler } from '../contracts/sampler.js';
import type { TrainingTask } from '../contracts/task.js';
import type { RunConfig } from '../config/run-config.js';
import type { Logger } from '../logger.js';
import type { Rng } from '../rng.js';

/** The component families a plugin can provide. */
export type PluginKind = 'dataset' | 'backbone' | 'loss' | 'sampler' | 'meta-optimizer';

/** What `create` returns for each kind. */
export interface PluginInstanceMap {
  dataset: DomainDataset;
  backbone: Backbone;
  loss: Loss;
  sampler: DomainSampler;
  'meta-optimizer': MetaOptimizer;
}

/** Singleton components a plugin may ask the composition root for. */
export interface ComponentMap {
  dataset: DomainDataset;
  task: TrainingTask;
  backbone: Backbone;
  sampler: DomainSampler;
}

/** What a plugin factory receives besides its validated hyper-parameters. */
export interface PluginContext {
  /** This plugin's own random stream (forked from the run seed by kind and name). */
  readonly rng: Rng;
  readonly log: Logger;
  readonly config: RunConfig;
  /** Directory that relative paths in hyper-parameters are resolved against (the config file's). */
  readonly baseDir: string;
  /** Another component of the same run (created on first request). */
  get<K extends keyof ComponentMap>(component: K): Promise<ComponentMap[K]>;
  /** The run's loss terms, in config order. */
  losses(): Promise<Loss[]>;
}

/** One validation problem: dotted path inside the hyper-parameters and a message. */
export interface HParamIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * The part of a schema the registry needs: parse with defaults, or report
 * issues. A zod object schema satisfies it; so can any hand-written validator.
 */
export interface HParamSchema<H> {
  safeParse(
    input: unknown,
  ): { success: true; data: H } | { success: false; error: { issues: readonly HParamIssue[] } };
}

/**
 * A plugin: one named, versioned component with its hyper-parameters,
 * their defaults (inside `hparams`), where each default comes from, and a
 * random search range per hyper-parameter (DomainBed's hparam registry).
 */
export interface PluginManifest<K extends PluginKind = PluginKind, H extends object = object> {
  readonly kind: K;
  /** Name used in run configs, e.g. `"mfr"`, `"hard-pair"`, `"small-cnn"`. */
  readonly name: string;
  readonly version: string;
  readonly description: string;
  /** Validates raw hyper-parameters and fills defaults; unknown keys are errors. */
  readonly hparams: HParamSchema<H>;
  /** Source of each default (paper section, ablation, measurement). */
  readonly hparamSources?: { readonly [P in keyof H]?: string };
  /** Random search distribution per hyper-parameter, drawn with a seeded `Rng`. */
  readonly hparamSpace?: { readonly [P in keyof H]?: (rng: Rng) => H[P] };
  create(hparams: H, ctx: PluginContext): PluginInstanceMap[K] | Promise<PluginInstanceMap[K]>;
}

/** What a plugin npm package exports (as `metadgPlugins`, or as its default export). */
export interface PluginPackage {
  /** The npm package name, e.g. `@metadg/plugin-mfr`. */
  readonly packageName: string;
  readonly version: string;
  readonly plugins: readonly PluginManifest<PluginKind, object>[];
}

/**
 * Declares a plugin from a zod object schema. The schema is made strict, so
 * a misspelt hyper-parameter is an error rather than silently ignored, and the
 * factory's `hparams` argument is typed from the schema.
 */
export function definePlugin<K extends PluginKind, S extends z.AnyZodObject>(spec: {
  kind: K;
  name: string;
  version: string;
  description: string;
  hparams: S;
  hparamSources?: { readonly [P in keyof z.output<S>]?: string };
  hparamSpace?: { readonly [P in keyof z.output<S>]?: (rng: Rng) => z.output<S>[P] };
  create(hparams: z.output<S>, ctx: PluginContext): PluginInstanceMap[K] | Promise<PluginInstanceMap[K]>;
}): PluginManifest<K, z.output<S>> {
  return { ...spec, hparams: spec.hparams.strict() as unknown as HParamSchema<z.output<S>> };
}

/** Groups manifests into the export a plugin package makes. */
export function definePluginPackage(pkg: PluginPackage): PluginPackage {
  return pkg;
}
