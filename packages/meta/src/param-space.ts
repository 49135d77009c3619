import type { Variable } from '@tensorflow/tfjs-core';
import { PluginError, type Backbone, type Loss, type ParamMap } from '@metadg/core';

/**
 * θ of a run as one functional parameter map: the backbone's and every loss's
 * trainable variables under stable global keys, `backbone/<key>` and
 * `loss/<loss name>/<key>` (`loss/<name>#<i>/<key>` when two losses share a
 * name; i is the config index). Keys are ordered backbone first, then losses
 * in config order, so optimizer state and checkpoints line up across runs.
 */
export interface ParamSpace {
  /** Every trainable variable by global key. */
  readonly variables: Readonly<Record<string, Variable>>;
  /** Global keys in their stable order. */
  readonly keys: readonly string[];
  /** The backbone's local view (`embed(x, params)`) of a global map. */
  backboneParams(params: ParamMap): ParamMap;
  /** Loss `index`'s local view (`compute(…, params)`) of a global map. */
  lossParams(index: number, params: ParamMap): ParamMap;
}

/** Builds the `ParamSpace` of a backbone and its losses (in config order). */
export function buildParamSpace(backbone: Backbone, losses: readonly Loss[]): ParamSpace {
  const variables: Record<string, Variable> = {};
  const owner = new Map<Variable, string>();
  const add = (prefix: string, local: Readonly<Record<string, Variable>>): { global: string; local: string }[] =>
    Object.entries(local).map(([key, variable]) => {
      const global = `${prefix}/${key}`;
      const previous = owner.get(variable);
      if (previous !== undefined) {
        // Two owners of one variable would have its gradient counted twice.
        throw new PluginError('PLUGIN_INVALID', prefix, `parameter "${key}" is the same variable as "${previous}"`);
      }
      owner.set(variable, global);
      variables[global] = variable;
      return { global, local: key };
    });

  const backboneKeys = add('backbone', backbone.params);
  const names = losses.map((l) => l.name);
  const lossKeys = losses.map((loss, i) => {
    const shared = names.indexOf(loss.name) !== names.lastIndexOf(loss.name);
    return add(`loss/${loss.name}${shared ? `#${i}` : ''}`, loss.params);
  });

  const view = (pairs: readonly { global: string; local: string }[], params: ParamMap): ParamMap => {
    const out: Record<string, ParamMap[string]> = {};
    for (const { global, local } of pairs) {
      const t = params[global];
      if (t !== undefined) out[local] = t;
    }
    return out;
  };

  return {
    variables,
    keys: Object.keys(variables),
    backboneParams: (params) => view(backboneKeys, params),
    lossParams: (index, params) => view(lossKeys[index] ?? [], params),
  };
}
