import { ConfigError, ShapeError } from '@metadg/core';
import type { ImageCodec } from '../codec/codec.js';
import type { Image } from '../image/image.js';

/** Options of `jpegQuality`. */
export interface JpegQualityOptions {
  /** JPEG quality 1–100; low values give blocking and ringing (default in presets: 10). */
  readonly quality: number;
}

/**
 * Compression loss: encodes the image as a JPEG at `quality` and decodes it
 * back (8×8 block artefacts, chroma subsampling, banding), as with images
 * re-compressed by messaging apps or low-bit-rate cameras. Same shape out.
 */
export async function jpegQuality(image: Image, options: JpegQualityOptions, codec: ImageCodec): Promise<Image> {
  const { quality } = options;
  if (!(quality >= 1 && quality <= 100)) throw new ConfigError('jpeg.quality', `must be in [1, 100], got ${quality}`);
  if (image.channels !== 1 && image.channels !== 3) {
    throw new ShapeError('jpegQuality input', '[H, W, 1] or [H, W, 3]', [image.height, image.width, image.channels]);
  }
  const bytes = await codec.encodeJpeg(image, quality);
  return codec.decode(bytes, { height: image.height, width: image.width, channels: image.channels, fit: 'fill' });
}
