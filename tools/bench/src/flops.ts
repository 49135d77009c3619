import { kernelFlops } from '@metadg/backbone-cnn';

/** One kernel launch as `tf.profile` reports it. */
export interface KernelLaunch {
  readonly name: string;
  readonly inputShapes: readonly (readonly number[] | undefined)[];
  readonly outputShapes: readonly (readonly number[] | undefined)[];
}

const size = (shape: readonly number[] | undefined): number => (shape ?? []).reduce((a, b) => a * b, 1);

/**
 * FLOPs of one kernel launch, in @metadg/backbone-cnn's convention (2 per
 * multiply-accumulate of a convolution or matrix product, 1 per element of
 * other arithmetic, 0 for data movement), extended to the backward
 * convolutions, which `kernelFlops` counts as element-wise:
 *
 * - `Conv2DBackpropInput(dy, W)`: 2 · |dy| · FH·FW·CI (the forward conv's MACs);
 * - `Conv2DBackpropFilter(x, dy)`: 2 · |dy| · FH·FW·CI (filter shape from the output);
 * - depthwise variants: 2 · |dy| · FH·FW.
 */
export function launchFlops(k: KernelLaunch): number {
  const [in0, in1] = k.inputShapes;
  const out0 = k.outputShapes[0];
  switch (k.name) {
    case 'Conv2DBackpropInput': {
      // inputs: dy [N, OH, OW, CO], filter [FH, FW, CI, CO]
      const f = in1 ?? [];
      return 2 * size(in0) * (f[0] ?? 0) * (f[1] ?? 0) * (f[2] ?? 0);
    }
    case 'Conv2DBackpropFilter': {
      // inputs: x, dy [N, OH, OW, CO]; output: the filter [FH, FW, CI, CO]
      const f = out0 ?? [];
      return 2 * size(in1) * (f[0] ?? 0) * (f[1] ?? 0) * (f[2] ?? 0);
    }
    case 'DepthwiseConv2dNativeBackpropInput': {
      const f = in1 ?? [];
      return 2 * size(in0) * (f[0] ?? 0) * (f[1] ?? 0);
    }
    case 'DepthwiseConv2dNativeBackpropFilter': {
      const f = out0 ?? [];
      return 2 * size(in1) * (f[0] ?? 0) * (f[1] ?? 0);
    }
    default:
      return kernelFlops(
        k.name,
        k.inputShapes.map((s) => s ?? []),
        k.outputShapes.map((s) => s ?? []),
      );
  }
}

/** Total FLOPs of a list of launches. */
export function totalFlops(launches: readonly KernelLaunch[]): number {
  let total = 0;
  for (const k of launches) total += launchFlops(k);
  return total;
}
