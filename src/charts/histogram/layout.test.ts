import { describe, expect, it } from 'vitest';
import { BSKMQ_2B, CDF_2B, HIST_PROPS, LINEAR_2B } from '../testFixtures';
import { hoverAt, layoutHistogram, valueAt } from './layout';

/** Every number anywhere in `value` is finite. */
function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (value && typeof value === 'object') return Object.values(value).every(allFinite);
  return true;
}

describe('layoutHistogram', () => {
  it('draws bar heights proportional to counts on the linear scale', () => {
    const l = layoutHistogram(HIST_PROPS, 800, 320);
    expect(l.bars.map((b) => b.count)).toEqual(HIST_PROPS.data.counts);
    const perCount = l.bars[0].height / l.bars[0].count;
    for (const b of l.bars) expect(b.height).toBeCloseTo(b.count * perCount, 1);
    for (const b of l.bars) expect(b.y + b.height).toBeCloseTo(l.plotHeight, 5);
  });

  it('places bars edge to edge along the inset value axis', () => {
    const l = layoutHistogram(HIST_PROPS, 800, 320);
    const [r0, r1] = l.xRange;
    const step = (r1 - r0) / 8;
    l.bars.forEach((b, i) => expect(b.x).toBeCloseTo(r0 + i * step, 1));
  });

  it('on the log scale skips zero counts, keeps a count of 1 visible and orders heights by count', () => {
    const data = { ...HIST_PROPS.data, counts: [0, 1, 10, 100, 1000, 0, 5, 50] };
    const l = layoutHistogram({ ...HIST_PROPS, data, log: true }, 800, 320);
    expect(l.bars.map((b) => b.count)).toEqual([1, 10, 100, 1000, 5, 50]);
    const h = Object.fromEntries(l.bars.map((b) => [b.count, b.height]));
    expect(h[1]).toBeGreaterThan(0);
    expect(h[1] < h[5] && h[5] < h[10] && h[10] < h[50] && h[50] < h[100] && h[100] < h[1000]).toBe(true);
    // Equal log steps: 1→10→100→1000 are equally spaced.
    expect(h[100] - h[10]).toBeCloseTo(h[1000] - h[100], 1);
    expect(l.yTicks.map((t) => t.value)).toEqual([1, 10, 100, 1000]);
    expect(l.yLabel).toMatch(/log/);
  });

  it('clips a spike taller than the bins on the linear scale and labels it with its share in %', () => {
    const l = layoutHistogram(HIST_PROPS, 800, 320);
    const [zero, six] = l.spikes;
    expect(zero.clipped).toBe(true);
    expect(zero.y).toBe(0);
    expect(zero.label).toBe('40 %');
    expect(six.clipped).toBe(false);
    expect(six.label).toBe('7 %');
    expect(six.height / l.bars[0].height).toBeCloseTo(210 / 400, 1);
  });

  it('keeps spikes at the domain edges inside the plot', () => {
    const l = layoutHistogram(HIST_PROPS, 800, 320);
    for (const s of l.spikes) {
      expect(s.x).toBeGreaterThanOrEqual(0);
      expect(s.x + s.width).toBeLessThanOrEqual(l.plotWidth);
    }
    expect(l.spikes[0].labelAnchor).toBe('start');
    expect(l.spikes[1].labelAnchor).toBe('end');
  });

  it('maps the suppression bands to their value range on the x axis', () => {
    const l = layoutHistogram({ ...HIST_PROPS, bands: { low: [0, 0.6], high: [4.8, 6] } }, 800, 320);
    const [r0, r1] = l.xRange;
    const x = (v: number) => r0 + (v / 6) * (r1 - r0);
    const low = l.bands.find((b) => b.side === 'low')!,
      high = l.bands.find((b) => b.side === 'high')!;
    expect(low.x).toBeCloseTo(x(0), 1);
    expect(low.x + low.width).toBeCloseTo(x(0.6), 1);
    expect(high.x).toBeCloseTo(x(4.8), 1);
    expect(high.x + high.width).toBeCloseTo(x(6), 1);
  });

  it('shows a zero-width band 2 px wide and omits null or reversed bands', () => {
    const l = layoutHistogram({ ...HIST_PROPS, bands: { low: [0, 0], high: null } }, 800, 320);
    expect(l.bands).toHaveLength(1);
    expect(l.bands[0].width).toBeCloseTo(2, 5);
    expect(layoutHistogram({ ...HIST_PROPS, bands: { low: [1, 0], high: null } }, 800, 320).bands).toHaveLength(0);
  });

  it('draws one level and threshold mark per distinct value and flags coinciding thresholds with their count', () => {
    const l = layoutHistogram({ ...HIST_PROPS, focus: CDF_2B, rugs: [BSKMQ_2B] }, 800, 320);
    expect(l.thresholds.map((t) => [t.value, t.count])).toEqual([
      [0, 2],
      [1.6, 1],
    ]);
    expect(l.levels.map((t) => [t.value, t.count])).toEqual([
      [0, 2],
      [0.9, 1],
      [3, 1],
    ]);
  });

  it('draws the other methods as rugs, one row each, never the focused method', () => {
    const l = layoutHistogram({ ...HIST_PROPS, rugs: [LINEAR_2B, BSKMQ_2B, CDF_2B] }, 800, 320);
    expect(l.rugs.map((r) => r.method)).toEqual(['linear', 'cdf']);
    expect(l.rugs[0].ticks).toHaveLength(4);
    expect(l.rugs[1].y).toBeGreaterThan(l.rugs[0].y);
    expect(l.rugs[0].y).toBeGreaterThan(l.plotHeight);
    expect(l.margin.top + l.plotHeight + l.margin.bottom).toBe(320);
  });

  it('zooms: drops bins outside the domain, clips partial bins, and hides marks outside', () => {
    const l = layoutHistogram({ ...HIST_PROPS, domain: [1, 3] }, 800, 320);
    expect(l.bars.map((b) => b.count)).toEqual([360, 300, 220]);
    expect(l.bars[0].x).toBeCloseTo(l.xRange[0], 5);
    expect(l.spikes).toHaveLength(0);
    expect(l.levels.map((m) => m.value)).toEqual([1, 2.5]);
    expect(l.thresholds.map((m) => m.value)).toEqual([1.75]);
  });

  it('ignores non-finite edges, counts, spikes, levels and domain', () => {
    const l = layoutHistogram(
      {
        ...HIST_PROPS,
        domain: [NaN, Infinity],
        data: {
          edges: [0, 1, NaN, 3, 4],
          counts: [5, Infinity, 7, 8],
          total: NaN,
          spikes: [
            { value: NaN, count: 3, share: 0.1 },
            { value: 4, count: 2, share: NaN },
          ],
        },
        focus: { method: 'bskmq', levels: [NaN, 1, 2], thresholds: [Infinity, 1.5] },
        bands: { low: [NaN, 1], high: [3, 4] },
      },
      800,
      320,
    );
    expect(l.xDomain).toEqual([0, 4]);
    expect(l.bars.map((b) => b.count)).toEqual([5, 8]);
    expect(l.spikes.map((s) => s.value)).toEqual([4]);
    expect(l.levels.map((m) => m.value)).toEqual([1, 2]);
    expect(l.thresholds.map((m) => m.value)).toEqual([1.5]);
    expect(l.bands.map((b) => b.side)).toEqual(['high']);
    expect(allFinite(l)).toBe(true);
  });

  it('does not throw on empty data and still produces finite axes', () => {
    const l = layoutHistogram(
      {
        data: { edges: [], counts: [], total: 0, spikes: [] },
        log: true,
        domain: [0, 0],
        bands: { low: null, high: null },
        focus: { method: 'linear', levels: [], thresholds: [] },
        rugs: [],
      },
      0,
      0,
    );
    expect(l.bars).toEqual([]);
    expect(l.xTicks.length).toBeGreaterThan(1);
    expect(allFinite(l)).toBe(true);
  });
});

