/**
 * @metadg/tensor — chooses the tensor backend at run time and makes
 * higher-order gradients correct on it.
 *
 * @packageDocumentation
 */
export {
  BACKEND_ORDER,
  BackendError,
  currentBackend,
  initBackend,
  type BackendCandidate,
  type BackendChoice,
  type BackendInfo,
} from './backend.js';
export { installBackendFixes } from './install.js';
