import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildBinnedPointSet, buildExactPointSet, reweightPointSet, type PointSet } from '../../../src/core/pointset';
import { createNormal, createRng, deriveSeed, type Rng } from '../../../src/core/rng';
import { DEFAULT_PARAMS } from '../../../src/core/params';
import { computeBands, suppressedPointSet } from '../../../src/core/suppression';
import { localTrials, plusPlusSeeds } from '../../../src/core/methods/kmeans';

/**
 * k-means++ seeding with every point's potential held and summed point by point (what
 * `plusPlusSeeds` computes per cell): the same draws, the same candidate rule, the same fallbacks.
 */
function pointwisePlusPlus(ps: PointSet, fixed: number[], count: number, totalK: number, rng: Rng): number[] {
  const { x, w, s2, cw } = ps;
  const m = x.length;
  let last = m - 1;
  while (last > 0 && !(w[last] > 0)) last--;
  const byWeight = (u: number) => {
    for (let i = 0; i < m; i++) if (cw[i + 1] > u) return i;
    return last;
  };
  const potAt = (i: number, c: number) => w[i] * (x[i] - c) * (x[i] - c) + s2[i];
  const centres = fixed.slice();
  const out: number[] = [];
  if (centres.length === 0) {
    const first = x[byWeight(rng() * ps.n)];
    centres.push(first);
    out.push(first);
  }
  const pot = Array.from(x, (_, i) => Math.min(...centres.map((c) => potAt(i, c))));
  const trials = localTrials(totalK);
  while (out.length < count) {
    const P = pot.reduce((s, p) => s + p, 0);
    const candidates: number[] = [];
    for (let t = 0; t < trials; t++) {
      const u = rng() * (P > 0 ? P : ps.n);
      let idx = last;
      if (P > 0) {
        let acc = 0;
        for (let i = 0; i < m; i++) {
          acc += pot[i];
          if (acc > u) {
            idx = i;
            break;
          }
        }
      } else idx = byWeight(u);
      candidates.push(Math.min(idx, last));
    }
    let best = 0,
      bestPot = Infinity;
    for (const idx of candidates) {
      let after = 0;
      for (let i = 0; i < m; i++) after += Math.min(pot[i], potAt(i, x[idx]));
      if (after < bestPot) {
        bestPot = after;
        best = idx;
      }
    }
    for (let i = 0; i < m; i++) pot[i] = Math.min(pot[i], potAt(i, x[best]));
    centres.push(x[best]);
    out.push(x[best]);
  }
  return out;
}

/** Thousands of distinct points, a spike at 0 and at the clamp: cells far larger than the point-by-point cut-off. */
function activations(seed: number, n: number, zeroShare: number): number[] {
  const rng = createRng(seed);
  const normal = createNormal(rng);
  return Array.from({ length: n }, () => {
    const u = rng();
    if (u < zeroShare) return 0;
    return Math.min(6, Math.max(0, 1 + 2.5 * normal()));
  });
}

describe('k-means++ seeding held per cell draws the same centres as point-by-point potentials', () => {
  it('on exact and binned sets, suppressed with weight 0 or ¼, with and without pinned levels', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 2 ** 31 }),
          n: fc.integer({ min: 500, max: 4000 }),
          zeroShare: fc.constantFrom(0, 0.3),
          binned: fc.boolean(),
          band: fc.constantFrom(0, 0.05, 0.3),
          suppressWeight: fc.constantFrom(0, 0.25),
          pinned: fc.boolean(),
          bits: fc.integer({ min: 1, max: 6 }),
        }),
        ({ seed, n, zeroShare, binned, band, suppressWeight, pinned, bits }) => {
          const v = activations(seed, n, zeroShare);
          const base = binned ? buildBinnedPointSet(v, 256) : buildExactPointSet(v);
          const params = { ...DEFAULT_PARAMS, bandLow: band, bandHigh: band };
          const ps = band > 0 ? suppressedPointSet(base, computeBands(base, params, 0, 6), suppressWeight) : base;
          const k = 2 ** bits;
          const fixed = pinned ? [base.min, base.max] : [];
          const count = Math.max(0, k - fixed.length);
          const got = plusPlusSeeds(ps, Float64Array.from(fixed), count, k, createRng(deriveSeed(seed, 7)));
          expect(Array.from(got)).toEqual(pointwisePlusPlus(ps, fixed, count, k, createRng(deriveSeed(seed, 7))));
        },
      ),
      { seed: 7, numRuns: 60 },
    );
  });

  it('when every weighted point is already a centre, further centres are drawn by weight', () => {
    // Ten weighted points, each among hundreds of weight 0: once all ten are centres the potential is 0
    // exactly, though the prefix sums over those long cells leave a rounding residue.
    const v = Array.from({ length: 2000 }, (_, i) => Math.sqrt(i + 0.3) * 1.7 + 0.01 * Math.sin(i));
    const base = buildExactPointSet(v);
    const factor = Float64Array.from(base.x, (_, i) => (i % 200 === 117 ? 3 : 0));
    const ps = reweightPointSet(base, factor);
    const weighted = Array.from(base.x).filter((_, i) => factor[i] > 0);
    const got = plusPlusSeeds(ps, new Float64Array(0), 14, 16, createRng(3));
    expect(Array.from(got)).toEqual(pointwisePlusPlus(ps, [], 14, 16, createRng(3)));
    expect(new Set(got)).toEqual(new Set(weighted));
  });
});
