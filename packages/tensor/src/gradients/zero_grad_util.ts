import * as tf from '@tensorflow/tfjs-core';

/**
 * Gradient config for a kernel whose output is piecewise constant in its
 * inputs (comparisons, logical ops): the gradient is zero almost everywhere.
 *
 * Why it is needed: first-order gradients of relu, prelu, abs, max, maximum,
 * clipByValue… build masks with these kernels from tensors that depend on the
 * parameters. Differentiating such a gradient again walks through the mask, and
 * stock tfjs then throws "gradient function not found for Greater".
 * The inputs are saved only for their shapes (the gradient must match each
 * input's shape, which under broadcasting differs from the output's).
 */
export function zeroGradConfig(kernelName: string, inputNames: readonly string[]): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: [...inputNames],
    gradFunc: (_dy, saved) => {
      const grads: Record<string, () => tf.Tensor> = {};
      inputNames.forEach((name, i) => {
        const input = saved[i] as tf.Tensor;
        grads[name] = () => tf.zeros(input.shape, 'float32');
      });
      return grads;
    },
  };
}
