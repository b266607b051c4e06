import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  absoluteSigma,
  adcSummary,
  quantileSorted,
  quantizerFromLists,
  rampStaircase,
  referenceTable,
  referenceVariation,
  referenceVariationCurves,
  smallestStep,
  snapReferences,
  spacingWarnings,
  TrialNormals,
  type VariationOptions,
} from '../../src/core/adc';
import { resolveBoundaries } from '../../src/core/boundaries';
import { designQuantizer } from '../../src/core/design';
import { evaluate, linearMseByBits, mseOf } from '../../src/core/metrics';
import { optimalMse } from '../../src/core/methods/optimal';
import { DEFAULT_PARAMS, METHODS, type Method } from '../../src/core/params';
import { buildBinnedPointSet, buildExactPointSet, type PointSet } from '../../src/core/pointset';
import { codeOf, midpoints, type Quantizer } from '../../src/core/quantizer';
import { createNormal, createRng, deriveSeed } from '../../src/core/rng';
import { computeBands } from '../../src/core/suppression';

function quantizerMse(p: PointSet, thresholds: Float64Array, levels: Float64Array): number {
  return mseOf(p, { thresholds, levels });
}

/** ReLU of a seeded Gaussian: a spike at 0 and a tail, as the product's data. */
function reluSamples(n: number, seed: number): Float64Array {
  const normal = createNormal(createRng(seed));
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.max(0, normal());
  return v;
}

function quantizerOf(method: Method, levels: number[], thresholds?: number[]): Quantizer {
  const l = Float64Array.from(levels);
  return {
    method,
    bits: Math.log2(levels.length),
    levels: l,
    thresholds: thresholds ? Float64Array.from(thresholds) : midpoints(l),
    iterations: 0,
  };
}

function linearQuantizer(bits: number, L: number, U: number, method: Method = 'linear'): Quantizer {
  const k = 2 ** bits;
  return quantizerOf(
    method,
    Array.from({ length: k }, (_, j) => L + (j * (U - L)) / (k - 1)),
  );
}

/** Σ (x − Q(x))² / n sample by sample, the definition the O(k log m) helper must match. */
function bruteMse(samples: Float64Array, q: Quantizer): number {
  let s = 0;
  for (const x of samples) {
    const d = x - q.levels[codeOf(q.thresholds, x)];
    s += d * d;
  }
  return s / samples.length;
}

const samples = reluSamples(4000, 7);
const ps: PointSet = buildExactPointSet(samples);
const bounds = { L: ps.min, U: ps.max };
const q3 = linearQuantizer(3, bounds.L, bounds.U);
const options: VariationOptions = { sigma: 0.01, sigmaOf: 'range', trials: 200, seed: 3 };

describe('mseOf on references that are not midpoints (what snapping and variation rely on)', () => {
  it('equals the sample-by-sample MSE for midpoint and non-midpoint thresholds', () => {
    expect(quantizerMse(ps, q3.thresholds, q3.levels)).toBeCloseTo(bruteMse(samples, q3), 12);
    const skewed = quantizerOf('cdf', [0, 0.5, 1, 3], [0.1, 0.2, 2.9]);
    expect(quantizerMse(ps, skewed.thresholds, skewed.levels)).toBeCloseTo(bruteMse(samples, skewed), 12);
  });
  it('sends a value equal to a threshold to the upper code', () => {
    const two = buildExactPointSet([1, 2]);
    // 1 → level 0 (cost 1), 2 equals the threshold → level 2 (cost 0).
    expect(quantizerMse(two, Float64Array.of(2), Float64Array.of(0, 2))).toBe(0.5);
  });
  it('matches the sample-level MSE for arbitrary sorted thresholds (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1, max: 4, noNaN: true }), { minLength: 3, maxLength: 3 }), (raw) => {
        const t = Float64Array.from(raw).sort();
        const q = quantizerOf('kmeans', [0, 0.7, 1.4, 2.5], Array.from(t));
        expect(quantizerMse(ps, q.thresholds, q.levels)).toBeCloseTo(bruteMse(samples, q), 10);
      }),
      { seed: 42, numRuns: 50 },
    );
  });
});

