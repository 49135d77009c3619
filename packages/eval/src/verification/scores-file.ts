import { readFile } from 'node:fs/promises';
import { EvaluationError } from '../errors.js';
import { describeValue } from '../internal/validate.js';
import { stringifyEvalJson } from '../json.js';
import { computeVerificationMetrics, type VerificationMetrics } from './verification-metrics.js';

/**
 * Scores a `scores.json` file of the form
 * `{"scores": number[], "labels": (0|1)[]}` (other keys are ignored) — the
 * `metadg metrics <scores.json>` command, for embeddings produced elsewhere.
 *
 * @throws EvaluationError naming the file and the field at fault: a missing
 *   or unreadable file, invalid JSON, or invalid scores/labels.
 */
export async function metricsFromScoresFile(path: string): Promise<VerificationMetrics> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String(err.code) : String(err);
    throw new EvaluationError('EVAL_FILE_INVALID', 'file', `cannot be read (${reason})`, path);
  }
  return metricsFromScoresJson(text, path);
}

/**
 * {@link metricsFromScoresFile} for JSON text already in memory; `source`
 * names it in errors (default `scores.json`).
 */
export function metricsFromScoresJson(text: string, source = 'scores.json'): VerificationMetrics {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new EvaluationError('EVAL_FILE_INVALID', 'file', `is not valid JSON (${reason})`, source);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new EvaluationError('EVAL_INPUT_INVALID', '(root)', `expected an object {"scores": [...], "labels": [...]}, got ${describeValue(parsed)}`, source);
  }
  const record = parsed as Record<string, unknown>;
  try {
    return computeVerificationMetrics({ scores: asArray(record, 'scores'), labels: asArray(record, 'labels') });
  } catch (err) {
    throw err instanceof EvaluationError ? err.inFile(source) : err;
  }
}

/** The metrics as the JSON document `metadg metrics` prints (infinite thresholds as `"Infinity"`). */
export function verificationMetricsToJson(metrics: VerificationMetrics, indent = 2): string {
  return stringifyEvalJson(metrics, indent);
}

/** The array under `key`; its elements are checked by {@link computeVerificationMetrics}. */
function asArray(record: Record<string, unknown>, key: string): ArrayLike<number> {
  const value = record[key];
  if (value === undefined) throw new EvaluationError('EVAL_INPUT_INVALID', key, 'missing (expected an array)');
  if (!Array.isArray(value)) {
    throw new EvaluationError('EVAL_INPUT_INVALID', key, `expected an array, got ${describeValue(value)}`);
  }
  return value as ArrayLike<number>;
}
