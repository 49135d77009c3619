import type { Episode } from './data.js';

/**
 * Draws episodes from the training domains. `sample(step)` must be a pure
 * function of the run seed and `step`, so that runs are reproducible and a
 * resumed run continues with exactly the episodes it would have seen. The
 * caller disposes each episode (`disposeEpisode`).
 */
export interface DomainSampler {
  readonly name: string;
  sample(step: number): Promise<Episode>;
}
