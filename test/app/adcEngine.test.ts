import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/worker/engine';
import { DEFAULT_PARAMS, focusedAmong, type Method, type Params } from '../../src/core/params';
import { pointSetFromArrays } from '../../src/core/pointset';
import { adcSnap } from '../../src/worker/adcEngine';

const params: Params = { ...DEFAULT_PARAMS, methods: ['linear', 'cdf', 'kmeans', 'bskmq'], restarts: 1 };
const small = { n: 5_000, seed: 4 };

async function loaded() {
  const engine = createEngine();
  await engine.loadGenerator('relu6', small);
  return engine;
}

describe('ADC engine stages', () => {
  it('variation at σ = 0 gives, at the current bits, exactly the MSE of the report', async () => {
    const engine = await loaded();
    const { report } = engine.report(params);
    const curves = engine.variation(params, { sigma: 0, sigmaOf: 'range', trials: 3 });
    expect(curves.map((c) => c.method)).toEqual(['linear', 'cdf', 'kmeans', 'bskmq']);
    for (const r of report.results) {
      const c = curves.find((x) => x.method === r.method)!;
      const i = c.bits.indexOf(params.bits);
      expect(c.bits).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(c.nominalMse[i]).toBe(r.mse);
      expect(c.meanMse[i]).toBe(r.mse);
      expect(c.q05Mse[i]).toBe(r.mse);
      expect(c.q95Mse[i]).toBe(r.mse);
    }
  });

  it('variation repeats exactly for the same seed and spreads the MSE for σ > 0', async () => {
    const engine = await loaded();
    const a = engine.variation(params, { sigma: 0.01, sigmaOf: 'range', trials: 20 });
    const b = engine.variation(params, { sigma: 0.01, sigmaOf: 'range', trials: 20 });
    expect(a).toEqual(b);
    const bs = a.find((c) => c.method === 'bskmq')!;
    expect(bs.q95Mse[7]).toBeGreaterThan(bs.q05Mse[7]);
  });

  it('snapping to a coarse grid reports merged codes and a higher MSE; a fine grid keeps the references close', async () => {
    const engine = await loaded();
    const focused: Params = { ...params, focus: 'kmeans' };
    const { report } = engine.report(focused);
    const r = report.results.find((x) => x.method === 'kmeans')!;
    const coarse = engine.adcSnap(focused, 2)!;
    expect(coarse.method).toBe('kmeans');
    expect(coarse.mseBefore).toBe(r.mse);
    expect(coarse.mergedCodes.length).toBeGreaterThan(0);
    expect(coarse.mseAfter).toBeGreaterThan(coarse.mseBefore);
    const fine = engine.adcSnap(focused, 16)!;
    expect(fine.mergedCodes).toEqual([]);
    fine.thresholds.forEach((t, j) =>
      expect(Math.abs(t - (r.thresholds[j] as number))).toBeLessThanOrEqual(fine.unitStep / 2 + 1e-12),
    );
  });

  it('snaps the design the report lists for the focused method (bskmq when the focus is not shown), report first or not', async () => {
    const engine = await loaded();
    const unshown: Params = { ...params, focus: 'optimal', bandLow: 0.04 };
    const snapFirst = engine.adcSnap(unshown, 6)!;
    const { report, bands } = engine.report(unshown);
    const r = focusedAmong(report.results, unshown.focus)!;
    expect(r.method).toBe('bskmq');
    const quantizer = {
      method: r.method as Method,
      bits: r.bits,
      levels: r.levels as number[],
      thresholds: r.thresholds as number[],
    };
    const t = engine.exportPointSet();
    const ps = pointSetFromArrays(t.mode, t.x, t.w, t.s2, { nonFinite: t.nonFinite, min: t.min, max: t.max });
    // What the page did before the snap came by parameters: snap the quantizer the report lists.
    const expected = adcSnap(ps, { quantizer, L: bands.L, U: bands.U, gridBits: 6 });
    expect(snapFirst).toEqual(expected);
    expect(engine.adcSnap(unshown, 6)).toEqual(expected);
  });

  it("variation after a band change equals a fresh engine's (the other methods' curves are reused, bskmq is redone)", async () => {
    const req = { sigma: 0.01, sigmaOf: 'range' as const, trials: 5 };
    const warm = await loaded();
    warm.variation(params, req);
    const moved = { ...params, bandLow: 0.07 };
    const fresh = await loaded();
    expect(warm.variation(moved, req)).toEqual(fresh.variation(moved, req));
    expect(warm.variation(moved, req).map((c) => c.method)).toEqual(['linear', 'cdf', 'kmeans', 'bskmq']);
  });
});
