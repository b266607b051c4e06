import { describe, expect, it } from 'vitest';
import { ERROR_CURVES } from '../testFixtures';
import { layoutErrorCurve } from './layout';

describe('layoutErrorCurve', () => {
  it('puts bits 1..8 on evenly spaced ticks', () => {
    const l = layoutErrorCurve({ curves: ERROR_CURVES, bits: 3, scale: 'mse', readout: null }, 700, 300);
    expect(l.xTicks.map((t) => t.label)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    const step = l.xTicks[1].pos - l.xTicks[0].pos;
    l.xTicks.forEach((t, i) => expect(t.pos).toBeCloseTo(l.xTicks[0].pos + i * step, 1));
  });

  it('on the log MSE scale draws equal ratios as equal heights (÷4 per bit is a straight line)', () => {
    const l = layoutErrorCurve({ curves: ERROR_CURVES, bits: 3, scale: 'mse', readout: null }, 700, 300);
    const ys = l.curves[0].points.map((p) => p.y);
    const dy = ys[1] - ys[0];
    expect(dy).toBeGreaterThan(0);
    for (let i = 1; i < ys.length; i++) expect(ys[i] - ys[i - 1]).toBeCloseTo(dy, 1);
    expect(l.yTicks.every((t) => /^1e/.test(t.label))).toBe(true);
    expect(l.yLabel).toBe('MSE (log scale)');
  });

  it('on the SQNR scale puts higher dB higher up', () => {
    const l = layoutErrorCurve({ curves: ERROR_CURVES, bits: 3, scale: 'sqnr', readout: null }, 700, 300);
    const ys = l.curves[0].points.map((p) => p.y);
    for (let i = 1; i < ys.length; i++) expect(ys[i]).toBeLessThan(ys[i - 1]);
    expect(l.yLabel).toBe('SQNR (dB)');
  });

  it('marks the current bits on the axis and on every curve', () => {
    const l = layoutErrorCurve({ curves: ERROR_CURVES, bits: 5, scale: 'mse', readout: null }, 700, 300);
    expect(l.current?.x).toBe(l.xTicks[4].pos);
    for (const c of l.curves) expect(c.points.filter((p) => p.current).map((p) => p.bits)).toEqual([5]);
  });

  it('leaves a gap at zero, negative or non-finite values instead of bridging it', () => {
    const curves = [
      {
        method: 'optimal' as const,
        mse: [0.5, 0.1, 0, NaN, 0.01, 0.005, -1, 0.001],
        sqnrDb: [3, 10, Infinity, NaN, 20, 23, 25, 30],
      },
    ];
    const l = layoutErrorCurve({ curves, bits: 3, scale: 'mse', readout: null }, 700, 300);
    expect(l.curves[0].points.map((p) => p.bits)).toEqual([1, 2, 5, 6, 8]);
    expect(l.curves[0].path.match(/M/g)).toHaveLength(3);
    const s = layoutErrorCurve({ curves, bits: 3, scale: 'sqnr', readout: null }, 700, 300);
    expect(s.curves[0].points.map((p) => p.bits)).toEqual([1, 2, 5, 6, 7, 8]);
  });

  it('lists every method in the legend and keeps the readout text', () => {
    const l = layoutErrorCurve(
      { curves: ERROR_CURVES, bits: 3, scale: 'mse', readout: 'BS-KMQ at 3 b ≈ linear at 5.4 b' },
      700,
      300,
    );
    expect(l.legend.map((e) => e.label)).toEqual(['Linear', 'CDF', 'BS-KMQ', 'Optimal']);
    expect(l.readout?.text).toBe('BS-KMQ at 3 b ≈ linear at 5.4 b');
    expect(l.margin.left + l.plotWidth + l.margin.right).toBe(700);
  });

  it('does not throw without curves', () => {
    const l = layoutErrorCurve({ curves: [], bits: 3, scale: 'mse', readout: null }, 700, 300);
    expect(l.curves).toEqual([]);
    expect(l.yTicks.length).toBeGreaterThan(0);
  });
});

describe('layoutErrorCurve legend placement', () => {
  it('puts the legend in a column right of a wide plot and in rows below a narrow one', () => {
    const wide = layoutErrorCurve({ curves: ERROR_CURVES, bits: 3, scale: 'mse', readout: null }, 900, 300);
    expect(wide.legend.every((e) => e.x > wide.plotWidth)).toBe(true);
    const narrow = layoutErrorCurve({ curves: ERROR_CURVES, bits: 3, scale: 'mse', readout: null }, 380, 300);
    expect(narrow.legend.every((e) => e.y > narrow.plotHeight && e.x < narrow.plotWidth)).toBe(true);
    expect(narrow.plotWidth).toBeGreaterThan(wide.plotWidth * 0.3);
    expect(narrow.margin.top + narrow.plotHeight + narrow.margin.bottom).toBe(300);
  });
});