describe('referenceTable', () => {
  it('lists code, reference, level and the step from the previous reference (code 1 from the origin)', () => {
    const q = quantizerOf('cdf', [0, 1, 2, 4], [0.5, 1.5, 3]);
    expect(referenceTable(q, 0)).toEqual([
      { code: 0, threshold: null, level: 0, step: null },
      { code: 1, threshold: 0.5, level: 1, step: 0.5 },
      { code: 2, threshold: 1.5, level: 2, step: 1 },
      { code: 3, threshold: 3, level: 4, step: 1.5 },
    ]);
    expect(referenceTable(q)[1].step).toBeNull();
  });
});

describe('rampStaircase', () => {
  it('realizes each reference as a whole number of unit steps from L and tiles the grid with the codes', () => {
    const q = quantizerOf('cdf', [0, 1, 2, 4], [0.3, 1.26, 3]);
    const s = rampStaircase(q, { L: 0, U: 4 }, { resolution: 4 });
    expect(s.unitStep).toBe(0.25);
    expect(s.totalSteps).toBe(16);
    expect(Array.from(s.referenceSteps)).toEqual([1, 5, 12]);
    expect(Array.from(s.realized)).toEqual([0.25, 1.25, 3]);
    expect(s.codes.map((c) => c.unitSteps)).toEqual([1, 4, 7, 4]);
    expect(s.codes[3]).toEqual({ code: 3, startStep: 12, endStep: 16, unitSteps: 4, startValue: 3, endValue: 4 });
    expect(s.error[0]).toBeCloseTo(-0.05, 15);
  });
  it('accepts an absolute unit step and ends the grid at or above U', () => {
    const q = quantizerOf('cdf', [0, 1], [0.55]);
    const s = rampStaircase(q, { L: 0, U: 1 }, { unitStep: 0.3 });
    expect(s.totalSteps).toBe(4);
    expect(s.referenceSteps[0]).toBe(2);
    expect(s.codes[1].endValue).toBeGreaterThanOrEqual(1);
  });
  it('rejects a resolution outside 1–24', () => {
    expect(() => rampStaircase(q3, bounds, { resolution: 0 })).toThrow(/resolution/);
    expect(() => rampStaircase(q3, bounds, { resolution: 25 })).toThrow(/resolution/);
  });
});

describe('snapReferences', () => {
  it('converges to the unsnapped MSE as the grid gets finer', () => {
    const q = quantizerOf('kmeans', [0, 0.31, 0.77, 1.23, 1.71, 2.2, 2.75, 3.4]);
    const gaps = [4, 8, 12, 16, 20].map((r) => {
      const s = snapReferences(ps, q, bounds, r);
      return Math.abs(s.mseAfter - s.mseBefore) / s.mseBefore;
    });
    expect(gaps[0]).toBeGreaterThan(1e-4);
    expect(gaps[4]).toBeLessThan(1e-9);
    const s = snapReferences(ps, q, bounds, 20);
    expect(s.mergedCodes).toEqual([]);
    for (let j = 0; j < q.thresholds.length; j++) {
      const moved = Math.abs(s.quantizer.thresholds[j] - q.thresholds[j]);
      expect(moved).toBeLessThanOrEqual(s.staircase.unitStep / 2 + 1e-15);
    }
  });
  it('keeps the designed levels (only the references move)', () => {
    const s = snapReferences(ps, q3, bounds, 2);
    expect(s.quantizer.levels).toBe(q3.levels);
    expect(s.quantizer.method).toBe('linear');
    expect(s.quantizer.bits).toBe(3);
  });
  it('merges codes whose two references land on one grid value and reports them', () => {
    // References 0.9, 1.05, 1.1 on a grid of 4 steps over [0, 4] all round to 1: codes 1 and 2 vanish.
    const q = quantizerOf('cdf', [0.5, 1, 1.07, 2], [0.9, 1.05, 1.1]);
    const tiny = buildExactPointSet([0, 0.5, 1, 1.06, 1.08, 2, 4]);
    const s = snapReferences(tiny, q, { L: 0, U: 4 }, 2);
    expect(Array.from(s.quantizer.thresholds)).toEqual([1, 1, 1]);
    expect(s.mergedCodes).toEqual([1, 2]);
    expect(s.merges).toEqual([{ value: 1, step: 1, references: [1, 2, 3], codes: [1, 2] }]);
    expect(s.staircase.codes.map((c) => c.unitSteps)).toEqual([1, 0, 0, 3]);
    expect(s.mseAfter).toBeCloseTo(bruteMse(Float64Array.of(0, 0.5, 1, 1.06, 1.08, 2, 4), s.quantizer), 12);
  });
  it('does not report references that already coincided before snapping as merged', () => {
    const q = quantizerOf('cdf', [0, 0, 1, 2], [0, 0, 1.5]);
    const s = snapReferences(ps, q, { L: 0, U: 4 }, 3);
    expect(s.mergedCodes).toEqual([]);
    expect(s.merges).toEqual([]);
  });
  it('computes both MSEs on the original point set, as the sample-level definition', () => {
    const s = snapReferences(ps, q3, bounds, 3);
    expect(s.mseBefore).toBeCloseTo(bruteMse(samples, q3), 12);
    expect(s.mseAfter).toBeCloseTo(bruteMse(samples, s.quantizer), 12);
    expect(s.mseAfter).not.toBe(s.mseBefore);
  });
});

