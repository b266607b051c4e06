import { describe, expect, it } from 'vitest';
import { layoutVariation, type VariationSeries } from './layout';

const bits = [1, 2, 3, 4, 5, 6, 7, 8];
function series(method: VariationSeries['method'], factor: number, spread: number): VariationSeries {
  const nominalMse = bits.map((b) => factor * 4 ** -b);
  const meanMse = nominalMse.map((v) => v * (1 + spread));
  return {
    method,
    bits,
    nominalMse,
    meanMse,
    q05Mse: meanMse.map((v) => v * 0.9),
    q95Mse: meanMse.map((v) => v * 1.2),
  };
}
const CURVES = [series('linear', 3, 0.1), series('bskmq', 1, 0.3)];

describe('layoutVariation', () => {
  it('draws each mean on a log scale between its 5 % and 95 % band edges', () => {
    const l = layoutVariation({ curves: CURVES, bits: 3 }, 800, 300);
    for (const c of l.curves) {
      expect(c.points).toHaveLength(8);
      expect(c.bandPath.startsWith('M')).toBe(true);
      expect(c.bandPath.endsWith('Z')).toBe(true);
      const ys = c.points.map((p) => p.y);
      const dy = ys[1] - ys[0];
      for (let i = 1; i < ys.length; i++) expect(ys[i] - ys[i - 1]).toBeCloseTo(dy, 1);
    }
  });

  it('puts bits 1..8 on the x axis and marks the current bits', () => {
    const l = layoutVariation({ curves: CURVES, bits: 5 }, 800, 300);
    expect(l.xTicks.map((t) => t.label)).toEqual(bits.map(String));
    expect(l.current?.x).toBe(l.xTicks[4].pos);
  });

  it('leaves a gap where the MSE is zero instead of drawing to −∞', () => {
    const zero = { ...CURVES[1], meanMse: CURVES[1].meanMse.map((v, i) => (i === 7 ? 0 : v)) };
    const l = layoutVariation({ curves: [zero], bits: 3 }, 800, 300);
    expect(l.curves[0].points.map((p) => p.bits)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(l.curves[0].meanPath).not.toMatch(/NaN|Infinity/);
  });

  it('lists every method in the legend and moves it below a narrow plot', () => {
    const wide = layoutVariation({ curves: CURVES, bits: 3 }, 900, 300);
    expect(wide.legend.map((e) => e.label)).toEqual(['Linear', 'BS-KMQ']);
    expect(wide.legend[0].x).toBeGreaterThan(wide.plotWidth);
    const narrow = layoutVariation({ curves: CURVES, bits: 3 }, 380, 300);
    expect(narrow.legend[0].y).toBeGreaterThan(narrow.plotHeight);
    expect(narrow.margin.left + narrow.plotWidth + narrow.margin.right).toBe(380);
  });

  it('does not throw without curves', () => {
    const l = layoutVariation({ curves: [], bits: 3 }, 700, 300);
    expect(l.curves).toEqual([]);
    expect(l.yTicks.length).toBeGreaterThan(0);
  });
});
