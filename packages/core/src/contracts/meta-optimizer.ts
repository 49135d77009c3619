import type { Episode } from './data.js';
import type { NamedTensor } from './tensors.js';

/** What one outer step reports. `parts` holds named loss parts, e.g. `metaTrain/hardPair`. */
export interface StepMetrics {
  readonly loss: number;
  readonly parts: Readonly<Record<string, number>>;
  /** Images fed through the network in this step (for equal-budget comparisons). */
  readonly images: number;
}

/**
 * A training algorithm (ERM, MAML, MLDG, MFR …): turns an episode into one
 * update of the backbone's and losses' parameters. It owns its outer optimizer.
 */
export interface MetaOptimizer {
  readonly name: string;
  step(episode: Episode): Promise<StepMetrics>;
  /** The outer optimizer's state (e.g. momentum), for checkpoints. */
  getState(): Promise<NamedTensor[]>;
  setState(state: readonly NamedTensor[]): Promise<void>;
  dispose(): void;
}