describe('TrialNormals', () => {
  const drawn = (seed: number, trial: number, count: number) => {
    const normal = createNormal(createRng(deriveSeed(seed, trial)));
    return Array.from({ length: count }, () => normal());
  };
  it('gives trial i the draws of createNormal(createRng(deriveSeed(seed, i))), in order, however it was asked before', () => {
    fc.assert(
      fc.property(
        fc.nat(1000),
        fc.array(fc.tuple(fc.nat(5), fc.integer({ min: 1, max: 40 })), { minLength: 1, maxLength: 12 }),
        (seed, asks) => {
          const normals = new TrialNormals(seed);
          for (const [trial, count] of asks) {
            expect(Array.from(normals.row(trial, count).subarray(0, count))).toEqual(drawn(seed, trial, count));
          }
        },
      ),
      { seed: 7, numRuns: 60 },
    );
  });
  it('keeps rows up to its budget and draws the rest on each use, with the same values', () => {
    const normals = new TrialNormals(3, 10);
    const kept = normals.row(0, 8);
    expect(normals.row(0, 8)).toBe(kept);
    const overBudget = normals.row(1, 8);
    expect(normals.row(1, 8)).not.toBe(overBudget);
    expect(Array.from(normals.row(1, 8))).toEqual(drawn(3, 1, 8));
  });
  it('shared across designs and calls, gives every variation result bit for bit as fresh draws do', () => {
    const normals = new TrialNormals(options.seed);
    const q2 = quantizerOf('cdf', [0, 0.1, 0.4, 2], [0.05, 0.3, 1.3]);
    for (const q of [q3, q2, q3]) {
      const shared = referenceVariation(ps, q, bounds, options, normals);
      const fresh = referenceVariation(ps, q, bounds, options);
      expect(Array.from(shared.mses)).toEqual(Array.from(fresh.mses));
    }
    expect(() => referenceVariation(ps, q3, bounds, { ...options, seed: options.seed + 1 }, normals)).toThrow(/seed/);
  });
});

