/// <reference path="./pngjs.d.ts" />
import type { Image } from '../image/image.js';
import { coverRegion, resample } from '../image/resample.js';
import { firstLine, toBytes, type DecodeTarget, type ImageCodec } from './codec.js';
import { probeImage } from './probe.js';
import { DEFAULT_MAX_PIXELS, type CodecOptions } from './sharp-codec.js';

/**
 * The pure-JavaScript codec (jpeg-js + pngjs): slower than sharp and without
 * EXIF orientation, but it needs no native binary. Resizing uses this
 * package's own area/bilinear resampler, straight from the decoded bytes.
 */
export async function createPureCodec(options: CodecOptions = {}): Promise<ImageCodec> {
  const jpeg = await import('jpeg-js');
  const { PNG } = await import('pngjs');
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;

  const decodeRgba = (bytes: Uint8Array): { data: Uint8Array; width: number; height: number } => {
    const probe = probeImage(bytes);
    if (!probe.ok) throw new Error(probe.reason);
    if (probe.width * probe.height > maxPixels) {
      throw new Error(`image too large (${probe.width}×${probe.height} > ${maxPixels} pixels)`);
    }
    try {
      if (probe.format === 'png') return PNG.sync.read(bytes);
      return jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        // Refuse truncated data instead of returning a half-grey image (matches sharp's failOn: 'truncated').
        tolerantDecoding: false,
        maxResolutionInMP: Math.ceil(maxPixels / 1e6),
        maxMemoryUsageInMB: 2048,
      });
    } catch (err) {
      throw new Error(firstLine(err));
    }
  };

  return {
    name: 'pure-js',
    async decode(bytes: Uint8Array, target?: DecodeTarget): Promise<Image> {
      const rgba = decodeRgba(bytes);
      const source = { data: rgba.data, width: rgba.width, height: rgba.height, channels: 4, scale: 1 / 255 };
      if (!target) return resample(source, rgba.height, rgba.width, 3);
      const region =
        target.fit === 'cover'
          ? coverRegion(rgba.height, rgba.width, target.height, target.width)
          : { x: 0, y: 0, width: rgba.width, height: rgba.height };
      return resample(source, target.height, target.width, target.channels, region);
    },
    async encodePng(image: Image): Promise<Uint8Array> {
      return PNG.sync.write(
        { width: image.width, height: image.height, data: toBytes(image) },
        image.channels === 1
          ? { colorType: 0, inputColorType: 0, inputHasAlpha: false }
          : { colorType: 2, inputColorType: 2, inputHasAlpha: false },
      );
    },
    async encodeJpeg(image: Image, quality: number): Promise<Uint8Array> {
      const n = image.width * image.height;
      const bytes = toBytes(image);
      const rgba = new Uint8Array(n * 4);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < 3; c++) rgba[4 * i + c] = bytes[i * image.channels + (image.channels === 1 ? 0 : c)] as number;
        rgba[4 * i + 3] = 255;
      }
      return jpeg.encode({ data: rgba, width: image.width, height: image.height }, Math.round(quality)).data;
    },
  };
}
