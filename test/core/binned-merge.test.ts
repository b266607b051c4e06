import { describe, expect, it } from 'vitest';
import { generate } from '../../src/core/generators';
import { BinnedAccumulator, buildBinnedPointSet, scanRange, type PointSet } from '../../src/core/pointset';

function expectSameSet(a: PointSet, b: PointSet) {
  expect(a.x.length).toBe(b.x.length);
  expect(a.n).toBe(b.n);
  expect(a.nonFinite).toBe(b.nonFinite);
  expect(a.min).toBe(b.min);
  expect(a.max).toBe(b.max);
  const rel = (u: Float64Array, v: Float64Array, name: string) => {
    let scale = 0;
    for (let i = 0; i < v.length; i++) scale = Math.max(scale, Math.abs(v[i]));
    for (let i = 0; i < u.length; i++) {
      if (Math.abs(u[i] - v[i]) > 1e-12 * Math.max(Math.abs(v[i]), 1e-300) && Math.abs(u[i] - v[i]) > 1e-15 * scale) {
        throw new Error(`${name}[${i}]: ${u[i]} vs ${v[i]}`);
      }
    }
  };
  expect(Array.from(a.w)).toEqual(Array.from(b.w));
  rel(a.x, b.x, 'x');
  rel(a.s2, b.s2, 's2');
  rel(a.cs, b.cs, 'cs');
  rel(a.css, b.css, 'css');
}

describe('binned accumulator', () => {
  const data = generate('spiky-mixture', { n: 300_000, seed: 9 });
  data[17] = NaN;
  data[12345] = Infinity;
  const range = scanRange(data);
  const chunks = [0, 1000, 77_777, 150_000, 299_999, 300_000];

  it('merged from chunks equals the set built from the concatenated data (1e-12 relative)', () => {
    const whole = new BinnedAccumulator(range, 4096);
    whole.add(data);
    const merged = new BinnedAccumulator(range, 4096);
    for (let c = chunks.length - 2; c >= 0; c--) {
      const part = new BinnedAccumulator(range, 4096);
      part.add(data.subarray(chunks[c], chunks[c + 1]));
      merged.merge(part);
    }
    expectSameSet(merged.finish(), whole.finish());
  });

  it('fed chunk by chunk with add equals the set built from the concatenated data', () => {
    const whole = new BinnedAccumulator(range, 4096);
    whole.add(data);
    const sequential = new BinnedAccumulator(range, 4096);
    for (let c = 0; c + 1 < chunks.length; c++) sequential.add(data.subarray(chunks[c], chunks[c + 1]));
    expectSameSet(sequential.finish(), whole.finish());
  });

  it('refuses to merge accumulators over different ranges or bin counts', () => {
    const a = new BinnedAccumulator({ min: 0, max: 1 }, 16);
    expect(() => a.merge(new BinnedAccumulator({ min: 0, max: 2 }, 16))).toThrow(RangeError);
    expect(() => a.merge(new BinnedAccumulator({ min: 0, max: 1 }, 8))).toThrow(RangeError);
  });

  it('buildBinnedPointSet over several blocks equals one pass over the whole array, bit for bit', () => {
    // 2.5 M samples: the build's passes run in blocks of 2^20; a NaN and an Inf in the middle block.
    const big = generate('relu6', { n: 2_500_000, seed: 4 });
    big[1_500_000] = NaN;
    big[1_048_576] = -Infinity;
    const reference = new BinnedAccumulator(scanRange(big), 1024);
    reference.add(big);
    const want = reference.finish();
    for (const got of [buildBinnedPointSet(big, 1024), buildBinnedPointSet(Array.from(big), 1024)]) {
      expect(got.nonFinite).toBe(2);
      for (const key of ['x', 'w', 's2', 'cw', 'cs', 'css'] as const) expect(got[key]).toEqual(want[key]);
    }
  });
});
