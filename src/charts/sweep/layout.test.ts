import { describe, expect, it } from 'vitest';
import { layoutSweep } from './layout';

const INPUT = {
  axis: 'band' as const, x: [0.1, 0, 0.05, 0.2], mse: [0.03, 0.05, 0.025, 0.04],
  kmeansMse: 0.045, optimalMse: 0.02, current: { x: 0.05, mse: 0.025 },
};

describe('layoutSweep', () => {
  it('draws the curve in increasing x, with lower MSE lower on the chart', () => {
    const l = layoutSweep(INPUT, 600, 280);
    expect(l.points.map((p) => p.xValue)).toEqual([0, 0.05, 0.1, 0.2]);
    expect(l.points[1].y).toBeGreaterThan(l.points[0].y);
    expect(l.path.startsWith(`M${l.points[0].x},${l.points[0].y}`)).toBe(true);
  });

  it('draws K-means and the optimum as horizontal references, optimum below', () => {
    const l = layoutSweep(INPUT, 600, 280);
    const k = l.references.find((r) => r.kind === 'kmeans')!, o = l.references.find((r) => r.kind === 'optimal')!;
    expect(o.y).toBeGreaterThan(k.y);
    expect(o.y).toBeLessThanOrEqual(l.plotHeight);
    expect(k.y).toBeGreaterThanOrEqual(0);
  });

  it('marks the current setting at its point of the curve', () => {
    const l = layoutSweep(INPUT, 600, 280);
    expect(l.current).toMatchObject({ x: l.points[1].x, y: l.points[1].y });
  });

  it('formats band widths as percentages and percentiles as plain numbers', () => {
    expect(layoutSweep(INPUT, 600, 280).xTicks.map((t) => t.label)).toContain('10%');
    const p = layoutSweep({ ...INPUT, axis: 'percentile', x: [0, 1, 2, 5], current: { x: 1, mse: 0.05 } }, 600, 280);
    expect(p.xTicks.map((t) => t.label)).toContain('5');
    expect(p.xLabel).toMatch(/percentile/);
  });

  it('skips non-finite pairs and references and does not throw when empty', () => {
    const l = layoutSweep({ ...INPUT, x: [0, NaN, 0.1], mse: [0.05, 0.04, Infinity], kmeansMse: NaN }, 600, 280);
    expect(l.points.map((p) => p.xValue)).toEqual([0]);
    expect(l.references.map((r) => r.kind)).toEqual(['optimal']);
    const e = layoutSweep({ axis: 'band', x: [], mse: [], kmeansMse: NaN, optimalMse: NaN, current: { x: NaN, mse: NaN } }, 600, 280);
    expect(e.path).toBe('');
    expect(e.current).toBeNull();
  });
});
