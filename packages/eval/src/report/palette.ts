/**
 * Series colours: the Okabe–Ito palette (distinguishable with the common
 * colour-vision deficiencies), without its yellow, which is unreadable on white.
 */
export const SERIES_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999'] as const;

/** Dash patterns (SVG `stroke-dasharray`) to tell apart the parts of one series family; `''` is solid. */
export const SERIES_DASHES = ['', '7 4', '2 3', '10 3 2 3', '4 4', '1 5'] as const;

/** The colour for the `i`-th series (cycles). */
export function seriesColor(i: number): string {
  return SERIES_COLORS[i % SERIES_COLORS.length] as string;
}

/** The dash pattern for the `i`-th part (cycles). */
export function seriesDash(i: number): string {
  return SERIES_DASHES[i % SERIES_DASHES.length] as string;
}
