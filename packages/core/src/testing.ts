import type { Loss } from './contracts/loss.js';
import { parseRunConfig } from './config/load-config.js';
import type { RunConfig } from './config/run-config.js';
import { silentLogger, type Logger } from './logger.js';
import type { ComponentMap, PluginContext } from './plugin/manifest.js';
import { Rng } from './rng.js';

/** What `pluginTestContext` may be given; everything is optional. */
export interface PluginTestContextOptions {
  readonly seed?: number;
  /** Label the context's rng is forked with (as the composition root does with kind:name). */
  readonly rngLabel?: string;
  readonly log?: Logger;
  readonly config?: RunConfig;
  readonly baseDir?: string;
  /** Components `ctx.get` returns; asking for a missing one is an error naming it. */
  readonly components?: Partial<ComponentMap>;
  readonly losses?: readonly Loss[];
}

/**
 * A `PluginContext` for unit-testing a plugin's `create` without composing a
 * whole run: hand it the components the plugin asks for (e.g. a task).
 */
export function pluginTestContext(options: PluginTestContextOptions = {}): PluginContext {
  const seed = options.seed ?? 0;
  const config =
    options.config ??
    parseRunConfig({
      seed,
      dataset: { name: 'test' },
      backbone: { name: 'test' },
      losses: [{ name: 'test' }],
      sampler: { name: 'test' },
      algorithm: { name: 'test' },
    });
  const components = options.components ?? {};
  return {
    rng: new Rng(seed).fork(options.rngLabel ?? 'test'),
    log: options.log ?? silentLogger,
    config,
    baseDir: options.baseDir ?? process.cwd(),
    async get<K extends keyof ComponentMap>(component: K): Promise<ComponentMap[K]> {
      const found = components[component];
      if (found === undefined) throw new Error(`pluginTestContext: no "${component}" was provided`);
      return found as ComponentMap[K];
    },
    losses: async () => [...(options.losses ?? [])],
  };
}
