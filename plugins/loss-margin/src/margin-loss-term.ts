import type { Loss } from '@metadg/core';
import { createClassifierLoss, type ClassifierLossOptions } from '@metadg/meta';

/** What every margin loss term needs: the classifier's size and where its initial W comes from. */
export type ClassifierOptions = Pick<ClassifierLossOptions, 'classes' | 'embeddingSize' | 'init' | 'rng'>;

/** Options of {@link createMarginLoss}: @metadg/meta's classifier loss options. */
export type MarginLossOptions = ClassifierLossOptions;

/**
 * A margin classification loss term: @metadg/meta's classifier-head loss
 * (W owned by the loss, per-domain mean of gallery and probe cross-entropies,
 * every phase — exactly as MFR's `soft-classification`) with margin logits.
 */
export function createMarginLoss(options: MarginLossOptions): Loss {
  return createClassifierLoss(options);
}
