import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../errors.js';
import { describeIssues } from '../validation.js';
import { runConfigSchema, type RunConfig } from './run-config.js';

/**
 * Validates a run configuration object, filling defaults. Throws one
 * `ConfigError` whose message lists every problem with its dotted field path.
 */
export function parseRunConfig(raw: unknown, file?: string): RunConfig {
  const result = runConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const { field, message } = describeIssues(result.error.issues);
  throw new ConfigError(field, message, file);
}

/** Reads and validates a `.json`, `.yaml` or `.yml` run configuration file. */
export function loadRunConfig(file: string): RunConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError('', `cannot read config file (${(err as NodeJS.ErrnoException).code ?? 'error'})`, file);
  }
  const ext = extname(file).toLowerCase();
  let raw: unknown;
  try {
    raw = ext === '.yaml' || ext === '.yml' ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new ConfigError('', `not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`, file);
  }
  return parseRunConfig(raw, file);
}
