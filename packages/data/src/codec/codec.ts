import type { Image } from '../image/image.js';

/**
 * How a decoded image is fitted to the backbone's input: `cover` resizes the
 * shorter side to fit and centre-crops the longer one (no distortion);
 * `fill` stretches to the target.
 */
export type FitMode = 'cover' | 'fill';

/** Size, channels and fit of a decoded image. */
export interface DecodeTarget {
  readonly height: number;
  readonly width: number;
  /** 1 (grey, BT.601 luma) or 3 (RGB). */
  readonly channels: 1 | 3;
  readonly fit: FitMode;
}

/** Which implementation decodes and encodes. */
export type CodecName = 'sharp' | 'pure-js';

/**
 * Decodes JPEG/PNG bytes into float images and encodes images back. Two
 * implementations: `sharp` (libvips, prebuilt binaries shipped in npm
 * packages; fast, shrink-on-load for huge JPEGs, honours EXIF orientation)
 * and `pure-js` (jpeg-js + pngjs; works wherever Node runs, ignores EXIF
 * orientation). Errors are thrown as plain `Error`s with a one-line message;
 * the loader turns them into warnings or `DataError`s with the file path.
 */
export interface ImageCodec {
  readonly name: CodecName;
  /** Decodes `bytes`; with `target`, resized/cropped to it, else at native size as RGB. */
  decode(bytes: Uint8Array, target?: DecodeTarget): Promise<Image>;
  /** Lossless 8-bit PNG (values clamped to [0, 1] then rounded). */
  encodePng(image: Image): Promise<Uint8Array>;
  /** Baseline JPEG at `quality` (1–100). */
  encodeJpeg(image: Image, quality: number): Promise<Uint8Array>;
}

/** Converts [0, 1] floats to bytes (clamped, rounded). */
export function toBytes(image: Image): Uint8Array {
  const out = new Uint8Array(image.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = image.data[i] as number;
    out[i] = Math.round((v > 0 ? (v < 1 ? v : 1) : 0) * 255);
  }
  return out;
}

/** First line of an error's message (native decoders produce multi-line messages). */
export function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text.split('\n')[0] ?? text).trim();
}
