import { describe, expect, it } from 'vitest';
import { chartPropsEqual, sameValue } from './memoChart';

describe('sameValue', () => {
  it('compares numbers, tuples and plain objects by value, NaN equal to NaN', () => {
    expect(sameValue([0, 6], [0, 6])).toBe(true);
    expect(sameValue([0, 6], [0, 6.5])).toBe(false);
    expect(sameValue({ x: 1, mse: NaN }, { x: 1, mse: NaN })).toBe(true);
    expect(sameValue({ low: [0, 1], high: null }, { low: [0, 1], high: null })).toBe(true);
    expect(sameValue({ low: [0, 1], high: null }, { low: [0, 1], high: [5, 6] })).toBe(false);
    expect(sameValue({ low: null }, { low: null, high: null })).toBe(false);
    expect(sameValue([1, 2], [1, 2, 3])).toBe(false);
    expect(sameValue([1], { 0: 1 })).toBe(false);
  });

  it('treats typed arrays and other non-plain objects as equal only when identical', () => {
    const a = new Float64Array([1, 2]);
    expect(sameValue(a, a)).toBe(true);
    expect(sameValue(a, new Float64Array([1, 2]))).toBe(false);
    expect(sameValue(new Date(0), new Date(0))).toBe(false);
  });
});

describe('chartPropsEqual', () => {
  type Props = { data: number[]; domain: [number, number]; log: boolean; onZoom?: () => void };
  const equal = chartPropsEqual<Props>('domain');
  const data = [1, 2, 3];

  it('compares the named props by value and every other prop by identity', () => {
    expect(equal({ data, domain: [0, 1], log: false }, { data, domain: [0, 1], log: false })).toBe(true);
    expect(equal({ data, domain: [0, 1], log: false }, { data, domain: [0, 2], log: false })).toBe(false);
    expect(equal({ data, domain: [0, 1], log: false }, { data: [1, 2, 3], domain: [0, 1], log: false })).toBe(false);
    expect(equal({ data, domain: [0, 1], log: false }, { data, domain: [0, 1], log: true })).toBe(false);
  });

  it('sees a prop added, removed or replaced by a new callback', () => {
    const onZoom = () => {};
    const base: Props = { data, domain: [0, 1], log: false };
    expect(equal(base, { ...base, onZoom })).toBe(false);
    expect(equal({ ...base, onZoom }, base)).toBe(false);
    expect(equal({ ...base, onZoom }, { ...base, onZoom: () => {} })).toBe(false);
    expect(equal({ ...base, onZoom }, { ...base, domain: [0, 1], onZoom })).toBe(true);
  });
});
