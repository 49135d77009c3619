import { EvaluationError } from '../errors.js';
import { checkGalleryProbe, type GalleryProbeEmbeddings } from '../gallery-probe.js';
import { rowDot } from '../matrix.js';

/** Closed-set identification result. */
export interface Rank1Result {
  /** Fraction of probes whose most similar gallery row has the probe's identity. */
  readonly accuracy: number;
  /** Number of correctly identified probes. */
  readonly correct: number;
  /** Number of probes. */
  readonly total: number;
}

/**
 * Rank-1 identification accuracy (closed set): each probe is matched to the
 * gallery row of highest cosine similarity and counts as correct when that
 * row's identity equals the probe's. Exact ties go to the lowest gallery
 * index (as `argmax`), so the result is deterministic.
 *
 * @throws EvaluationError on invalid embeddings/ids, or when a probe's
 *   identity is absent from the gallery (closed-set identification would
 *   count it wrong whatever the model does).
 */
export function rank1Accuracy(input: GalleryProbeEmbeddings): Rank1Result {
  const { gallery, galleryIds, probe, probeIds } = checkGalleryProbe(input);
  const known = new Set(galleryIds);
  let correct = 0;
  for (let j = 0; j < probe.rows; j++) {
    if (!known.has(probeIds[j] as number)) {
      throw new EvaluationError('EVAL_INPUT_INVALID', `probeIds[${j}]`, `identity ${probeIds[j]} is not in the gallery (closed-set identification)`);
    }
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < gallery.rows; i++) {
      const s = rowDot(gallery, i, probe, j);
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    }
    if (galleryIds[best] === probeIds[j]) correct++;
  }
  return { accuracy: correct / probe.rows, correct, total: probe.rows };
}
