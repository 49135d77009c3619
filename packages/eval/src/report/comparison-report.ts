import { stringifyEvalJson } from '../json.js';
import { averageRocs } from '../verification/average-roc.js';
import type { ComparisonReport, ReportSection, RunResult } from './comparison-types.js';
import { renderComparisonTable } from './comparison-table.js';
import { renderDotChart } from './dot-chart.js';
import { html, type SafeHtml } from './html.js';
import { renderLineChart } from './line-chart.js';
import { renderLossChart } from './loss-chart.js';
import { resolveMetricSpecs } from './metric-specs.js';
import { renderHtmlPage } from './page.js';
import { seriesColor } from './palette.js';
import { renderReportTable } from './report-table.js';
import { renderRocChart } from './roc-chart.js';
import { summarise, type ComparisonSummary } from './summarise.js';

/**
 * Renders a comparison as one self-contained HTML file (inline CSS and SVG,
 * no script, no network): title and notes; lead sections; per metric a table of mean ± std
 * per held-out domain and averaged, best in bold; per held-out domain a ROC
 * chart with one curve per algorithm (vertically averaged over seeds, see
 * {@link averageRocs}) and a loss chart (each algorithm's lowest seed: all
 * seeds would bury the lines); then extra sections and the configuration.
 * An algorithm keeps its colour in every chart. All text is escaped.
 *
 * @throws EvaluationError on invalid runs (see {@link summarise}).
 */
export function renderComparisonHtml(report: ComparisonReport): string {
  const summary = summarise(report.runs);
  const specs = resolveMetricSpecs(report.metrics, summary.metrics);
  const colorOf = (algorithm: string) => seriesColor(summary.algorithms.indexOf(algorithm));
  const body: SafeHtml[] = [
    html`<header><h1>${report.title}</h1>${report.generatedAt ? html`<p class="meta">Generated ${report.generatedAt}</p>` : ''}${(report.notes ?? []).map((n) => html`<p>${n}</p>`)}</header>`,
    ...(report.leadSections ?? []).map(renderSection),
    html`<section id="results"><h2>Results on the held-out domains</h2>${describeRuns(summary)}${specs.map((s) => renderComparisonTable(summary, s))}</section>`,
  ];
  const rocCharts = summary.heldOutDomains.flatMap((domain) => {
    const curves = summary.algorithms.flatMap((algorithm) => {
      const rocs = runsOf(report.runs, algorithm, domain).flatMap((r) => (r.roc ? [r.roc] : []));
      return rocs.length === 0 ? [] : [{ name: algorithm, color: colorOf(algorithm), ...averageRocs(rocs) }];
    });
    return curves.length === 0 ? [] : [renderRocChart({ title: `ROC — held-out domain ${domain}`, curves })];
  });
  if (rocCharts.length > 0) {
    body.push(html`<section id="roc"><h2>ROC curves</h2><p class="meta">One curve per algorithm, averaged vertically over seeds.</p><div class="charts">${rocCharts}</div></section>`);
  }
  const lossCharts = summary.heldOutDomains.flatMap((domain) => {
    const runs = summary.algorithms.flatMap((algorithm) => {
      const first = runsOf(report.runs, algorithm, domain).find((r) => r.lossHistory !== undefined);
      return first?.lossHistory ? [{ name: `${algorithm} (seed ${first.seed})`, color: colorOf(algorithm), history: first.lossHistory }] : [];
    });
    return runs.length === 0 ? [] : [renderLossChart({ title: `Training loss — held-out domain ${domain}`, runs })];
  });
  if (lossCharts.length > 0) {
    body.push(html`<section id="losses"><h2>Training losses</h2><p class="meta">Each algorithm's run with the lowest seed.</p><div class="charts">${lossCharts}</div></section>`);
  }
  body.push(...(report.sections ?? []).map(renderSection));
  if (report.config !== undefined) body.push(renderSection({ title: 'Configuration', preformatted: stringifyEvalJson(report.config) }));
  return renderHtmlPage({ title: report.title, body });
}

/** A free-form {@link ReportSection} as HTML: paragraphs, tables, charts, then preformatted text. */
export function renderSection(section: ReportSection): SafeHtml {
  const charts = [...(section.lineCharts ?? []).map(renderLineChart), ...(section.dotCharts ?? []).map(renderDotChart)];
  return html`<section><h2>${section.title}</h2>${(section.paragraphs ?? []).map((p) => html`<p>${p}</p>`)}${(section.tables ?? []).map(renderReportTable)}${
    charts.length > 0 ? html`<div class="charts">${charts}</div>` : ''
  }${section.preformatted === undefined ? '' : html`<pre>${section.preformatted}</pre>`}</section>`;
}

/** The runs of one algorithm on one held-out domain, lowest seed first. */
function runsOf(runs: readonly RunResult[], algorithm: string, domain: string): RunResult[] {
  return runs.filter((r) => r.algorithm === algorithm && r.heldOutDomain === domain).sort((a, b) => a.seed - b.seed);
}

function describeRuns(s: ComparisonSummary): SafeHtml {
  const seeds = new Set(s.cells.flatMap((c) => c.seeds));
  return html`<p class="meta">${s.algorithms.length} algorithm(s) × ${s.heldOutDomains.length} held-out domain(s) × ${seeds.size} seed(s). Average = mean over held-out domains per seed, then mean ± std over seeds.</p>`;
}
