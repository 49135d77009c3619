import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, DataError, type DomainDataset, type Logger } from '@metadg/core';
import type { ImageCodec } from './codec/codec.js';
import type { CodecChoice } from './codec/load-codec.js';
import { openImageFolder } from './folder/image-folder.js';
import { DOMAIN_PRESETS, buildTransform } from './transforms/spec.js';
import { withDerivedDomains } from './views/derived-domains.js';
import { restrictDomains } from './views/restrict.js';

/** Domains of the face fixture by default: the photos, and three shifts made from them. */
export const FACES_FIXTURE_DEFAULT_DOMAINS = ['clean', 'nir', 'low-res', 'occluded'] as const;

/** Every domain the face fixture can provide: `clean` plus each preset of `DOMAIN_PRESETS`. */
export const FACES_FIXTURE_DOMAINS: readonly string[] = ['clean', ...Object.keys(DOMAIN_PRESETS)];

const FIXTURE_DIR = join('fixtures', 'faces-johns');

/**
 * Absolute path of the bundled face fixture: 55 aligned 150×150 JPEG photos
 * of 5 people (11 each) from Debian's libdlib19.1 examples, laid out as
 * `<root>/clean/<person>/<photo>.jpg`. Found by walking up from this module,
 * so it works from the sources, the ESM/CJS bundles and an installed package.
 */
export function facesFixtureRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++) {
    const candidate = join(dir, FIXTURE_DIR);
    if (existsSync(join(candidate, 'clean'))) return candidate;
    dir = dirname(dir);
  }
  throw new DataError(FIXTURE_DIR, 'face fixture not found next to @metadg/data (is "fixtures" listed in its package.json "files"?)');
}

/** Options of `openFacesFixture`. */
export interface FacesFixtureOptions {
  /** Side of the square output (default 150: the photos' own size, and the dlib face network's input). */
  readonly imageSize?: number;
  readonly channels?: 1 | 3;
  /** Domains, in order: `clean` and/or preset names (default clean, nir, low-res, occluded). */
  readonly domains?: readonly string[];
  /** Seed of the per-sample random streams of the transforms (default 0). */
  readonly seed?: number | string;
  readonly cacheBytes?: number;
  readonly codec?: CodecChoice | ImageCodec;
  readonly log?: Logger;
}

/**
 * The multi-domain face fixture, loaded through the same image-folder loader
 * users use (clean photos), with the other domains generated at load time by
 * the domain transforms. For tests and demos (loaders, metrics, pretrained
 * backbones) — 5 identities are far too few for training claims.
 */
export async function openFacesFixture(options: FacesFixtureOptions = {}): Promise<DomainDataset> {
  const domains = options.domains ?? FACES_FIXTURE_DEFAULT_DOMAINS;
  if (domains.length === 0) throw new ConfigError('domains', 'at least one domain is needed');
  for (const d of domains) {
    if (!FACES_FIXTURE_DOMAINS.includes(d)) {
      throw new ConfigError('domains', `unknown face-fixture domain "${d}" (available: ${FACES_FIXTURE_DOMAINS.join(', ')})`);
    }
  }
  if (new Set(domains).size !== domains.length) throw new ConfigError('domains', `listed twice: ${domains.join(', ')}`);
  const codec = options.codec;
  const clean = await openImageFolder(facesFixtureRoot(), {
    name: 'faces-johns',
    domains: ['clean'],
    minDomains: 1,
    imageSize: options.imageSize ?? 150,
    channels: options.channels ?? 3,
    cacheBytes: options.cacheBytes,
    codec,
    // 55 small files: decode them all up front so a damaged checkout fails loudly here.
    verify: 'decode',
    strict: true,
    log: options.log,
  });
  const derived = domains
    .filter((d) => d !== 'clean')
    .map((name) => ({
      name,
      from: 'clean',
      transform: buildTransform(DOMAIN_PRESETS[name] ?? [], typeof codec === 'object' ? { codec } : {}),
    }));
  if (derived.length === 0) return clean;
  const view = withDerivedDomains(clean, derived, {
    seed: options.seed ?? 0,
    keepSources: domains.includes('clean'),
    cacheBytes: options.cacheBytes,
    name: 'faces-johns',
  });
  // Keep the caller's domain order (the view lists sources first).
  return restrictDomains(view, domains, 'faces-johns');
}
