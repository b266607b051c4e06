import { scaleLog } from 'd3';
import { describe, expect, it } from 'vitest';
import { logTicks, safeDomain } from './geometry';

describe('logTicks', () => {
  it('labels powers of ten across many decades', () => {
    const ticks = logTicks(scaleLog().domain([0.8, 2e5]).range([100, 0]), '~s', 10);
    expect(ticks.map((t) => t.value)).toEqual([1, 10, 100, 1000, 1e4, 1e5]);
    expect(ticks.map((t) => t.label)).toEqual(['1', '10', '100', '1k', '10k', '100k']);
  });

  it('adds 2× and 5× over a narrow domain', () => {
    const ticks = logTicks(scaleLog().domain([1e-3, 3e-2]).range([100, 0]), '~e', 10);
    expect(ticks.map((t) => t.value)).toEqual([1e-3, 2e-3, 5e-3, 1e-2, 2e-2]);
  });
});

describe('safeDomain', () => {
  it('keeps a valid domain, else falls back to the finite extent, else [0, 1]', () => {
    expect(safeDomain([1, 2], [5, 6])).toEqual([1, 2]);
    expect(safeDomain([2, 1], [5, NaN, 6])).toEqual([5, 6]);
    expect(safeDomain(null, [])).toEqual([0, 1]);
    expect(safeDomain(null, [3, 3])).toEqual([1.5, 4.5]);
  });
});
