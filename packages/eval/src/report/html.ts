/**
 * XSS-safe HTML building. Every text that reaches a report goes through the
 * {@link html} template tag, which escapes interpolated strings and numbers
 * and passes through only {@link SafeHtml} produced by this module — so a
 * run, algorithm or domain named `<script>…` renders as text, never as markup.
 */

/** A fragment of HTML/SVG markup known to be safe (built by {@link html}). */
export class SafeHtml {
  /** The markup. Construct through {@link html}, not directly. */
  readonly value: string;

  /** @internal */
  constructor(value: string) {
    this.value = value;
  }

  /** The markup, so a fragment can be written to a file with `String(fragment)`. */
  toString(): string {
    return this.value;
  }
}

/** What {@link html} accepts between `${…}`: text is escaped, `SafeHtml` inserted, lists joined, nullish/false omitted. */
export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

/** Escapes `& < > " '` so text is safe in element content and in quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Template tag for markup: `html\`<td title="${name}">${value}</td>\`` escapes
 * `name` and `value` unless they are already {@link SafeHtml}.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] as string;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] as string);
  return new SafeHtml(out);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return escapeHtml(value);
  return value.map(render).join('');
}
