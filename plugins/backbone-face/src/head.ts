import { PluginError, type Rng } from '@metadg/core';
import { FACE_NET_DESCRIPTOR_SIZE } from './network/architecture.js';

/**
 * How the trainable projection head (128 → d) starts:
 *
 * - `orthogonal` (default): a random semi-orthogonal matrix drawn from the
 *   seeded rng (Gaussian draws, modified Gram–Schmidt in float64). For
 *   d = 128 a rotation and for d > 128 an isometric embedding, so cosines
 *   between pretrained descriptors are preserved exactly; for d < 128 a
 *   random orthogonal projection (preserved approximately).
 * - `identity`: `[I₁₂₈ | 0]` (needs d ≥ 128): the untrained backbone outputs
 *   face-api's descriptor itself (zero-padded when d > 128).
 */
export type HeadInit = 'orthogonal' | 'identity';

/** Initial head kernel `[128, d]`, row-major. */
export function initialHeadKernel(d: number, init: HeadInit, rng: Rng, plugin = 'face-resnet34'): Float32Array {
  const n = FACE_NET_DESCRIPTOR_SIZE;
  if (init === 'identity') {
    if (d < n) {
      throw new PluginError('PLUGIN_HPARAMS_INVALID', plugin, `"identity" needs embeddingSize ≥ ${n}, got ${d}; use "orthogonal"`, 'headInit');
    }
    const k = new Float32Array(n * d);
    for (let i = 0; i < n; i++) k[i * d + i] = 1;
    return k;
  }
  return semiOrthogonal(n, d, rng);
}

/**
 * A random `rows × cols` matrix with orthonormal columns (rows ≥ cols) or
 * orthonormal rows (rows < cols), from Gaussian draws of `rng`.
 */
export function semiOrthogonal(rows: number, cols: number, rng: Rng): Float32Array {
  const tall = rows >= cols;
  // Orthonormalise `count` vectors of length `len`: the columns of a tall matrix, the rows of a wide one.
  const count = tall ? cols : rows;
  const len = tall ? rows : cols;
  const vectors = Array.from({ length: count }, () => Float64Array.from(rng.normalArray(len)));
  vectors.forEach((v, i) => {
    for (let j = 0; j < i; j++) {
      const u = vectors[j] as Float64Array;
      let dot = 0;
      for (let k = 0; k < len; k++) dot += (v[k] as number) * (u[k] as number);
      for (let k = 0; k < len; k++) v[k] = (v[k] as number) - dot * (u[k] as number);
    }
    let norm = 0;
    for (let k = 0; k < len; k++) norm += (v[k] as number) ** 2;
    norm = Math.sqrt(norm);
    for (let k = 0; k < len; k++) v[k] = (v[k] as number) / norm;
  });
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = tall ? ((vectors[c] as Float64Array)[r] as number) : ((vectors[r] as Float64Array)[c] as number);
  }
  return out;
}
