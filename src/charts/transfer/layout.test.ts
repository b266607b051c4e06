import { describe, expect, it } from 'vitest';
import { BSKMQ_2B, CDF_2B, LINEAR_2B } from '../testFixtures';
import { layoutTransfer, staircaseSteps } from './layout';

describe('staircaseSteps', () => {
  it('gives each code its level over the inputs between its thresholds', () => {
    expect(staircaseSteps(BSKMQ_2B, [0, 6])).toEqual([
      { code: 0, from: 0, to: 0.5, level: 0 },
      { code: 1, from: 0.5, to: 1.75, level: 1 },
      { code: 2, from: 1.75, to: 4.25, level: 2.5 },
      { code: 3, from: 4.25, to: 6, level: 6 },
    ]);
  });

  it('skips the wasted codes of coinciding thresholds (no zero-width step)', () => {
    // cdf thresholds [0, 0, 1.6]: x = 0 already has code 2 because ties go up.
    expect(staircaseSteps(CDF_2B, [0, 6])).toEqual([
      { code: 2, from: 0, to: 1.6, level: 0.9 },
      { code: 3, from: 1.6, to: 6, level: 3 },
    ]);
  });

  it('starts a zoomed domain at the code of its first value', () => {
    expect(staircaseSteps(BSKMQ_2B, [1, 2]).map((s) => s.code)).toEqual([1, 2]);
  });
});

describe('layoutTransfer', () => {
  it('draws the staircase as one connected path with a riser per threshold', () => {
    const l = layoutTransfer({ focus: BSKMQ_2B, linear: LINEAR_2B, domain: [0, 6] }, 600, 300);
    expect(l.focus.path.match(/M/g)).toHaveLength(1);
    expect(l.focus.path.match(/V/g)).toHaveLength(3);
    expect(l.focus.path.startsWith('M0,')).toBe(true);
    expect(l.linear.steps).toHaveLength(4);
  });

  it('scales the output axis to the levels reachable in a zoomed input range', () => {
    const l = layoutTransfer({ focus: BSKMQ_2B, linear: LINEAR_2B, domain: [1, 2] }, 600, 300);
    expect(l.yDomain).toEqual([0.75, 2.5]);
  });

  it('draws the identity line from corner to corner when both axes share the range', () => {
    const l = layoutTransfer({ focus: BSKMQ_2B, linear: LINEAR_2B, domain: [0, 6] }, 600, 300);
    expect(l.identity).toEqual({ x1: 0, y1: l.plotHeight, x2: l.plotWidth, y2: 0 });
  });

  it('ignores non-finite levels and thresholds and does not throw on empty sets', () => {
    const l = layoutTransfer(
      {
        focus: { method: 'bskmq', levels: [NaN, 1, 2], thresholds: [Infinity, 1.5] },
        linear: { method: 'linear', levels: [], thresholds: [] },
        domain: [0, 3],
      },
      600,
      300,
    );
    // Code 0's level is NaN, so only code 1 (x ≥ 1.5) is drawn.
    expect(l.focus.steps.map((s) => [s.code, s.level])).toEqual([[1, 1]]);
    expect(l.linear.path).toBe('');
    expect(l.focus.path).not.toMatch(/NaN|Infinity/);
  });
});
