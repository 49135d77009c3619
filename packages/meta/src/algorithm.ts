import * as tf from '@tensorflow/tfjs-core';
import type { Episode, MetaOptimizer, NamedTensor, StepMetrics } from '@metadg/core';
import { valueAndGradsOf, type Params } from '@metadg/tensor';
import { guardedUpdate, meanOverSplits, recordedOnce } from './guarded-update.js';
import type { Objective } from './meta-gradient.js';
import { phaseObjective, type ObjectiveModel } from './objective.js';
import type { OuterOptimizer } from './outer-optimizer.js';

/**
 * Base of the gradient-based algorithms (ERM, MLDG, MAML, MFR): the model
 * (backbone + losses as one parameter space) and the outer optimizer, whose
 * state is what checkpoints store. Subclasses implement `step` with one of
 * the two updates below, so each reads like its paper.
 */
export abstract class GradientAlgorithm implements MetaOptimizer {
  abstract readonly name: string;

  constructor(
    protected readonly model: ObjectiveModel,
    protected readonly optimizer: OuterOptimizer,
  ) {}

  abstract step(episode: Episode): Promise<StepMetrics>;

  /**
   * One guarded outer step on the pooled objective of every batch of the
   * episode (losses of the `pooled` phase). Returns the recorded parts.
   */
  protected pooledUpdate(episode: Episode): Promise<Record<string, number>> {
    const theta = this.model.space.variables;
    return guardedUpdate(this.optimizer, (recorder) =>
      tf.tidy(() => valueAndGradsOf((p) => phaseObjective(this.model, episode.batches, p, 'pooled', recorder), theta).grads),
    );
  }

  /**
   * One guarded outer step on a bi-level gradient of the meta-train
   * objective L_train and the meta-test objective L_test (each over the
   * losses of its phase), averaged over the episode's splits. `gradient`
   * forms the update direction, e.g. `metaGradient` with the algorithm's
   * weights. Returns the recorded parts.
   */
  protected bilevelUpdate(
    episode: Episode,
    gradient: (lossTrain: Objective, lossTest: Objective, theta: Params) => Record<string, tf.Tensor>,
  ): Promise<Record<string, number>> {
    const theta = this.model.space.variables;
    return guardedUpdate(this.optimizer, (recorder) =>
      meanOverSplits(episode, (split) => {
        const train = recordedOnce((p: Params, rec) => phaseObjective(this.model, split.metaTrain, p, 'meta-train', rec), recorder);
        const test = recordedOnce((p: Params, rec) => phaseObjective(this.model, split.metaTest, p, 'meta-test', rec), recorder);
        return gradient(train, test, theta);
      }),
    );
  }

  getState(): Promise<NamedTensor[]> {
    return this.optimizer.getState();
  }

  setState(state: readonly NamedTensor[]): Promise<void> {
    return this.optimizer.setState(state);
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