describe('referenceVariation', () => {
  it('gives exactly the unperturbed MSE at σ = 0 (every trial, mean and quantiles)', () => {
    const qs = [q3, quantizerOf('cdf', [0, 0.1, 0.4, 2], [0.05, 0.3, 1.3])];
    for (const q of qs) {
      for (const sigmaOf of ['range', 'step'] as const) {
        const r = referenceVariation(ps, q, bounds, { sigma: 0, sigmaOf, trials: 37, seed: 5 });
        const nominal = quantizerMse(ps, q.thresholds, q.levels);
        expect(r.nominalMse).toBe(nominal);
        expect(r.meanMse).toBe(nominal);
        expect(r.q05Mse).toBe(nominal);
        expect(r.q95Mse).toBe(nominal);
        expect(Array.from(r.mses).every((v) => v === nominal)).toBe(true);
      }
    }
  });
  it('repeats exactly for the same seed', () => {
    const a = referenceVariation(ps, q3, bounds, options);
    const b = referenceVariation(ps, q3, bounds, options);
    expect(Array.from(b.mses)).toEqual(Array.from(a.mses));
    expect(b.meanMse).toBe(a.meanMse);
    expect(b.q05Mse).toBe(a.q05Mse);
    expect(b.q95Mse).toBe(a.q95Mse);
  });
  it('differs between seeds', () => {
    const a = referenceVariation(ps, q3, bounds, options);
    const b = referenceVariation(ps, q3, bounds, { ...options, seed: 4 });
    expect(b.meanMse).not.toBe(a.meanMse);
    expect(Array.from(b.mses)).not.toEqual(Array.from(a.mses));
  });
  it('brackets the mean between the 5 % and 95 % quantiles and grows the error with σ', () => {
    const small = referenceVariation(ps, q3, bounds, { ...options, sigma: 0.005 });
    const large = referenceVariation(ps, q3, bounds, { ...options, sigma: 0.05 });
    for (const r of [small, large]) {
      expect(r.q05Mse).toBeLessThanOrEqual(r.meanMse);
      expect(r.meanMse).toBeLessThanOrEqual(r.q95Mse);
    }
    // The linear quantizer's midpoints are optimal for its levels, so any offset costs MSE.
    expect(small.meanMse).toBeGreaterThan(small.nominalMse);
    expect(large.meanMse).toBeGreaterThan(small.meanMse);
  });
  it('evaluates each trial with re-sorted perturbed references and the designed levels', () => {
    const r = referenceVariation(ps, q3, bounds, { sigma: 0.3, sigmaOf: 'range', trials: 5, seed: 11 });
    // Re-draw trial 2's references as documented and check its MSE sample by sample.
    const normal = createNormal(createRng(deriveSeed(11, 2)));
    const sigmaAbs = 0.3 * (bounds.U - bounds.L);
    const t = Float64Array.from(q3.thresholds, (v) => v + sigmaAbs * normal()).sort();
    expect(r.sigmaAbs).toBeCloseTo(sigmaAbs, 12);
    expect(r.mses[2]).toBeCloseTo(bruteMse(samples, { ...q3, thresholds: t }), 12);
  });
  it('scales σ by the smallest positive reference step (from L) in step mode', () => {
    const q = quantizerOf('cdf', [0, 0.1, 0.4, 2], [0.05, 0.3, 1.3]);
    expect(smallestStep(q.thresholds, 0, 4)).toBeCloseTo(0.05, 15);
    expect(absoluteSigma(q, { L: 0, U: 4 }, 0.5, 'step')).toBeCloseTo(0.025, 15);
    expect(absoluteSigma(q, { L: 0, U: 4 }, 0.5, 'range')).toBe(2);
    expect(smallestStep(Float64Array.of(0, 0), 0, 4)).toBe(4);
  });
  it('rejects negative σ, zero trials and a fractional seed', () => {
    expect(() => referenceVariation(ps, q3, bounds, { ...options, sigma: -1 })).toThrow(/sigma/);
    expect(() => referenceVariation(ps, q3, bounds, { ...options, trials: 0 })).toThrow(/trials/);
    expect(() => referenceVariation(ps, q3, bounds, { ...options, seed: 1.5 })).toThrow(/seed/);
  });
  it('works on a binned point set', () => {
    const b = buildBinnedPointSet(samples, 1024);
    const r = referenceVariation(b, q3, { L: b.min, U: b.max }, { ...options, sigma: 0 });
    expect(r.meanMse).toBe(quantizerMse(b, q3.thresholds, q3.levels));
  });
});

