import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  designOptimal,
  designOptimalMany,
  optimalCuts,
  optimalMse,
  optimalSearch,
  splice,
} from '../../src/core/methods/optimal';
import { designOptimalLayered, layeredOptimalCuts } from '../../src/core/methods/optimalLayered';
import {
  buildBinnedPointSet,
  buildExactPointSet,
  cellCost,
  reweightPointSet,
  type PointSet,
} from '../../src/core/pointset';
import { createNormal, createRng } from '../../src/core/rng';
import { codeOf } from '../../src/core/quantizer';
import { generate } from '../../src/core/generators';

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
  const rng = createRng(seed),
    normal = createNormal(rng);
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

/** Relative difference of two least costs (0 when both are 0). */
function relDiff(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

/** A weighted point set of `pairs` [value, weight] (weights per distinct value, from its first pair). */
function weightedSet(pairs: readonly (readonly [number, number])[]): PointSet {
  const base = buildExactPointSet(pairs.map(([v]) => v));
  const byValue = new Map<number, number>();
  for (const [v, w] of pairs) if (!byValue.has(v)) byValue.set(v, w);
  return reweightPointSet(
    base,
    Float64Array.from(base.x, (x, i) => byValue.get(x)! / base.w[i]),
  );
}

/**
 * Point sets of the shapes the optimum must handle: random reals, spiky (a big share of the weight at one
 * value, or at both ends), few distinct values, a constant, an even grid (ties: the penalised optimum skips
 * cell counts there) and binned sets with within-point variance.
 */
const shapedSet: fc.Arbitrary<{ shape: string; ps: PointSet }> = fc.oneof(
  fc
    .array(fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.integer({ min: 1, max: 50 })), {
      minLength: 1,
      maxLength: 300,
    })
    .map((pairs) => ({ shape: 'random', ps: weightedSet(pairs) })),
  fc
    .record({
      body: fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: 1, maxLength: 300 }),
      spike: fc.double({ min: 0, max: 3, noNaN: true }),
      share: fc.double({ min: 0.2, max: 0.95, noNaN: true }),
      top: fc.boolean(),
    })
    .map(({ body, spike, share, top }) => {
      const spikeCount = Math.max(1, Math.round((share / (1 - share)) * body.length));
      const values = [
        ...body,
        ...new Array(spikeCount).fill(spike),
        ...(top ? new Array(spikeCount >> 2).fill(3) : []),
      ];
      return { shape: 'spiky', ps: buildExactPointSet(values) };
    }),
  fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 200 })
    .map((v) => ({ shape: 'few values', ps: buildExactPointSet(v.map((x) => x * 0.25)) })),
  fc.record({ n: fc.integer({ min: 1, max: 50 }), v: fc.double({ min: -2, max: 2, noNaN: true }) }).map(({ n, v }) => ({
    shape: 'constant',
    ps: buildExactPointSet(new Array(n).fill(v)),
  })),
  fc
    .record({ m: fc.integer({ min: 2, max: 300 }), step: fc.constantFrom(1, 0.5, 0.1, 3) })
    .map(({ m, step }) => ({ shape: 'grid', ps: buildExactPointSet(Array.from({ length: m }, (_, i) => i * step)) })),
  fc
    .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 20, maxLength: 2000 })
    .map((v) => ({ shape: 'binned', ps: buildBinnedPointSet(v, 64) })),
);

