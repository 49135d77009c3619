import { inject, injectable } from 'inversify';
import { disposeEpisode } from './contracts/data.js';
import type { MetaOptimizer, StepMetrics } from './contracts/meta-optimizer.js';
import type { DomainSampler } from './contracts/sampler.js';
import type { RunConfig } from './config/run-config.js';
import type { Logger } from './logger.js';
import { TOKENS } from './tokens.js';

/** Called after every outer step. */
export type StepListener = (step: number, metrics: StepMetrics) => void | Promise<void>;

/**
 * The minimal training loop: sample an episode, let the algorithm step on it,
 * dispose the episode. Checkpointing and progress bars live in the app, which
 * drives this loop through `from`/`to` and `onStep`.
 *
 * Every constructor parameter names its token with `@inject`: bundlers
 * (esbuild/tsup) emit no decorator metadata, so nothing may rely on it.
 */
@injectable()
export class Trainer {
  constructor(
    @inject(TOKENS.RunConfig) private readonly config: RunConfig,
    @inject(TOKENS.DomainSampler) readonly sampler: DomainSampler,
    @inject(TOKENS.MetaOptimizer) readonly algorithm: MetaOptimizer,
    @inject(TOKENS.Logger) private readonly log: Logger,
  ) {}

  /** Runs outer steps `from` (inclusive) to `to` (exclusive; default `train.steps`). */
  async train(options: { from?: number; to?: number; onStep?: StepListener } = {}): Promise<StepMetrics[]> {
    const from = options.from ?? 0;
    const to = options.to ?? this.config.train.steps;
    const history: StepMetrics[] = [];
    for (let step = from; step < to; step++) {
      const episode = await this.sampler.sample(step);
      let metrics: StepMetrics;
      try {
        metrics = await this.algorithm.step(episode);
      } finally {
        disposeEpisode(episode);
      }
      history.push(metrics);
      if ((step + 1) % this.config.train.logEvery === 0 || step + 1 === to) {
        this.log.info(`step ${step + 1}/${to} loss ${metrics.loss.toFixed(4)}`);
      }
      await options.onStep?.(step, metrics);
    }
    return history;
  }
}
