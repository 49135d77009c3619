import { EvaluationError } from '../errors.js';
import { html, type SafeHtml } from './html.js';
import { seriesColor } from './palette.js';
import { autoDomain, makeScale } from './scale.js';

/** One row of a {@link DotChartSpec}: a category, its value and an optional ± error. */
export interface DotChartRow {
  /** Category label (escaped), shown left of the plot. */
  readonly label: string;
  readonly value: number;
  /** Half-width of the whisker (e.g. a standard deviation); omitted or 0: no whisker. */
  readonly error?: number;
  /** CSS colour; default the palette colour of the row's index. */
  readonly color?: string;
}

/** A dot-and-whisker chart: one row per category, values on a horizontal axis. */
export interface DotChartSpec {
  /** Chart title (escaped). */
  readonly title: string;
  /** Label of the value axis. */
  readonly valueLabel: string;
  readonly rows: readonly DotChartRow[];
  /** Fixed value interval; default fitted to value ± error. */
  readonly domain?: readonly [number, number];
  /** Width of the SVG in pixels (default 560); the height follows the number of rows. */
  readonly width?: number;
}

const ROW = 24;
const TOP = 34;
const AXIS = 46;
const CHAR_PX = 7;

/**
 * Renders categories against a value as inline SVG: a dot at each value and
 * a whisker of ± error — for comparing a few settings (an ablation's
 * variants) whose values are close together: unlike a bar, a dot does not
 * suggest the axis starts at zero. Each row is a `<g class="dot-row"
 * data-label="…">`, so a report can be checked structurally.
 *
 * @throws EvaluationError when a value or error is not finite, an error is
 *   negative, or a given domain is not finite and increasing.
 */
export function renderDotChart(spec: DotChartSpec): SafeHtml {
  spec.rows.forEach((r, i) => {
    if (!Number.isFinite(r.value)) throw new EvaluationError('EVAL_INPUT_INVALID', `rows[${i}].value`, `not a finite number (got ${r.value})`);
    if (r.error !== undefined && !(Number.isFinite(r.error) && r.error >= 0)) {
      throw new EvaluationError('EVAL_INPUT_INVALID', `rows[${i}].error`, `must be a finite number ≥ 0 (got ${r.error})`);
    }
  });
  if (spec.domain && !(Number.isFinite(spec.domain[0]) && Number.isFinite(spec.domain[1]) && spec.domain[0] < spec.domain[1])) {
    throw new EvaluationError('EVAL_INPUT_INVALID', 'domain', `expected finite [min, max] with min < max, got [${spec.domain[0]}, ${spec.domain[1]}]`);
  }
  const width = spec.width ?? 560;
  const labelWidth = Math.min(Math.round(width / 3), 12 + CHAR_PX * Math.max(1, ...spec.rows.map((r) => r.label.length)));
  const plot = { left: labelWidth + 8, right: width - 16, top: TOP, bottom: TOP + Math.max(1, spec.rows.length) * ROW };
  const height = plot.bottom + AXIS;
  const domain = spec.domain ?? autoDomain('linear', spec.rows.flatMap((r) => [r.value - (r.error ?? 0), r.value + (r.error ?? 0)]));
  const x = makeScale('linear', domain, plot.left, plot.right);
  const px = (v: number) => fmt(x.toPixel(Math.min(Math.max(v, domain[0]), domain[1])));

  const ticks = x.ticks.map(
    (t) =>
      html`<line class="grid" x1="${px(t.value)}" x2="${px(t.value)}" y1="${plot.top}" y2="${plot.bottom}"/><text class="tick" x="${px(t.value)}" y="${plot.bottom + 16}" text-anchor="middle">${t.label}</text>`,
  );
  const rows = spec.rows.map((r, i) => {
    const y = fmt(plot.top + (i + 0.5) * ROW);
    const color = r.color ?? seriesColor(i);
    const e = r.error ?? 0;
    const whisker = e > 0 ? html`<line class="error-bar" x1="${px(r.value - e)}" x2="${px(r.value + e)}" y1="${y}" y2="${y}" stroke="${color}" stroke-width="2"/>` : '';
    return html`<g class="dot-row" data-label="${r.label}"><title>${r.label}: ${formatValue(r.value)}${e > 0 ? ` ± ${formatValue(e)}` : ''}</title><text class="tick" x="${plot.left - 8}" y="${y}" dy="0.32em" text-anchor="end">${r.label}</text>${whisker}<circle class="dot" cx="${px(r.value)}" cy="${y}" r="4.5" fill="${color}"/></g>`;
  });
  return html`<svg class="line-chart dot-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${spec.title}">
<title>${spec.title}</title>
<text class="chart-title" x="${plot.left}" y="20">${spec.title}</text>
<g class="axes">${ticks}<rect class="frame" x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="none"/></g>
<text class="axis-label" x="${fmt((plot.left + plot.right) / 2)}" y="${plot.bottom + 38}" text-anchor="middle">${spec.valueLabel}</text>
<g class="plot-area">${rows}</g>
</svg>`;
}

function formatValue(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

function fmt(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}
