/** How data values map to one axis of a chart. */
export interface Scale {
  /** `'linear'` or `'log'` (base 10). */
  readonly kind: 'linear' | 'log';
  /** The data interval shown, `[min, max]`. */
  readonly domain: readonly [number, number];
  /** Maps a data value to a pixel coordinate; log scales clamp values below the domain (and ≤ 0) to its minimum. */
  toPixel(value: number): number;
  /** Tick positions (data values) and their labels. */
  readonly ticks: readonly { readonly value: number; readonly label: string }[];
}

/**
 * A scale from `domain` onto pixels `[from, to]` (`to < from` for a y axis
 * that grows upwards).
 */
export function makeScale(kind: 'linear' | 'log', domain: readonly [number, number], from: number, to: number): Scale {
  const [d0, d1] = domain;
  if (kind === 'log') {
    const l0 = Math.log10(d0);
    const l1 = Math.log10(d1);
    const span = l1 - l0 || 1;
    return {
      kind,
      domain,
      toPixel: (v) => from + ((Math.log10(Math.max(v, d0)) - l0) / span) * (to - from),
      ticks: logTicks(d0, d1),
    };
  }
  const span = d1 - d0 || 1;
  return { kind, domain, toPixel: (v) => from + ((v - d0) / span) * (to - from), ticks: linearTicks(d0, d1) };
}

/**
 * The interval to show for `values`: for linear axes the data range widened
 * to "nice" tick multiples; for log axes whole decades around the positive
 * values (non-positive values are ignored, then clamped when drawn).
 */
export function autoDomain(kind: 'linear' | 'log', values: Iterable<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v) || (kind === 'log' && v <= 0)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return kind === 'log' ? [0.1, 1] : [0, 1];
  if (kind === 'log') return [decade(Math.floor(Math.log10(lo))), decade(Math.ceil(Math.log10(hi) - 1e-12))];
  if (lo === hi) return [lo - 1, hi + 1];
  const step = niceStep((hi - lo) / 5);
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}

/** 10^e exactly as written (`10 ** -4` is 0.00009999999999999999 in floating point). */
function decade(e: number): number {
  return Number(`1e${e}`);
}

/** 1, 2 or 5 × 10^k, the smallest at least `rough`. */
function niceStep(rough: number): number {
  const p = 10 ** Math.floor(Math.log10(rough));
  const m = rough / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

function linearTicks(d0: number, d1: number): { value: number; label: string }[] {
  const step = niceStep((d1 - d0) / 5 || 1);
  const ticks: { value: number; label: string }[] = [];
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  for (let k = Math.ceil(d0 / step - 1e-9); k * step <= d1 + step * 1e-9; k++) {
    const value = k * step;
    ticks.push({ value, label: (Object.is(value, -0) ? 0 : value).toFixed(decimals) });
  }
  return ticks;
}

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

function logTicks(d0: number, d1: number): { value: number; label: string }[] {
  const ticks: { value: number; label: string }[] = [];
  for (let e = Math.ceil(Math.log10(d0) - 1e-9); e <= Math.floor(Math.log10(d1) + 1e-9); e++) {
    const label = e === 0 ? '1' : e === 1 ? '10' : `10${[...String(e)].map((c) => SUPERSCRIPT[c] ?? c).join('')}`;
    ticks.push({ value: decade(e), label });
  }
  return ticks;
}
