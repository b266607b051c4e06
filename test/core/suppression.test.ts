import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildExactPointSet, buildPointSet } from '../../src/core/pointset';
import { DEFAULT_PARAMS, type Params } from '../../src/core/params';
import { createRng } from '../../src/core/rng';
import { bandShare, computeBands, suppressedPointSet } from '../../src/core/suppression';

const params = (p: Partial<Params>): Params => ({ ...DEFAULT_PARAMS, ...p });
// Four samples at 0, one each at 1…5, three at 6: n = 12.
const ps = buildExactPointSet([0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 6, 6]);

/**
 * A seeded spiky sample set (30 % exact zeros, the rest on a 0.1 grid up to 5) with its bands for random
 * settings of both modes; percentiles up to `maxPct` each.
 */
function spikySetWithBands(maxPct: number) {
  return fc
    .tuple(
      fc.integer({ min: 0, max: 2 ** 31 }),
      fc.integer({ min: 1, max: 400 }),
      fc.record({
        suppressMode: fc.constantFrom('band' as const, 'percentile' as const),
        bandLow: fc.double({ min: 0, max: 0.5, noNaN: true }),
        bandHigh: fc.double({ min: 0, max: 0.5, noNaN: true }),
        pctLow: fc.double({ min: 0, max: maxPct, noNaN: true }),
        pctHigh: fc.double({ min: 0, max: maxPct, noNaN: true }),
      }),
    )
    .map(([seed, n, p]) => {
      const rng = createRng(seed);
      const set = buildExactPointSet(Array.from({ length: n }, () => (rng() < 0.3 ? 0 : Math.round(rng() * 50) / 10)));
      return { set, bands: computeBands(set, params(p), set.min, set.max) };
    });
}

