import { EvaluationError } from '../errors.js';
import { html, type SafeHtml } from './html.js';
import { seriesColor } from './palette.js';
import { autoDomain, makeScale, type Scale } from './scale.js';

/** One line of a {@link LineChartSpec}. */
export interface LineSeries {
  /** Legend text (escaped). */
  readonly name: string;
  readonly x: ArrayLike<number>;
  /** Same length as `x`; non-finite values leave a gap in the line. */
  readonly y: ArrayLike<number>;
  /** CSS colour; defaults to the palette colour of the series' index. */
  readonly color?: string;
  /** SVG `stroke-dasharray`, e.g. `'6 3'`; default solid. */
  readonly dash?: string;
}

/** A line chart: axes, ticks, grid, one path per series and a legend. */
export interface LineChartSpec {
  /** Chart title (escaped). */
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly LineSeries[];
  /** `'log'` for a base-10 axis (ROC curves: log FPR); values ≤ 0 are drawn at the axis minimum. Default `'linear'`. */
  readonly xScale?: 'linear' | 'log';
  readonly yScale?: 'linear' | 'log';
  /** Fixed axis interval; default fitted to the data. */
  readonly xDomain?: readonly [number, number];
  readonly yDomain?: readonly [number, number];
  /** Size of the whole SVG in pixels (default 560 × 360). */
  readonly width?: number;
  readonly height?: number;
}

const MARGIN = { top: 34, bottom: 46, left: 58, right: 16, gap: 16 };
/** Legend geometry: a 24 px line sample, text 30 px after its start, rows 18 px apart. */
const LEGEND = { sample: 24, textOffset: 30, rowHeight: 18, charPx: 7, pad: 12, maxChars: 34 };

/**
 * Renders a line chart as inline SVG (no script, no external resources).
 * Each series becomes one `<path class="series" data-series="…">`, so a
 * report can be checked structurally. Long series are thinned to at most
 * four points per pixel column (first, lowest, highest, last), which keeps
 * the drawn shape exact at the chart's resolution and the file small. The
 * legend sits right of the plot when the names are short, below it otherwise.
 *
 * @throws EvaluationError when a series' `x` and `y` differ in length, or a given
 *   axis interval is not finite and increasing (and positive on a log axis).
 */
export function renderLineChart(spec: LineChartSpec): SafeHtml {
  spec.series.forEach((s, i) => {
    if (s.x.length !== s.y.length) {
      throw new EvaluationError('EVAL_INPUT_INVALID', `series[${i}].y`, `length ${s.y.length} differs from series[${i}].x length ${s.x.length}`);
    }
  });
  const width = spec.width ?? 560;
  const height = spec.height ?? 360;
  const layout = legendLayout(spec.series.map((s) => s.name), width, height);
  const { plot } = layout;
  const xKind = spec.xScale ?? 'linear';
  const yKind = spec.yScale ?? 'linear';
  const xDomain = spec.xDomain ? checkDomain(spec.xDomain, xKind, 'xDomain') : autoDomain(xKind, spec.series.flatMap((s) => Array.from(s.x)));
  const yDomain = spec.yDomain ? checkDomain(spec.yDomain, yKind, 'yDomain') : autoDomain(yKind, spec.series.flatMap((s) => Array.from(s.y)));
  const x = makeScale(xKind, xDomain, plot.left, plot.right);
  const y = makeScale(yKind, yDomain, plot.bottom, plot.top);

  const dash = (s: LineSeries) => (s.dash ? html` stroke-dasharray="${s.dash}"` : '');
  const paths = spec.series.map(
    (s, i) =>
      html`<path class="series" data-series="${s.name}" d="${seriesPath(s, x, y)}" fill="none" stroke="${s.color ?? seriesColor(i)}" stroke-width="1.8"${dash(s)} stroke-linejoin="round" stroke-linecap="round"><title>${s.name}</title></path>`,
  );
  const legend = spec.series.map((s, i) => {
    const { x: lx, y: ly } = layout.entries[i] as { x: number; y: number };
    const text = s.name.length > LEGEND.maxChars ? `${s.name.slice(0, LEGEND.maxChars - 1)}…` : s.name;
    return html`<g class="legend-item"><title>${s.name}</title><line x1="${lx}" x2="${lx + LEGEND.sample}" y1="${ly}" y2="${ly}" stroke="${s.color ?? seriesColor(i)}" stroke-width="2.2"${dash(s)}/><text x="${lx + LEGEND.textOffset}" y="${ly}" dy="0.32em">${text}</text></g>`;
  });

  return html`<svg class="line-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${layout.height}" width="${width}" height="${layout.height}" role="img" aria-label="${spec.title}">
<title>${spec.title}</title>
<text class="chart-title" x="${plot.left}" y="20">${spec.title}</text>
${axes(x, y, plot)}
<text class="axis-label" x="${fmt((plot.left + plot.right) / 2)}" y="${plot.bottom + 38}" text-anchor="middle">${spec.xLabel}</text>
<text class="axis-label" transform="translate(14 ${fmt((plot.top + plot.bottom) / 2)}) rotate(-90)" text-anchor="middle">${spec.yLabel}</text>
<g class="plot-area">${paths}</g>
<g class="legend">${legend}</g>
</svg>`;
}

