import { toChannels, type Image } from '../image/image.js';
import { firstLine, toBytes, type DecodeTarget, type ImageCodec } from './codec.js';

type SharpFactory = (typeof import('sharp'))['default'];

/** Options shared by both codecs. */
export interface CodecOptions {
  /** Images with more pixels than this are refused before decoding (decompression-bomb guard). */
  readonly maxPixels?: number;
}

/** Default pixel limit: 100 megapixels (a 10000×10000 photo). */
export const DEFAULT_MAX_PIXELS = 100_000_000;

/**
 * The sharp (libvips) codec. Throws if sharp's native binary cannot be
 * loaded on this platform; `loadCodec('auto')` then falls back to pure JS.
 */
export async function createSharpCodec(options: CodecOptions = {}): Promise<ImageCodec> {
  const mod = await import('sharp');
  const sharp: SharpFactory = mod.default;
  // Touch the native binding now, so that a broken install fails here and not mid-run.
  if (typeof sharp.versions?.vips !== 'string') throw new Error('sharp loaded without libvips');
  const limitInputPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;

  const rawToImage = (data: Uint8Array, height: number, width: number, channels: number, wanted: number): Image => {
    const f = new Float32Array(data.length);
    for (let i = 0; i < f.length; i++) f[i] = (data[i] as number) / 255;
    return toChannels({ height, width, channels, data: f }, wanted);
  };

  const fromImage = (image: Image) =>
    sharp(toBytes(image), { raw: { width: image.width, height: image.height, channels: image.channels as 1 | 3 | 4 } });

  return {
    name: 'sharp',
    async decode(bytes: Uint8Array, target?: DecodeTarget): Promise<Image> {
      const run = async (): Promise<Image> => {
        // failOn 'truncated': reject cut-off files but tolerate benign libjpeg warnings.
        let pipeline = sharp(bytes, { failOn: 'truncated', limitInputPixels }).rotate();
        if (target) {
          pipeline = pipeline.resize(target.width, target.height, {
            fit: target.fit === 'cover' ? 'cover' : 'fill',
            position: 'centre',
          });
        }
        // depth 'uchar': 16-bit PNGs come out as bytes too.
        const { data, info } = await pipeline.removeAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
        // Greyscale sources come back with 1 channel; colour with 3.
        const channels = info.channels >= 3 ? 3 : 1;
        const rgb = info.channels === channels ? data : dropExtraChannels(data, info.channels, channels);
        return rawToImage(rgb, info.height, info.width, channels, target?.channels ?? 3);
      };
      try {
        return await run();
      } catch (first) {
        // libvips keeps one error buffer for all threads: under concurrent decodes a
        // failure sometimes arrives as "Unknown error". A second try names the cause.
        if (!isUninformative(first)) throw new Error(firstLine(first));
        try {
          return await run();
        } catch (second) {
          throw new Error(isUninformative(second) ? 'cannot decode (corrupt or truncated image data)' : firstLine(second));
        }
      }
    },
    async encodePng(image: Image): Promise<Uint8Array> {
      return fromImage(image).png().toBuffer();
    },
    async encodeJpeg(image: Image, quality: number): Promise<Uint8Array> {
      return fromImage(image).jpeg({ quality: Math.round(quality), chromaSubsampling: '4:2:0' }).toBuffer();
    },
  };
}

function isUninformative(err: unknown): boolean {
  const message = firstLine(err);
  return message === '' || message === 'Unknown error';
}

function dropExtraChannels(data: Uint8Array, from: number, to: number): Uint8Array {
  const n = data.length / from;
  const out = new Uint8Array(n * to);
  for (let i = 0; i < n; i++) for (let c = 0; c < to; c++) out[i * to + c] = data[i * from + c] as number;
  return out;
}
