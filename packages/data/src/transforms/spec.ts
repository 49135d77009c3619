import { ConfigError, z, type Rng } from '@metadg/core';
import type { ImageCodec } from '../codec/codec.js';
import { loadCodec } from '../codec/load-codec.js';
import type { Image } from '../image/image.js';
import { gammaLighting, greyscale, simulateNir } from './colour.js';
import { gaussianBlur, lowResolution, occlusionBand } from './degradation.js';
import { jpegQuality } from './jpeg.js';

/**
 * A domain transform: a pure function of an image and a random stream (for
 * transforms with random parts, e.g. a jittered occlusion). Shapes are kept.
 */
export type ImageTransform = (image: Image, rng: Rng) => Image | Promise<Image>;

const unit = z.number().min(0).max(1);

/** Schema of one named transform step, as written in configs and plugin hparams. */
export const transformSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('greyscale') }).strict(),
  z
    .object({
      kind: z.literal('nir'),
      mix: z.tuple([z.number().nonnegative(), z.number().nonnegative(), z.number().nonnegative()]).optional(),
      contrast: z.number().positive().optional(),
      brightness: z.number().min(-1).max(1).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('blur'), sigma: z.number().nonnegative().max(50) }).strict(),
  z
    .object({ kind: z.literal('low-res'), factor: z.number().min(1).max(64), upsample: z.enum(['bilinear', 'nearest']).optional() })
    .strict(),
  z.object({ kind: z.literal('gamma'), gamma: z.number().positive().max(10) }).strict(),
  z
    .object({
      kind: z.literal('occlusion'),
      top: z.number().min(0).lt(1).optional(),
      height: z.number().gt(0).max(1).optional(),
      value: unit.optional(),
      jitter: z.number().min(0).lt(1).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('jpeg'), quality: z.number().int().min(1).max(100) }).strict(),
]);

/** One named transform step (see `transformSpecSchema`). */
export type TransformSpec = z.infer<typeof transformSpecSchema>;

/**
 * Ready-made domain shifts, by domain name. Sources of the choices: NIR as a
 * red-weighted monochrome mix with a little softening (skin reflectance in
 * NIR resembles red; NIR sensors are softer); low-res ×4 (150 px → 38 px, a
 * face at surveillance distance); γ = 2.2 (under-exposure by about one
 * display gamma); an eye-level band (sunglasses); JPEG q = 10 (heavy
 * re-compression).
 */
export const DOMAIN_PRESETS: Readonly<Record<string, readonly TransformSpec[]>> = {
  greyscale: [{ kind: 'greyscale' }],
  nir: [{ kind: 'nir' }, { kind: 'blur', sigma: 0.7 }],
  'low-res': [{ kind: 'low-res', factor: 4 }],
  blur: [{ kind: 'blur', sigma: 2 }],
  dark: [{ kind: 'gamma', gamma: 2.2 }],
  occluded: [{ kind: 'occlusion' }],
  jpeg: [{ kind: 'jpeg', quality: 10 }],
};

/** Options of `buildTransform`. */
export interface BuildTransformOptions {
  /** Codec for `jpeg` steps (default: `loadCodec('auto')`, loaded on first use). */
  readonly codec?: ImageCodec;
}

/** Chains named steps into one `ImageTransform` (applied left to right; an empty list is the identity). */
export function buildTransform(steps: readonly TransformSpec[], options: BuildTransformOptions = {}): ImageTransform {
  let codec: Promise<ImageCodec> | undefined = options.codec ? Promise.resolve(options.codec) : undefined;
  const getCodec = (): Promise<ImageCodec> => (codec ??= loadCodec('auto'));
  const parsed = steps.map((s, i) => parseTransformSpec(s, `transforms[${i}]`));
  return async (image, rng) => {
    let current = image;
    for (const step of parsed) current = await applyStep(current, step, rng, getCodec);
    return current;
  };
}

/** Validates one step, throwing a `ConfigError` that names `field` and the bad key. */
export function parseTransformSpec(raw: unknown, field = 'transform'): TransformSpec {
  const result = transformSpecSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue && issue.path.length > 0 ? `${field}.${issue.path.join('.')}` : field;
  throw new ConfigError(path, issue?.message ?? 'invalid transform');
}

async function applyStep(image: Image, step: TransformSpec, rng: Rng, codec: () => Promise<ImageCodec>): Promise<Image> {
  switch (step.kind) {
    case 'greyscale':
      return greyscale(image);
    case 'nir':
      return simulateNir(image, step);
    case 'blur':
      return gaussianBlur(image, step);
    case 'low-res':
      return lowResolution(image, step);
    case 'gamma':
      return gammaLighting(image, step);
    case 'occlusion':
      return occlusionBand(image, step, rng);
    case 'jpeg':
      return jpegQuality(image, step, await codec());
  }
}
