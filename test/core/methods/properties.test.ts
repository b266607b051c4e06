import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildBinnedPointSet, buildExactPointSet, type PointSet } from '../../../src/core/pointset';
import { createNormal, createRng, deriveSeed } from '../../../src/core/rng';
import { DEFAULT_PARAMS, METHODS, type Params } from '../../../src/core/params';
import { codeOf } from '../../../src/core/quantizer';
import { designQuantizer } from '../../../src/core/design';
import { forgySeeds, levelsCost, plusPlusSeeds, weightedLloyd, MAX_ITERATIONS } from '../../../src/core/methods/kmeans';
import { linearLevels } from '../../../src/core/methods/linear';

function spiky(seed: number, n: number, zeroShare: number): Float64Array {
  const rng = createRng(seed);
  const normal = createNormal(rng);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rng() < zeroShare ? 0 : Math.min(6, Math.abs(normal() * 2));
  return v;
}

const setArb = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  n: fc.integer({ min: 1, max: 3000 }),
  zeroShare: fc.constantFrom(0, 0.3, 0.6),
  binned: fc.boolean(),
  bits: fc.integer({ min: 1, max: 8 }),
});

function build(v: Float64Array, binned: boolean): PointSet {
  return binned ? buildBinnedPointSet(v, 256) : buildExactPointSet(v);
}

describe('quantizer properties', () => {
  it('every method gives 2^bits sorted levels, 2^bits − 1 sorted thresholds and codes in [0, k)', () => {
    fc.assert(
      fc.property(setArb, ({ seed, n, zeroShare, binned, bits }) => {
        const ps = build(spiky(seed, n, zeroShare), binned);
        const k = 2 ** bits;
        for (const method of METHODS) {
          const q = designQuantizer(ps, method, bits, { ...DEFAULT_PARAMS, restarts: 2 });
          expect(q.levels.length).toBe(k);
          expect(q.thresholds.length).toBe(k - 1);
          for (let j = 1; j < k; j++) expect(q.levels[j]).toBeGreaterThanOrEqual(q.levels[j - 1]);
          for (let j = 1; j < k - 1; j++) expect(q.thresholds[j]).toBeGreaterThanOrEqual(q.thresholds[j - 1]);
          for (const x of ps.x) {
            const c = codeOf(q.thresholds, x);
            expect(c >= 0 && c < k).toBe(true);
          }
          for (const v of q.levels) expect(Number.isFinite(v)).toBe(true);
        }
      }),
      { seed: 42, numRuns: 30 },
    );
  });

  it('lloydmax and both K-means seedings never end worse than their starting levels', () => {
    fc.assert(
      fc.property(setArb, ({ seed, n, zeroShare, binned, bits }) => {
        const ps = build(spiky(seed, n, zeroShare), binned);
        const k = 2 ** bits;
        const starts = [
          linearLevels(k, ps.min, ps.max),
          forgySeeds(ps, k, createRng(deriveSeed(seed, 0))).sort(),
          plusPlusSeeds(ps, new Float64Array(0), k, k, createRng(deriveSeed(seed, 1))).sort(),
        ];
        starts.forEach((start, s) => {
          const before = levelsCost(ps, start);
          const levels = start.slice();
          weightedLloyd(ps, levels, {
            maxIterations: MAX_ITERATIONS,
            tolerance: s === 0 ? 1e-9 * (ps.max - ps.min) : null,
          });
          expect(levelsCost(ps, levels)).toBeLessThanOrEqual(before * (1 + 1e-12) + 1e-12);
        });
      }),
      { seed: 42, numRuns: 40 },
    );
  });

  it('bskmq keeps its pinned levels exactly at L and U', () => {
    fc.assert(
      fc.property(
        setArb,
        fc.constantFrom('both' as const, 'low' as const, 'high' as const),
        fc.constantFrom('random' as const, 'plusplus' as const),
        ({ seed, n, zeroShare, binned, bits }, pin, bsInit) => {
          const ps = build(spiky(seed, n, zeroShare), binned);
          const params: Params = { ...DEFAULT_PARAMS, pin, bsInit, restarts: 2 };
          const q = designQuantizer(ps, 'bskmq', bits, params);
          if (pin !== 'high') expect(q.levels[0]).toBe(ps.min);
          if (pin !== 'low') expect(q.levels[q.levels.length - 1]).toBe(ps.max);
        },
      ),
      { seed: 42, numRuns: 40 },
    );
  });

  it('kmeanspp lands within 5 % of optimal on spiky data at 1–4 bits', () => {
    const ps = buildExactPointSet(spiky(7, 20000, 0.5));
    for (let bits = 1; bits <= 4; bits++) {
      const pp = levelsCost(ps, designQuantizer(ps, 'kmeanspp', bits, DEFAULT_PARAMS).levels);
      const opt = levelsCost(ps, designQuantizer(ps, 'optimal', bits, DEFAULT_PARAMS).levels);
      expect(pp).toBeLessThanOrEqual(opt * 1.05);
    }
  });
});
