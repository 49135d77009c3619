import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ConfigError, silentLogger, type Logger, type SampleShape } from '@metadg/core';
import type { DecodeTarget, FitMode, ImageCodec } from '../codec/codec.js';
import { loadCodec, type CodecChoice } from '../codec/load-codec.js';
import { LazyDataset, type LazyDatasetOptions } from '../dataset/lazy-dataset.js';
import type { WithLoaderReport } from '../provenance.js';
import type { LoaderReport, SkippedFile } from './report.js';
import { scanImageFolder, type ScanOptions } from './scan.js';

/** Options of `openImageFolder`. */
export interface ImageFolderOptions extends Omit<ScanOptions, 'log'> {
  /** Output size: a side length, or [height, width] (default 112, the usual face-recognition crop). */
  readonly imageSize?: number | readonly [number, number];
  /** 3 (RGB, default) or 1 (grey). */
  readonly channels?: 1 | 3;
  /** `cover` (default: resize the shorter side, centre-crop) or `fill` (stretch). */
  readonly fit?: FitMode;
  /** Decoded-image cache budget in bytes (default 256 MiB). */
  readonly cacheBytes?: number;
  /**
   * `header` (default): headers are checked when the folder is opened, pixel
   * data when first loaded. `decode`: every image is decoded once while
   * opening, so truncated files are found (and reported) up front.
   */
  readonly verify?: 'header' | 'decode';
  /** `auto` (default: sharp, else jpeg-js/pngjs), a codec name, or a codec instance. */
  readonly codec?: CodecChoice | ImageCodec;
  /** Dataset name (default: the root directory's name). */
  readonly name?: string;
  /** Where warnings go (default: nowhere; the CLI passes its logger). */
  readonly log?: Logger;
}

/** A dataset read from an image folder, with what its loader skipped. */
export class ImageFolderDataset extends LazyDataset<string> implements WithLoaderReport {
  constructor(
    options: LazyDatasetOptions<string>,
    /** What was found and skipped, kept current while batches load. */
    readonly loaderReport: LoaderReport,
  ) {
    super(options);
  }
}

/**
 * Opens `root/<domain>/<identity>/<image>.(jpg|jpeg|png)` as a lazily decoded
 * `DomainDataset`: images are decoded on first use (sharp, or the pure-JS
 * fallback), fitted to `imageSize` and cached within `cacheBytes`.
 * An identity key is its directory name, so the same name in two domains is
 * the same person. See `scanImageFolder` for which problems are errors and
 * which are skipped files; a file that fails to decode later is skipped the
 * same way (replaced by another sample of its identity) unless `strict`.
 */
export async function openImageFolder(root: string, options: ImageFolderOptions = {}): Promise<ImageFolderDataset> {
  const log = options.log ?? silentLogger;
  const [height, width] = parseSize(options.imageSize ?? 112);
  const channels = options.channels ?? 3;
  if (channels !== 1 && channels !== 3) throw new ConfigError('channels', `must be 1 or 3, got ${String(channels)}`);
  const codec =
    typeof options.codec === 'object'
      ? options.codec
      : await loadCodec(options.codec ?? 'auto', { maxPixels: options.maxPixels, onFallback: (m) => log.warn(m) });
  const scan = await scanImageFolder(root, { ...options, log });
  const skipped: SkippedFile[] = scan.skipped;
  const report: LoaderReport = {
    root: scan.root,
    codec: codec.name,
    strict: options.strict ?? false,
    images: scan.images,
    skipped,
    extensionMismatches: scan.extensionMismatches,
    droppedIdentities: scan.droppedIdentities,
  };
  const target: DecodeTarget = { height, width, channels, fit: options.fit ?? 'cover' };
  const sampleShape: SampleShape = [height, width, channels];
  const dataset = new ImageFolderDataset(
    {
      name: options.name ?? basename(scan.root),
      sampleShape,
      index: scan.index,
      decode: async (path) => codec.decode(await readFile(path), target),
      describe: (path) => path,
      cacheBytes: options.cacheBytes,
      strict: options.strict ?? false,
      onBadSource: (path, reason) => {
        skipped.push({ path, reason: 'corrupt', detail: reason, when: 'load' });
        log.warn(`${path}: cannot decode (${reason}); skipped, another image of the identity is used instead`);
      },
    },
    report,
  );
  if (options.verify === 'decode') {
    const bad = await dataset.verifyAll();
    if (bad > 0) log.warn(`${scan.root}: ${bad} image(s) failed to decode and will be skipped`);
  }
  return dataset;
}

function parseSize(size: number | readonly [number, number]): [number, number] {
  const [h, w] = typeof size === 'number' ? [size, size] : size;
  for (const v of [h, w]) {
    if (!(Number.isInteger(v) && v >= 1 && v <= 4096)) {
      throw new ConfigError('imageSize', `must be an integer side in [1, 4096] or [height, width], got ${JSON.stringify(size)}`);
    }
  }
  return [h, w];
}

