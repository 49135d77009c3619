/**
 * @metadg/plugin-erm — the ERM baseline as a MetaDG meta-optimizer plugin.
 *
 * @packageDocumentation
 */
import { definePluginPackage } from '@metadg/core';
import { ermPlugin } from './erm.js';

export { ErmOptimizer, ermPlugin } from './erm.js';

/** The package's plugins, for run configs (`"plugins": ["@metadg/plugin-erm"]`). */
export const metadgPlugins = definePluginPackage({ packageName: '@metadg/plugin-erm', version: '0.1.0', plugins: [ermPlugin] });
