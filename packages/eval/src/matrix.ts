import { EvaluationError } from './errors.js';
import { describeValue, isArrayLike } from './internal/validate.js';

/**
 * A row-major matrix in a flat buffer — what a tfjs tensor gives you:
 * `{ data: t.dataSync(), rows: t.shape[0], cols: t.shape[1] }`.
 */
export interface DenseMatrix {
  readonly data: ArrayLike<number>;
  readonly rows: number;
  readonly cols: number;
}

/** A matrix either as a {@link DenseMatrix} or as an array of rows (`number[][]`, `Float32Array[]`). */
export type MatrixLike = DenseMatrix | readonly ArrayLike<number>[];

/** A validated matrix: finite values, consistent shape, copied into float64. */
export interface CheckedMatrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

/**
 * Validates and copies a matrix; errors name the field and the offending
 * row/element (`gallery[2][5]: not a finite number (got NaN)`,
 * `probe: expected 4 values per row, row 3 has 5`).
 */
export function checkMatrix(value: MatrixLike, field: string): CheckedMatrix {
  if (Array.isArray(value)) return fromRows(value as readonly unknown[], field);
  if (typeof value !== 'object' || value === null || !('data' in value)) {
    throw new EvaluationError('EVAL_INPUT_INVALID', field, `expected number[][] or { data, rows, cols }, got ${describeValue(value)}`);
  }
  const { data, rows, cols } = value;
  for (const [name, n] of [['rows', rows], ['cols', cols]] as const) {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      throw new EvaluationError('EVAL_INPUT_INVALID', `${field}.${name}`, `must be a non-negative integer (got ${describeValue(n)})`);
    }
  }
  if (!isArrayLike(data) || data.length !== rows * cols) {
    const got = isArrayLike(data) ? `${data.length} values` : describeValue(data);
    throw new EvaluationError('EVAL_INPUT_INVALID', `${field}.data`, `expected ${rows}×${cols} = ${rows * cols} values, got ${got}`);
  }
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < out.length; i++) {
    const v = data[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      const r = cols === 0 ? 0 : Math.floor(i / cols);
      throw new EvaluationError('EVAL_INPUT_INVALID', `${field}[${r}][${i - r * cols}]`, `not a finite number (got ${describeValue(v)})`);
    }
    out[i] = v;
  }
  return { data: out, rows, cols };
}

function fromRows(rowsIn: readonly unknown[], field: string): CheckedMatrix {
  const rows = rowsIn.length;
  const first = rowsIn[0];
  const cols = isArrayLike(first) ? first.length : 0;
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = rowsIn[r];
    if (!isArrayLike(row)) {
      throw new EvaluationError('EVAL_INPUT_INVALID', `${field}[${r}]`, `expected an array of numbers, got ${describeValue(row)}`);
    }
    if (row.length !== cols) {
      throw new EvaluationError('EVAL_INPUT_INVALID', field, `expected ${cols} values per row (as row 0), row ${r} has ${row.length}`);
    }
    for (let c = 0; c < cols; c++) {
      const v = row[c];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new EvaluationError('EVAL_INPUT_INVALID', `${field}[${r}][${c}]`, `not a finite number (got ${describeValue(v)})`);
      }
      out[r * cols + c] = v;
    }
  }
  return { data: out, rows, cols };
}

/**
 * Rows scaled to unit L2 norm, so dot products are cosines.
 *
 * @throws EvaluationError on an all-zero row (its cosine is undefined).
 */
export function normalizeRows(m: CheckedMatrix, field: string): CheckedMatrix {
  const out = new Float64Array(m.data.length);
  for (let r = 0; r < m.rows; r++) {
    let ss = 0;
    for (let c = 0; c < m.cols; c++) ss += (m.data[r * m.cols + c] as number) ** 2;
    if (!(ss > 0)) {
      throw new EvaluationError('EVAL_INPUT_INVALID', `${field}[${r}]`, 'zero vector: cosine similarity is undefined');
    }
    const inv = 1 / Math.sqrt(ss);
    for (let c = 0; c < m.cols; c++) out[r * m.cols + c] = (m.data[r * m.cols + c] as number) * inv;
  }
  return { data: out, rows: m.rows, cols: m.cols };
}

/** Throws unless two embedding matrices have the same width. */
export function sameWidth(a: CheckedMatrix, aField: string, b: CheckedMatrix, bField: string): void {
  if (a.cols !== b.cols) {
    throw new EvaluationError('EVAL_INPUT_INVALID', bField, `embedding size ${b.cols} differs from ${aField} embedding size ${a.cols}`);
  }
}

/** Dot product of row `i` of `a` and row `j` of `b` (same width). */
export function rowDot(a: CheckedMatrix, i: number, b: CheckedMatrix, j: number): number {
  let dot = 0;
  for (let c = 0; c < a.cols; c++) dot += (a.data[i * a.cols + c] as number) * (b.data[j * b.cols + c] as number);
  return dot;
}
