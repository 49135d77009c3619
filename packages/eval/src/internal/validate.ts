import { EvaluationError } from '../errors.js';

/** Human-readable rendering of an offending value for error messages (short). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value);
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** True for arrays and typed arrays: anything with a numeric `length` we can index. */
export function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  if (Array.isArray(value)) return true;
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/**
 * Copies `value` into a Float64Array, checking that it is an array of finite
 * numbers; the error names the first bad element (`scores[3]: not a finite number (got NaN)`).
 */
export function finiteNumbers(value: unknown, field: string): Float64Array {
  if (!isArrayLike(value)) {
    throw new EvaluationError('EVAL_INPUT_INVALID', field, `expected an array of numbers, got ${describeValue(value)}`);
  }
  const out = new Float64Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new EvaluationError('EVAL_INPUT_INVALID', `${field}[${i}]`, `not a finite number (got ${describeValue(v)})`);
    }
    out[i] = v;
  }
  return out;
}

/** Checks an array of 0/1 labels; the error names the first element that is neither. */
export function binaryLabels(value: unknown, field: string): Uint8Array {
  if (!isArrayLike(value)) {
    throw new EvaluationError('EVAL_INPUT_INVALID', field, `expected an array of 0/1 labels, got ${describeValue(value)}`);
  }
  const out = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (v !== 0 && v !== 1) {
      throw new EvaluationError('EVAL_INPUT_INVALID', `${field}[${i}]`, `must be 0 or 1 (got ${describeValue(v)})`);
    }
    out[i] = v;
  }
  return out;
}

/** Checks an array of non-negative integer class / identity labels. */
export function integerLabels(value: unknown, field: string): Int32Array {
  if (!isArrayLike(value)) {
    throw new EvaluationError('EVAL_INPUT_INVALID', field, `expected an array of integer labels, got ${describeValue(value)}`);
  }
  const out = new Int32Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0x7fffffff) {
      throw new EvaluationError('EVAL_INPUT_INVALID', `${field}[${i}]`, `must be a non-negative integer (got ${describeValue(v)})`);
    }
    out[i] = v;
  }
  return out;
}

/** Throws unless two parallel arrays have the same length (`labels: length 10 differs from scores length 12`). */
export function sameLength(field: string, length: number, otherField: string, otherLength: number): void {
  if (length !== otherLength) {
    throw new EvaluationError(
      'EVAL_INPUT_INVALID',
      field,
      `length ${length} differs from ${otherField} length ${otherLength}`,
    );
  }
}

/** Throws unless `value` is a positive integer (option validation). */
export function positiveInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new EvaluationError('EVAL_INPUT_INVALID', field, `must be a positive integer (got ${describeValue(value)})`);
  }
  return value;
}
