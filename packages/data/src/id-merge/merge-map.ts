import { readFile, writeFile } from 'node:fs/promises';
import { ConfigError, DataError, z, type DomainDataset } from '@metadg/core';
import { mergeIdentities } from '../views/merge.js';
import type { IdMergePair, IdMergeReport } from './find-merges.js';
import { UnionFind } from './union-find.js';

/** The `kind` tag of a merge-map file. */
export const MERGE_MAP_KIND = 'metadg-id-merge-map';

/** Why an entry is in a merge map: one accepted pair (informational; not used when applying). */
export interface MergeEvidence {
  readonly a: { readonly domain: string; readonly identity: string };
  readonly b: { readonly domain: string; readonly identity: string };
  readonly similarity: number;
}

/**
 * A merge map: identity key → canonical identity key, applied in every
 * domain (an identity key names one person across all domains, so merging
 * is by key, not per domain). Serialised as JSON; `mapping` is the only part
 * that takes effect, so a reviewer may delete entries by hand.
 */
export interface MergeMap {
  readonly kind: typeof MERGE_MAP_KIND;
  readonly version: 1;
  readonly mapping: Readonly<Record<string, string>>;
  /** The threshold the pairs were accepted at, if known. */
  readonly threshold?: number;
  readonly evidence?: readonly MergeEvidence[];
}

/**
 * Turns accepted pairs into a merge map. Pairs are joined transitively
 * (union-find over identity keys: a~b and b~c make one person of a, b, c).
 * Each group's canonical name is deterministic: the key seen in the earliest
 * source (order of `report.sources`), ties broken by the smaller key; every
 * other member maps to it. Filter `report.pairs` first to drop pairs a
 * reviewer rejected.
 */
export function buildMergeMap(report: Pick<IdMergeReport, 'sources' | 'pairs'> & { readonly threshold?: { readonly value: number } }): MergeMap {
  const rank = new Map(report.sources.map((s, i) => [s, i] as const));
  const sourceRank = (source: string): number => {
    const r = rank.get(source);
    if (r === undefined) throw new DataError(`pairs`, `source "${source}" is not among report.sources (${report.sources.join(', ')})`);
    return r;
  };
  const earliest = new Map<string, number>();
  const note = (identity: string, source: string): void => {
    earliest.set(identity, Math.min(earliest.get(identity) ?? Infinity, sourceRank(source)));
  };
  const sets = new UnionFind();
  for (const p of report.pairs) {
    note(p.a.identity, p.a.source);
    note(p.b.identity, p.b.source);
    sets.union(p.a.identity, p.b.identity);
  }
  const entries: [string, string][] = [];
  for (const group of sets.groups()) {
    const ordered = group.sort((x, y) => (earliest.get(x) as number) - (earliest.get(y) as number) || (x < y ? -1 : x > y ? 1 : 0));
    const canonical = ordered[0] as string;
    for (const member of ordered.slice(1)) entries.push([member, canonical]);
  }
  entries.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return {
    kind: MERGE_MAP_KIND,
    version: 1,
    mapping: Object.fromEntries(entries),
    ...(report.threshold ? { threshold: report.threshold.value } : {}),
    evidence: report.pairs.map(evidenceOf),
  };
}

function evidenceOf(p: IdMergePair): MergeEvidence {
  return {
    a: { domain: p.a.domain, identity: p.a.identity },
    b: { domain: p.b.domain, identity: p.b.identity },
    similarity: p.similarity,
  };
}

const labelSchema = z.object({ domain: z.string().min(1), identity: z.string().min(1) }).strict();

const mergeMapSchema = z
  .object({
    kind: z.literal(MERGE_MAP_KIND),
    version: z.literal(1),
    mapping: z.record(z.string().min(1, 'identity keys must be non-empty'), z.string().min(1, 'must be a non-empty identity key')),
    threshold: z.number().min(-1).max(1).optional(),
    evidence: z.array(z.object({ a: labelSchema, b: labelSchema, similarity: z.number().min(-1).max(1) }).strict()).optional(),
  })
  .strict();

/**
 * Validates a parsed merge map (e.g. `JSON.parse` of a file). Throws a
 * `ConfigError` naming the field (and `file`, if given): wrong `kind` or
 * `version`, a non-string entry, an identity mapped to itself, or a chain
 * (an identity that is both merged away and a merge target — every member
 * must point at its group's canonical identity).
 */
export function parseMergeMap(value: unknown, file?: string): MergeMap {
  const parsed = mergeMapSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? issue.path.join('.') : '';
    throw new ConfigError(field, issue?.message ?? 'invalid merge map', file);
  }
  const mapping = parsed.data.mapping;
  for (const [from, to] of Object.entries(mapping)) {
    if (from === to) throw new ConfigError(`mapping.${from}`, 'maps an identity to itself', file);
    if (Object.prototype.hasOwnProperty.call(mapping, to)) {
      throw new ConfigError(`mapping.${from}`, `points at "${to}", which is itself mapped to "${mapping[to]}"; map every member to the canonical identity`, file);
    }
  }
  const { threshold, evidence } = parsed.data;
  return {
    kind: MERGE_MAP_KIND,
    version: 1,
    mapping,
    ...(threshold !== undefined ? { threshold } : {}),
    ...(evidence !== undefined ? { evidence } : {}),
  };
}

/** A merge map as pretty-printed JSON (with a final newline). */
export function serializeMergeMap(map: MergeMap): string {
  return `${JSON.stringify(map, null, 2)}\n`;
}

/** Writes a merge map as JSON. */
export async function writeMergeMap(file: string, map: MergeMap): Promise<void> {
  await writeFile(file, serializeMergeMap(parseMergeMap(map, file)));
}

/** Reads and validates a merge-map JSON file (`DataError` if unreadable or not JSON, `ConfigError` naming the field if malformed). */
export async function readMergeMap(file: string): Promise<MergeMap> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new DataError(file, `cannot read merge map: ${err instanceof Error ? err.message : String(err)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new DataError(file, `merge map is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseMergeMap(value, file);
}

/** Options of `applyMergeMap`. */
export interface ApplyMergeMapOptions {
  /** Name of the view (default `<dataset>[merged]`). */
  readonly name?: string;
  /** Accept entries whose identity is in no domain of the dataset (default false: a map made for another dataset is an error). */
  readonly allowUnknown?: boolean;
}

/**
 * The dataset with the merge map applied (a `mergeIdentities` view): every
 * mapped identity is relabelled to its canonical key in every domain, so the
 * number of distinct identities drops by the number of mapping entries.
 * Throws a `DataError` naming `mapping.<key>` for an identity the dataset
 * does not have, unless `allowUnknown`.
 */
export function applyMergeMap(dataset: DomainDataset, map: MergeMap, options: ApplyMergeMapOptions = {}): DomainDataset {
  const valid = parseMergeMap(map);
  const table = new Map(Object.entries(valid.mapping));
  if (!options.allowUnknown) {
    const known = new Set<string>();
    for (const d of dataset.domains) for (const info of dataset.identities(d)) known.add(info.id);
    for (const key of table.keys()) {
      if (!known.has(key)) throw new DataError(`mapping.${key}`, `identity "${key}" is in no domain of dataset "${dataset.name}"`);
    }
  }
  // A Map, not the plain object: identity keys such as "constructor" must not hit Object.prototype.
  return mergeIdentities(dataset, (id) => table.get(id) ?? id, options.name);
}
