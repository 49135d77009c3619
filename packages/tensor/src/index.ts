/**
 * @metadg/tensor — chooses the tensor backend at run time and makes
 * higher-order gradients correct on it.
 *
 * @packageDocumentation
 */
export {
  BACKEND_ORDER,
  currentBackend,
  initBackend,
  type BackendCandidate,
  type BackendChoice,
  type BackendInfo,
  type InitBackendOptions,
} from './backend.js';
export { ArgumentError, BackendError, ShapeError } from './errors.js';
export { installBackendFixes } from './install.js';
export {
  isSavedOutputOrderFixInstalled,
  installSavedOutputOrderFix,
  uninstallSavedOutputOrderFix,
} from './engine/saved_output_order.js';
export { MISSING_GRADIENTS, WRONG_GRADIENTS, registerGradientFixes } from './gradients/register_gradients.js';
export { BROKEN_WASM_KERNELS, MISSING_WASM_KERNELS, registerWasmKernelFixes } from './kernels/wasm/register_wasm_kernels.js';
export {
  combineParams,
  disposeParams,
  dotParams,
  hvp,
  hvpFiniteDiff,
  paramsNorm,
  sgdAdapt,
  valueAndGradsOf,
  type HvpFiniteDiffOptions,
  type Params,
  type ValueAndGrads,
} from './functional.js';
export { crossEntropyWithLogits } from './ops/cross_entropy_with_logits.js';
export { l2Normalize } from './ops/l2_normalize.js';
export { checkGradient, type GradientCheckResult } from './testing/gradient_check.js';
export { checkHvp, type HvpCheckResult } from './testing/hvp_check.js';
