import { Rng } from '@metadg/core';
import { describe, expect, it } from 'vitest';
import { apply, compose, rotate, scale, shearX, translate } from './affine.js';
import { CANONICAL_POSE, DEFAULT_JITTER, drawPose, layoutTransform, poseTransform } from './pose.js';

const close = (got: [number, number], want: [number, number]): void => {
  expect(got[0]).toBeCloseTo(want[0], 10);
  expect(got[1]).toBeCloseTo(want[1], 10);
};

describe('affine maps (image coordinates, y down)', () => {
  it('compose applies the inner map first', () => {
    // scale by 2 then shift by (1, 0): (1, 1) → (2, 2) → (3, 2); the other order gives (4, 2).
    close(apply(compose(translate(1, 0), scale(2)), 1, 1), [3, 2]);
    close(apply(compose(scale(2), translate(1, 0)), 1, 1), [4, 2]);
  });

  it('rotate(90) turns screen-right into screen-up (counter-clockwise on screen)', () => {
    close(apply(rotate(90), 1, 0), [0, -1]);
    close(apply(rotate(90), 0, 1), [1, 0]);
    close(apply(rotate(30), 2, 0), [2 * Math.cos(Math.PI / 6), -2 * Math.sin(Math.PI / 6)]);
  });

  it('shearX(k) moves points above the origin to the right (italic slant)', () => {
    close(apply(shearX(0.5), 0, -2), [1, -2]);
    close(apply(shearX(0.5), 3, 0), [3, 0]);
  });
});

describe('glyph placement', () => {
  it('puts the baseline and ink centre where the layout says, and scales the reference height', () => {
    // Reference height 700 units → 0.5 × 40 px = 20 px, so k = 20/700.
    const m = layoutTransform({ minX: 100, maxX: 500 }, 700, 40, { referenceHeight: 0.5, baseline: 0.75 });
    close(apply(m, 300, 0), [20, 30]); // ink centre on the baseline → image centre column, baseline row
    close(apply(m, 300, 700), [20, 10]); // top of the reference glyph, 20 px higher
    close(apply(m, 100, 0), [20 - (200 * 20) / 700, 30]);
  });

  it('the canonical pose is the identity and a pose turns about the image centre', () => {
    close(apply(poseTransform(CANONICAL_POSE, 32), 5, 7), [5, 7]);
    const turn = poseTransform({ rotation: 90, scale: 2, shiftX: 0, shiftY: 0, shear: 0 }, 32);
    close(apply(turn, 16, 16), [16, 16]);
    close(apply(turn, 17, 16), [16, 14]); // 1 px right of centre → 2 px above it
    const shifted = poseTransform({ rotation: 0, scale: 1, shiftX: 0.25, shiftY: -0.125, shear: 0 }, 32);
    close(apply(shifted, 16, 16), [24, 12]);
  });

  it('draws poses within the jitter ranges, deterministically per seed', () => {
    const a = Array.from({ length: 200 }, (_, i) => drawPose(new Rng(7).fork(i), DEFAULT_JITTER));
    const b = Array.from({ length: 200 }, (_, i) => drawPose(new Rng(7).fork(i), DEFAULT_JITTER));
    expect(a).toEqual(b);
    for (const p of a) {
      expect(Math.abs(p.rotation)).toBeLessThanOrEqual(DEFAULT_JITTER.rotation);
      expect(Math.abs(p.scale - 1)).toBeLessThanOrEqual(DEFAULT_JITTER.scale);
      expect(Math.abs(p.shiftX)).toBeLessThanOrEqual(DEFAULT_JITTER.shift);
      expect(Math.abs(p.shiftY)).toBeLessThanOrEqual(DEFAULT_JITTER.shift);
      expect(Math.abs(p.shear)).toBeLessThanOrEqual(DEFAULT_JITTER.shear);
    }
    // The draws actually spread over the range (not stuck at 0).
    expect(Math.max(...a.map((p) => p.rotation))).toBeGreaterThan(0.8 * DEFAULT_JITTER.rotation);
    expect(Math.min(...a.map((p) => p.rotation))).toBeLessThan(-0.8 * DEFAULT_JITTER.rotation);
  });
});
