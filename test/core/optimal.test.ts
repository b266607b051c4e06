import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { designOptimal, designOptimalMany, optimalCuts, optimalMse } from '../../src/core/methods/optimal';
import { buildBinnedPointSet, buildExactPointSet, cellCost, reweightPointSet, type PointSet } from '../../src/core/pointset';
import { createNormal, createRng } from '../../src/core/rng';
import { codeOf } from '../../src/core/quantizer';
import { generate } from '../../src/core/generators';
import { referenceOptimalCuts } from './optimalReference';

/** Least total cost over every way to cut the m points into k non-empty contiguous cells. */
function bruteForceCost(ps: PointSet, k: number): number {
  const m = ps.x.length;
  let best = Infinity;
  const rec = (start: number, cellsLeft: number, acc: number) => {
    if (cellsLeft === 1) {
      best = Math.min(best, acc + cellCost(ps, start, m));
      return;
    }
    for (let end = start + 1; end <= m - cellsLeft + 1; end++) rec(end, cellsLeft - 1, acc + cellCost(ps, start, end));
  };
  rec(0, k, 0);
  return best;
}

/** The textbook O(k·m²) DP, no monotonicity assumed. */
function plainDpCost(ps: PointSet, k: number): number {
  const m = ps.x.length;
  let prev = new Float64Array(m + 1).fill(Infinity);
  prev[0] = 0;
  for (let j = 1; j <= k; j++) {
    const cur = new Float64Array(m + 1).fill(Infinity);
    for (let i = j; i <= m; i++) {
      for (let l = j - 1; l < i; l++) {
        const v = prev[l] + cellCost(ps, l, i);
        if (v < cur[i]) cur[i] = v;
      }
    }
    prev = cur;
  }
  return prev[m];
}

/** MSE of a quantizer evaluated sample by sample over the points (code = thresholds ≤ x). */
function evaluatedMse(ps: PointSet, levels: Float64Array, thresholds: Float64Array): number {
  let s = 0;
  for (let i = 0; i < ps.x.length; i++) {
    const c = levels[codeOf(thresholds, ps.x[i])];
    s += ps.w[i] * (ps.x[i] - c) ** 2 + ps.s2[i];
  }
  return s / ps.n;
}

function cutsCost(ps: PointSet, cuts: Int32Array): number {
  let s = 0;
  for (let j = 0; j + 1 < cuts.length; j++) s += cellCost(ps, cuts[j], cuts[j + 1]);
  return s;
}

function spikyData(n: number, seed: number): Float64Array {
  const rng = createRng(seed), normal = createNormal(rng);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g = normal();
    v[i] = g <= 0 ? 0 : g >= 1.5 ? 1.5 : Math.round(g * 4000) / 4000;
  }
  return v;
}

const smallValues = fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 12 });

