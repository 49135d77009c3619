export {
  REFERENCE_PARAM_NAMES,
  parseReferenceCase,
  type ReferenceCase,
  type ReferenceParamName,
  type ReferenceParamValues,
  type ReferenceResult,
} from './case-schema.js';
export {
  REFERENCE_TOLERANCES,
  computeReferenceCase,
  referenceErrors,
  type ReferenceError,
  type ReferenceOptions,
} from './compute.js';
export { createMlpBackbone, type MlpWeights } from './mlp-backbone.js';
