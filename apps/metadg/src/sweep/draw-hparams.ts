import { Rng, type ComponentRef, type LossRef, type PluginKind, type PluginRegistry } from '@metadg/core';
import type { AppRunConfig, SweptComponent } from '../config/app-config.js';

/**
 * The random stream of one sweep trial, a pure function of (algorithm
 * plugin, dataset, trial) as in DomainBed's registry: every held-out domain
 * and seed of a trial uses the same hyper-parameters, and two contenders of
 * the same algorithm (e.g. ablation variants) draw the same values.
 */
export function trialRng(algorithm: string, dataset: string, trial: number): Rng {
  return new Rng(`sweep/${algorithm}/${dataset}/${trial}`);
}

/**
 * One component's hyper-parameters for a trial: every hyper-parameter its
 * plugin declares a search range for (`hparamSpace`) is drawn — with its own
 * fork of `rng`, so adding a hyper-parameter to a plugin leaves the others'
 * draws unchanged — except those the config sets, which stay pinned.
 */
export function drawComponent<R extends ComponentRef>(ref: R, kind: PluginKind, field: string, registry: PluginRegistry, rng: Rng): R {
  const manifest = registry.get(kind, ref.name);
  // The registry types manifests as PluginManifest<K, object>: the space's keys are the plugin's own.
  const space = Object.entries(manifest.hparamSpace ?? {}) as [string, ((r: Rng) => unknown) | undefined][];
  const own = rng.fork(`${field}:${ref.name}`);
  const hparams: Record<string, unknown> = { ...ref.hparams };
  for (const [name, draw] of space) {
    if (draw === undefined || name in ref.hparams) continue;
    hparams[name] = draw(own.fork(name));
  }
  return { ...ref, hparams };
}

/**
 * A job config with the hyper-parameters of `trial` drawn for the chosen
 * components; trial 0 is the config as written (DomainBed: the defaults).
 */
export function drawTrial(
  config: AppRunConfig,
  trial: number,
  components: readonly SweptComponent[],
  registry: PluginRegistry,
): AppRunConfig {
  if (trial === 0) return config;
  const rng = trialRng(config.algorithm.name, config.dataset.name, trial);
  const has = (c: SweptComponent) => components.includes(c);
  return {
    ...config,
    algorithm: has('algorithm') ? drawComponent(config.algorithm, 'meta-optimizer', 'algorithm', registry, rng) : config.algorithm,
    sampler: has('sampler') ? drawComponent(config.sampler, 'sampler', 'sampler', registry, rng) : config.sampler,
    losses: has('losses')
      ? config.losses.map((l, i): LossRef => drawComponent(l, 'loss', `losses[${i}]`, registry, rng))
      : config.losses,
    backbone: has('backbone') ? drawComponent(config.backbone, 'backbone', 'backbone', registry, rng) : config.backbone,
  };
}

/** The hyper-parameters a trial drew (what differs from the config), as `component.name = value` pairs. */
export function drawnValues(base: AppRunConfig, drawn: AppRunConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const compare = (field: string, a: ComponentRef, b: ComponentRef) => {
    for (const [k, v] of Object.entries(b.hparams)) if (!(k in a.hparams)) out[`${field}.${k}`] = v;
  };
  compare('algorithm', base.algorithm, drawn.algorithm);
  compare('sampler', base.sampler, drawn.sampler);
  compare('backbone', base.backbone, drawn.backbone);
  base.losses.forEach((l, i) => compare(`losses.${l.name}`, l, drawn.losses[i] as ComponentRef));
  return out;
}
