/**
 * Typed errors. Every error MetaDG raises on bad input names what is at fault
 * (a config field, a plugin, a file, a tensor shape) in a single line, so users
 * never have to read a stack trace from deep inside tfjs to find the cause.
 */
export class MetaDGError extends Error {
  // Explicit names: bundlers may rename classes, and users match on `name`.
  override name = 'MetaDGError';
  /** Stable machine-readable code, e.g. `CONFIG_INVALID`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A run configuration (file or object) is malformed; `field` is a dotted path. */
export class ConfigError extends MetaDGError {
  override name = 'ConfigError';
  readonly field: string;
  readonly file: string | undefined;

  constructor(field: string, problem: string, file?: string) {
    super('CONFIG_INVALID', `${file ? `${file}: ` : ''}${field ? `${field}: ` : ''}${problem}`);
    this.field = field;
    this.file = file;
  }
}

/** A plugin is missing, duplicated, malformed, or was given bad hyper-parameters. */
export class PluginError extends MetaDGError {
  override name = 'PluginError';
  readonly plugin: string;
  readonly field: string | undefined;

  constructor(code: string, plugin: string, problem: string, field?: string) {
    super(code, `plugin "${plugin}"${field ? `, hparams.${field}` : ''}: ${problem}`);
    this.plugin = plugin;
    this.field = field;
  }
}

/** A tensor or batch does not have the shape a component requires. */
export class ShapeError extends MetaDGError {
  override name = 'ShapeError';
  readonly what: string;

  constructor(what: string, expected: string, actual: readonly number[] | string) {
    const got = typeof actual === 'string' ? actual : `[${actual.join(', ')}]`;
    super('SHAPE_MISMATCH', `${what}: expected shape ${expected}, got ${got}`);
    this.what = what;
  }
}

/** A dataset, file or directory cannot be used; `path` names it. */
export class DataError extends MetaDGError {
  override name = 'DataError';
  readonly path: string;

  constructor(path: string, problem: string) {
    super('DATA_INVALID', `${path}: ${problem}`);
    this.path = path;
  }
}

/**
 * A numerical failure: NaN/Inf in a loss or embedding. Raised before any
 * parameter is updated so the model is left untouched.
 */
export class NumericalError extends MetaDGError {
  override name = 'NumericalError';
  readonly source: string;

  constructor(source: string, problem: string) {
    super('NON_FINITE', `${source}: ${problem}`);
    this.source = source;
  }
}


/** One-line rendering of any error for CLIs: `ConfigError: seed: expected a number`. */
export function formatError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
