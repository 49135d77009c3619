import type { IdMergePair, IdMergeReport } from './find-merges.js';

const fixed = (v: number): string => v.toFixed(3);

function line(p: IdMergePair): string {
  const margin = p.margin === null ? '—' : fixed(p.margin);
  return `  ${fixed(p.similarity)}  ${margin.padStart(6)}  ${p.a.domain}/${p.a.identity} (${p.a.samples})  ~  ${p.b.domain}/${p.b.identity} (${p.b.samples})`;
}

/** A short human-readable summary of an ID-merge report (for a CLI). */
export function formatIdMergeReport(report: IdMergeReport): string {
  const t = report.threshold;
  const out: string[] = [];
  out.push(`ID merge: ${report.labels} labels in ${report.sources.length} sources (${report.sources.join(', ')})`);
  const imp = t.impostors;
  const basis = imp
    ? `; within-source nearest other identity: median ${fixed(imp.median)}, q${Math.round(imp.quantile * 100)} ${fixed(imp.atQuantile)}, max ${fixed(imp.max)} over ${imp.labels} labels`
    : '';
  const split = t.split ? `, in the gap between ${fixed(t.split.below)} and ${fixed(t.split.above)}` : '';
  out.push(`threshold ${fixed(t.value)} (${t.mode}${split})${basis}`);
  if (report.knownMatches.total > 0) {
    out.push(`labels already sharing an identity across sources: ${report.knownMatches.confirmed}/${report.knownMatches.total} confirmed by the model`);
  }
  out.push(report.pairs.length === 0 ? 'no suspected duplicates' : `${report.pairs.length} suspected duplicate(s):  similarity  margin  label (samples) ~ label (samples)`);
  for (const p of report.pairs) out.push(line(p));
  if (report.belowThreshold.length > 0) {
    out.push(`closest mutual-nearest pairs below the threshold:`);
    for (const p of report.belowThreshold) out.push(line(p));
  }
  return out.join('\n');
}