describe('quantileSorted', () => {
  it('uses R-7: h = (N − 1)p with linear interpolation (NumPy default)', () => {
    const v = Float64Array.of(1, 2, 3, 4);
    expect(quantileSorted(v, 0.05)).toBeCloseTo(1.15, 15);
    expect(quantileSorted(v, 0.95)).toBeCloseTo(3.85, 15);
    expect(quantileSorted(v, 0)).toBe(1);
    expect(quantileSorted(v, 1)).toBe(4);
    expect(quantileSorted(v, 0.5)).toBe(2.5);
    const ten = Float64Array.from({ length: 21 }, (_, i) => i * 10);
    expect(quantileSorted(ten, 0.05)).toBe(10);
    expect(quantileSorted(ten, 0.95)).toBe(190);
    expect(quantileSorted(Float64Array.of(7), 0.95)).toBe(7);
    expect(quantileSorted(new Float64Array(0), 0.5)).toBeNaN();
  });
});

describe('referenceVariationCurves', () => {
  it('returns one curve per method in METHODS order with bits ascending, equal to single runs', () => {
    const qs: Quantizer[] = [];
    for (const bits of [3, 1, 2]) qs.push(linearQuantizer(bits, bounds.L, bounds.U, 'kmeans'));
    for (const bits of [2, 1]) qs.push(linearQuantizer(bits, bounds.L, bounds.U));
    const opts = { ...options, trials: 20 };
    const curves = referenceVariationCurves(ps, qs, bounds, opts);
    expect(curves.map((c) => c.method)).toEqual(['linear', 'kmeans']);
    expect(curves[0].bits).toEqual([1, 2]);
    expect(curves[1].bits).toEqual([1, 2, 3]);
    const single = referenceVariation(ps, qs[0], bounds, opts);
    expect(curves[1].meanMse[2]).toBe(single.meanMse);
    expect(curves[1].q05Mse[2]).toBe(single.q05Mse);
    expect(curves[1].q95Mse[2]).toBe(single.q95Mse);
    expect(curves[1].nominalMse[2]).toBe(single.nominalMse);
  });
});

describe('spacingWarnings', () => {
  const t = Float64Array.of(0.1, 0.12, 0.5, 0.5, 1, 1.3);
  it('lists adjacent references closer than an absolute minimum, with the code between them', () => {
    const w = spacingWarnings(t, { L: 0, U: 2 }, { absolute: 0.05 });
    expect(w.map((x) => [x.lower, x.upper, x.code])).toEqual([
      [1, 2, 1],
      [3, 4, 3],
    ]);
    expect(w[0].gap).toBeCloseTo(0.02, 15);
    expect(w[1].gap).toBe(0);
    expect(w[0].message).toMatch(/t1 and t2/);
  });
  it('scales a fractional minimum by the range and lets a gap equal to the minimum pass', () => {
    const w = spacingWarnings(t, { L: 0, U: 2 }, { fractionOfRange: 0.15 });
    expect(w.map((x) => x.code)).toEqual([1, 3]);
    expect(spacingWarnings(Float64Array.of(0, 0.25), { L: 0, U: 1 }, { absolute: 0.25 })).toEqual([]);
    expect(spacingWarnings(Float64Array.of(0, 0.25), { L: 0, U: 1 }, { absolute: 0.2500001 })).toHaveLength(1);
  });
});

describe('adcSummary', () => {
  it('collects snapping, variation and spacing as plain JSON-ready values', () => {
    const s = adcSummary(ps, q3, bounds, {
      grid: 6,
      variation: { ...options, trials: 10 },
      minSpacing: { fractionOfRange: 0.2 },
    });
    const snap = snapReferences(ps, q3, bounds, 6);
    expect(s.grid?.mseAfter).toBe(snap.mseAfter);
    expect(s.grid?.thresholds).toEqual(Array.from(snap.quantizer.thresholds));
    expect(s.variation?.meanMse).toBe(referenceVariation(ps, q3, bounds, { ...options, trials: 10 }).meanMse);
    expect(s.spacing?.warnings.length).toBe(6);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(adcSummary(ps, q3, bounds, {})).toEqual({});
    const thresholds = s.grid?.thresholds ?? [];
    const rebuilt = quantizerFromLists({ method: 'linear', bits: 3, levels: Array.from(q3.levels), thresholds });
    expect(mseOf(ps, rebuilt)).toBe(s.grid?.mseAfter);
  });
});