describe('suppression bands', () => {
  it('band mode with width 0 holds exactly the boundary values', () => {
    const b = computeBands(ps, params({ bandLow: 0, bandHigh: 0 }), 0, 6);
    expect(Array.from(bandShare(ps, b))).toEqual([1, 0, 0, 0, 0, 0, 1]);
    expect([b.lowWeight, b.highWeight, b.lowCut, b.highCut]).toEqual([4, 3, 0, 6]);
  });

  it('band mode includes the points on the band edge L + bandLow·R', () => {
    const b = computeBands(ps, params({ bandLow: 1 / 6, bandHigh: 2 / 6 }), 0, 6);
    expect(Array.from(bandShare(ps, b))).toEqual([1, 1, 0, 0, 1, 1, 1]);
    expect([b.lowWeight, b.highWeight]).toEqual([5, 5]);
  });

  it('band mode gives a point in both bands to the low band only, share 1', () => {
    const b = computeBands(ps, params({ bandLow: 0.5, bandHigh: 0.5 }), 0, 6);
    expect(Array.from(bandShare(ps, b))).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(b.lowWeight + b.highWeight).toBe(12);
    expect(b.lowWeight).toBe(7);
  });

  it('an empty band has lowCut below L (highCut above U)', () => {
    const b = computeBands(ps, params({ bandLow: 0, bandHigh: 0 }), -1, 7);
    expect(b.lowCut).toBe(-Infinity);
    expect(b.highCut).toBe(Infinity);
    expect([b.lowWeight, b.highWeight]).toEqual([0, 0]);
  });

  it('percentile mode splits a straddling point by weight fraction', () => {
    const b = computeBands(ps, params({ suppressMode: 'percentile', pctLow: 25, pctHigh: 12.5 }), 0, 6);
    // 25 % of 12 = 3 of the 4 zeros; 12.5 % = 1.5 of the 3 sixes.
    expect(b.lowFull).toBe(0);
    expect(b.lowFrac).toBeCloseTo(0.75, 15);
    expect(b.highStart).toBe(7);
    expect(b.highFrac).toBeCloseTo(0.5, 15);
    expect([b.lowCut, b.highCut]).toEqual([0, 6]);
    const s = suppressedPointSet(ps, b, 0);
    expect(Array.from(s.w)).toEqual([1, 1, 1, 1, 1, 1, 1.5]);
  });

  it('percentile mode at 50 % + 50 % covers every sample once', () => {
    const b = computeBands(ps, params({ suppressMode: 'percentile', pctLow: 50, pctHigh: 50 }), 0, 6);
    expect(Array.from(bandShare(ps, b))).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(suppressedPointSet(ps, b, 0).n).toBe(0);
  });

  it('suppressed weights are in-band weight × suppressWeight plus the rest, exactly', () => {
    const b = computeBands(ps, params({ bandLow: 0, bandHigh: 0 }), 0, 6);
    expect(Array.from(suppressedPointSet(ps, b, 0.3).w)).toEqual([4 * 0.3, 1, 1, 1, 1, 1, 3 * 0.3]);
  });

  it('asking again for the same suppressed set returns the shared one; any changed input builds anew', () => {
    const b = computeBands(ps, params({ bandLow: 0, bandHigh: 0 }), 0, 6);
    const first = suppressedPointSet(ps, b, 0.3);
    expect(suppressedPointSet(ps, { ...b }, 0.3)).toBe(first);
    const otherWeight = suppressedPointSet(ps, b, 0.5);
    expect(otherWeight).not.toBe(first);
    expect(Array.from(otherWeight.w)).toEqual([4 * 0.5, 1, 1, 1, 1, 1, 3 * 0.5]);
    const wider = computeBands(ps, params({ bandLow: 1 / 6, bandHigh: 0 }), 0, 6);
    expect(Array.from(suppressedPointSet(ps, wider, 0.5).w)).toEqual([4 * 0.5, 0.5, 1, 1, 1, 1, 3 * 0.5]);
    // Another point set with the same band runs gets its own set, not the first one's.
    const other = buildExactPointSet([0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 6, 7]);
    expect(Array.from(suppressedPointSet(other, wider, 0.5).w)).toEqual([4 * 0.5, 0.5, 1, 1, 1, 1, 2 * 0.5, 0.5]);
  });

  it("a rebuild into the previous set's arrays gives every prefix sum a fresh build gives, in both modes", () => {
    // The ownership rule: the previous set of a point set lends its arrays to the next one. Compare each
    // rebuilt set with one built from a copy of the samples (a point set of its own: nothing is lent to it).
    const sample = fc.oneof(fc.constant(0), fc.constant(5), fc.double({ min: 0, max: 5, noNaN: true }));
    const band = fc.double({ min: 0, max: 0.6, noNaN: true });
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 300 }), band, band, fc.boolean(), (v, g1, g2, binned) => {
        const build = () => buildPointSet(Float64Array.from(v), { mode: binned ? 'binned' : 'exact', bins: 7 });
        const source = build();
        const bandsAt = (set: typeof source, g: number) =>
          computeBands(set, params({ suppressMode: 'band', bandLow: g, bandHigh: g / 2 }), 0, 5);
        const s2Before = Array.from(source.s2);
        suppressedPointSet(source, bandsAt(source, g1), 0.25);
        const rebuilt = suppressedPointSet(source, bandsAt(source, g2), 0.5);
        const copy = build();
        const fresh = suppressedPointSet(copy, bandsAt(copy, g2), 0.5);
        for (const k of ['w', 's2', 'cw', 'cs', 'css'] as const)
          expect(Array.from(rebuilt[k])).toEqual(Array.from(fresh[k]));
        expect(rebuilt.n).toBe(fresh.n);
        // The source's own arrays are never written (an exact set's s2 is shared, not lent).
        expect(Array.from(source.s2)).toEqual(s2Before);
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('the suppressed set keeps (1 − s) + s·suppressWeight of each point, s = bandShare, to the last bit', () => {
    fc.assert(
      fc.property(spikySetWithBands(60), fc.double({ min: 0, max: 1, noNaN: true }), ({ set, bands: b }, weight) => {
        const share = bandShare(set, b);
        const suppressed = suppressedPointSet(set, b, weight);
        share.forEach((sh, i) => {
          const factor = 1 - sh + sh * weight;
          expect(suppressed.w[i]).toBe(set.w[i] * factor);
          expect(suppressed.s2[i]).toBe(set.s2[i] * factor);
        });
        expect(suppressed.x).toBe(set.x);
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('shares lie in [0, 1] and add up to the band weights in both modes', () => {
    fc.assert(
      fc.property(spikySetWithBands(50), ({ set, bands: b }) => {
        const share = bandShare(set, b);
        let inBand = 0;
        share.forEach((s, i) => {
          expect(s >= 0 && s <= 1).toBe(true);
          inBand += s * set.w[i];
        });
        expect(inBand).toBeCloseTo(b.lowWeight + b.highWeight, 9);
        expect(b.lowWeight + b.highWeight).toBeLessThanOrEqual(set.n + 1e-9);
        expect(b.lowFrac >= 0 && b.lowFrac < 1 && b.highFrac >= 0 && b.highFrac < 1).toBe(true);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
