import * as tf from '@tensorflow/tfjs-core';
import type { Backbone, Loss, MetaOptimizer, NamedTensor } from '@metadg/core';
import { buildParamSpace } from '@metadg/meta';
import { CheckpointError, type StoredTensor } from './checkpoint.js';

/** Every trainable variable of a run under its stable global name (@metadg/meta's ParamSpace keys). */
export function modelVariables(backbone: Backbone, losses: readonly Loss[]): Map<string, tf.Variable> {
  return new Map(Object.entries(buildParamSpace(backbone, losses).variables));
}

/** Copies tensors to plain float32 arrays (for checkpoints). */
export async function storeTensors(named: Iterable<NamedTensor>): Promise<StoredTensor[]> {
  const out: StoredTensor[] = [];
  for (const { name, tensor } of named) {
    out.push({ name, shape: tensor.shape, values: Float32Array.from(await tensor.data()) });
  }
  return out;
}

/** The model's parameters and the optimizer's slots, ready to checkpoint. */
export async function snapshotModel(
  variables: Map<string, tf.Variable>,
  algorithm: MetaOptimizer,
): Promise<{ params: StoredTensor[]; optimizer: StoredTensor[] }> {
  const params = await storeTensors([...variables].map(([name, tensor]) => ({ name, tensor })));
  const state = await algorithm.getState();
  const optimizer = await storeTensors(state);
  for (const s of state) s.tensor.dispose();
  return { params, optimizer };
}

/**
 * Restores parameters and optimizer slots from a checkpoint. Names and shapes
 * must match the freshly composed model exactly; anything else means the
 * checkpoint belongs to another model and is reported, not half-applied.
 */
export async function restoreModel(
  file: string,
  variables: Map<string, tf.Variable>,
  algorithm: MetaOptimizer,
  stored: { params: readonly StoredTensor[]; optimizer: readonly StoredTensor[] },
): Promise<void> {
  restoreParams(file, variables, stored.params);
  const slots = stored.optimizer.map((s) => ({ name: s.name, tensor: tf.tensor(s.values, [...s.shape], 'float32') }));
  try {
    await algorithm.setState(slots);
  } finally {
    for (const s of slots) s.tensor.dispose();
  }
}

/**
 * Assigns stored parameters to the model's variables (e.g. the selected
 * checkpoint before the final evaluation). All names and shapes are checked
 * before any variable changes.
 */
export function restoreParams(file: string, variables: Map<string, tf.Variable>, params: readonly StoredTensor[]): void {
  if (params.length !== variables.size) {
    throw new CheckpointError(file, `holds ${params.length} parameters, the model has ${variables.size}`);
  }
  for (const p of params) {
    const v = variables.get(p.name);
    if (!v) throw new CheckpointError(file, `parameter "${p.name}" is not in the model`);
    if (v.shape.join('x') !== p.shape.join('x')) {
      throw new CheckpointError(file, `parameter "${p.name}" has shape [${p.shape}], the model [${v.shape}]`);
    }
  }
  for (const p of params) {
    const v = variables.get(p.name) as tf.Variable;
    tf.tidy(() => v.assign(tf.tensor(p.values, [...p.shape], 'float32')));
  }
}