describe('optimal', () => {
  it('equals brute force over all partitions for n ≤ 12', () => {
    fc.assert(
      fc.property(smallValues, fc.integer({ min: 1, max: 3 }), (vals, bits) => {
        const ps = buildExactPointSet(vals.map((v) => v / 7));
        const k = 2 ** bits;
        const expected = ps.x.length <= k ? 0 : bruteForceCost(ps, k) / ps.n;
        const got = optimalMse(ps, bits);
        expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, expected));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('equals a plain O(k·m²) DP on random and spiky data up to 2000 points for several k', () => {
    const rng = createRng(7);
    const cases: PointSet[] = [
      buildExactPointSet(Float64Array.from({ length: 2000 }, () => rng() * 10 - 3)),
      buildExactPointSet(spikyData(5000, 3)),
      buildExactPointSet(Float64Array.from({ length: 400 }, () => Math.floor(rng() ** 3 * 60))),
      buildBinnedPointSet(spikyData(20000, 4), 300),
    ];
    for (const ps of cases) {
      expect(ps.x.length).toBeLessThanOrEqual(2000);
      for (const bits of [1, 2, 3, 5]) {
        const expected = plainDpCost(ps, 2 ** bits) / ps.n;
        const got = optimalMse(ps, bits);
        expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-9 * expected + 1e-15);
      }
    }
  });

  it('has a quantizer (levels, midpoint thresholds) whose evaluated MSE equals optimalMse', () => {
    const ps = buildExactPointSet(spikyData(20000, 11));
    for (const bits of [1, 2, 4, 6, 8]) {
      const q = designOptimal(ps, bits);
      expect(q.levels.length).toBe(2 ** bits);
      expect(q.thresholds.length).toBe(2 ** bits - 1);
      for (let j = 1; j < q.levels.length; j++) expect(q.levels[j]).toBeGreaterThan(q.levels[j - 1]);
      const mse = optimalMse(ps, bits);
      expect(evaluatedMse(ps, q.levels, q.thresholds)).toBeCloseTo(mse, 12);
    }
  });

  it('finds the same optimum with the O(m)-memory recursion as with the split table', () => {
    const ps = buildExactPointSet(spikyData(30000, 5));
    for (const k of [2, 3, 8, 16, 64]) {
      const table = optimalCuts(ps, k);
      const recursive = optimalCuts(ps, k, 0);
      expect(recursive[0]).toBe(0);
      expect(recursive[k]).toBe(ps.x.length);
      for (let j = 0; j < k; j++) expect(recursive[j + 1]).toBeGreaterThan(recursive[j]);
      const a = cutsCost(ps, table), b = cutsCost(ps, recursive);
      expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-10 * a);
    }
  });

  it('gives every distinct point its own level and repeats the top one when there are fewer points than codes', () => {
    const q = designOptimal(buildExactPointSet([0, 0, 0, 1, 5, 5]), 3);
    expect(Array.from(q.levels)).toEqual([0, 1, 5, 5, 5, 5, 5, 5]);
    expect(optimalMse(buildExactPointSet([0, 0, 0, 1, 5, 5]), 3)).toBe(0);
  });

  it('puts every level at the constant for constant data', () => {
    const ps = buildExactPointSet(new Float32Array(100).fill(2.5));
    const q = designOptimal(ps, 4);
    expect(Array.from(q.levels)).toEqual(new Array(16).fill(2.5));
    expect(Array.from(q.thresholds)).toEqual(new Array(15).fill(2.5));
    expect(optimalMse(ps, 4)).toBe(0);
  });

  it('ignores zero-weight points and gives NaN levels for a set without weight', () => {
    const ps = reweightPointSet(buildExactPointSet([1, 2, 3, 10, 11]), Float64Array.from([1, 1, 1, 0, 1]));
    expect(Array.from(designOptimal(ps, 1).levels)).toEqual([2, 11]);
    expect(optimalMse(ps, 1)).toBeCloseTo(2 / 4, 12);
    const zero = buildExactPointSet([]);
    expect(Number.isNaN(optimalMse(zero, 2))).toBe(true);
    expect(Array.from(designOptimal(zero, 1).levels).every(Number.isNaN)).toBe(true);
  });
});

/** Cuts of a valid partition into k non-empty cells of the m points. */
function expectValidCuts(cuts: Int32Array, k: number, m: number): void {
  expect(cuts.length).toBe(k + 1);
  expect(cuts[0]).toBe(0);
  expect(cuts[k]).toBe(m);
  for (let j = 0; j < k; j++) expect(cuts[j + 1]).toBeGreaterThan(cuts[j]);
}

/** Data sets of a few thousand points with different shapes: the previous DP is fast enough there for k up to 256. */
function comparisonSets(): { name: string; ps: PointSet }[] {
  const rng = createRng(21), normal = createNormal(rng);
  const lognormal = Float64Array.from({ length: 3000 }, () => Math.exp(1.5 * normal()));
  return [
    { name: 'uniform', ps: buildExactPointSet(Float64Array.from({ length: 3000 }, () => rng() * 10 - 3)) },
    { name: 'spiky', ps: buildExactPointSet(spikyData(8000, 9)) },
    { name: 'lognormal', ps: buildExactPointSet(lognormal) },
    { name: 'relu6 binned', ps: buildBinnedPointSet(generate('relu6', { n: 200_000, seed: 3 }), 4096) },
    { name: 'few values', ps: buildExactPointSet(Float64Array.from({ length: 5000 }, () => Math.floor(rng() ** 2 * 700))) },
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

describe('optimal against the previous divide-and-conquer DP', () => {
  it('reaches the same least cost on uniform, spiky, heavy-tailed, binned, few-valued and reweighted data for k = 2…256', () => {
    for (const { name, ps } of comparisonSets()) {
      const m = ps.x.length;
      for (const k of MANY_K) {
        if (k >= m) continue;
        const cuts = optimalCuts(ps, k);
        expectValidCuts(cuts, k, m);
        const got = cutsCost(ps, cuts), expected = cutsCost(ps, referenceOptimalCuts(ps, k));
        expect(Math.abs(got - expected), `${name}, k = ${k}`).toBeLessThanOrEqual(1e-12 * expected + 1e-12);
      }
    }
  });

  it('reaches the same least cost through the O(m)-memory recursion', () => {
    for (const { name, ps } of comparisonSets().slice(0, 4)) {
      const m = ps.x.length;
      for (const k of [2, 7, 64, 256]) {
        const cuts = optimalCuts(ps, k, 0);
        expectValidCuts(cuts, k, m);
        const got = cutsCost(ps, cuts), expected = cutsCost(ps, referenceOptimalCuts(ps, k));
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
        const cuts = optimalCuts(ps, k);
        expectValidCuts(cuts, k, m);
        const got = cutsCost(ps, cuts), expected = cutsCost(ps, referenceOptimalCuts(ps, k));
        expect(got).toBeLessThanOrEqual(expected * (1 + 1e-12) + 1e-9);
        expect(expected).toBeLessThanOrEqual(got * (1 + 1e-12) + 1e-9);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

/** Σ cost of the cells the quantizer's thresholds cut the points into (the optimum's levels are its cell means). */
function quantizerCost(ps: PointSet, thresholds: Float64Array): number {
  let s = 0, start = 0;
  for (const t of thresholds) {
    let end = start;
    while (end < ps.x.length && ps.x[end] < t) end++;
    s += cellCost(ps, start, end);
    start = end;
  }
  return s + cellCost(ps, start, ps.x.length);
}

describe('designOptimalMany', () => {
  it('gives the same least cost as designOptimal at each width, in the order asked, from one DP', () => {
    for (const { name, ps } of comparisonSets().slice(0, 4)) {
      const bitsList = [3, 1, 8, 5, 2, 7];
      const many = designOptimalMany(ps, bitsList);
      expect(many.map((q) => q.bits)).toEqual(bitsList);
      for (const [t, bits] of bitsList.entries()) {
        const single = designOptimal(ps, bits);
        expect(many[t].levels.length).toBe(2 ** bits);
        const a = quantizerCost(ps, many[t].thresholds), b = quantizerCost(ps, single.thresholds);
        expect(Math.abs(a - b), `${name}, ${bits} bits`).toBeLessThanOrEqual(1e-12 * b);
      }
    }
  });

  it('handles widths with more codes than points and sets without weight like designOptimal', () => {
    const small = buildExactPointSet([0, 0, 0, 1, 5, 5, 7]);
    const many = designOptimalMany(small, [1, 2, 3]);
    for (const [t, bits] of [1, 2, 3].entries()) {
      expect(Array.from(many[t].levels)).toEqual(Array.from(designOptimal(small, bits).levels));
    }
    const zero = buildExactPointSet([]);
    expect(designOptimalMany(zero, [1, 2]).every((q) => Array.from(q.levels).every(Number.isNaN))).toBe(true);
  });
});
