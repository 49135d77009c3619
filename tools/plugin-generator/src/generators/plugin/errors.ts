/**
 * A generator option is invalid. `field` names the option (`name`, `kind`,
 * `packageName`, …) so the message points at what to change.
 */
export class PluginGeneratorError extends Error {
  override name = 'PluginGeneratorError';
  readonly field: string;

  constructor(field: string, problem: string) {
    super(`--${field}: ${problem}`);
    this.field = field;
  }
}
