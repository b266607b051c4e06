import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buildExactPointSet,
  buildBinnedPointSet,
  cellCost,
  cellMean,
  cellWeight,
  moments,
  lowerBound,
  lowerBoundNear,
} from '../../src/core/pointset';

describe('exact point set', () => {
  it('keeps distinct finite values with their counts and counts non-finite ones', () => {
    const ps = buildExactPointSet(new Float32Array([3, 1, 1, NaN, 2, Infinity, 1, -0, 0]));
    expect(Array.from(ps.x)).toEqual([0, 1, 2, 3]);
    expect(Array.from(ps.w)).toEqual([2, 3, 1, 1]);
    expect(ps.nonFinite).toBe(2);
    expect(ps.n).toBe(7);
    expect(ps.min).toBe(0);
    expect(ps.max).toBe(3);
  });
  it('gives O(1) cell weight, mean and cost equal to direct sums', () => {
    const ps = buildExactPointSet([1, 2, 2, 5, 9]);
    expect(cellWeight(ps, 1, 3)).toBe(3);
    expect(cellMean(ps, 1, 3)).toBeCloseTo(3, 12);
    expect(cellCost(ps, 1, 3)).toBeCloseTo(1 + 1 + 4, 12);
    expect(lowerBound(ps, 2)).toBe(1);
    expect(lowerBound(ps, 2.5)).toBe(2);
  });
});

describe('binned point set', () => {
  it('keeps boundary spikes exact and matches the exact moments', () => {
    const v = new Float64Array(10000);
    for (let i = 0; i < v.length; i++) v[i] = i % 2 === 0 ? 0 : i % 7 === 0 ? 6 : (i % 997) / 200;
    const e = buildExactPointSet(v),
      b = buildBinnedPointSet(v, 1024);
    expect(b.x[0]).toBe(0);
    expect(b.w[0]).toBe(e.w[0]);
    expect(b.w[b.w.length - 1]).toBe(e.w[e.w.length - 1]);
    expect(b.x[b.x.length - 1]).toBe(6);
    expect(moments(b).mean).toBeCloseTo(moments(e).mean, 10);
    expect(moments(b).variance).toBeCloseTo(moments(e).variance, 10);
    for (let i = 1; i < b.x.length; i++) expect(b.x[i]).toBeGreaterThan(b.x[i - 1]);
  });
});

describe('lowerBoundNear', () => {
  it('finds what lowerBound finds from any starting index, on sorted values with repeats', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 0, maxLength: 60 }),
        fc.integer({ min: -25, max: 25 }),
        fc.nat(70),
        (values, t, start) => {
          const x = Float64Array.from(values).sort();
          const ps = { x } as Parameters<typeof lowerBound>[0];
          const p = Math.min(start, x.length);
          expect(lowerBoundNear(x, p, t + 0.5)).toBe(lowerBound(ps, t + 0.5));
          expect(lowerBoundNear(x, p, t)).toBe(lowerBound(ps, t));
        },
      ),
      { seed: 7, numRuns: 400 },
    );
  });
});
