/**
 * Rotation of a greyscale byte image exactly as DomainBed's RotatedMNIST
 * does it: `torchvision.transforms.functional.rotate(pil_image, angle,
 * fill=(0,), interpolation=BILINEAR)`, which is Pillow's
 * `Image.rotate(angle, BILINEAR, fillcolor=0)`:
 *
 * - counter-clockwise by `degrees`, about the image centre (w/2, h/2) in
 *   Pillow's pixel-area coordinates (pixel i covers [i, i+1));
 * - each output pixel centre is mapped back by the inverse rotation (cos and
 *   sin rounded to 15 decimals, as Pillow does, so 90° is an exact permutation);
 * - a source point outside the image gives 0; inside, bilinear interpolation
 *   between the four nearest pixel centres, edge pixels repeated;
 * - the result is truncated to a byte, like Pillow's `(UINT8)` cast.
 */
export function rotateBilinear(
  src: Uint8Array,
  width: number,
  height: number,
  degrees: number,
  out: Uint8Array = new Uint8Array(width * height),
): Uint8Array {
  if (src.length < width * height) throw new RangeError(`rotateBilinear: image has ${src.length} pixels, expected ${width}×${height}`);
  const t = (-degrees * Math.PI) / 180;
  const round15 = (v: number): number => Number.parseFloat(v.toFixed(15));
  const a = round15(Math.cos(t));
  const b = round15(Math.sin(t));
  const d = round15(-Math.sin(t));
  const e = round15(Math.cos(t));
  const cx = width / 2;
  const cy = height / 2;
  const c = a * -cx + b * -cy + cx;
  const f = d * -cx + e * -cy + cy;

  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let xin = a * (x + 0.5) + b * (y + 0.5) + c;
      let yin = d * (x + 0.5) + e * (y + 0.5) + f;
      let v = 0;
      if (xin >= 0 && xin < width && yin >= 0 && yin < height) {
        xin -= 0.5;
        yin -= 0.5;
        const x0 = Math.floor(xin);
        const y0 = Math.floor(yin);
        const dx = xin - x0;
        const dy = yin - y0;
        const xa = clamp(x0, width);
        const xb = clamp(x0 + 1, width);
        const row0 = clamp(y0, height) * width;
        const p = src[row0 + xa] as number;
        const v1 = p + ((src[row0 + xb] as number) - p) * dx;
        let v2 = v1;
        if (y0 + 1 >= 0 && y0 + 1 < height) {
          const row1 = (y0 + 1) * width;
          const q = src[row1 + xa] as number;
          v2 = q + ((src[row1 + xb] as number) - q) * dx;
        }
        v = v1 + (v2 - v1) * dy;
      }
      out[y * width + x] = Math.trunc(v);
    }
  }
  return out;
}

function clamp(i: number, n: number): number {
  return i < 0 ? 0 : i < n ? i : n - 1;
}