describe('optimal against the layered dynamic program it replaced', () => {
  it('reaches the same least cost (1e-12 relative) on random, spiky, few-valued, constant, grid and binned sets for every k', () => {
    fc.assert(
      fc.property(shapedSet, fc.integer({ min: 1, max: 8 }), ({ shape, ps }, bits) => {
        const k = 2 ** bits,
          m = ps.x.length;
        if (k >= m) {
          // Fewer points than codes: every point its own level, the same quantizer as before.
          expect(Array.from(designOptimal(ps, bits).levels)).toEqual(Array.from(designOptimalLayered(ps, bits).levels));
          return;
        }
        const cuts = optimalCuts(ps, k);
        expectValidCuts(cuts, k, m);
        const got = cutsCost(ps, cuts),
          expected = cutsCost(ps, layeredOptimalCuts(ps, k));
        expect(relDiff(got, expected), `${shape}, m = ${m}, k = ${k}`).toBeLessThanOrEqual(1e-12);
      }),
      { seed: 17, numRuns: 400 },
    );
  });

  it('reaches the same least cost for every k from 2 to m − 1 on small sets of each shape', () => {
    fc.assert(
      fc.property(shapedSet, ({ shape, ps }) => {
        const m = ps.x.length;
        for (let k = 2; k < Math.min(m, 80); k++) {
          const got = cutsCost(ps, optimalCuts(ps, k)),
            expected = cutsCost(ps, layeredOptimalCuts(ps, k));
          expect(relDiff(got, expected), `${shape}, m = ${m}, k = ${k}`).toBeLessThanOrEqual(1e-12);
        }
      }),
      { seed: 5, numRuns: 60 },
    );
  });

  it('gives the same levels bit for bit where the optimum is unique (random reals with random weights)', () => {
    const reals = fc.array(fc.tuple(fc.double({ min: -10, max: 10, noNaN: true }), fc.integer({ min: 1, max: 1000 })), {
      minLength: 300,
      maxLength: 3000,
    });
    fc.assert(
      fc.property(reals, fc.integer({ min: 1, max: 7 }), (pairs, bits) => {
        const ps = weightedSet(pairs);
        if (ps.x.length <= 2 ** bits) return;
        const a = designOptimal(ps, bits),
          b = designOptimalLayered(ps, bits);
        expect(Array.from(a.levels).every((v, j) => Object.is(v, b.levels[j]))).toBe(true);
        expect(Array.from(a.thresholds).every((v, j) => Object.is(v, b.thresholds[j]))).toBe(true);
      }),
      { seed: 23, numRuns: 60 },
    );
  });

  it('is exact where the penalised optimum skips k: even grids need the splice of two partitions, and it is optimal', () => {
    let spliced = 0;
    for (const m of [4, 5, 8, 9, 16, 33, 100, 128]) {
      const ps = buildExactPointSet(Array.from({ length: m }, (_, i) => i));
      for (let k = 2; k < m; k++) {
        const r = optimalSearch(ps, k);
        expectValidCuts(r.cuts, k, m);
        if (r.spliced) spliced++;
        const got = cutsCost(ps, r.cuts),
          expected = cutsCost(ps, layeredOptimalCuts(ps, k));
        expect(relDiff(got, expected), `grid of ${m}, k = ${k}`).toBeLessThanOrEqual(1e-12);
      }
    }
    // m = 4, k = 3: D(2), D(3), D(4) = 1, 0.5, 0 lie on a line, so at λ = 0.5 every count from 2 to 4 ties.
    expect(spliced).toBeGreaterThan(50);
  });

  it('uses its coarse first round on large sets and still reaches the same least cost (ReLU6, ReLU-Gaussian, GELU tail)', () => {
    const cases: { name: string; ps: PointSet }[] = [
      { name: 'relu6 exact', ps: buildExactPointSet(generate('relu6', { n: 60_000, seed: 2 })) },
      { name: 'relu-gaussian exact', ps: buildExactPointSet(generate('relu-gaussian', { n: 80_000, seed: 8 })) },
      { name: 'gelu-tail exact', ps: buildExactPointSet(generate('gelu-tail', { n: 50_000, seed: 1 })) },
    ];
    for (const { name, ps } of cases) {
      expect(ps.x.length).toBeGreaterThan(2 ** 15);
      for (const bits of [1, 3, 6, 8]) {
        const k = 2 ** bits;
        const r = optimalSearch(ps, k);
        // k = 2 is a scan of every cut, with no search at all.
        if (k > 2) expect(r.coarseSolves, name).toBeGreaterThan(0);
        else expect(r.solves, name).toBe(0);
        expectValidCuts(r.cuts, k, ps.x.length);
        const got = cutsCost(ps, r.cuts),
          expected = cutsCost(ps, layeredOptimalCuts(ps, k));
        expect(relDiff(got, expected), `${name}, k = ${k}`).toBeLessThanOrEqual(1e-12);
      }
    }
  });
});

describe('splice', () => {
  it('makes a partition of exactly k cells from one with fewer and one with more, for every k between', () => {
    const cuts = fc
      .record({ m: fc.integer({ min: 3, max: 60 }), seedA: fc.integer(), seedB: fc.integer() })
      .chain(({ m }) =>
        fc.tuple(
          fc.constant(m),
          fc.uniqueArray(fc.integer({ min: 1, max: m - 1 }), { maxLength: m - 1 }),
          fc.uniqueArray(fc.integer({ min: 1, max: m - 1 }), { maxLength: m - 1 }),
        ),
      );
    fc.assert(
      fc.property(cuts, ([m, ia, ib]) => {
        const toCuts = (inner: number[]) => Int32Array.from([0, ...inner.sort((x, y) => x - y), m]);
        let p = toCuts(ia),
          q = toCuts(ib);
        if (p.length > q.length) [p, q] = [q, p];
        const a = p.length - 1,
          b = q.length - 1;
        for (let k = a + 1; k < b; k++) expectValidCuts(splice(p, q, k), k, m);
      }),
      { seed: 3, numRuns: 300 },
    );
  });
});

describe('designOptimalMany', () => {
  it('gives designOptimal’s levels at each width to the last digit, in the order asked', () => {
    const sets = [
      buildExactPointSet(spikyData(8000, 9)),
      buildExactPointSet(generate('relu6', { n: 50_000, seed: 4 })),
      buildBinnedPointSet(generate('gelu-tail', { n: 100_000, seed: 3 })),
    ];
    for (const ps of sets) {
      const bitsList = [3, 1, 8, 5, 2, 7];
      const many = designOptimalMany(ps, bitsList);
      expect(many.map((q) => q.bits)).toEqual(bitsList);
      for (const [t, bits] of bitsList.entries()) {
        const single = designOptimal(ps, bits);
        expect(Array.from(many[t].levels).every((v, j) => Object.is(v, single.levels[j]))).toBe(true);
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
