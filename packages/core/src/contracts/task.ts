import type { DomainDataset } from './data.js';

/**
 * The class-index space of training: every identity seen in the source
 * domains, sorted, index = class label. Classifier heads are sized by `size`.
 */
export interface LabelSpace {
  readonly size: number;
  readonly identities: readonly string[];
  /** Class index of `identity`, or -1 when it is not a training identity. */
  indexOf(identity: string): number;
}

/** What a run trains on: the dataset, its source and held-out domains, the label space. */
export interface TrainingTask {
  readonly dataset: DomainDataset;
  /** Domains training may draw from. */
  readonly sourceDomains: readonly string[];
  /** Domains never seen in training (evaluation targets). */
  readonly heldOutDomains: readonly string[];
  readonly labels: LabelSpace;
}

/** Builds the label space over the identities of `domains` in `dataset`. */
export function buildLabelSpace(dataset: DomainDataset, domains: readonly string[]): LabelSpace {
  const ids = new Set<string>();
  for (const d of domains) for (const info of dataset.identities(d)) ids.add(info.id);
  const identities = [...ids].sort();
  const index = new Map(identities.map((id, i) => [id, i] as const));
  return {
    size: identities.length,
    identities,
    indexOf: (identity) => index.get(identity) ?? -1,
  };
}
