/**
 * One font family of a domain: a fontsource-style npm package (a
 * `unicode.json` naming its subsets and a `files/` folder holding
 * `<id>-<subset>-<weight>-normal.woff2`), and the weights samples are drawn
 * from (stroke-weight jitter).
 */
export interface FontFamilySpec {
  /** Fontsource id, e.g. `noto-serif`; also the prefix of its file names. */
  readonly id: string;
  /** npm package holding the files. Default: `@fontsource/<id>`. */
  readonly package?: string;
  /**
   * Directory of the package, when it cannot be resolved from this package
   * (e.g. fonts that are dependencies of another package, such as a CJK variant).
   */
  readonly dir?: string;
  /** Weights to draw from; each must have `normal`-style files. */
  readonly weights: readonly number[];
  /**
   * Character whose outline height sets the glyph size (so that families with
   * big or small design sizes render at one size). Default `H` (cap height).
   */
  readonly referenceChar?: string;
}

/** A domain (font style) and the families whose renders make its samples. */
export interface GlyphDomainSpec {
  readonly name: string;
  readonly families: readonly FontFamilySpec[];
}

const W300_700 = [300, 400, 500, 600, 700] as const;
const W400_700 = [400, 500, 600, 700] as const;

/**
 * The default benchmark: 5 font-style domains × 3 families, all installed from
 * npm (`@fontsource/*`, SIL Open Font License 1.1). Weights are the family's
 * normal-style weights within 300–700 (thinner or heavier weights lose or
 * fill strokes at 32×32).
 */
export const GLYPH_DOMAINS: readonly GlyphDomainSpec[] = [
  {
    name: 'serif',
    families: [
      { id: 'noto-serif', weights: W300_700 },
      { id: 'alegreya', weights: W400_700 },
      { id: 'eb-garamond', weights: W400_700 },
    ],
  },
  {
    name: 'sans',
    families: [
      { id: 'noto-sans', weights: W300_700 },
      { id: 'open-sans', weights: W300_700 },
      { id: 'roboto', weights: W300_700 },
    ],
  },
  {
    name: 'mono',
    families: [
      { id: 'cousine', weights: [400, 700] },
      { id: 'noto-sans-mono', weights: W300_700 },
      { id: 'ibm-plex-mono', weights: W300_700 },
    ],
  },
  {
    name: 'handwriting',
    families: [
      { id: 'playpen-sans', weights: W300_700 },
      { id: 'bad-script', weights: [400] },
      { id: 'pacifico', weights: [400] },
    ],
  },
  {
    name: 'display',
    families: [
      { id: 'comfortaa', weights: W300_700 },
      { id: 'lobster', weights: [400] },
      { id: 'shantell-sans', weights: W300_700 },
    ],
  },
];

/** The default domain table (names and families); a fresh copy callers may edit. */
export function glyphDomains(): GlyphDomainSpec[] {
  return GLYPH_DOMAINS.map((d) => ({ name: d.name, families: d.families.map((f) => ({ ...f, weights: [...f.weights] })) }));
}

/** The weight used for canonical (un-jittered) renders: the one closest to 400. */
export function referenceWeight(family: FontFamilySpec): number {
  let best = family.weights[0] ?? 400;
  for (const w of family.weights) if (Math.abs(w - 400) < Math.abs(best - 400)) best = w;
  return best;
}

/** Every family of a domain table once, in table order (a family may serve two domains). */
export function uniqueFamilies(domains: readonly GlyphDomainSpec[]): FontFamilySpec[] {
  const seen = new Map<string, FontFamilySpec>();
  for (const d of domains) for (const f of d.families) if (!seen.has(familyKey(f))) seen.set(familyKey(f), f);
  return [...seen.values()];
}

/** Identity of a family spec across domains (package + id). */
export function familyKey(family: FontFamilySpec): string {
  return `${family.package ?? `@fontsource/${family.id}`}#${family.id}`;
}
