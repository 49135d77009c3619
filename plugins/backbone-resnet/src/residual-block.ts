import * as tf from '@tensorflow/tfjs-core';
import {
  ACTIVATION_COST,
  activate,
  conv2dLayer,
  formatShape,
  groupNormLayer,
  sizeOf,
  type ActivationName,
  type FeatureShape,
  type Layer,
} from '@metadg/backbone-cnn';

/** Options of a basic residual block. */
export interface BasicBlockOptions {
  /** Output channels of both convolutions. */
  readonly filters: number;
  /** Stride of the first convolution (2 halves the map). */
  readonly stride: number;
  /** GroupNorm groups; must divide `filters`. */
  readonly groups: number;
  readonly eps: number;
  readonly activation: ActivationName;
}

/**
 * The basic residual block of He et al. 2016 (ResNet-18/34), with GroupNorm
 * in place of BatchNorm:
 *
 *     y = act( gn2(conv2( act(gn1(conv1(x))) )) + shortcut(x) )
 *
 * conv1 is 3×3 with `stride`, conv2 3×3 stride 1, both without bias (the
 * GroupNorm shift β that follows plays that role). `shortcut` is the identity
 * when shapes match, else a projection: 1×1 conv with `stride` → GroupNorm
 * (ResNet's option B). Parameters: `<name>/conv1/kernel`, `<name>/gn1/gamma`,
 * …, `<name>/proj/kernel`, `<name>/proj-gn/gamma`, `<name>/proj-gn/beta`.
 */
export function basicBlock(name: string, inputShape: FeatureShape, options: BasicBlockOptions): Layer {
  const { filters, stride, groups, eps, activation } = options;
  const conv1 = conv2dLayer(`${name}/conv1`, inputShape, { filters, kernelSize: 3, stride, bias: false });
  const gn1 = groupNormLayer(`${name}/gn1`, conv1.outputShape, { groups, eps });
  const conv2 = conv2dLayer(`${name}/conv2`, gn1.outputShape, { filters, kernelSize: 3, stride: 1, bias: false });
  const gn2 = groupNormLayer(`${name}/gn2`, conv2.outputShape, { groups, eps });
  const outputShape = gn2.outputShape;
  const needsProjection = stride !== 1 || formatShape(inputShape) !== formatShape(outputShape);
  const proj = needsProjection
    ? conv2dLayer(`${name}/proj`, inputShape, { filters, kernelSize: 1, stride, padding: 0, bias: false })
    : undefined;
  const projGn = proj ? groupNormLayer(`${name}/proj-gn`, proj.outputShape, { groups, eps }) : undefined;
  const main = [conv1, gn1, conv2, gn2];
  const children = proj && projGn ? [...main, proj, projGn] : main;
  const elements = sizeOf(outputShape);
  return {
    name,
    kind: 'residual-block',
    inputShape,
    outputShape,
    params: children.flatMap((l) => l.params),
    // Children, the activation after gn1, the residual add and the final activation.
    flops: children.reduce((s, l) => s + l.flops, 0) + elements + 2 * ACTIVATION_COST[activation] * elements,
    children,
    apply(x, read) {
      const h1 = activate(gn1.apply(conv1.apply(x, read), read), activation);
      const h2 = gn2.apply(conv2.apply(h1, read), read);
      const shortcut = proj && projGn ? projGn.apply(proj.apply(x, read), read) : x;
      return activate(tf.add(h2, shortcut), activation);
    },
  };
}
