/** An inclusive range of code points. */
export interface CodePointRange {
  readonly from: number;
  readonly to: number;
}

/**
 * Parses a CSS `unicode-range` value as written in fontsource's
 * `unicode.json` (`"U+0000-00FF,U+0131,U+1f3f3-1f3f4"`). Returns `undefined`
 * for text that is not such a list, so the caller can name the file at fault.
 */
export function parseUnicodeRange(text: string): CodePointRange[] | undefined {
  const ranges: CodePointRange[] = [];
  for (const raw of text.split(',')) {
    const m = /^\s*U\+([0-9a-f]{1,6})(?:-([0-9a-f]{1,6}))?\s*$/i.exec(raw);
    if (!m) return undefined;
    const from = Number.parseInt(m[1] as string, 16);
    const to = m[2] === undefined ? from : Number.parseInt(m[2], 16);
    if (to < from) return undefined;
    ranges.push({ from, to });
  }
  return ranges;
}

/** Whether `codePoint` lies in one of `ranges`. */
export function rangesContain(ranges: readonly CodePointRange[], codePoint: number): boolean {
  for (const r of ranges) if (codePoint >= r.from && codePoint <= r.to) return true;
  return false;
}

/** `U+0041` style name of a code point (at least four hex digits). */
export function formatCodePoint(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Inverse of {@link formatCodePoint}; `undefined` when `text` is not of that form. */
export function parseCodePoint(text: string): number | undefined {
  const m = /^U\+([0-9A-F]{4,6})$/.exec(text);
  if (!m) return undefined;
  const cp = Number.parseInt(m[1] as string, 16);
  return cp <= 0x10ffff ? cp : undefined;
}
