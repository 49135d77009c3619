/**
 * JSON with infinities. JSON has no `Infinity`: `JSON.stringify` would turn
 * the ROC's first threshold (`+Infinity`) into `null`, losing its meaning.
 * MetaDG writes `±Infinity` as the strings `"Infinity"` / `"-Infinity"` —
 * which `Number("Infinity")` in JavaScript and `float("Infinity")` in Python
 * read back — and {@link parseEvalJson} restores them. NaN is never written:
 * the metrics reject non-finite input, so none can appear.
 */
export function stringifyEvalJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, encodeInfinity, indent);
}

/** Parses JSON written by {@link stringifyEvalJson}, turning `"Infinity"` / `"-Infinity"` back into numbers. */
export function parseEvalJson(text: string): unknown {
  return JSON.parse(text, decodeInfinity);
}

function encodeInfinity(_key: string, value: unknown): unknown {
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

function decodeInfinity(_key: string, value: unknown): unknown {
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return value;
}
