import * as core from '@metadg/core';
import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';

const acmePlugins = createRequire(import.meta.url)('./plugins.shared.cjs');

export const metadgPlugins = acmePlugins(core, tf);
