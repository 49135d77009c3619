import { html, type SafeHtml } from './html.js';
import type { MetricSpec } from './comparison-types.js';
import { resolveMetricSpecs, type ResolvedMetricSpec } from './metric-specs.js';
import type { ComparisonSummary, SummaryStat } from './summarise.js';

/**
 * One metric's table: a row per algorithm, a column per held-out domain and
 * a last "Average" column; cells read `mean ± std` (just the mean for a
 * single seed, `—` when missing). In every column the best mean, as
 * printed, is bold (all of them when tied).
 */
export function renderComparisonTable(summary: ComparisonSummary, metric: MetricSpec): SafeHtml {
  const [spec] = resolveMetricSpecs([metric], summary.metrics) as [ResolvedMetricSpec];
  const columns: { name: string; statOf: (algorithm: string) => SummaryStat | undefined }[] = [
    ...summary.heldOutDomains.map((d) => ({
      name: d,
      statOf: (a: string) => summary.cells.find((c) => c.algorithm === a && c.heldOutDomain === d && c.metric === spec.key),
    })),
    { name: 'Average', statOf: (a: string) => summary.averages.find((c) => c.algorithm === a && c.metric === spec.key) },
  ];
  const best = columns.map((col) => bestPrinted(summary.algorithms.map(col.statOf), spec));
  const rows = summary.algorithms.map(
    (algorithm) =>
      html`<tr><th scope="row">${algorithm}</th>${columns.map((col, j) => {
        const s = col.statOf(algorithm);
        if (s === undefined) return html`<td class="missing" title="no result">—</td>`;
        const text = formatStat(s, spec.digits);
        const seeds = `n = ${s.n} (seeds ${s.seeds.join(', ')})`;
        return s.mean.toFixed(spec.digits) === best[j]
          ? html`<td class="best" title="${seeds}"><strong>${text}</strong></td>`
          : html`<td title="${seeds}">${text}</td>`;
      })}</tr>`,
  );
  return html`<table class="comparison" data-metric="${spec.key}">
<caption>${spec.label} <span class="direction">(${spec.higherIsBetter ? 'higher' : 'lower'} is better; mean ± std over seeds)</span></caption>
<thead><tr><th scope="col">Algorithm</th>${columns.map((c, j) => (j === columns.length - 1 ? html`<th scope="col" class="average">${c.name}</th>` : html`<th scope="col">${c.name}</th>`))}</tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

/** `0.9612 ± 0.0031`, or just the mean for a single seed. */
export function formatStat(s: SummaryStat, digits: number): string {
  return s.n > 1 ? `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}` : s.mean.toFixed(digits);
}

/** The best mean of a column as printed, so that cells equal on screen are bold together. */
function bestPrinted(stats: (SummaryStat | undefined)[], spec: ResolvedMetricSpec): string | undefined {
  const means = stats.filter((s): s is SummaryStat => s !== undefined).map((s) => Number(s.mean.toFixed(spec.digits)));
  if (means.length === 0) return undefined;
  return (spec.higherIsBetter ? Math.max(...means) : Math.min(...means)).toFixed(spec.digits);
}
