import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  ConfigError,
  DataError,
  parseConfigWith,
  pluginTestContext,
  z,
  type DomainDataset,
  type Logger,
  type PluginRegistry,
} from '@metadg/core';
import { datasetStats, formatStats, writeContactSheet } from '@metadg/data';
import { metricsFromScoresFile, verificationMetricsToJson } from '@metadg/eval';
import { computeReferenceCase, referenceErrors, type ReferenceResult } from '@metadg/plugin-mfr';
import { validateHparams } from '@metadg/core';

/** `metadg metrics <scores.json>`: verification metrics of externally computed scores, as JSON. */
export async function metricsCommand(file: string): Promise<string> {
  return verificationMetricsToJson(await metricsFromScoresFile(file));
}

/**
 * `metadg mfr-reference <case.json>`: the MFR losses and (meta-)gradients of
 * a reference case, with the keys of its `expected`. With `check`, also the
 * relative error of each against the case's `expected`.
 */
export async function mfrReferenceCommand(
  file: string,
  check: boolean,
): Promise<{ result: ReferenceResult; failures: string[]; report: string[] }> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError('', `cannot read a JSON case: ${(err as Error).message}`, file);
  }
  const result = await computeReferenceCase(raw, { file });
  if (!check) return { result, failures: [], report: [] };
  const expected = (raw as { expected?: ReferenceResult }).expected;
  if (!expected) throw new ConfigError('expected', 'required with --check', file);
  const errors = referenceErrors(result, expected);
  return {
    result,
    failures: errors.filter((e) => !e.ok).map((e) => e.key),
    report: errors.map((e) => `${e.ok ? 'ok  ' : 'FAIL'} ${e.key}: relative error ${e.relativeError.toExponential(2)} (≤ ${e.tolerance})`),
  };
}

const hparamsArg = z.record(z.unknown());

/**
 * Opens a dataset for the `data` commands: a dataset plugin's name (with
 * optional JSON hyper-parameters) or a directory, read with `image-folder`.
 */
export async function openDataset(registry: PluginRegistry, spec: string, hparamsJson: string | undefined, log: Logger): Promise<DomainDataset> {
  let hparams: Record<string, unknown> = {};
  if (hparamsJson !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(hparamsJson);
    } catch (err) {
      throw new ConfigError('--hparams', `not valid JSON: ${(err as Error).message}`);
    }
    hparams = parseConfigWith(hparamsArg, parsed, '--hparams');
  }
  let name = spec;
  if (!registry.has('dataset', spec)) {
    let isDir = false;
    try {
      isDir = statSync(spec).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) {
      const known = registry.list('dataset').map((p) => p.manifest.name);
      throw new DataError(spec, `is neither a dataset plugin (${known.join(', ')}) nor a directory of <domain>/<identity>/<image> files`);
    }
    name = 'image-folder';
    hparams = { ...hparams, root: resolve(spec) };
  }
  const manifest = registry.get('dataset', name);
  return manifest.create(validateHparams(manifest, hparams), pluginTestContext({ log, rngLabel: `dataset:${name}` }));
}

/** `metadg data stats <dataset>`: domains, identities and samples. */
export function statsCommand(dataset: DomainDataset): string {
  return formatStats(datasetStats(dataset));
}

/** `metadg data preview <dataset>`: a PNG contact sheet (rows = domains). */
export async function previewCommand(dataset: DomainDataset, out: string, perDomain: number, seed: number): Promise<string> {
  const file = resolve(out);
  await writeContactSheet(dataset, file, { perDomain, seed });
  return file;
}

/** `metadg plugins`: every registered plugin with kind, version, package and description. */
export function pluginsCommand(registry: PluginRegistry): string {
  const rows = registry.list().map((p) => [p.manifest.kind, p.manifest.name, p.manifest.version, p.packageName, p.manifest.description]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  return rows
    .map((r) => r.map((cell, i) => (i < 4 ? cell.padEnd(widths[i] as number) : cell)).join('  '))
    .join('\n');
}
