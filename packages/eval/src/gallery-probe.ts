import { EvaluationError } from './errors.js';
import { integerLabels, sameLength } from './internal/validate.js';
import { checkMatrix, normalizeRows, sameWidth, type CheckedMatrix, type MatrixLike } from './matrix.js';

/**
 * Embeddings of a gallery and a probe set with their identity labels — the
 * input of identification ({@link rank1Accuracy}) and of all-pairs
 * verification ({@link allPairsByIdentity}).
 */
export interface GalleryProbeEmbeddings {
  /** One embedding per gallery image (rows). */
  readonly gallery: MatrixLike;
  /** Identity (a non-negative integer) of each gallery row. */
  readonly galleryIds: ArrayLike<number>;
  /** One embedding per probe image, same width as the gallery. */
  readonly probe: MatrixLike;
  /** Identity of each probe row. */
  readonly probeIds: ArrayLike<number>;
}

/** Validated gallery/probe embeddings, rows normalised to unit length. */
export interface CheckedGalleryProbe {
  readonly gallery: CheckedMatrix;
  readonly galleryIds: Int32Array;
  readonly probe: CheckedMatrix;
  readonly probeIds: Int32Array;
}

/**
 * Validates both sets (finite values, equal widths, one id per row, neither
 * set empty, no zero rows) and normalises their rows.
 */
export function checkGalleryProbe(input: GalleryProbeEmbeddings): CheckedGalleryProbe {
  const gallery = normalizeRows(checkMatrix(input.gallery, 'gallery'), 'gallery');
  const probe = normalizeRows(checkMatrix(input.probe, 'probe'), 'probe');
  if (gallery.rows === 0) throw new EvaluationError('EVAL_INPUT_INVALID', 'gallery', 'is empty');
  if (probe.rows === 0) throw new EvaluationError('EVAL_INPUT_INVALID', 'probe', 'is empty');
  sameWidth(gallery, 'gallery', probe, 'probe');
  const galleryIds = integerLabels(input.galleryIds, 'galleryIds');
  const probeIds = integerLabels(input.probeIds, 'probeIds');
  sameLength('galleryIds', galleryIds.length, 'gallery rows', gallery.rows);
  sameLength('probeIds', probeIds.length, 'probe rows', probe.rows);
  return { gallery, galleryIds, probe, probeIds };
}
