import { describe, expect, it } from 'vitest';
import { layoutAdcStaircase, type AdcStaircaseInput } from './layout';

/** 2-bit references on [0, 6] snapped to 2^2 unit steps of 1.5: t2 and t3 both land on 3 (code 2 merges). */
const INPUT: AdcStaircaseInput = {
  method: 'bskmq',
  L: 0,
  U: 6,
  designed: [0.5, 2.6, 3.2],
  snapped: [0, 3, 3],
  unitStep: 1.5,
  totalSteps: 4,
  mergedCodes: [2],
};

/** The x of every riser (V command) of a path, with the preceding H. */
function risers(path: string): number[] {
  return [...path.matchAll(/H([-\d.]+)V/g)].map((m) => Number(m[1]));
}

describe('layoutAdcStaircase', () => {
  it('rises one code at each reference: designed at the design values, snapped on the grid', () => {
    const l = layoutAdcStaircase(INPUT, 600, 280);
    const x = (v: number) => (v / 6) * l.plotWidth;
    risers(l.designedPath).forEach((r, j) => expect(r).toBeCloseTo(x(INPUT.designed[j]), 1));
    risers(l.snappedPath).forEach((r, j) => expect(r).toBeCloseTo(x(INPUT.snapped[j]), 1));
    expect(risers(l.snappedPath)).toHaveLength(3);
  });

  it('draws one tick per unit step when they are wide apart, and thins dense grids to powers of two', () => {
    const coarse = layoutAdcStaircase(INPUT, 600, 280);
    expect(coarse.gridStride).toBe(1);
    expect(coarse.gridTicks).toHaveLength(5);
    const dense = layoutAdcStaircase({ ...INPUT, unitStep: 6 / 4096, totalSteps: 4096 }, 600, 280);
    expect(dense.gridStride).toBeGreaterThan(1);
    expect(Math.log2(dense.gridStride) % 1).toBe(0);
    const spacing = dense.gridTicks[1] - dense.gridTicks[0];
    expect(spacing).toBeGreaterThanOrEqual(4 - 0.01);
    expect(dense.gridTicks.at(-1)).toBeCloseTo(dense.plotWidth, 1);
  });

  it('marks each merged code at the grid value its references share, at its code height', () => {
    const l = layoutAdcStaircase(INPUT, 600, 280);
    expect(l.merges.map((m) => [m.code, m.value])).toEqual([[2, 3]]);
    expect(l.merges[0].x).toBeCloseTo(l.plotWidth / 2, 1);
  });

  it('labels the x axis with the unit step and keeps the plot inside the given width', () => {
    const l = layoutAdcStaircase(INPUT, 600, 280);
    expect(l.xLabel).toBe('ramp input (4 unit steps of 1.5)');
    expect(l.margin.left + l.plotWidth + l.margin.right).toBe(600);
    expect(l.yTicks.every((t) => Number.isInteger(t.value))).toBe(true);
  });

  it('stays finite for 8-bit references and a zero-width range', () => {
    const refs = Array.from({ length: 255 }, (_, j) => (j + 1) / 256);
    const l = layoutAdcStaircase(
      { ...INPUT, L: 0, U: 1, designed: refs, snapped: refs, unitStep: 1 / 256, totalSteps: 256, mergedCodes: [] },
      400,
      280,
    );
    expect(l.snappedPath).not.toMatch(/NaN/);
    const flat = layoutAdcStaircase(
      { ...INPUT, L: 2, U: 2, designed: [2], snapped: [2], unitStep: 0, totalSteps: 2, mergedCodes: [] },
      400,
      280,
    );
    expect(flat.snappedPath).not.toMatch(/NaN/);
    expect(flat.gridTicks).toEqual([]);
  });
});