describe('on designed quantizers (every method × bits 1–8)', () => {
  const designed: Quantizer[] = [];
  for (const method of METHODS) {
    for (let bits = 1; bits <= 8; bits++) designed.push(designQuantizer(ps, method, bits, DEFAULT_PARAMS));
  }
  const { L, U } = resolveBoundaries(ps, DEFAULT_PARAMS);

  it('σ = 0 gives exactly the MSE of the metrics table (evaluate) for every method and bits', () => {
    const bands = computeBands(ps, DEFAULT_PARAMS, L, U);
    const linear = linearMseByBits(ps, L, U);
    const zero = { sigma: 0, sigmaOf: 'step', trials: 3, seed: 1 } as const;
    const curves = referenceVariationCurves(ps, designed, { L, U }, zero);
    expect(curves.map((c) => c.method)).toEqual([...METHODS]);
    for (const c of curves) {
      expect(c.bits).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      for (let i = 0; i < 8; i++) {
        const q = designed.find((d) => d.method === c.method && d.bits === c.bits[i]) as Quantizer;
        const { mse } = evaluate(ps, q, { bands, optimalMse: optimalMse(ps, q.bits), linearMseByBits: linear });
        expect(c.meanMse[i]).toBe(mse);
        expect(c.q05Mse[i]).toBe(mse);
        expect(c.q95Mse[i]).toBe(mse);
      }
    }
  });
  it('variation costs the optimum MSE on average at σ > 0 (its references are optimal for its levels)', () => {
    const opts = { sigma: 0.2, sigmaOf: 'step', trials: 30, seed: 2 } as const;
    const curves = referenceVariationCurves(ps, designed, { L, U }, opts);
    const optimal = curves.find((c) => c.method === 'optimal') as (typeof curves)[number];
    for (let i = 0; i < 8; i++) expect(optimal.meanMse[i]).toBeGreaterThan(optimal.nominalMse[i]);
  });
  it('a fine grid converges to the designed MSE for every method but cdf', () => {
    const off: string[] = [];
    for (const q of designed.filter((d) => d.method !== 'cdf')) {
      const fine = snapReferences(ps, q, { L, U }, 24);
      if (Math.abs(fine.mseAfter - fine.mseBefore) > 1e-9 * fine.mseBefore) off.push(`${q.method}@${q.bits}`);
    }
    expect(off).toEqual([]);
  });
  it("a fine grid moves cdf's references (which sit on sample values) only by the side each one rounds to", () => {
    for (const q of designed.filter((d) => d.method === 'cdf')) {
      const fine = snapReferences(ps, q, { L, U }, 24);
      // The limit of a vanishing grid step: each reference just above or below its data value.
      const side = fine.staircase.error;
      const nudged = Float64Array.from(q.thresholds, (t, j) => t + Math.sign(side[j]) * 1e-12 * (U - L));
      const limit = mseOf(ps, { thresholds: nudged, levels: q.levels });
      expect(Math.abs(fine.mseAfter - limit)).toBeLessThanOrEqual(1e-9 * limit);
    }
  });
  it('a coarse grid merges most codes of an 8-bit quantizer and costs MSE', () => {
    const q8 = designed.find((q) => q.method === 'kmeanspp' && q.bits === 8) as Quantizer;
    const coarse = snapReferences(ps, q8, { L, U }, 4);
    // 255 references on 17 grid values leave at most 16 of the 254 interior codes with a width.
    expect(coarse.mergedCodes.length).toBeGreaterThanOrEqual(254 - 16);
    expect(coarse.mseAfter).toBeGreaterThan(coarse.mseBefore);
  });
});
