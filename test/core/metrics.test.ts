import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bitsEquivalent,
  cellBounds,
  cellBoundsNear,
  evaluate,
  linearMseByBits,
  mseOf,
  squaredErrorOfCells,
} from '../../src/core/metrics';
import { designOptimal, optimalMse } from '../../src/core/methods/optimal';
import { DEFAULT_PARAMS, type Params } from '../../src/core/params';
import { buildBinnedPointSet, buildExactPointSet, type PointSet } from '../../src/core/pointset';
import { codeOf, midpoints, type Quantizer } from '../../src/core/quantizer';
import { createNormal, createRng } from '../../src/core/rng';
import { computeBands } from '../../src/core/suppression';

interface Naive {
  mse: number;
  sqnrDb: number;
  nmse: number;
  mseInterior: number;
  mseBoundary: number;
  occupancy: number[];
  levelsUsed: number;
  entropyBits: number;
}

/** Every metric sample by sample; bands straight from docs/definitions.md, Quantizers (percentile bands split the straddling sample). */
function naiveMetrics(samples: number[], q: Quantizer, params: Params, L: number, U: number): Naive {
  const sorted = [...samples].sort((a, b) => a - b);
  const n = sorted.length,
    k = q.levels.length,
    R = U - L;
  const lowWeight = Math.min(n, (n * params.pctLow) / 100);
  const highFrom = Math.max(n - (n * params.pctHigh) / 100, lowWeight);
  let se = 0,
    sx2 = 0,
    sx = 0,
    seIn = 0,
    wIn = 0,
    seB = 0,
    wB = 0;
  const counts = new Array(k).fill(0);
  sorted.forEach((x, r) => {
    const c = codeOf(q.thresholds, x);
    counts[c]++;
    const e = (x - q.levels[c]) ** 2;
    se += e;
    sx2 += x * x;
    sx += x;
    let share: number;
    if (params.suppressMode === 'band') {
      share = x <= L + params.bandLow * R || x >= U - params.bandHigh * R ? 1 : 0;
    } else {
      const low = Math.min(1, Math.max(0, lowWeight - r));
      const high = Math.min(1, Math.max(0, r + 1 - highFrom));
      share = Math.min(1, low + high);
    }
    seB += share * e;
    wB += share;
    seIn += (1 - share) * e;
    wIn += 1 - share;
  });
  const mean = sx / n;
  let v = 0;
  for (const x of sorted) v += (x - mean) ** 2;
  v /= n;
  let entropyBits = 0;
  for (const c of counts) if (c > 0) entropyBits -= (c / n) * Math.log2(c / n);
  return {
    mse: se / n,
    sqnrDb: 10 * Math.log10(sx2 / se),
    nmse: se / n / v,
    mseInterior: wIn > 0 ? seIn / wIn : NaN,
    mseBoundary: wB > 0 ? seB / wB : NaN,
    occupancy: counts.map((c) => c / n),
    levelsUsed: counts.filter((c) => c > 0).length,
    entropyBits,
  };
}

function close(a: number, b: number, rel: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + 1e-300;
}

const spikySamples = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.constant(6) },
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 600000 }).map((v) => v / 100000) },
    ),
    { minLength: 2, maxLength: 300 },
  )
  .filter((a) => Math.min(...a) < Math.max(...a));

const quantizerArb = fc.record({
  bits: fc.integer({ min: 1, max: 6 }),
  cuts: fc.array(
    fc.integer({ min: -5000, max: 65000 }).map((v) => v / 10000),
    { minLength: 127, maxLength: 127 },
  ),
  midpointThresholds: fc.boolean(),
});

const bandArb = fc.record({
  suppressMode: fc.constantFrom('band' as const, 'percentile' as const),
  bandLow: fc.integer({ min: 0, max: 5000 }).map((v) => v / 10000),
  bandHigh: fc.integer({ min: 0, max: 5000 }).map((v) => v / 10000),
  pctLow: fc.integer({ min: 0, max: 5000 }).map((v) => v / 100),
  pctHigh: fc.integer({ min: 0, max: 5000 }).map((v) => v / 100),
});

