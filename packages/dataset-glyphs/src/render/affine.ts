/**
 * A 2-D affine map in canvas order `(a, b, c, d, e, f)`:
 * `x' = a·x + c·y + e`, `y' = b·x + d·y + f`.
 */
export type Affine = readonly [a: number, b: number, c: number, d: number, e: number, f: number];

/** The identity map. */
export const IDENTITY: Affine = [1, 0, 0, 1, 0, 0];

/** `outer ∘ inner`: apply `inner` first, then `outer`. */
export function compose(outer: Affine, inner: Affine): Affine {
  const [a1, b1, c1, d1, e1, f1] = outer;
  const [a2, b2, c2, d2, e2, f2] = inner;
  return [
    a1 * a2 + c1 * b2,
    b1 * a2 + d1 * b2,
    a1 * c2 + c1 * d2,
    b1 * c2 + d1 * d2,
    a1 * e2 + c1 * f2 + e1,
    b1 * e2 + d1 * f2 + f1,
  ];
}

/** Translation by (tx, ty). */
export function translate(tx: number, ty: number): Affine {
  return [1, 0, 0, 1, tx, ty];
}

/** Scaling by (sx, sy) about the origin. */
export function scale(sx: number, sy: number = sx): Affine {
  return [sx, 0, 0, sy, 0, 0];
}

/**
 * Rotation by `degrees` about the origin, counter-clockwise *as seen on
 * screen* (image coordinates have y pointing down).
 */
export function rotate(degrees: number): Affine {
  const t = (degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  return [cos, -sin, sin, cos, 0, 0];
}

/**
 * Horizontal shear in image coordinates (y down): a point `h` units above the
 * origin moves `k·h` to the right, so `k > 0` slants glyphs like italics.
 */
export function shearX(k: number): Affine {
  return [1, 0, -k, 1, 0, 0];
}

/** Applies `m` to a point. */
export function apply(m: Affine, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}
