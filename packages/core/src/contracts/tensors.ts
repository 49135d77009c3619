import type { Tensor, Variable } from '@tensorflow/tfjs-core';

/**
 * Parameters in functional form: name → tensor. Meta-learners pass adapted
 * values (θ' = θ − α∇L) through the same code that normally reads variables.
 */
export type ParamMap = Readonly<Record<string, Tensor>>;

/** Trainable variables owned by a component, keyed by stable local names. */
export type VariableMap = Readonly<Record<string, Variable>>;

/** A tensor with a name, as stored in checkpoints and optimizer state. */
export interface NamedTensor {
  readonly name: string;
  readonly tensor: Tensor;
}