/**
 * Where the plot and each legend entry go: a column right of the plot when
 * it takes at most a quarter of the width, else a grid of columns below the
 * x-axis label, growing the SVG's height.
 */
function legendLayout(names: readonly string[], width: number, height: number): { plot: Box; entries: { x: number; y: number }[]; height: number } {
  const longest = Math.max(0, ...names.map((n) => Math.min(n.length, LEGEND.maxChars)));
  const entryWidth = Math.ceil(LEGEND.textOffset + longest * LEGEND.charPx + LEGEND.pad);
  const plot = { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
  if (names.length === 0) return { plot, entries: [], height };
  if (entryWidth <= width / 4) {
    plot.right = width - entryWidth - MARGIN.gap;
    const entries = names.map((_, i) => ({ x: plot.right + MARGIN.gap, y: plot.top + 8 + i * LEGEND.rowHeight }));
    return { plot, entries, height: Math.max(height, plot.top + 16 + names.length * LEGEND.rowHeight) };
  }
  const columns = Math.max(1, Math.floor((width - MARGIN.left) / entryWidth));
  const top = height + 4;
  const entries = names.map((_, i) => ({
    x: MARGIN.left + (i % columns) * entryWidth,
    y: top + Math.floor(i / columns) * LEGEND.rowHeight,
  }));
  return { plot, entries, height: top + Math.ceil(names.length / columns) * LEGEND.rowHeight };
}

/** A user-given axis interval must be finite and increasing, and positive on a log axis. */
function checkDomain(domain: readonly [number, number], kind: 'linear' | 'log', field: string): readonly [number, number] {
  const [lo, hi] = domain;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi) || (kind === 'log' && !(lo > 0))) {
    throw new EvaluationError('EVAL_INPUT_INVALID', field, `expected finite [min, max] with min < max${kind === 'log' ? ' and min > 0 (log axis)' : ''}, got [${lo}, ${hi}]`);
  }
  return domain;
}

type Box = { left: number; top: number; right: number; bottom: number };

function axes(x: Scale, y: Scale, plot: Box): SafeHtml {
  const xTicks = x.ticks.map((t) => {
    const px = fmt(x.toPixel(t.value));
    return html`<line class="grid" x1="${px}" x2="${px}" y1="${plot.top}" y2="${plot.bottom}"/><text class="tick" x="${px}" y="${plot.bottom + 16}" text-anchor="middle">${t.label}</text>`;
  });
  const yTicks = y.ticks.map((t) => {
    const py = fmt(y.toPixel(t.value));
    return html`<line class="grid" x1="${plot.left}" x2="${plot.right}" y1="${py}" y2="${py}"/><text class="tick" x="${plot.left - 6}" y="${py}" dy="0.32em" text-anchor="end">${t.label}</text>`;
  });
  return html`<g class="axes">${xTicks}${yTicks}<rect class="frame" x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}" fill="none"/></g>`;
}

/** SVG path data for a series in pixel space; non-finite points break the line. */
function seriesPath(s: LineSeries, x: Scale, y: Scale): string {
  const segments: [number, number][][] = [];
  let current: [number, number][] = [];
  for (let i = 0; i < s.x.length; i++) {
    const xv = s.x[i] as number;
    const yv = s.y[i] as number;
    // Log axes clamp values ≤ 0 to their minimum (toPixel), so only non-finite values break the line.
    if (!Number.isFinite(xv) || !Number.isFinite(yv)) {
      if (current.length > 0) segments.push(current);
      current = [];
      continue;
    }
    current.push([x.toPixel(xv), y.toPixel(yv)]);
  }
  if (current.length > 0) segments.push(current);
  return segments
    // A lone point (between gaps) becomes a zero-length segment, which round caps draw as a dot.
    .map((seg) => (seg.length === 1 ? [seg[0] as [number, number], seg[0] as [number, number]] : thinToPixels(seg)))
    .map((seg) => seg.map(([px, py], k) => `${k === 0 ? 'M' : 'L'}${fmt(px)} ${fmt(py)}`).join(''))
    .join('');
}

/**
 * Keeps, per run of points in the same pixel column, the first, lowest,
 * highest and last point (in their original order) — "M4" aggregation. Only
 * applied when x never decreases; otherwise all points are kept.
 */
export function thinToPixels(points: readonly [number, number][]): [number, number][] {
  for (let i = 1; i < points.length; i++) if ((points[i] as [number, number])[0] < (points[i - 1] as [number, number])[0]) return [...points];
  const out: [number, number][] = [];
  let start = 0;
  while (start < points.length) {
    const column = Math.round((points[start] as [number, number])[0]);
    let end = start;
    let lo = start;
    let hi = start;
    while (end + 1 < points.length && Math.round((points[end + 1] as [number, number])[0]) === column) {
      end++;
      if ((points[end] as [number, number])[1] < (points[lo] as [number, number])[1]) lo = end;
      if ((points[end] as [number, number])[1] > (points[hi] as [number, number])[1]) hi = end;
    }
    for (const k of [...new Set([start, lo, hi, end])].sort((a, b) => a - b)) out.push(points[k] as [number, number]);
    start = end + 1;
  }
  return out;
}

/** Pixel coordinates with one decimal: sub-pixel precision without bloating the file. */
function fmt(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}
