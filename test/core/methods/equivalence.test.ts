import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildExactPointSet, cellCostAt, lowerBound, type PointSet } from '../../../src/core/pointset';
import { createNormal, createRng } from '../../../src/core/rng';
import { DEFAULT_PARAMS, type Params } from '../../../src/core/params';
import type { Quantizer } from '../../../src/core/quantizer';
import { designQuantizer } from '../../../src/core/design';
import { resolveBoundaries } from '../../../src/core/boundaries';
import {
  naiveBskmq,
  naiveCdf,
  naiveCluster,
  naiveCost,
  naiveLinear,
  naiveLloyd,
  naiveMidpoints,
  sortedSamples,
  type NaiveQuantizer,
} from './naive';

/** Small data sets: a rounded normal body with optional spikes at 0 (ReLU) and at a clamp value. */
function sample(seed: number, n: number, zeroShare: number, clampShare: number): number[] {
  const rng = createRng(seed);
  const normal = createNormal(rng);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const u = rng();
    if (u < zeroShare) out.push(0);
    else if (u < zeroShare + clampShare) out.push(2.75);
    else out.push(Math.min(2.75, Math.abs(Math.round(normal() * 997) / 1000)));
  }
  return out;
}

/** Σ w·(x − Q(x))² over the point set by the product's prefix sums, for any thresholds. */
function pointSetCost(ps: PointSet, q: Quantizer): number {
  const k = q.levels.length;
  let a = 0,
    s = 0;
  for (let j = 0; j < k; j++) {
    const b = j < k - 1 ? lowerBound(ps, q.thresholds[j]) : ps.x.length;
    s += cellCostAt(ps, a, b, q.levels[j]);
    a = b;
  }
  return s;
}

function expectSame(ps: PointSet, samples: number[], q: Quantizer, ref: NaiveQuantizer): void {
  const scale = Math.max(1, Math.abs(ps.max - ps.min));
  expect(q.levels.length).toBe(ref.levels.length);
  expect(q.thresholds.length).toBe(ref.thresholds.length);
  q.levels.forEach((v, j) => expect(Math.abs(v - ref.levels[j])).toBeLessThanOrEqual(1e-9 * scale));
  q.thresholds.forEach((v, j) => expect(Math.abs(v - ref.thresholds[j])).toBeLessThanOrEqual(1e-9 * scale));
  const mse = pointSetCost(ps, q) / ps.n;
  const naiveMse = naiveCost(samples, null, ref) / samples.length;
  expect(Math.abs(mse - naiveMse)).toBeLessThanOrEqual(1e-9 * Math.max(naiveMse, 1e-300) + 1e-15 * scale * scale);
}

const dataArb = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  n: fc.integer({ min: 1, max: 160 }),
  zeroShare: fc.constantFrom(0, 0.1, 0.5),
  clampShare: fc.constantFrom(0, 0.05, 0.2),
  bits: fc.integer({ min: 1, max: 4 }),
});

const RUNS = 40;

describe('every quantizer equals a naive O(n·k) implementation over the raw samples', () => {
  it('linear: levels L + j·R/(k−1), thresholds at midpoints', () => {
    fc.assert(
      fc.property(dataArb, ({ seed, n, zeroShare, clampShare, bits }) => {
        const v = sample(seed, n, zeroShare, clampShare);
        const ps = buildExactPointSet(v);
        const { L, U } = resolveBoundaries(ps, DEFAULT_PARAMS);
        expectSame(
          ps,
          sortedSamples(v),
          designQuantizer(ps, 'linear', bits, DEFAULT_PARAMS),
          naiveLinear(2 ** bits, L, U),
        );
      }),
      { seed: 42, numRuns: RUNS },
    );
  });

  it('cdf: thresholds at the weighted quantiles, levels at cell means', () => {
    fc.assert(
      fc.property(dataArb, ({ seed, n, zeroShare, clampShare, bits }) => {
        const v = sample(seed, n, zeroShare, clampShare);
        const ps = buildExactPointSet(v);
        const s = sortedSamples(v);
        expectSame(ps, s, designQuantizer(ps, 'cdf', bits, DEFAULT_PARAMS), naiveCdf(s, 2 ** bits, ps.min));
      }),
      { seed: 42, numRuns: RUNS },
    );
  });

  it('lloydmax: Lloyd from the linear levels until no level moves more than 1e-9·R', () => {
    fc.assert(
      fc.property(dataArb, ({ seed, n, zeroShare, clampShare, bits }) => {
        const v = sample(seed, n, zeroShare, clampShare);
        const ps = buildExactPointSet(v);
        const s = sortedSamples(v);
        const { L, U } = resolveBoundaries(ps, DEFAULT_PARAMS);
        const start = naiveLinear(2 ** bits, L, U).levels;
        const levels = naiveLloyd(
          s,
          s.map(() => 1),
          start,
          start.map(() => false),
          1e-9 * (U - L),
        );
        expectSame(ps, s, designQuantizer(ps, 'lloydmax', bits, DEFAULT_PARAMS), {
          levels,
          thresholds: naiveMidpoints(levels),
        });
      }),
      { seed: 42, numRuns: RUNS },
    );
  });

  for (const method of ['kmeans', 'kmeanspp'] as const) {
    it(`${method}: same draws, same Lloyd, same restart kept`, () => {
      fc.assert(
        fc.property(dataArb, fc.integer({ min: 1, max: 3 }), ({ seed, n, zeroShare, clampShare, bits }, restarts) => {
          const v = sample(seed, n, zeroShare, clampShare);
          const ps = buildExactPointSet(v);
          const s = sortedSamples(v);
          const params: Params = { ...DEFAULT_PARAMS, seed: seed % 1000, restarts };
          const ref = naiveCluster(
            s,
            s.map(() => 1),
            2 ** bits,
            method === 'kmeans' ? 'random' : 'plusplus',
            params.seed,
            restarts,
          );
          expectSame(ps, s, designQuantizer(ps, method, bits, params), ref);
        }),
        { seed: 42, numRuns: RUNS },
      );
    });
  }

  it('bskmq: same bands, pins, suppressed weights, draws and restarts in every mode', () => {
    const paramsArb = fc.record({
      suppressMode: fc.constantFrom('band' as const, 'percentile' as const),
      bandLow: fc.constantFrom(0, 0.02, 0.25, 0.5),
      bandHigh: fc.constantFrom(0, 0.02, 0.25, 0.5),
      pctLow: fc.constantFrom(0, 1, 12.5, 50),
      pctHigh: fc.constantFrom(0, 1, 12.5, 50),
      suppressWeight: fc.constantFrom(0, 0.25, 0.5, 1),
      pin: fc.constantFrom('auto' as const, 'both' as const, 'low' as const, 'high' as const, 'none' as const),
      spikeMin: fc.constantFrom(0.01, 0.3),
      bsInit: fc.constantFrom('random' as const, 'plusplus' as const),
      restarts: fc.integer({ min: 1, max: 3 }),
    });
    fc.assert(
      fc.property(dataArb, paramsArb, ({ seed, n, zeroShare, clampShare, bits }, p) => {
        const v = sample(seed, n, zeroShare, clampShare);
        const ps = buildExactPointSet(v);
        const s = sortedSamples(v);
        const params: Params = { ...DEFAULT_PARAMS, ...p, seed: seed % 1000 };
        const { L, U } = resolveBoundaries(ps, params);
        expectSame(ps, s, designQuantizer(ps, 'bskmq', bits, params), naiveBskmq(s, 2 ** bits, params, L, U));
      }),
      { seed: 42, numRuns: 120 },
    );
  });
});
