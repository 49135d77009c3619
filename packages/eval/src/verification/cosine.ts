import { checkGalleryProbe, type GalleryProbeEmbeddings } from '../gallery-probe.js';
import { sameLength } from '../internal/validate.js';
import { checkMatrix, normalizeRows, rowDot, sameWidth, type MatrixLike } from '../matrix.js';

/**
 * Cosine similarity of aligned rows: `scores[i] = cos(gallery[i], probe[i])`
 * — the verification score of pair `i` when the two matrices hold the two
 * sides of the same list of pairs.
 *
 * @throws EvaluationError on shape mismatches, non-finite values or zero rows.
 */
export function pairCosineScores(gallery: MatrixLike, probe: MatrixLike): number[] {
  const g = normalizeRows(checkMatrix(gallery, 'gallery'), 'gallery');
  const p = normalizeRows(checkMatrix(probe, 'probe'), 'probe');
  sameWidth(g, 'gallery', p, 'probe');
  sameLength('probe', p.rows, 'gallery', g.rows);
  const scores: number[] = [];
  for (let r = 0; r < g.rows; r++) scores.push(rowDot(g, r, p, r));
  return scores;
}

/**
 * All-versus-all verification pairs between a gallery and a probe set:
 * every (gallery i, probe j) is a pair, scored by cosine and labelled 1 when
 * the identities match. Pairs are listed gallery-major (i, then j).
 *
 * @throws EvaluationError on shape/label mismatches, non-finite values, zero rows or empty sets.
 */
export function allPairsByIdentity(input: GalleryProbeEmbeddings): { scores: number[]; labels: (0 | 1)[] } {
  const { gallery, galleryIds, probe, probeIds } = checkGalleryProbe(input);
  const scores: number[] = [];
  const labels: (0 | 1)[] = [];
  for (let i = 0; i < gallery.rows; i++) {
    for (let j = 0; j < probe.rows; j++) {
      scores.push(rowDot(gallery, i, probe, j));
      labels.push(galleryIds[i] === probeIds[j] ? 1 : 0);
    }
  }
  return { scores, labels };
}
