import { describe, expect, it } from 'vitest';
import { layoutSweep, REFERENCE_LABEL_GAP, spreadLabels } from './layout';

const INPUT = {
  axis: 'band' as const,
  x: [0.1, 0, 0.05, 0.2],
  mse: [0.03, 0.05, 0.025, 0.04],
  kmeansMse: 0.045,
  optimalMse: 0.02,
  current: { x: 0.05, mse: 0.025 },
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
    const k = l.references.find((r) => r.kind === 'kmeans')!,
      o = l.references.find((r) => r.kind === 'optimal')!;
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
    const e = layoutSweep(
      { axis: 'band', x: [], mse: [], kmeansMse: NaN, optimalMse: NaN, current: { x: NaN, mse: NaN } },
      600,
      280,
    );
    expect(e.path).toBe('');
    expect(e.current).toBeNull();
  });

  it('keeps the K-means and optimal labels a line apart when their values are equal or close', () => {
    for (const gap of [0, 1e-6, 0.0005]) {
      const l = layoutSweep({ ...INPUT, kmeansMse: 0.02 + gap, optimalMse: 0.02 }, 600, 280);
      const [a, b] = l.references.map((r) => r.labelY);
      expect(Math.abs(a - b)).toBeGreaterThanOrEqual(REFERENCE_LABEL_GAP - 0.01);
      for (const r of l.references) expect(r.labelY).toBeLessThanOrEqual(l.plotHeight + 8);
    }
  });
});

describe('spreadLabels', () => {
  it('leaves labels far apart where they are and pushes close ones apart, in input order', () => {
    expect(spreadLabels([100, 10], 14, 200)).toEqual([100, 10]);
    expect(spreadLabels([50, 45], 14, 200)).toEqual([59, 45]);
  });

  it('moves a run that would pass the bottom up as a block', () => {
    expect(spreadLabels([200, 200, 199], 14, 200)).toEqual([186, 200, 172]);
  });
});