describe('hoverAt', () => {
  const l = layoutHistogram(HIST_PROPS, 800, 320);
  const xOf = (v: number) => l.xRange[0] + (v / 6) * (l.xRange[1] - l.xRange[0]);

  it('reports the value, its bin count and the focused code (thresholds ≤ value)', () => {
    const h = hoverAt(l, xOf(2))!;
    expect(h.value).toBeCloseTo(2, 2);
    expect(h.count).toBe(300); // bin [1.5, 2.25)
    expect(h.code).toBe(2);
    expect(h.level).toBe(2.5);
    expect(h.spike).toBeNull();
  });

  it('snaps to a spike under the pointer and reports its exact value and count', () => {
    const h = hoverAt(l, xOf(0))!;
    expect(h.spike?.value).toBe(0);
    expect(h.value).toBe(0);
    expect(h.count).toBe(1200);
    expect(h.code).toBe(0);
  });

  it('returns null outside the plot, and valueAt inverts the axis', () => {
    expect(hoverAt(l, -1)).toBeNull();
    expect(hoverAt(l, l.plotWidth + 1)).toBeNull();
    expect(valueAt(l, xOf(4.25))).toBeCloseTo(4.25, 9);
    expect(valueAt(l, -100)).toBe(0);
  });
});

describe('layoutHistogram label placement', () => {
  it('moves a band label below a spike label it would overlap', () => {
    // Spike at 6 of 1/3 the tallest bin: its label sits at about the band label's height.
    const data = { ...HIST_PROPS.data, spikes: [{ value: 6, count: 335, share: 0.1 }] };
    const l = layoutHistogram({ ...HIST_PROPS, data }, 800, 320);
    const spike = l.spikes[0],
      high = l.bands.find((b) => b.side === 'high')!;
    expect(Math.abs(spike.labelY - 34)).toBeLessThan(15);
    expect(high.labelY).toBeGreaterThanOrEqual(spike.labelY + 15);
    const low = l.bands.find((b) => b.side === 'low')!;
    expect(low.labelY).toBe(34);
  });

  it('never lets spike labels overlap: among close spikes the larger shares keep their labels', () => {
    // Exact values within a few pixels of each other, all taller than the bins (labels in the top
    // margin, side by side), as a quantized layer's activations give.
    const spikes = [
      { value: 0, count: 9000, share: 0.215 },
      { value: 0.02, count: 8000, share: 0.0159 },
      { value: 0.04, count: 7000, share: 0.0148 },
      { value: 3, count: 7500, share: 0.0155 },
    ];
    const l = layoutHistogram({ ...HIST_PROPS, data: { ...HIST_PROPS.data, spikes } }, 800, 320);
    expect(l.spikes.every((s) => s.labelY === l.spikes[0].labelY)).toBe(true);
    const shown = l.spikes.filter((s) => s.labelShown);
    expect(shown.map((s) => s.value).sort()).toEqual([0, 3]);
    // Every spike keeps its share text for the hover readout.
    expect(l.spikes.every((s) => s.label.endsWith('%'))).toBe(true);
  });
});
