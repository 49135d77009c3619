// Settings of the end-to-end publish test (see README.md).

/**
 * THE SWITCH for the app. While `@metadg/cli` is being written, the consumer
 * installs `@metadg/core`, `@metadg/tensor` and the generated plugins only.
 * Set `withApp` to `true` (or run with METADG_E2E_WITH_APP=1) once the app
 * builds: the test then also publishes `@metadg/cli` with every workspace
 * package it depends on, installs it in the consumer, and runs each of
 * `appCommands` through its `metadg` binary.
 */
export const withApp = process.env['METADG_E2E_WITH_APP'] === '1' || false;

/** Arguments of `metadg` runs in the consumer when `withApp` is on; each must exit 0. */
export const appCommands: readonly (readonly string[])[] = [['--help']];

/** First-party packages the consumer installs (their workspace dependencies are published too). */
export const consumerPackages: readonly string[] = ['@metadg/core', '@metadg/tensor', ...(withApp ? ['@metadg/cli'] : [])];

/** Third-party packages the consumer installs directly (the host supplies the single tfjs). */
export const consumerExtras: readonly string[] = ['@tensorflow/tfjs-core'];
