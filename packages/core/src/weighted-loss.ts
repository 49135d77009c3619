import { mul, type Scalar } from '@tensorflow/tfjs-core';
import type { Loss } from './contracts/loss.js';

/**
 * Scales a loss term by its config weight λ (parts stay unscaled so logs show
 * the raw term). Weight 1 returns the loss itself. Callers run losses inside
 * `tidy`/gradient scopes, which own the intermediate tensors.
 */
export function weightLoss(loss: Loss, weight: number): Loss {
  if (weight === 1) return loss;
  return {
    name: loss.name,
    params: loss.params,
    phases: loss.phases,
    compute(batches, embeddings, params, phase) {
      const result = loss.compute(batches, embeddings, params, phase);
      return { value: mul(result.value, weight) as Scalar, parts: result.parts };
    },
    dispose: () => loss.dispose(),
  };
}
