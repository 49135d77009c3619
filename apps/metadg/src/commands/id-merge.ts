import { resolve } from 'node:path';
import { ConfigError, type DomainDataset, type Logger } from '@metadg/core';
import {
  buildMergeMap,
  embedDataset,
  findIdMerges,
  formatIdMergeReport,
  writeMergeMap,
  type IdMergeReport,
} from '@metadg/data';
import { writeAtomic } from '../jobs/job-runner.js';
import { restoreJob } from './evaluate.js';

/** Options of `metadg data id-merge`. */
export interface IdMergeOptions {
  /** A trained job's directory whose backbone embeds the samples. */
  readonly model: string;
  /** `auto` or a cosine similarity in [-1, 1]. */
  readonly threshold?: string;
  /** JSON object mapping domain → source (default: every domain its own source). */
  readonly sources?: string;
  readonly maxPerIdentity?: number;
  readonly seed?: number;
  /** Write the merge map here (apply it with the image-folder plugin's `mergeMap`). */
  readonly out?: string;
  /** Write the full report as JSON here. */
  readonly json?: string;
  readonly log: Logger;
}

/**
 * `metadg data id-merge`: (domain, identity) labels of different sources
 * that a trained model's embeddings say are probably the same person
 * (mutual nearest class centres above a threshold), listed with their
 * similarity; optionally written as a merge map for the loader.
 */
export async function idMergeCommand(dataset: DomainDataset, options: IdMergeOptions): Promise<{ text: string; report: IdMergeReport }> {
  const threshold = parseThreshold(options.threshold);
  const sources = parseSources(options.sources);
  const { run } = await restoreJob(resolve(options.model), { log: options.log });
  const backbone = await run.get('backbone');
  const embeddings = await embedDataset(dataset, backbone, {
    ...(options.maxPerIdentity !== undefined ? { maxPerIdentity: options.maxPerIdentity } : {}),
    seed: options.seed ?? 0,
    log: options.log,
  });
  const report = findIdMerges(embeddings, { threshold, ...(sources ? { sources } : {}) });
  if (options.out) await writeMergeMap(resolve(options.out), buildMergeMap(report));
  if (options.json) writeAtomic(resolve(options.json), `${JSON.stringify(report, null, 2)}\n`);
  return { text: formatIdMergeReport(report), report };
}

function parseThreshold(value: string | undefined): number | 'auto' {
  if (value === undefined || value === 'auto') return 'auto';
  const t = Number(value);
  if (!Number.isFinite(t) || t < -1 || t > 1) throw new ConfigError('--threshold', `must be "auto" or a cosine in [-1, 1], got "${value}"`);
  return t;
}

function parseSources(value: string | undefined): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    throw new ConfigError('--sources', `not valid JSON: ${(err as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw new ConfigError('--sources', 'must be a JSON object mapping each domain to its source name');
  }
  return parsed as Record<string, string>;
}
