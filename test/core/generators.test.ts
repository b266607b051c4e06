import { describe, expect, it } from 'vitest';
import { GENERATOR_NAMES, GENERATORS, generate, resolveGeneratorOptions } from '../../src/core/generators';
import { buildExactPointSet } from '../../src/core/pointset';
import { inputStats, shareAt } from '../../src/core/stats';

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 through erf; |error| < 1.5e-7). */
function phi(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** |observed share − p| within 5 binomial standard deviations. */
function expectShare(observed: number, p: number, n: number) {
  expect(Math.abs(observed - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / n) + 1e-12);
}

function shareOf(data: Float32Array, v: number): number {
  let c = 0;
  for (const x of data) if (x === v) c++;
  return c / data.length;
}

describe('generators', () => {
  it('are repeatable per seed and differ between seeds, for every generator', () => {
    for (const name of GENERATOR_NAMES) {
      const a = generate(name, { n: 2000, seed: 7 });
      const b = generate(name, { n: 2000, seed: 7 });
      const c = generate(name, { n: 2000, seed: 8 });
      expect(a).toBeInstanceOf(Float32Array);
      expect(a.length).toBe(2000);
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(Array.from(a)).not.toEqual(Array.from(c));
      expect(a.every(Number.isFinite)).toBe(true);
    }
  });

  it('describe every parameter with a default inside its range and help text', () => {
    for (const name of GENERATOR_NAMES) {
      const spec = GENERATORS[name];
      expect(spec.name).toBe(name);
      expect(spec.params.slice(0, 2).map((p) => p.name)).toEqual(['n', 'seed']);
      for (const p of spec.params) {
        expect(p.default).toBeGreaterThanOrEqual(p.min);
        expect(p.default).toBeLessThanOrEqual(p.max);
        expect(p.help.length).toBeGreaterThan(5);
      }
      expect(() => resolveGeneratorOptions(name)).not.toThrow();
    }
  });

  it('reject unknown generators, unknown parameters and out-of-range values with a message naming them', () => {
    expect(() => generate('nope' as never)).toThrow(/unknown generator "nope"/);
    expect(() => generate('relu6', { sigma: 1 })).toThrow(/relu6: unknown parameter "sigma"/);
    expect(() => generate('relu6', { std: -1 })).toThrow(/relu6: std must be a number in 0.001–100; got -1/);
    expect(() => generate('relu6', { n: 1.5 })).toThrow(/n must be an integer/);
    expect(() => generate('clamped-laplace', { low: 2, high: 1 })).toThrow(/low must be below high/);
    expect(() => generate('spiky-mixture', { zeroShare: 0.9, clampShare: 0.2 })).toThrow(/≤ 1/);
  });

  it('relu-gaussian gives exact zeros with share Φ(−mean/std) (half at the defaults)', () => {
    const n = 100_000;
    expectShare(shareOf(generate('relu-gaussian', { n, seed: 1 }), 0), 0.5, n);
    expectShare(shareOf(generate('relu-gaussian', { n, seed: 2, mean: 0.5, std: 2 }), 0), phi(-0.25), n);
    expect(Math.min(...generate('relu-gaussian', { n: 1000 }))).toBe(0);
  });

  it('relu6 gives spikes at 0 and at 6 with the normal tail shares', () => {
    const n = 100_000;
    const d = generate('relu6', { n, seed: 3 });
    expectShare(shareOf(d, 0), phi(-1 / 2.5), n);
    expectShare(shareOf(d, 6), 1 - phi(5 / 2.5), n);
    expect(Math.max(...d)).toBe(6);
  });

  it('clamped-laplace gives spikes of e^(−3)/2 at both clamp values by default', () => {
    const n = 100_000;
    const d = generate('clamped-laplace', { n, seed: 4 });
    expectShare(shareOf(d, -3), Math.exp(-3) / 2, n);
    expectShare(shareOf(d, 3), Math.exp(-3) / 2, n);
  });

  it('spiky-mixture puts its spike shares at 0, the interior value and the clamp', () => {
    const n = 100_000;
    const d = generate('spiky-mixture', { n, seed: 5 });
    const bodyBelow0 = 0.55 * phi(-1.5),
      bodyAbove4 = 0.55 * (1 - phi(2.5));
    expectShare(shareOf(d, 0), 0.3 + bodyBelow0, n);
    expectShare(shareOf(d, 4), 0.05 + bodyAbove4, n);
    expectShare(shareOf(d, 1), 0.1, n);
  });

  it('gelu-tail has GELU’s negative dip (≥ −0.17·std) and a heavier right tail with fewer degrees of freedom', () => {
    const light = generate('gelu-tail', { n: 50_000, seed: 6, df: 100 });
    const heavy = generate('gelu-tail', { n: 50_000, seed: 6, df: 2 });
    expect(Math.min(...light)).toBeGreaterThanOrEqual(-0.171);
    expect(Math.min(...light)).toBeLessThan(-0.16);
    expect(Math.max(...heavy)).toBeGreaterThan(2 * Math.max(...light));
  });
});

describe('input statistics', () => {
  it('give n, non-finite count, min, max, mean, population std and spike shares at L and U', () => {
    const ps = buildExactPointSet([0, 0, 0, 1, 2, 6, 6, NaN, Infinity]);
    const s = inputStats(ps);
    expect(s.n).toBe(7);
    expect(s.nonFinite).toBe(2);
    expect(s.min).toBe(0);
    expect(s.max).toBe(6);
    expect(s.mean).toBeCloseTo(15 / 7, 12);
    const mean = 15 / 7;
    const variance = [0, 0, 0, 1, 2, 6, 6].reduce((a, x) => a + (x - mean) ** 2, 0) / 7;
    expect(s.std).toBeCloseTo(Math.sqrt(variance), 12);
    expect(s.spikeLow).toBeCloseTo(3 / 7, 15);
    expect(s.spikeHigh).toBeCloseTo(2 / 7, 15);
    expect(inputStats(ps, -1, 2).spikeLow).toBe(0);
    expect(inputStats(ps, -1, 2).spikeHigh).toBeCloseTo(1 / 7, 15);
  });
  it('are NaN-free counts for a set with no finite samples', () => {
    const s = inputStats(buildExactPointSet([NaN, NaN]));
    expect(s.n).toBe(0);
    expect(s.nonFinite).toBe(2);
    expect(Number.isNaN(s.mean)).toBe(true);
    expect(s.spikeLow).toBe(0);
    expect(shareAt(buildExactPointSet([]), 0)).toBe(0);
  });
});
