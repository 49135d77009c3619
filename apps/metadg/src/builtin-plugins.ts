import { PluginRegistry } from '@metadg/core';
import { metadgPlugins as backboneCnn } from '@metadg/backbone-cnn';
import { metadgPlugins as backboneFace } from '@metadg/backbone-face';
import { metadgPlugins as backboneResnet } from '@metadg/backbone-resnet';
import { metadgPlugins as data } from '@metadg/data';
import { metadgPlugins as glyphs } from '@metadg/dataset-glyphs';
import { metadgPlugins as mnist } from '@metadg/dataset-mnist';
import { metadgPlugins as lossMargin } from '@metadg/loss-margin';
import { metadgPlugins as erm } from '@metadg/plugin-erm';
import { metadgPlugins as maml } from '@metadg/plugin-maml';
import { metadgPlugins as mfr } from '@metadg/plugin-mfr';
import { metadgPlugins as mldg } from '@metadg/plugin-mldg';

/** The plugin packages the app ships with, in registration order. */
export const BUILTIN_PACKAGES = [data, glyphs, mnist, backboneCnn, backboneResnet, backboneFace, mfr, lossMargin, erm, mldg, maml] as const;

/**
 * A registry holding the bundled plugins. Packages named in a run config's
 * `plugins` are added on top (third-party plugins need no change here).
 */
export function builtinRegistry(): PluginRegistry {
  const registry = new PluginRegistry();
  for (const pkg of BUILTIN_PACKAGES) registry.register(pkg);
  return registry;
}
