import type { CodecName } from '../codec/codec.js';

/** Why the loader left a file out. */
export type SkipReason = 'non-image' | 'unreadable' | 'corrupt' | 'too-small' | 'too-large';

/** One file the loader left out, and why. */
export interface SkippedFile {
  readonly path: string;
  readonly reason: SkipReason;
  /** One-line detail, e.g. the decoder's message. */
  readonly detail: string;
  /** `scan` when found while opening the folder, `load` when found while decoding a batch. */
  readonly when: 'scan' | 'load';
}

/**
 * What the image-folder loader found: files accepted and skipped. Files
 * skipped at load time are appended as they are met, so the report of a
 * running dataset is always current.
 */
export interface LoaderReport {
  readonly root: string;
  readonly codec: CodecName;
  readonly strict: boolean;
  /** Image files accepted when the folder was scanned. */
  readonly images: number;
  readonly skipped: readonly SkippedFile[];
  /** Images whose content format differs from their extension (loaded anyway, e.g. a PNG named .jpg). */
  readonly extensionMismatches: readonly string[];
  /** Identity directories left out because none of their files was usable. */
  readonly droppedIdentities: readonly string[];
}

/** Skipped files counted by reason. */
export function countSkipped(report: LoaderReport): Record<SkipReason, number> {
  const counts: Record<SkipReason, number> = { 'non-image': 0, unreadable: 0, corrupt: 0, 'too-small': 0, 'too-large': 0 };
  for (const s of report.skipped) counts[s.reason]++;
  return counts;
}
