import { definePluginPackage } from '@metadg/core';
import { domainAlignmentPlugin } from './losses/domain-alignment.js';
import { hardPairPlugin } from './losses/hard-pair.js';
import { softClassificationPlugin } from './losses/soft-classification.js';
import { mfrPlugin } from './meta-step.js';
import { mfrSamplerPlugin } from './sampler.js';
import { PLUGIN_VERSION } from './version.js';

/**
 * The plugins of `@metadg/plugin-mfr`: losses `hard-pair`,
 * `soft-classification`, `domain-alignment`; sampler `mfr-sampler`;
 * meta-optimizer `mfr`.
 */
export const metadgPlugins = definePluginPackage({
  packageName: '@metadg/plugin-mfr',
  version: PLUGIN_VERSION,
  plugins: [hardPairPlugin, softClassificationPlugin, domainAlignmentPlugin, mfrSamplerPlugin, mfrPlugin],
});
