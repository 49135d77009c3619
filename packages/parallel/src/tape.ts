import * as tf from '@tensorflow/tfjs-core';

/**
 * How many gradient computations enclose the current code (tfjs's
 * `gradientDepth`): 0 outside any, 1 inside the function of a plain
 * `tf.grad`, 2 inside a gradient taken within another gradient (a
 * second-order meta-step's inner gradient). At depth ≤ 1 the backward pass
 * is not recorded, so a result computed elsewhere can stand in for it; at
 * depth 2 the backward pass itself is differentiated and must stay on the tape.
 */
export function gradientDepth(): number {
  return tf.engine().state.gradientDepth;
}

/** A tfjs custom-gradient kernel invocation with lazily evaluated input gradients. */
export interface LazyGradKernel {
  forwardFunc: () => tf.Tensor;
  /** Gradients by input name, each computed only if tfjs asks for it (that input lies on the path to y). */
  backwardsFunc: (dy: tf.Tensor) => Record<string, () => tf.Tensor>;
  inputs: Record<string, tf.Tensor>;
}

interface EngineInternals {
  runKernelFunc?: (kernel: LazyGradKernel) => tf.Tensor;
}

/**
 * Runs a custom-gradient kernel through tfjs's engine. Unlike `tf.customGrad`,
 * whose gradient function must return every input's gradient at once,
 * the engine asks for each input's gradient only when it needs it — so an
 * input that must not be differentiated can refuse loudly instead of
 * receiving a silent zero.
 */
export function runLazyGradKernel(kernel: LazyGradKernel): tf.Tensor {
  const engine = tf.engine() as unknown as EngineInternals;
  if (typeof engine.runKernelFunc !== 'function') {
    throw new Error('this tfjs version has no Engine.runKernelFunc (tested with 4.22); use threads: 1');
  }
  return engine.runKernelFunc.call(engine, kernel);
}
