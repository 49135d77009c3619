import * as tf from '@tensorflow/tfjs-core';
import {
  ConfigError,
  DataError,
  Rng,
  type DomainDataset,
  type IdentityInfo,
  type SampleRef,
  type SampleShape,
} from '@metadg/core';
import { GLYPH_DOMAINS, familyKey, referenceWeight, type FontFamilySpec, type GlyphDomainSpec } from './domains.js';
import { GlyphSource } from './fonts/glyph-source.js';
import { GlyphRenderer } from './render/glyph-renderer.js';
import { DEFAULT_JITTER, DEFAULT_LAYOUT, drawPose, type GlyphLayout, type GlyphPose, type JitterRanges } from './render/pose.js';
import { RenderCache } from './render-cache.js';
import { buildGlyphTable } from './table/build.js';
import { defaultGlyphTable } from './table/default-table.js';
import { identityKey, type GlyphTable } from './table/glyph-table.js';

/** Options of {@link createGlyphDataset}. */
export interface GlyphDatasetOptions {
  /** Seed of every per-sample choice (family, weight, jitter). Default 0. */
  readonly seed?: number;
  /** Image side in pixels. Default 32. */
  readonly imageSize?: number;
  /** Samples per identity per domain. Default 20. */
  readonly samplesPerIdentity?: number;
  /** Jitter amplitudes; missing fields take {@link DEFAULT_JITTER}'s. */
  readonly jitter?: Partial<JitterRanges>;
  /** Draw each sample's weight from its family's weights (default) or always use the one closest to 400. */
  readonly weightJitter?: boolean;
  /** Domain table. Default {@link GLYPH_DOMAINS} (5 domains × 3 families). */
  readonly domains?: readonly GlyphDomainSpec[];
  /**
   * Identity table. Default: the committed table for the default domains;
   * for custom domains it is computed from the fonts (seconds, once per call).
   */
  readonly table?: GlyphTable;
  /** Keep at most this many identities, evenly spaced through the table (seed-independent). */
  readonly maxIdentities?: number;
  /** Directory for the optional on-disk render cache. Default: no cache. */
  readonly cacheDir?: string;
  readonly layout?: GlyphLayout;
  /** Dataset name. Default `glyphs`. */
  readonly name?: string;
}

/** How one sample is drawn: which font, weight and jitter. */
export interface GlyphSampleSpec {
  readonly domain: string;
  readonly identity: string;
  readonly index: number;
  /** Code point rendered (the identity's representative). */
  readonly codePoint: number;
  readonly family: FontFamilySpec;
  readonly weight: number;
  readonly pose: GlyphPose;
}

/** A glyph-identity {@link DomainDataset} with per-sample introspection. */
export interface GlyphDataset extends DomainDataset {
  /** The identity table in use (after `maxIdentities`). */
  readonly table: GlyphTable;
  readonly samplesPerIdentity: number;
  /** Members (code points) of an identity, representative first. */
  members(identity: string): readonly number[];
  /** The font, weight and jitter of one sample (what `load` renders). */
  describeSample(ref: SampleRef): GlyphSampleSpec;
  /** Coverage bytes (0…255) of the samples, `size²` per ref, without building a tensor. */
  renderBytes(refs: readonly SampleRef[]): Uint8Array;
}

/**
 * The glyph-identity benchmark as a {@link DomainDataset}: identity = a
 * character (look-alikes merged), domain = a font style, sample = a render of
 * the character by one of the domain's families at a seeded weight and pose.
 * Images are greyscale, **white glyph on black** (value = ink coverage in
 * [0, 1]), `imageSize × imageSize × 1`, rendered on the fly; the same seed
 * gives byte-identical images.
 */
