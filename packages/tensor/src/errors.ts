/**
 * Typed errors of @metadg/tensor. They follow @metadg/core's conventions (a
 * stable `name` and `code`, a one-line message naming what is at fault) without
 * depending on core, which sits beside this package, not below it.
 */

/** The requested tensor backend is unknown or could not be started. */
export class BackendError extends Error {
  override name = 'BackendError';
  readonly code = 'BACKEND_UNAVAILABLE';
}

/** A tensor does not have the shape or dtype an op requires (same message format as core's ShapeError). */
export class ShapeError extends Error {
  override name = 'ShapeError';
  readonly code = 'SHAPE_MISMATCH';
  /** What was checked, e.g. `crossEntropyWithLogits: labels`. */
  readonly what: string;

  constructor(what: string, expected: string, actual: readonly number[] | string) {
    const got = typeof actual === 'string' ? actual : `[${actual.join(', ')}]`;
    super(`${what}: expected shape ${expected}, got ${got}`);
    this.what = what;
  }
}

/** A non-tensor argument (a step size, an axis, a label value) is out of range. */
export class ArgumentError extends Error {
  override name = 'ArgumentError';
  readonly code = 'INVALID_ARGUMENT';
  /** The argument at fault, e.g. `l2Normalize: epsilon`. */
  readonly argument: string;

  constructor(argument: string, problem: string) {
    super(`${argument}: ${problem}`);
    this.argument = argument;
  }
}
