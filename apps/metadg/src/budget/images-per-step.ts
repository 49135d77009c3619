import { composeRun, disposeEpisode, episodeImages, silentLogger, type PluginRegistry } from '@metadg/core';
import type { AppRunConfig } from '../config/app-config.js';
import { trainingView } from '../evaluation/evaluate-run.js';

/**
 * Images one outer step of `config` feeds through the network: the images of
 * its sampler's first episode (every batch of every drawn domain once, e.g.
 * MFR 2 + 1 domains × 2B, ERM over 4 source domains 4 × 2B). Composes the
 * run's dataset, task and sampler only (no model is built).
 */
export async function imagesPerStep(config: AppRunConfig, registry: PluginRegistry, searchFrom: readonly string[]): Promise<number> {
  const view = trainingView(config.protocol);
  const run = await composeRun(config, { registry, searchFrom, log: silentLogger, ...(view ? { trainingView: view } : {}) });
  const episode = await (await run.get('sampler')).sample(0);
  try {
    return episodeImages(episode);
  } finally {
    disposeEpisode(episode);
  }
}
