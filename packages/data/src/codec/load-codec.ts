import { ConfigError } from '@metadg/core';
import { firstLine, type CodecName, type ImageCodec } from './codec.js';
import { createPureCodec } from './pure-codec.js';
import { createSharpCodec, type CodecOptions } from './sharp-codec.js';

/** Which codec to use: `auto` tries sharp, then falls back to pure JS. */
export type CodecChoice = 'auto' | CodecName;

/** Options of `loadCodec`. */
export interface LoadCodecOptions extends CodecOptions {
  /** Told once when `auto` falls back to pure JS, with the reason. */
  readonly onFallback?: (reason: string) => void;
}

/**
 * Returns an image codec. `auto` (default) prefers sharp and falls back to
 * jpeg-js/pngjs when sharp's native binary cannot load (reported through
 * `onFallback`); naming a codec that cannot load is an error.
 */
export async function loadCodec(choice: CodecChoice = 'auto', options: LoadCodecOptions = {}): Promise<ImageCodec> {
  if (choice === 'pure-js') return createPureCodec(options);
  if (choice !== 'sharp' && choice !== 'auto') {
    throw new ConfigError('codec', `expected "auto", "sharp" or "pure-js", got ${JSON.stringify(choice)}`);
  }
  try {
    return await createSharpCodec(options);
  } catch (err) {
    if (choice === 'sharp') throw new ConfigError('codec', `sharp cannot be loaded: ${firstLine(err)}`);
    options.onFallback?.(`sharp unavailable (${firstLine(err)}); decoding with jpeg-js/pngjs`);
    return createPureCodec(options);
  }
}
