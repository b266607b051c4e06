import { describe, expect, it } from 'vitest';
import { buildBinnedPointSet, buildExactPointSet, emptyPointSet, type PointSet } from '../../../src/core/pointset';
import { createNormal, createRng } from '../../../src/core/rng';
import { DEFAULT_PARAMS, METHODS, type Params } from '../../../src/core/params';
import { codeOf, type Quantizer } from '../../../src/core/quantizer';
import { designQuantizer } from '../../../src/core/design';
import { resolveBoundaries } from '../../../src/core/boundaries';
import { clusterLevels } from '../../../src/core/methods/kmeans';

/** ReLU of a standard normal: about half the samples exactly 0. */
function relu(n: number, seed: number): Float64Array {
  const normal = createNormal(createRng(seed));
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = Math.max(0, normal());
  return v;
}

function occupancy(ps: PointSet, q: Quantizer): Float64Array {
  const occ = new Float64Array(q.levels.length);
  for (let i = 0; i < ps.x.length; i++) occ[codeOf(q.thresholds, ps.x[i])] += ps.w[i];
  return occ;
}

describe('ReLU data with half its samples exactly 0', () => {
  const ps = buildExactPointSet(relu(20000, 3));
  it('cdf makes several thresholds coincide at 0 (wasted codes)', () => {
    const q = designQuantizer(ps, 'cdf', 3, DEFAULT_PARAMS);
    expect(q.thresholds[0]).toBe(0);
    expect(q.thresholds[1]).toBe(0);
    expect(q.thresholds[2]).toBe(0);
    expect(Array.from(occupancy(ps, q)).filter((w) => w === 0).length).toBeGreaterThanOrEqual(3);
  });
  for (const bits of [2, 3, 5]) {
    it(`bskmq with the default settings pins a level at exactly 0 and every level receives samples (${bits} bits)`, () => {
      const q = designQuantizer(ps, 'bskmq', bits, DEFAULT_PARAMS);
      expect(q.levels[0]).toBe(0);
      for (const w of occupancy(ps, q)) expect(w).toBeGreaterThan(0);
    });
  }
  it('gives the same K-means and BS-KMQ levels for the same seed on every call', () => {
    for (const method of ['kmeans', 'kmeanspp', 'bskmq'] as const) {
      const a = designQuantizer(ps, method, 4, { ...DEFAULT_PARAMS, seed: 9 });
      const b = designQuantizer(ps, method, 4, { ...DEFAULT_PARAMS, seed: 9 });
      expect(Array.from(a.levels)).toEqual(Array.from(b.levels));
    }
  });
});

describe('edge cases', () => {
  const params = (p: Partial<Params> = {}): Params => ({ ...DEFAULT_PARAMS, ...p });

  it('constant data puts every level of every method at the constant', () => {
    for (const ps of [
      buildExactPointSet(new Float64Array(50).fill(1.5)),
      buildBinnedPointSet(new Float64Array(50).fill(1.5), 64),
    ]) {
      for (const method of METHODS) {
        for (const bits of [1, 3]) {
          for (const bsInit of ['random', 'plusplus'] as const) {
            const q = designQuantizer(ps, method, bits, params({ bsInit }));
            for (const v of q.levels) expect(v).toBe(1.5);
            for (const t of q.thresholds) expect(t).toBe(1.5);
          }
        }
      }
    }
  });

  it('fewer distinct points than codes: finite sorted levels covering every point', () => {
    const ps = buildExactPointSet([0, 0, 0, 1, 2, 2]);
    for (const method of METHODS) {
      for (const bsInit of ['random', 'plusplus'] as const) {
        const q = designQuantizer(ps, method, 4, params({ bsInit, pin: 'none', suppressWeight: 1 }));
        expect(q.levels.every(Number.isFinite)).toBe(true);
        if (method !== 'linear' && method !== 'cdf') {
          for (const x of [0, 1, 2]) expect(q.levels).toContain(x);
        }
      }
    }
  });

  it('bits 1 gives two levels and one threshold for every method', () => {
    const ps = buildExactPointSet(relu(500, 1));
    for (const method of METHODS) {
      const q = designQuantizer(ps, method, 1, params());
      expect(q.levels.length).toBe(2);
      expect(q.thresholds.length).toBe(1);
      expect(q.levels[0]).toBeLessThan(q.levels[1]);
    }
  });

  it('bskmq with both boundaries pinned at 1 bit has levels exactly L and U', () => {
    const ps = buildExactPointSet(relu(500, 2));
    for (const pin of ['both', 'auto'] as const) {
      const q = designQuantizer(ps, 'bskmq', 1, params({ pin, spikeMin: 0 }));
      expect(Array.from(q.levels)).toEqual([ps.min, ps.max]);
      expect(q.iterations).toBe(0);
    }
  });

  it('bskmq clusters the original set when suppression removes every sample', () => {
    const ps = buildExactPointSet(relu(400, 4));
    const all = params({
      suppressMode: 'percentile',
      pctLow: 50,
      pctHigh: 50,
      suppressWeight: 0,
      pin: 'none',
      bsInit: 'random',
    });
    const q = designQuantizer(ps, 'bskmq', 3, all);
    const ref = clusterLevels(ps, 8, 'random', all.seed, all.restarts);
    expect(Array.from(q.levels)).toEqual(Array.from(ref.levels));
  });

  it('bskmq with pin none, no suppression and random seeds is exactly the kmeans baseline', () => {
    const ps = buildExactPointSet(relu(2000, 5));
    const p = params({ pin: 'none', bandLow: 0, bandHigh: 0, suppressWeight: 1, bsInit: 'random' });
    for (const bits of [2, 4]) {
      expect(Array.from(designQuantizer(ps, 'bskmq', bits, p).levels)).toEqual(
        Array.from(designQuantizer(ps, 'kmeans', bits, p).levels),
      );
    }
  });

  it('a point set without finite samples designs linear levels over user boundaries, and throws without them', () => {
    const ps = emptyPointSet('exact', 3);
    const q = designQuantizer(ps, 'kmeans', 2, params({ low: 0, high: 3 }));
    expect(Array.from(q.levels)).toEqual([0, 1, 2, 3]);
    expect(q.method).toBe('kmeans');
    expect(() => designQuantizer(ps, 'cdf', 2, params())).toThrow(RangeError);
  });

  it('rejects bits outside 1–16 or fractional', () => {
    const ps = buildExactPointSet([1, 2, 3]);
    for (const bits of [0, 17, 2.5, NaN])
      expect(() => designQuantizer(ps, 'linear', bits, params())).toThrow(RangeError);
  });

  it('resolveBoundaries takes user boundaries over the data and swaps crossed ones', () => {
    const ps = buildExactPointSet([1, 2, 3]);
    expect(resolveBoundaries(ps, { low: null, high: null })).toEqual({ L: 1, U: 3 });
    expect(resolveBoundaries(ps, { low: 0, high: null })).toEqual({ L: 0, U: 3 });
    expect(resolveBoundaries(ps, { low: 5, high: null })).toEqual({ L: 3, U: 5 });
  });

  it('linear puts its last level at U exactly even when L + R rounds away from it', () => {
    const ps = buildExactPointSet([0.1, 0.7]);
    const q = designQuantizer(ps, 'linear', 3, params({ low: 0.1, high: 0.7 }));
    expect(q.levels[0]).toBe(0.1);
    expect(q.levels[7]).toBe(0.7);
  });
});
