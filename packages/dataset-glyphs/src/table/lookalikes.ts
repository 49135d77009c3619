/**
 * Look-alike detection on canonical renders. Two characters are merged into
 * one identity when their renders are near-identical in *more than* a given
 * fraction of the families (Latin A / Cyrillic А share one outline in most
 * fonts; K / К do not). Groups are the connected components of that relation.
 */

/** How near-identical renders are decided. */
export interface LookalikeCriterion {
  /** Render distance (see {@link renderDistance}) below which two renders count as the same. */
  readonly threshold: number;
  /** Fraction of families that must agree; merging needs strictly more than this. */
  readonly agreement: number;
}

/**
 * Scale-free distance between two renders of equal length:
 * ‖a − b‖₂ / √((‖a‖² + ‖b‖²) / 2). 0 for identical renders, √2 for renders
 * with disjoint ink of equal mass, 2 for a render and its negative.
 */
export function renderDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    diff += (x - y) * (x - y);
    na += x * x;
    nb += y * y;
  }
  const mass = (na + nb) / 2;
  return mass > 0 ? Math.sqrt(diff / mass) : 0;
}

/** Per-render summaries that bound the distance from below, to skip most pairs cheaply. */
interface Summary {
  readonly img: Float32Array;
  readonly sq: number;
  /** Block means × √(block area): ‖pooled(a) − pooled(b)‖² ≤ ‖a − b‖² (Jensen). */
  readonly pooled: Float32Array;
}

function summarize(img: Float32Array, side: number, block: number): Summary {
  let sq = 0;
  for (let i = 0; i < img.length; i++) sq += (img[i] as number) ** 2;
  const nb = Math.floor(side / block);
  const pooled = new Float32Array(nb * nb);
  const scale = 1 / block; // mean · √(block²) = sum / block
  for (let by = 0; by < nb; by++) {
    for (let bx = 0; bx < nb; bx++) {
      let s = 0;
      for (let y = by * block; y < (by + 1) * block; y++) {
        for (let x = bx * block; x < (bx + 1) * block; x++) s += img[y * side + x] as number;
      }
      pooled[by * nb + bx] = s * scale;
    }
  }
  return { img, sq, pooled };
}

function squaredDistance(a: Float32Array, b: Float32Array, stopAt: number): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    s += d * d;
    if (s >= stopAt) return s;
  }
  return s;
}

/** Whether two renders count as the same under `threshold` (exact, bounds only skip work). */
function near(a: Summary, b: Summary, threshold: number): boolean {
  const limit = threshold * threshold * ((a.sq + b.sq) / 2);
  if (limit === 0) return a.sq === 0 && b.sq === 0;
  const normGap = Math.sqrt(a.sq) - Math.sqrt(b.sq);
  if (normGap * normGap >= limit) return false;
  if (squaredDistance(a.pooled, b.pooled, limit) >= limit) return false;
  return squaredDistance(a.img, b.img, limit) < limit;
}

/**
 * Groups look-alike code points. `renders[f][i]` is family f's canonical
 * render (side × side, values in [0, 1]) of `codePoints[i]`. Returns groups
 * sorted by their smallest code point, each sorted ascending (the first
 * member is the identity's representative).
 */
export function groupLookalikes(
  renders: readonly (readonly Float32Array[])[],
  codePoints: readonly number[],
  side: number,
  criterion: LookalikeCriterion,
): number[][] {
  const families = renders.length;
  const n = codePoints.length;
  for (const [f, fr] of renders.entries()) {
    if (fr.length !== n) throw new RangeError(`groupLookalikes: family ${f} has ${fr.length} renders for ${n} code points`);
  }
  const needed = Math.floor(criterion.agreement * families) + 1;
  const block = side >= 16 ? 4 : 2;
  const summaries = renders.map((fr) => fr.map((img) => summarize(img, side, block)));

  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      const p = parent[i] as number;
      parent[i] = parent[p] as number;
      i = p;
    }
    return i;
  };

  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let agree = 0;
      let disagree = 0;
      for (let f = 0; f < families && agree < needed && disagree <= families - needed; f++) {
        const fs = summaries[f] as Summary[];
        if (near(fs[i] as Summary, fs[j] as Summary, criterion.threshold)) agree++;
        else disagree++;
      }
      if (agree >= needed) {
        const ri = find(i);
        const rj = find(j);
        if (ri !== rj) parent[Math.max(ri, rj)] = Math.min(ri, rj);
      }
    }
  }

  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = []));
    g.push(codePoints[i] as number);
  }
  return [...groups.values()]
    .map((g) => g.sort((a, b) => a - b))
    .sort((a, b) => (a[0] as number) - (b[0] as number));
}
