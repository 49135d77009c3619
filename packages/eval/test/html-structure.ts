/**
 * A deliberately small HTML/SVG reader for structural tests (no DOM library
 * in the dependency list): tokenises tags, checks that they nest properly,
 * and answers simple queries. Our renderer escapes every text and attribute,
 * so `<` and `>` only ever delimit tags.
 */
export interface Element {
  readonly tag: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: Element[];
  /** Raw inner markup. */
  inner: string;
}

const VOID = new Set(['meta', 'br', 'img', 'link', 'input', 'hr', '!doctype']);
const RAW_TEXT = new Set(['style', 'script']);

/** Parses markup into a tree; throws on mismatched or unclosed tags. */
export function parseMarkup(markup: string): Element {
  const root: Element = { tag: '#root', attrs: {}, children: [], inner: markup };
  const stack: { el: Element; contentStart: number }[] = [{ el: root, contentStart: 0 }];
  const tagRe = /<(\/?)([!a-zA-Z][\w:-]*)([^>]*?)(\/?)>/g;
  let m: RegExpExecArray | null;
  while ((m = tagRe.exec(markup)) !== null) {
    const [whole, closing, rawName, rawAttrs, selfClosing] = m as unknown as [string, string, string, string, string];
    const tag = rawName.toLowerCase();
    const top = stack[stack.length - 1]!;
    if (closing) {
      if (top.el.tag !== tag) throw new Error(`</${tag}> at ${m.index} closes <${top.el.tag}>`);
      top.el.inner = markup.slice(top.contentStart, m.index);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of rawAttrs.matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1] as string] = a[2] as string;
    const el: Element = { tag, attrs, children: [], inner: '' };
    top.el.children.push(el);
    if (selfClosing || VOID.has(tag)) continue;
    const contentStart = m.index + whole.length;
    if (RAW_TEXT.has(tag)) {
      const end = markup.indexOf(`</${tag}>`, contentStart);
      if (end < 0) throw new Error(`<${tag}> is never closed`);
      el.inner = markup.slice(contentStart, end);
      tagRe.lastIndex = end + tag.length + 3;
      continue;
    }
    stack.push({ el, contentStart });
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.el.tag}>`);
  return root;
}

/** All descendants of `el` (depth first) matching `predicate`. */
export function findAll(el: Element, predicate: (e: Element) => boolean): Element[] {
  const out: Element[] = [];
  for (const c of el.children) {
    if (predicate(c)) out.push(c);
    out.push(...findAll(c, predicate));
  }
  return out;
}

/** Text content: markup stripped, the five escapes decoded. */
export function textOf(el: Element): string {
  return decode(el.inner.replace(/<[^>]*>/g, ''));
}

/** Decodes the entities our renderer writes. */
export function decode(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}
