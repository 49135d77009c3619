/**
 * @metadg/plugin-mldg — MLDG (Li et al., AAAI 2018) as a MetaDG meta-optimizer plugin.
 *
 * @packageDocumentation
 */
import { definePluginPackage } from '@metadg/core';
import { mldgPlugin } from './mldg.js';

export { MldgOptimizer, mldgHparams, mldgPlugin, type MldgOptions } from './mldg.js';

/** The package's plugins, for run configs (`"plugins": ["@metadg/plugin-mldg"]`). */
export const metadgPlugins = definePluginPackage({ packageName: '@metadg/plugin-mldg', version: '0.1.0', plugins: [mldgPlugin] });
