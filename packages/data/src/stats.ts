import type { DomainDataset, SampleShape } from '@metadg/core';
import { countSkipped, type LoaderReport, type SkipReason } from './folder/report.js';
import { loaderReportOf } from './provenance.js';

/** Counts for one domain. */
export interface DomainStats {
  readonly domain: string;
  readonly identities: number;
  readonly samples: number;
  readonly minPerIdentity: number;
  readonly maxPerIdentity: number;
  /** Identities with a single sample (they cannot form a positive pair). */
  readonly singletons: number;
}

/** What `datasetStats` reports. */
export interface DatasetStats {
  readonly name: string;
  readonly sampleShape: SampleShape;
  readonly domains: readonly DomainStats[];
  /** Distinct identities over all domains. */
  readonly identities: number;
  readonly samples: number;
  /** Identities present in at least two domains. */
  readonly sharedIdentities: number;
  /** Identities present in every domain. */
  readonly identitiesInAllDomains: number;
  /** `overlap[i][j]`: identities present in both domain i and domain j (diagonal: the domain's own count). */
  readonly overlap: readonly (readonly number[])[];
  /** For datasets read by the image-folder loader: files seen and skipped. */
  readonly loader?: {
    readonly root: string;
    readonly codec: string;
    readonly images: number;
    readonly skipped: Readonly<Record<SkipReason, number>>;
    readonly extensionMismatches: number;
    readonly droppedIdentities: number;
  };
}

/** Domains, identities, samples per domain, identity overlap between domains, and loader counts. */
export function datasetStats(dataset: DomainDataset): DatasetStats {
  const sets = dataset.domains.map((d) => new Set(dataset.identities(d).map((i) => i.id)));
  const domains = dataset.domains.map((domain): DomainStats => {
    const infos = dataset.identities(domain);
    const counts = infos.map((i) => i.samples);
    return {
      domain,
      identities: infos.length,
      samples: counts.reduce((a, b) => a + b, 0),
      // reduce, not Math.min(...): spreading 100k identities would overflow the call stack.
      minPerIdentity: counts.length ? counts.reduce((a, b) => Math.min(a, b)) : 0,
      maxPerIdentity: counts.length ? counts.reduce((a, b) => Math.max(a, b)) : 0,
      singletons: counts.filter((n) => n === 1).length,
    };
  });
  const presence = new Map<string, number>();
  for (const s of sets) for (const id of s) presence.set(id, (presence.get(id) ?? 0) + 1);
  const overlap = sets.map((a) => sets.map((b) => [...a].filter((id) => b.has(id)).length));
  const report = loaderReportOf(dataset);
  return {
    name: dataset.name,
    sampleShape: dataset.sampleShape,
    domains,
    identities: presence.size,
    samples: domains.reduce((a, d) => a + d.samples, 0),
    sharedIdentities: [...presence.values()].filter((n) => n >= 2).length,
    identitiesInAllDomains: [...presence.values()].filter((n) => n === sets.length).length,
    overlap,
    ...(report ? { loader: summariseReport(report) } : {}),
  };
}

function summariseReport(report: LoaderReport): NonNullable<DatasetStats['loader']> {
  return {
    root: report.root,
    codec: report.codec,
    images: report.images,
    skipped: countSkipped(report),
    extensionMismatches: report.extensionMismatches.length,
    droppedIdentities: report.droppedIdentities.length,
  };
}

/** Renders `datasetStats` as a plain-text table for terminals. */
export function formatStats(stats: DatasetStats): string {
  const lines: string[] = [];
  lines.push(`dataset ${stats.name}: ${stats.domains.length} domains, ${stats.identities} identities, ${stats.samples} samples, sample shape [${stats.sampleShape.join(', ')}]`);
  const header = ['domain', 'identities', 'samples', 'per identity', 'singletons'];
  const rows = stats.domains.map((d) => [
    d.domain,
    String(d.identities),
    String(d.samples),
    d.minPerIdentity === d.maxPerIdentity ? String(d.minPerIdentity) : `${d.minPerIdentity}–${d.maxPerIdentity}`,
    String(d.singletons),
  ]);
  lines.push(...table(header, rows, [false, true, true, true, true]));
  lines.push(
    `identities shared by >= 2 domains: ${stats.sharedIdentities} of ${stats.identities}; in all ${stats.domains.length} domains: ${stats.identitiesInAllDomains}`,
  );
  if (stats.domains.length >= 2 && stats.domains.length <= 12) {
    lines.push('identities shared between domains:');
    const names = stats.domains.map((d) => d.domain);
    lines.push(...table(['', ...names], stats.overlap.map((row, i) => [names[i] as string, ...row.map(String)]), [false, ...names.map(() => true)]));
  }
  if (stats.loader) {
    const l = stats.loader;
    const skipped = Object.entries(l.skipped).filter(([, n]) => n > 0);
    const total = skipped.reduce((a, [, n]) => a + n, 0);
    lines.push(`loaded from ${l.root} with ${l.codec}: ${l.images} images accepted, ${total} files skipped${total ? ` (${skipped.map(([r, n]) => `${r}: ${n}`).join(', ')})` : ''}`);
    if (l.extensionMismatches > 0) lines.push(`  ${l.extensionMismatches} images have an extension that does not match their content (loaded anyway)`);
    if (l.droppedIdentities > 0) lines.push(`  ${l.droppedIdentities} identity directories had no usable image and were left out`);
  }
  return lines.join('\n');
}

function table(header: readonly string[], rows: readonly (readonly string[])[], rightAlign: readonly boolean[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (rightAlign[i] ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)];
}
