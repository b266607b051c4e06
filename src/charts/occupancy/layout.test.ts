import { describe, expect, it } from 'vitest';
import { layoutOccupancy } from './layout';

describe('layoutOccupancy', () => {
  it('draws one bar per code with height proportional to its share', () => {
    const l = layoutOccupancy({ method: 'bskmq', occupancy: [0.4, 0.2, 0.3, 0.1], levels: [0, 1, 2, 3] }, 600, 240);
    expect(l.bars.map((b) => b.code)).toEqual([0, 1, 2, 3]);
    const perShare = l.bars[0].height / 0.4;
    for (const b of l.bars) expect(b.height).toBeCloseTo(b.share * perShare, 1);
    expect(l.bars[1].x).toBeGreaterThan(l.bars[0].x + l.bars[0].width);
    expect(l.yTicks.map((t) => t.label)).toContain('40%');
  });

  it('flags empty codes (zero or non-finite share) and summarises them', () => {
    const l = layoutOccupancy({ method: 'cdf', occupancy: [0.6, 0, 0.4, NaN], levels: [0, 0, 1, 2] }, 600, 240);
    expect(l.empty.map((e) => e.code)).toEqual([1, 3]);
    expect(l.bars.filter((b) => b.empty).map((b) => b.height)).toEqual([0, 0]);
    expect(l.summary).toBe('2 of 4 codes empty');
    expect(layoutOccupancy({ method: 'cdf', occupancy: [0.5, 0.5], levels: [0, 1] }, 600, 240).summary).toBe(
      'all 2 codes used',
    );
  });

  it('thins code labels when 256 codes do not fit, by a power of two', () => {
    const l = layoutOccupancy({ method: 'bskmq', occupancy: new Array(256).fill(1 / 256), levels: [] }, 600, 240);
    const stride = l.xTicks[1].value - l.xTicks[0].value;
    expect(stride).toBeGreaterThan(1);
    expect(Math.log2(stride) % 1).toBe(0);
    expect(l.xTicks.length * 28).toBeLessThanOrEqual(l.plotWidth + 28 * 2);
  });

  it('does not throw without codes', () => {
    const l = layoutOccupancy({ method: 'bskmq', occupancy: [], levels: [] }, 600, 240);
    expect(l.bars).toEqual([]);
    expect(l.summary).toBe('no codes');
  });
});