export function createGlyphDataset(options: GlyphDatasetOptions = {}): GlyphDataset {
  const name = options.name ?? 'glyphs';
  const seed = options.seed ?? 0;
  const size = options.imageSize ?? 32;
  const samples = options.samplesPerIdentity ?? 20;
  const jitter = { ...DEFAULT_JITTER, ...options.jitter };
  const weightJitter = options.weightJitter ?? true;
  const layout = options.layout ?? DEFAULT_LAYOUT;
  const domains = options.domains ?? GLYPH_DOMAINS;

  if (!Number.isInteger(seed) || seed < 0) throw new ConfigError('seed', `expected a non-negative integer, got ${seed}`);
  if (!Number.isInteger(samples) || samples < 1) throw new ConfigError('samplesPerIdentity', `expected a positive integer, got ${samples}`);
  for (const [k, v] of Object.entries(jitter)) {
    if (!Number.isFinite(v) || v < 0) throw new ConfigError(`jitter.${k}`, `expected a finite number ≥ 0, got ${v}`);
  }
  if (jitter.scale >= 1) throw new ConfigError('jitter.scale', `must be below 1 (a scale of 1 − ${jitter.scale} would vanish)`);
  validateDomains(domains);

  const renderer = new GlyphRenderer(size, layout);
  const sources = new Map<string, GlyphSource>();
  for (const d of domains) for (const f of d.families) if (!sources.has(familyKey(f))) sources.set(familyKey(f), new GlyphSource(f));
  const domainNames = domains.map((d) => d.name);
  const domainByName = new Map(domains.map((d) => [d.name, d]));

  const fullTable = options.table ?? (options.domains === undefined ? defaultGlyphTable() : buildGlyphTable(domains));
  const table = limitIdentities(fullTable, options.maxIdentities);
  const membersById = new Map(table.identities.map((m) => [identityKey(m), m]));
  const identityList: IdentityInfo[] = [...membersById.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((id) => ({ id, samples }));

  const root = new Rng(seed);
  const pixels = size * size;
  const cache =
    options.cacheDir === undefined
      ? undefined
      : new RenderCache(
          options.cacheDir,
          {
            format: 1,
            name,
            seed,
            size,
            samples,
            jitter,
            weightJitter,
            layout,
            domains,
            fonts: [...sources.values()].map((s) => `${s.fonts.packageName}@${s.fonts.version}`),
            identities: table.identities,
          },
          samples * pixels,
        );

  /** `where` names the ref in errors, e.g. `refs[3]`. */
  const checkRef = (ref: SampleRef, where: string): { domain: GlyphDomainSpec; members: readonly number[] } => {
    const domain = domainByName.get(ref.domain);
    if (!domain) throw new DataError(name, `${where}.domain: unknown domain "${ref.domain}" (domains: ${domainNames.join(', ')})`);
    const members = membersById.get(ref.identity);
    if (!members) throw new DataError(name, `${where}.identity: unknown identity "${ref.identity}" in domain "${ref.domain}"`);
    if (!Number.isInteger(ref.index) || ref.index < 0 || ref.index >= samples) {
      throw new DataError(name, `${where}.index: ${ref.index} is outside [0, ${samples}) for ${ref.identity} in "${ref.domain}"`);
    }
    return { domain, members };
  };

  const describe = (ref: SampleRef, domain: GlyphDomainSpec, members: readonly number[]): GlyphSampleSpec => {
    const families = domain.families;
    // Families take turns (balanced), starting at a seeded offset per identity.
    const offset = root.fork(`family-offset/${ref.domain}/${ref.identity}`).int(families.length);
    const family = families[(ref.index + offset) % families.length] as FontFamilySpec;
    const rng = root.fork(`sample/${ref.domain}/${ref.identity}/${ref.index}`);
    const weight = weightJitter ? rng.pick(family.weights) : referenceWeight(family);
    const pose = drawPose(rng, jitter);
    return { domain: ref.domain, identity: ref.identity, index: ref.index, codePoint: members[0] as number, family, weight, pose };
  };

  const renderSample = (spec: GlyphSampleSpec, out: Uint8Array, offset: number): void => {
    const source = sources.get(familyKey(spec.family)) as GlyphSource;
    renderer.renderInto(source, spec.codePoint, spec.weight, spec.pose, out, offset);
  };

  const renderBlock = (domain: GlyphDomainSpec, identity: string, members: readonly number[]): Uint8Array => {
    const cached = cache?.read(domain.name, identity);
    if (cached) return cached;
    const block = new Uint8Array(samples * pixels);
    for (let i = 0; i < samples; i++) renderSample(describe({ domain: domain.name, identity, index: i }, domain, members), block, i * pixels);
    cache?.write(domain.name, identity, block);
    return block;
  };

  const renderBytes = (refs: readonly SampleRef[]): Uint8Array => {
    const out = new Uint8Array(refs.length * pixels);
    const blocks = new Map<string, Uint8Array>();
    refs.forEach((ref, i) => {
      const { domain, members } = checkRef(ref, `refs[${i}]`);
      if (!cache) {
        renderSample(describe(ref, domain, members), out, i * pixels);
        return;
      }
      const key = `${ref.domain}\u0000${ref.identity}`;
      let block = blocks.get(key);
      if (!block) blocks.set(key, (block = renderBlock(domain, ref.identity, members)));
      out.set(block.subarray(ref.index * pixels, (ref.index + 1) * pixels), i * pixels);
    });
    return out;
  };

  const sampleShape: SampleShape = [size, size, 1];
  return {
    name,
    domains: domainNames,
    sampleShape,
    table,
    samplesPerIdentity: samples,
    identities(domain: string): readonly IdentityInfo[] {
      if (!domainByName.has(domain)) throw new DataError(name, `unknown domain "${domain}" (domains: ${domainNames.join(', ')})`);
      return identityList;
    },
    members(identity: string): readonly number[] {
      const m = membersById.get(identity);
      if (!m) throw new DataError(name, `unknown identity "${identity}"`);
      return m;
    },
    describeSample(ref: SampleRef): GlyphSampleSpec {
      const { domain, members } = checkRef(ref, 'ref');
      return describe(ref, domain, members);
    },
    renderBytes,
    async load(refs: readonly SampleRef[]): Promise<tf.Tensor4D> {
      const bytes = renderBytes(refs);
      const values = new Float32Array(bytes.length);
      for (let i = 0; i < bytes.length; i++) values[i] = (bytes[i] as number) / 255;
      return tf.tensor4d(values, [refs.length, size, size, 1]);
    },
  };
}

function validateDomains(domains: readonly GlyphDomainSpec[]): void {
  if (domains.length === 0) throw new ConfigError('domains', 'expected at least one domain');
  const names = new Set<string>();
  domains.forEach((d, i) => {
    if (typeof d.name !== 'string' || d.name.length === 0) throw new ConfigError(`domains[${i}].name`, 'expected a non-empty string');
    if (names.has(d.name)) throw new ConfigError(`domains[${i}].name`, `duplicate domain "${d.name}"`);
    names.add(d.name);
    if (d.families.length === 0) throw new ConfigError(`domains[${i}].families`, `domain "${d.name}" has no font family`);
    d.families.forEach((f, j) => {
      if (f.weights.length === 0) throw new ConfigError(`domains[${i}].families[${j}].weights`, `family "${f.id}" lists no weight`);
    });
  });
}

function limitIdentities(table: GlyphTable, max: number | undefined): GlyphTable {
  if (max === undefined) return table;
  if (!Number.isInteger(max) || max < 1) throw new ConfigError('maxIdentities', `expected a positive integer, got ${max}`);
  if (max >= table.identities.length) return table;
  const n = table.identities.length;
  const kept = Array.from({ length: max }, (_, i) => table.identities[Math.floor((i * n) / max)] as readonly number[]);
  return { ...table, identities: kept };
}
