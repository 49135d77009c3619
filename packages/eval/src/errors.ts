/**
 * Typed errors for evaluation input. `@metadg/eval` stands alone (no
 * dependency on `@metadg/core`), so it has its own error class shaped like
 * core's `MetaDGError`: a stable `code`, the `field` at fault and a one-line
 * message that starts with that field, e.g. `scores[3]: not a finite number`.
 *
 * Named `EvaluationError` rather than `EvalError` so it never shadows the
 * JavaScript built-in `EvalError` in a file that forgets to import it.
 */
export class EvaluationError extends Error {
  // Explicit name: bundlers may rename classes, and users match on `name`.
  override name = 'EvaluationError';
  /** Stable machine-readable code (see {@link EvaluationErrorCode}). */
  readonly code: EvaluationErrorCode;
  /** The input field at fault: `scores[3]`, `labels`, `runs[2].metrics.auc`. */
  readonly field: string;
  /** What is wrong with it, without the field: `not a finite number (got NaN)`. */
  readonly problem: string;
  /** The file the input came from, when it came from one. */
  readonly file: string | undefined;

  constructor(code: EvaluationErrorCode, field: string, problem: string, file?: string) {
    super(`${file === undefined ? '' : `${file}: `}${field}: ${problem}`);
    this.code = code;
    this.field = field;
    this.problem = problem;
    this.file = file;
  }

  /** The same error attributed to `file` (for input read from disk). */
  inFile(file: string): EvaluationError {
    return new EvaluationError(this.code, this.field, this.problem, file);
  }
}

/**
 * Why an evaluation failed:
 * - `EVAL_INPUT_INVALID`: a value has the wrong type, range or length;
 * - `EVAL_METRIC_UNDEFINED`: the input is well-formed but the metric is not
 *   defined for it (no positive or no negative pairs, fewer pairs than folds);
 * - `EVAL_FILE_INVALID`: a file cannot be read or is not valid JSON.
 */
export type EvaluationErrorCode = 'EVAL_INPUT_INVALID' | 'EVAL_METRIC_UNDEFINED' | 'EVAL_FILE_INVALID';
