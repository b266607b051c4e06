import { describe, expect, it } from 'vitest';
import { layoutHistogram } from '../histogram/layout';
import { HIST_DATA } from '../testFixtures';
import { layoutStep, layoutStepMse } from './layout';

const BASE = {
  data: HIST_DATA,
  log: false,
  domain: [0, 6] as [number, number],
  bands: { low: null, high: null },
  method: 'kmeans' as const,
};

describe('layoutStep', () => {
  it('draws the histogram exactly as the histogram chart lays it out', () => {
    const frame = { levels: [0, 2, 4], thresholds: [1, 3] };
    const l = layoutStep({ ...BASE, frame, pinned: [] }, 640, 300);
    const h = layoutHistogram(
      {
        data: HIST_DATA,
        log: false,
        domain: [0, 6],
        bands: BASE.bands,
        rugs: [],
        focus: { method: 'kmeans', levels: [0, 2, 4], thresholds: [1, 3] },
      },
      640,
      300,
    );
    expect(l.histogram.bars).toEqual(h.bars);
    expect(l.histogram.spikes).toEqual(h.spikes);
    expect(l.histogram.xRange).toEqual(h.xRange);
  });

  it('places level j on the value scale, one mark per level index, left to right', () => {
    const l = layoutStep({ ...BASE, frame: { levels: [0, 2, 4], thresholds: [1, 3] }, pinned: [] }, 640, 300);
    expect(l.levels.map((m) => m.index)).toEqual([0, 1, 2]);
    expect(l.levels[0].x).toBeLessThan(l.levels[1].x);
    const [r0, r1] = l.histogram.xRange;
    expect(l.levels[1].x).toBeCloseTo(r0 + ((r1 - r0) * 2) / 6, 1);
    expect(l.thresholds.map((t) => t.value)).toEqual([1, 3]);
  });

  it('moves a level between frames while keeping its index (so it can glide)', () => {
    const a = layoutStep({ ...BASE, frame: { levels: [0, 2, 4], thresholds: [1, 3] }, pinned: [] }, 640, 300);
    const b = layoutStep({ ...BASE, frame: { levels: [0, 2.5, 4], thresholds: [1.25, 3.25] }, pinned: [] }, 640, 300);
    expect(b.levels[1].index).toBe(a.levels[1].index);
    expect(b.levels[1].x).toBeGreaterThan(a.levels[1].x);
  });

  it('counts coincident seeds (several on a spike) and marks pinned levels once', () => {
    const l = layoutStep({ ...BASE, frame: { levels: [0, 0, 0, 3], thresholds: [0, 0, 1.5] }, pinned: [0] }, 640, 300);
    expect(l.coincident).toEqual([{ x: l.levels[0].x, value: 0, count: 3 }]);
    expect(l.levels.filter((m) => m.pinned)).toHaveLength(1);
  });

  it('marks the chosen seed among the k-means++ candidates', () => {
    const l = layoutStep(
      { ...BASE, frame: { levels: [1, 5], thresholds: [3], chosen: [5], candidates: [2, 5, 4] }, pinned: [] },
      640,
      300,
    );
    expect(l.candidates.map((c) => c.chosen)).toEqual([false, true, false]);
    expect(l.chosen).toHaveLength(1);
  });

  it('leaves out marks outside the shown range and non-finite ones', () => {
    const l = layoutStep(
      { ...BASE, domain: [1, 6], frame: { levels: [0, NaN, 3], thresholds: [NaN, 1.5] }, pinned: [] },
      640,
      300,
    );
    expect(l.levels.map((m) => m.value)).toEqual([3]);
    expect(l.thresholds.map((t) => t.value)).toEqual([1.5]);
  });
});

describe('layoutStepMse', () => {
  const series = [{ key: 'mse', label: 'MSE', color: '#000', dashed: false, values: [10, 1, 0.5, 0.4, 0.4] }];

  it('uses a log axis when the MSE spans more than a decade, lower MSE lower on the chart', () => {
    const l = layoutStepMse({ series, frames: 5, seedFrames: 2, current: 3 }, 500, 200);
    expect(l.log).toBe(true);
    expect(l.paths[0].d.startsWith('M0,')).toBe(true);
    expect(l.paths[0].current!.y).toBeGreaterThan(0);
    const ys = l.paths[0].d
      .slice(1)
      .split('L')
      .map((p) => Number(p.split(',')[1]));
    expect(ys[1]).toBeGreaterThan(ys[0]);
  });

  it('marks the current frame and shades the seeding frames', () => {
    const l = layoutStepMse({ series, frames: 5, seedFrames: 2, current: 3 }, 500, 200);
    expect(l.cursor).toBeCloseTo((l.plotWidth * 3) / 4, 1);
    expect(l.paths[0].current!.x).toBe(l.cursor);
    expect(l.seedBand!.width).toBeCloseTo((l.plotWidth * 1.5) / 4, 1);
  });

  it('uses a linear axis for a narrow range and labels frames from 1', () => {
    const l = layoutStepMse(
      { series: [{ ...series[0], values: [2, 1.5, 1.4] }], frames: 3, seedFrames: 0, current: 0 },
      500,
      200,
    );
    expect(l.log).toBe(false);
    expect(l.seedBand).toBeNull();
    expect(l.xTicks[0].label).toBe('1');
  });

  it('spreads a long run on a square-root frame axis, so early frames get most of the width', () => {
    const values = Array.from({ length: 90 }, (_, i) => 1 + 10 / (i + 1));
    const l = layoutStepMse({ series: [{ ...series[0], values }], frames: 90, seedFrames: 5, current: 9 }, 600, 200);
    expect(l.cursor).toBeCloseTo(l.plotWidth * Math.sqrt(9 / 89), 1);
    expect(l.xLabel).toMatch(/√/);
    expect(l.xTicks.map((t) => t.label)).toEqual(expect.arrayContaining(['1', '10', '90']));
    for (let i = 1; i < l.xTicks.length; i++) expect(l.xTicks[i].pos - l.xTicks[i - 1].pos).toBeGreaterThanOrEqual(26);
  });

  it('marks where the levels stop changing visibly, only when that is before the last frame', () => {
    const base = { series, frames: 5, seedFrames: 2, current: 3 };
    const l = layoutStepMse({ ...base, settledFrame: 2 }, 500, 200);
    expect(l.settled).toMatchObject({ frame: 2, label: 'no visible change after frame 3' });
    expect(l.settled!.x).toBeCloseTo(l.plotWidth / 2, 1);
    expect(layoutStepMse({ ...base, settledFrame: 4 }, 500, 200).settled).toBeNull();
    expect(layoutStepMse(base, 500, 200).settled).toBeNull();
  });
});
