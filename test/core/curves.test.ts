import { describe, expect, it } from 'vitest';
import { BAND_GRID, PERCENTILE_GRID, errorCurves, suppressionSweep } from '../../src/core/curves';
import { designQuantizer } from '../../src/core/design';
import { generate } from '../../src/core/generators';
import { mseOf } from '../../src/core/metrics';
import { optimalMse } from '../../src/core/methods/optimal';
import { DEFAULT_PARAMS, METHODS, type Params } from '../../src/core/params';
import { buildExactPointSet } from '../../src/core/pointset';

const ps = buildExactPointSet(generate('relu6', { n: 6000, seed: 2 }));
const params: Params = { ...DEFAULT_PARAMS, methods: [...DEFAULT_PARAMS.methods] };

describe('error curves', () => {
  it('give every method at bits 1–8, equal to designing each one directly', () => {
    const c = errorCurves(ps, params);
    expect(c.bits).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(c.curves.map((x) => x.method)).toEqual([...METHODS]);
    for (const curve of c.curves) {
      expect(curve.mse.length).toBe(8);
      for (const b of [2, 7]) expect(curve.mse[b - 1]).toBe(mseOf(ps, designQuantizer(ps, curve.method, b, params)));
      curve.seconds.forEach((s) => expect(s).toBeGreaterThanOrEqual(0));
    }
    const optimal = c.curves.find((x) => x.method === 'optimal')!;
    const linear = c.curves.find((x) => x.method === 'linear')!;
    for (let b = 1; b <= 8; b++) {
      expect(optimal.mse[b - 1]).toBeCloseTo(optimalMse(ps, b), 12);
      expect(linear.bitsEquivalent[b - 1]).toBeCloseTo(b, 9);
      expect(optimal.bitsEquivalent[b - 1]).toBeGreaterThanOrEqual(b - 1e-9);
      for (const curve of c.curves) expect(curve.mse[b - 1]).toBeGreaterThanOrEqual(optimal.mse[b - 1] * (1 - 1e-9));
    }
  });

  it('use the given method list and the injected clock', () => {
    let t = 0;
    const c = errorCurves(ps, params, ['kmeans', 'linear'], () => (t += 10));
    expect(c.curves.map((x) => x.method)).toEqual(['kmeans', 'linear']);
    expect(c.curves[0].seconds).toEqual(new Array(8).fill(0.01));
  });
});

describe('suppression sweep', () => {
  it('has its point at the default band equal to the default bskmq design exactly', () => {
    const s = suppressionSweep(ps, params, 3);
    const direct = mseOf(ps, designQuantizer(ps, 'bskmq', 3, params));
    expect(s.axis).toBe('band');
    expect(s.x).toContain(params.bandLow);
    expect(s.current.x).toBe(params.bandLow);
    expect(s.current.mse).toBe(direct);
    expect(s.mse[s.x.indexOf(params.bandLow)]).toBe(direct);
    expect(s.kmeansMse).toBe(mseOf(ps, designQuantizer(ps, 'kmeans', 3, params)));
    expect(s.optimalMse).toBeCloseTo(optimalMse(ps, 3), 12);
    for (const v of s.mse) expect(v).toBeGreaterThanOrEqual(s.optimalMse * (1 - 1e-9));
  });

  it('sweeps 0 … 0.25 in band mode and adds the current symmetric width to the grid', () => {
    const p = { ...params, bandLow: 0.033, bandHigh: 0.033 };
    const s = suppressionSweep(ps, p, 4);
    expect(s.x).toEqual([...BAND_GRID, 0.033].sort((a, b) => a - b));
    expect(s.mse.length).toBe(s.x.length);
    expect(s.mseInterior.length).toBe(s.x.length);
    expect(s.entropyBits.length).toBe(s.x.length);
    expect(s.current.mse).toBe(mseOf(ps, designQuantizer(ps, 'bskmq', 4, p)));
    const at = (g: number) => mseOf(ps, designQuantizer(ps, 'bskmq', 4, { ...p, bandLow: g, bandHigh: g }));
    expect(s.mse[s.x.indexOf(0.2)]).toBe(at(0.2));
  });

  it('sweeps pctLow = pctHigh over 0 … 10 % in percentile mode, current point equal to bskmq', () => {
    const p: Params = { ...params, suppressMode: 'percentile' };
    const s = suppressionSweep(ps, p, 3);
    expect(s.axis).toBe('percentile');
    expect(s.x).toEqual([...PERCENTILE_GRID]);
    expect(s.current.x).toBe(1);
    expect(s.current.mse).toBe(mseOf(ps, designQuantizer(ps, 'bskmq', 3, p)));
  });

  it('reports an asymmetric setting as itself at the mean width, outside the grid', () => {
    const p = { ...params, bandLow: 0.01, bandHigh: 0.05 };
    const s = suppressionSweep(ps, p, 3);
    expect(s.x).toEqual([...BAND_GRID]);
    expect(s.current.x).toBeCloseTo(0.03, 15);
    expect(s.current.mse).toBe(mseOf(ps, designQuantizer(ps, 'bskmq', 3, p)));
  });
});
