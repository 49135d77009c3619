import { Container, type ServiceIdentifier } from 'inversify';
import type { Backbone } from './contracts/backbone.js';
import type { DomainDataset } from './contracts/data.js';
import type { Loss } from './contracts/loss.js';
import { buildLabelSpace, type TrainingTask } from './contracts/task.js';
import type { ComponentRef, RunConfig } from './config/run-config.js';
import { ConfigError, PluginError } from './errors.js';
import { consoleLogger, type Logger } from './logger.js';
import { loadPluginPackages } from './plugin/discover.js';
import type { ComponentMap, PluginContext, PluginInstanceMap, PluginKind, PluginManifest } from './plugin/manifest.js';
import { PluginRegistry, validateHparams } from './plugin/registry.js';
import { Rng } from './rng.js';
import { TOKENS } from './tokens.js';
import { Trainer } from './trainer.js';
import { weightLoss } from './weighted-loss.js';

/** Options of `composeRun`. */
export interface ComposeOptions {
  /** Registry to start from (e.g. with built-in plugins); `config.plugins` are added to it. */
  readonly registry?: PluginRegistry;
  /** Directories from which plugin package names are resolved; the first also anchors relative paths. */
  readonly searchFrom?: readonly string[];
  readonly log?: Logger;
  /**
   * The part of the dataset training may see (e.g. only its training
   * identities, so that evaluation identities stay unseen). Default: all of it.
   * `get('dataset')` still returns the whole dataset.
   */
  readonly trainingView?: (dataset: DomainDataset) => DomainDataset;
  /**
   * Wraps the backbone once it is created, before any other component sees
   * it (e.g. `@metadg/parallel` sharding it over threads). The wrapper must
   * keep the backbone's `params`, `inputShape` and `embeddingSize`.
   */
  readonly decorateBackbone?: (backbone: Backbone) => Backbone | Promise<Backbone>;
}

/** A run wired together: its container, and typed access to its components. */
export interface ComposedRun {
  readonly config: RunConfig;
  readonly registry: PluginRegistry;
  readonly container: Container;
  get<K extends keyof ComponentMap>(component: K): Promise<ComponentMap[K]>;
  losses(): Promise<Loss[]>;
  trainer(): Promise<Trainer>;
}

const COMPONENT_TOKENS: { readonly [K in keyof ComponentMap]: ServiceIdentifier<ComponentMap[K]> } = {
  dataset: TOKENS.Dataset,
  task: TOKENS.Task,
  backbone: TOKENS.Backbone,
  sampler: TOKENS.DomainSampler,
};

/**
 * The composition root: loads the plugin packages a config names, validates
 * every component's hyper-parameters up front (so a typo fails before any
 * work starts), and binds factories into an inversify container. Components
 * are created lazily, once, in dependency order.
 */
export async function composeRun(config: RunConfig, options: ComposeOptions = {}): Promise<ComposedRun> {
  const registry = options.registry ?? new PluginRegistry();
  const log = options.log ?? consoleLogger;
  const searchFrom = options.searchFrom ?? [process.cwd()];
  await loadPluginPackages(registry, config.plugins, searchFrom);

  const rng = new Rng(config.seed);
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(TOKENS.RunConfig).toConstantValue(config);
  container.bind(TOKENS.Rng).toConstantValue(rng);
  container.bind(TOKENS.Logger).toConstantValue(log);

  const contextFor = (label: string): PluginContext => ({
    rng: rng.fork(label),
    log,
    config,
    baseDir: searchFrom[0] ?? process.cwd(),
    get: (component) => container.getAsync(COMPONENT_TOKENS[component]),
    losses: () => container.getAllAsync(TOKENS.Loss),
  });

  const bindComponent = <K extends PluginKind>(
    kind: K,
    field: string,
    ref: ComponentRef,
    token: ServiceIdentifier<PluginInstanceMap[K]>,
    wrap: (instance: PluginInstanceMap[K]) => PluginInstanceMap[K] | Promise<PluginInstanceMap[K]> = (x) => x,
  ): void => {
    const manifest = resolvePlugin(registry, kind, ref.name, field);
    const hparams = validateHparams(manifest, ref.hparams);
    const ctx = contextFor(`${field}:${ref.name}`);
    container.bind(token).toDynamicValue(async () => wrap(await manifest.create(hparams, ctx)));
  };

  bindComponent('dataset', 'dataset', config.dataset, TOKENS.Dataset);
  container
    .bind(TOKENS.Task)
    .toDynamicValue(async (ctx) => {
      const dataset = await ctx.getAsync(TOKENS.Dataset);
      return buildTask(options.trainingView ? options.trainingView(dataset) : dataset, config);
    });
  bindComponent('backbone', 'backbone', config.backbone, TOKENS.Backbone, options.decorateBackbone ?? ((b) => b));
  config.losses.forEach((ref, i) =>
    bindComponent('loss', `losses[${i}]`, ref, TOKENS.Loss, (loss) => weightLoss(loss, ref.weight)),
  );
  bindComponent('sampler', 'sampler', config.sampler, TOKENS.DomainSampler);
  bindComponent('meta-optimizer', 'algorithm', config.algorithm, TOKENS.MetaOptimizer);
  container.bind(Trainer).toSelf();

  return {
    config,
    registry,
    container,
    get: (component) => container.getAsync(COMPONENT_TOKENS[component]),
    losses: () => container.getAllAsync(TOKENS.Loss),
    trainer: () => container.getAsync(Trainer),
  };
}

function resolvePlugin<K extends PluginKind>(
  registry: PluginRegistry,
  kind: K,
  name: string,
  field: string,
): PluginManifest<K, object> {
  try {
    return registry.get(kind, name);
  } catch (err) {
    if (err instanceof PluginError) throw new ConfigError(`${field}.name`, err.message);
    throw err;
  }
}

/** Source/held-out domains and the label space, checked against the dataset. */
export function buildTask(dataset: DomainDataset, config: RunConfig): TrainingTask {
  const known = new Set(dataset.domains);
  config.split.heldOut.forEach((d, i) => {
    if (!known.has(d)) {
      throw new ConfigError(
        `split.heldOut[${i}]`,
        `unknown domain "${d}" (dataset "${dataset.name}" has: ${dataset.domains.join(', ')})`,
      );
    }
  });
  const heldOut = new Set(config.split.heldOut);
  const sourceDomains = dataset.domains.filter((d) => !heldOut.has(d));
  if (sourceDomains.length === 0) throw new ConfigError('split.heldOut', 'holds out every domain; none is left to train on');
  return {
    dataset,
    sourceDomains,
    heldOutDomains: [...config.split.heldOut],
    labels: buildLabelSpace(dataset, sourceDomains),
  };
}