function makeQuantizer(bits: number, cuts: number[], midpointThresholds: boolean): Quantizer {
  const k = 2 ** bits;
  const levels = Float64Array.from(cuts.slice(0, k)).sort();
  // Arbitrary sorted thresholds model `cdf` (thresholds that are not midpoints).
  const thresholds = midpointThresholds ? midpoints(levels) : Float64Array.from(cuts.slice(k, 2 * k - 1)).sort();
  return { method: 'kmeans', bits, levels, thresholds, iterations: 0 };
}

describe('metrics', () => {
  it('equal a naive per-sample implementation (1e-9 relative) in both band modes', () => {
    fc.assert(
      fc.property(spikySamples, quantizerArb, bandArb, (samples, qa, band) => {
        const ps = buildExactPointSet(samples);
        const params: Params = { ...DEFAULT_PARAMS, ...band };
        const L = ps.min,
          U = ps.max;
        const bands = computeBands(ps, params, L, U);
        const q = makeQuantizer(qa.bits, qa.cuts, qa.midpointThresholds);
        const got = evaluate(ps, q, {
          bands,
          optimalMse: optimalMse(ps, qa.bits),
          linearMseByBits: linearMseByBits(ps, L, U),
        });
        const want = naiveMetrics(samples, q, params, L, U);
        for (const key of ['mse', 'nmse', 'sqnrDb', 'mseInterior', 'mseBoundary', 'entropyBits'] as const) {
          // sqnrDb is a logarithm: compare it in absolute dB (1e-9 dB is a 2e-10 relative error of the ratio).
          const ok =
            key === 'sqnrDb'
              ? Math.abs(got[key] - want[key]) <= 1e-9 || got[key] === want[key]
              : close(got[key], want[key], 1e-9);
          if (!ok) throw new Error(`${key}: got ${got[key]}, naive ${want[key]}`);
        }
        expect(got.levelsUsed).toBe(want.levelsUsed);
        expect(got.rmse).toBeCloseTo(Math.sqrt(want.mse), 12);
        got.occupancy.forEach((p, j) => expect(close(p, want.occupancy[j], 1e-12)).toBe(true));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('equal the naive per-sample MSE on a 20 000-sample ReLU set at every bit width 1–8', () => {
    const rng = createRng(3),
      normal = createNormal(rng);
    const samples = Array.from({ length: 20000 }, () => Math.max(0, 1 + normal()));
    const ps = buildExactPointSet(samples);
    for (let bits = 1; bits <= 8; bits++) {
      const q = designOptimal(ps, bits);
      let se = 0;
      for (const x of samples) se += (x - q.levels[codeOf(q.thresholds, x)]) ** 2;
      expect(close(mseOf(ps, q), se / samples.length, 1e-9)).toBe(true);
    }
  });

  it('split a binned set by in-band share so interior and boundary errors add up to the total', () => {
    const rng = createRng(9),
      normal = createNormal(rng);
    const samples = Float64Array.from({ length: 20000 }, () => Math.min(6, Math.max(0, 2 * normal())));
    const ps: PointSet = buildBinnedPointSet(samples, 512);
    for (const mode of ['band', 'percentile'] as const) {
      const params: Params = { ...DEFAULT_PARAMS, suppressMode: mode, pctLow: 7.3, pctHigh: 2.1, bandLow: 0.1 };
      const bands = computeBands(ps, params, ps.min, ps.max);
      const q = designOptimal(ps, 3);
      const r = evaluate(ps, q, {
        bands,
        optimalMse: optimalMse(ps, 3),
        linearMseByBits: linearMseByBits(ps, ps.min, ps.max),
      });
      const wB = bands.lowWeight + bands.highWeight;
      const total = r.mseInterior * (ps.n - wB) + r.mseBoundary * wB;
      expect(close(total / ps.n, r.mse, 1e-9)).toBe(true);
      expect(r.vsOptimal).toBeCloseTo(1, 9);
    }
  });

  it('report NaN interior/boundary MSE for an empty region and no NaN elsewhere for constant data', () => {
    const ps = buildExactPointSet(new Float32Array(50).fill(3));
    const params: Params = { ...DEFAULT_PARAMS };
    const bands = computeBands(ps, params, 3, 3);
    const q = designOptimal(ps, 2);
    const r = evaluate(ps, q, { bands, optimalMse: optimalMse(ps, 2), linearMseByBits: linearMseByBits(ps, 3, 3) });
    expect(r.mse).toBe(0);
    expect(r.nmse).toBe(0);
    expect(r.vsOptimal).toBe(1);
    expect(r.sqnrDb).toBe(Infinity);
    expect(r.levelsUsed).toBe(1);
    expect(r.entropyBits).toBe(0);
    expect(r.mseBoundary).toBe(0);
    expect(Number.isNaN(r.mseInterior)).toBe(true);
    expect(r.bitsEquivalent).toBe(1);
  });
});

describe('bitsEquivalent', () => {
  const table = Float64Array.from([NaN, ...Array.from({ length: 16 }, (_, i) => 4 ** -(i + 1))]);
  it('returns the integer width where linear has exactly that MSE', () => {
    for (const b of [1, 3, 8, 16]) expect(bitsEquivalent(4 ** -b, table)).toBeCloseTo(b, 12);
  });
  it('interpolates linearly in log MSE between integer widths', () => {
    expect(bitsEquivalent(Math.sqrt(4 ** -5 * 4 ** -6), table)).toBeCloseTo(5.5, 12);
    expect(bitsEquivalent(4 ** -5.4, table)).toBeCloseTo(5.4, 12);
  });
  it('extrapolates with the end segments, clamps at 0, and is Infinity for zero error', () => {
    expect(bitsEquivalent(4 ** -0.5, table)).toBeCloseTo(0.5, 12);
    expect(bitsEquivalent(100, table)).toBe(0);
    expect(bitsEquivalent(4 ** -17.5, table)).toBeCloseTo(17.5, 12);
    expect(bitsEquivalent(0, table)).toBe(Infinity);
    expect(Number.isNaN(bitsEquivalent(NaN, table))).toBe(true);
  });
  it('is monotone: a smaller MSE never gives fewer equivalent bits', () => {
    const rng = createRng(5),
      normal = createNormal(rng);
    const ps = buildExactPointSet(Array.from({ length: 5000 }, () => Math.max(0, normal())));
    const lin = linearMseByBits(ps, ps.min, ps.max);
    fc.assert(
      fc.property(fc.double({ min: -40, max: 2, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), (e, d) => {
        expect(bitsEquivalent(10 ** (e - d), lin)).toBeGreaterThanOrEqual(bitsEquivalent(10 ** e, lin) - 1e-12);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('cells of perturbed thresholds', () => {
  it('cellBoundsNear and squaredErrorOfCells agree with cellBounds and mseOf from any nearby bounds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 5 }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        (seed, bits, spread) => {
          const normal = createNormal(createRng(seed));
          const ps = buildExactPointSet(Array.from({ length: 300 }, () => Math.round(normal() * 40) / 10));
          const q = designOptimal(ps, bits);
          const nominal = cellBounds(ps, q.thresholds);
          const t = q.thresholds.map((v) => v + spread * normal()).sort();
          const cells = cellBoundsNear(ps, t, nominal, new Int32Array(t.length + 2));
          expect(Array.from(cells)).toEqual(Array.from(cellBounds(ps, t)));
          expect(squaredErrorOfCells(ps, q.levels, cells) / ps.n).toBe(mseOf(ps, { levels: q.levels, thresholds: t }));
        },
      ),
      { seed: 11, numRuns: 100 },
    );
  });
});
