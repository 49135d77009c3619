/**
 * @metadg/plugin-maml — MAML-style episodic meta-learning as a MetaDG meta-optimizer plugin.
 *
 * @packageDocumentation
 */
import { definePluginPackage } from '@metadg/core';
import { mamlPlugin } from './maml.js';

export { MamlOptimizer, mamlHparams, mamlPlugin, type MamlOptions } from './maml.js';

/** The package's plugins, for run configs (`"plugins": ["@metadg/plugin-maml"]`). */
export const metadgPlugins = definePluginPackage({ packageName: '@metadg/plugin-maml', version: '0.1.0', plugins: [mamlPlugin] });
