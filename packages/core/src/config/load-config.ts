import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { describeIssues } from '../validation.js';
import { runConfigSchema, type RunConfig } from './run-config.js';

/**
 * Validates `raw` against any zod schema (e.g. an app's extension of the run
 * config schema), filling defaults. Throws one `ConfigError` whose message
 * lists every problem with its dotted field path.
 */
export function parseConfigWith<S extends z.ZodTypeAny>(schema: S, raw: unknown, file?: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data as z.output<S>;
  const { field, message } = describeIssues(result.error.issues);
  throw new ConfigError(field, message, file);
}

/** Validates a run configuration object, filling defaults (see `parseConfigWith`). */
export function parseRunConfig(raw: unknown, file?: string): RunConfig {
  return parseConfigWith(runConfigSchema, raw, file);
}

/** Reads a `.json`, `.yaml` or `.yml` file into a plain value; errors name the file. */
export function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('', `cannot read config file (${(err as NodeJS.ErrnoException).code ?? 'error'})`, file);
  }
  const ext = extname(file).toLowerCase();
  try {
    return ext === '.yaml' || ext === '.yml' ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new ConfigError('', `not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`, file);
  }
}

/** Reads and validates a `.json`, `.yaml` or `.yml` run configuration file. */
export function loadRunConfig(file: string): RunConfig {
  return parseRunConfig(readConfigFile(file), file);
}
