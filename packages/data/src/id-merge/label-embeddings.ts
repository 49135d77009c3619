import { ConfigError, DataError } from '@metadg/core';

/** A (domain, identity) label: the unit that ID-merge compares. */
export interface IdLabel {
  readonly domain: string;
  readonly identity: string;
}

/**
 * The sample embeddings of one label: `vectors` holds one row of
 * `embeddingSize` values per sample, row-major (ideally L2-normalised; rows
 * are normalised again when centres are computed, which is harmless).
 */
export interface LabelEmbeddings extends IdLabel {
  readonly vectors: Float32Array;
}

/** Per-label sample embeddings of one model, all of width `embeddingSize`. */
export interface EmbeddingSet {
  readonly embeddingSize: number;
  readonly labels: readonly LabelEmbeddings[];
}

/** A label's class centre: the normalised mean of its normalised sample embeddings. */
export interface ClassCentre extends IdLabel {
  readonly samples: number;
  /** Unit-length centre (float64, so similarities do not depend on summation order at float32 precision). */
  readonly centre: Float64Array;
}

/** `domain/identity`, how messages name a label. */
export function describeLabel(label: IdLabel): string {
  return `${label.domain}/${label.identity}`;
}

/**
 * Class centres of every label, in input order. Each sample row is scaled to
 * unit length first (so no sample outweighs another), then the mean is scaled
 * to unit length: cosine similarity of two centres is then their dot product.
 * Throws a `DataError` naming the label (and row) for an empty label, a
 * duplicated label, a length that is not a multiple of `embeddingSize`, a
 * non-finite value, a zero row, or samples that cancel out.
 */
export function classCentres(set: EmbeddingSet): ClassCentre[] {
  const dim = set.embeddingSize;
  if (!Number.isInteger(dim) || dim < 1) throw new ConfigError('embeddingSize', `must be a positive integer, got ${dim}`);
  if (set.labels.length === 0) throw new DataError('embeddings', 'no labels given');
  const seen = new Set<string>();
  return set.labels.map((label) => {
    const where = `embeddings/${describeLabel(label)}`;
    if (typeof label.domain !== 'string' || label.domain.length === 0 || typeof label.identity !== 'string' || label.identity.length === 0) {
      throw new DataError(where, 'domain and identity must be non-empty strings');
    }
    const key = `${label.domain}\u0000${label.identity}`;
    if (seen.has(key)) throw new DataError(where, 'label listed twice');
    seen.add(key);
    const v = label.vectors;
    if (!(v instanceof Float32Array)) throw new DataError(where, 'vectors must be a Float32Array');
    if (v.length === 0 || v.length % dim !== 0) {
      throw new DataError(where, `${v.length} values is not a positive multiple of embeddingSize ${dim}`);
    }
    const rows = v.length / dim;
    const sum = new Float64Array(dim);
    for (let r = 0; r < rows; r++) {
      let sq = 0;
      for (let k = 0; k < dim; k++) {
        const x = v[r * dim + k] as number;
        if (!Number.isFinite(x)) throw new DataError(`${where}#${r}`, `embedding value ${k} is ${x}`);
        sq += x * x;
      }
      if (sq === 0) throw new DataError(`${where}#${r}`, 'embedding is all zeros (no direction to compare)');
      const inv = 1 / Math.sqrt(sq);
      for (let k = 0; k < dim; k++) sum[k] = (sum[k] as number) + (v[r * dim + k] as number) * inv;
    }
    const norm = Math.sqrt(dot(sum, sum));
    // A mean of unit vectors this short means the samples point every which way.
    if (!(norm > 1e-9 * rows)) throw new DataError(where, `the ${rows} sample embeddings cancel out (their mean is ~0)`);
    for (let k = 0; k < dim; k++) sum[k] = (sum[k] as number) / norm;
    return { domain: label.domain, identity: label.identity, samples: rows, centre: sum };
  });
}

/** Dot product of two equally long vectors. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k] as number) * (b[k] as number);
  return s;
}

/** Cosine similarity of two unit-length centres, clamped to [-1, 1] (rounding can overshoot by an ulp). */
export function cosine(a: Float64Array, b: Float64Array): number {
  return Math.min(1, Math.max(-1, dot(a, b)));
}
