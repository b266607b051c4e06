import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layeredOptimalCuts } from '../../src/core/methods/optimalLayered';
import {
  buildBinnedPointSet,
  buildExactPointSet,
  cellCost,
  reweightPointSet,
  type PointSet,
} from '../../src/core/pointset';
import { createNormal, createRng } from '../../src/core/rng';
import { generate } from '../../src/core/generators';
import { referenceOptimalCuts } from './optimalReference';

function cutsCost(ps: PointSet, cuts: Int32Array): number {
  let s = 0;
  for (let j = 0; j + 1 < cuts.length; j++) s += cellCost(ps, cuts[j], cuts[j + 1]);
  return s;
}

function spikyData(n: number, seed: number): Float64Array {
  const rng = createRng(seed),
    normal = createNormal(rng);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g = normal();
    v[i] = g <= 0 ? 0 : g >= 1.5 ? 1.5 : Math.round(g * 4000) / 4000;
  }
  return v;
}

/** Cuts of a valid partition into k non-empty cells of the m points. */
function expectValidCuts(cuts: Int32Array, k: number, m: number): void {
  expect(cuts.length).toBe(k + 1);
  expect(cuts[0]).toBe(0);
  expect(cuts[k]).toBe(m);
  for (let j = 0; j < k; j++) expect(cuts[j + 1]).toBeGreaterThan(cuts[j]);
}

/** Data sets of a few thousand points with different shapes: the previous DP is fast enough there for k up to 256. */
function comparisonSets(): { name: string; ps: PointSet }[] {
  const rng = createRng(21),
    normal = createNormal(rng);
  const lognormal = Float64Array.from({ length: 3000 }, () => Math.exp(1.5 * normal()));
  return [
    { name: 'uniform', ps: buildExactPointSet(Float64Array.from({ length: 3000 }, () => rng() * 10 - 3)) },
    { name: 'spiky', ps: buildExactPointSet(spikyData(8000, 9)) },
    { name: 'lognormal', ps: buildExactPointSet(lognormal) },
    { name: 'relu6 binned', ps: buildBinnedPointSet(generate('relu6', { n: 200_000, seed: 3 }), 4096) },
    {
      name: 'few values',
      ps: buildExactPointSet(Float64Array.from({ length: 5000 }, () => Math.floor(rng() ** 2 * 700))),
    },
    {
      name: 'reweighted',
      ps: reweightPointSet(
        buildExactPointSet(Float64Array.from({ length: 2500 }, () => normal())),
        Float64Array.from({ length: 2500 }, () => (rng() < 0.1 ? 50 * rng() : rng())),
      ),
    },
  ];
}

const MANY_K = [2, 3, 5, 8, 13, 16, 31, 64, 100, 128, 200, 256];

describe('the layered DP (the oracle of optimal) against the divide-and-conquer DP before it', () => {
  it('reaches the same least cost on uniform, spiky, heavy-tailed, binned, few-valued and reweighted data for k = 2…256', () => {
    for (const { name, ps } of comparisonSets()) {
      const m = ps.x.length;
      for (const k of MANY_K) {
        if (k >= m) continue;
        const cuts = layeredOptimalCuts(ps, k);
        expectValidCuts(cuts, k, m);
        const got = cutsCost(ps, cuts),
          expected = cutsCost(ps, referenceOptimalCuts(ps, k));
        expect(Math.abs(got - expected), `${name}, k = ${k}`).toBeLessThanOrEqual(1e-12 * expected + 1e-12);
      }
    }
  });

  it('reaches the same least cost through the O(m)-memory recursion', () => {
    for (const { name, ps } of comparisonSets().slice(0, 4)) {
      const m = ps.x.length;
      for (const k of [2, 7, 64, 256]) {
        const cuts = layeredOptimalCuts(ps, k, 0);
        expectValidCuts(cuts, k, m);
        const got = cutsCost(ps, cuts),
          expected = cutsCost(ps, referenceOptimalCuts(ps, k));
        expect(Math.abs(got - expected), `${name}, k = ${k}`).toBeLessThanOrEqual(1e-12 * expected + 1e-12);
      }
    }
  });

  it('reaches the same least cost as the previous DP on random weighted point sets with duplicates, for random k', () => {
    const weighted = fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 1, max: 1000 })), {
      minLength: 3,
      maxLength: 400,
    });
    fc.assert(
      fc.property(weighted, fc.integer({ min: 2, max: 300 }), (pairs, kRaw) => {
        const values = pairs.map(([v]) => v / 13);
        const base = buildExactPointSet(values);
        const m = base.x.length;
        const k = 2 + (kRaw % Math.max(1, m - 2));
        if (k >= m) return;
        // Weights per distinct value, from the second element of the first pair holding it.
        const byValue = new Map<number, number>();
        for (const [v, w] of pairs) if (!byValue.has(v / 13)) byValue.set(v / 13, w);
        const factor = Float64Array.from(base.x, (x, i) => byValue.get(x)! / base.w[i]);
        const ps = reweightPointSet(base, factor);
        const cuts = layeredOptimalCuts(ps, k);
        expectValidCuts(cuts, k, m);
        const got = cutsCost(ps, cuts),
          expected = cutsCost(ps, referenceOptimalCuts(ps, k));
        expect(got).toBeLessThanOrEqual(expected * (1 + 1e-12) + 1e-9);
        expect(expected).toBeLessThanOrEqual(got * (1 + 1e-12) + 1e-9);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
