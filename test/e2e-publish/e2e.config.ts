// Settings of the end-to-end publish test (see README.md).

/**
 * Whether the consumer also installs the app: the test then publishes
 * `@metadg/cli` with every workspace package it depends on, installs it in
 * the consumer, and runs each of `appCommands` through its `metadg` binary.
 * On by default; METADG_E2E_WITH_APP=0 leaves the app out (core, tensor and
 * the generated plugins only).
 */
export const withApp = process.env['METADG_E2E_WITH_APP'] !== '0';

/** Arguments of `metadg` runs in the consumer when `withApp` is on; each must exit 0. */
export const appCommands: readonly (readonly string[])[] = [
  ['--help'],
  // The installed app lists the generated third-party plugins next to its bundled ones.
  ['plugins', '--plugin', '@acme/metadg-plugin-e2e-loss', '--plugin', 'metadg-plugin-e2e-mldg'],
];

/** First-party packages the consumer installs (their workspace dependencies are published too). */
export const consumerPackages: readonly string[] = ['@metadg/core', '@metadg/tensor', ...(withApp ? ['@metadg/cli'] : [])];

/** Third-party packages the consumer installs directly (the host supplies the single tfjs). */
export const consumerExtras: readonly string[] = ['@tensorflow/tfjs-core'];
