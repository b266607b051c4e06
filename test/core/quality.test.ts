import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { designQuantizer } from '../../src/core/design';
import { generate } from '../../src/core/generators';
import { mseOf } from '../../src/core/metrics';
import { optimalMse } from '../../src/core/methods/optimal';
import { DEFAULT_PARAMS, METHODS, type Params } from '../../src/core/params';
import { buildBinnedPointSet, buildExactPointSet } from '../../src/core/pointset';

const params: Params = { ...DEFAULT_PARAMS, methods: [...DEFAULT_PARAMS.methods] };

const spikyData = fc
  .record({
    zeros: fc.integer({ min: 0, max: 200 }),
    tops: fc.integer({ min: 0, max: 60 }),
    body: fc.array(
      fc.integer({ min: 1, max: 9999 }).map((v) => v / 1000),
      { minLength: 1, maxLength: 300 },
    ),
  })
  .map(({ zeros, tops, body }) => [...new Array(zeros).fill(0), ...new Array(tops).fill(10), ...body]);

describe('optimal is the floor', () => {
  it('no method reaches an MSE below optimal’s (exact and binned sets, bits 1–5, random seeds and settings)', () => {
    fc.assert(
      fc.property(
        spikyData,
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.constantFrom('band' as const, 'percentile' as const),
        fc.boolean(),
        (data, bits, seed, suppressMode, binned) => {
          const ps = binned ? buildBinnedPointSet(data, 64) : buildExactPointSet(data);
          const p: Params = { ...params, seed, suppressMode, restarts: 2 };
          const floor = optimalMse(ps, bits);
          for (const method of METHODS) {
            const mse = mseOf(ps, designQuantizer(ps, method, bits, p));
            if (mse < floor * (1 - 1e-9) - 1e-15)
              throw new Error(`${method} at ${bits} bits: ${mse} < optimal ${floor}`);
          }
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  it('kmeanspp is within 1 % of optimal at 2–4 bits on a ReLU set with half its samples exactly 0', () => {
    const data = generate('relu-gaussian', { n: 100_000, seed: 11 });
    const ps = buildExactPointSet(data);
    expect(ps.w[0] / ps.n).toBeGreaterThan(0.49);
    for (const bits of [2, 3, 4]) {
      const ratio = mseOf(ps, designQuantizer(ps, 'kmeanspp', bits, params)) / optimalMse(ps, bits);
      expect(ratio).toBeGreaterThanOrEqual(1 - 1e-9);
      expect(ratio).toBeLessThanOrEqual(1.01);
    }
  });
});

describe('exact and binned point sets', () => {
  it('agree to 1e-3 relative MSE on a 1 M-sample generated set (each method at 3 and 5 bits)', () => {
    const data = generate('relu6', { n: 1_000_000, seed: 21 });
    const exact = buildExactPointSet(data);
    const binned = buildBinnedPointSet(data);
    expect(exact.mode).toBe('exact');
    expect(binned.mode).toBe('binned');
    for (const bits of [3, 5]) {
      for (const method of METHODS) {
        const e = mseOf(exact, designQuantizer(exact, method, bits, params));
        const b = mseOf(binned, designQuantizer(binned, method, bits, params));
        if (Math.abs(e - b) > 1e-3 * e) throw new Error(`${method} at ${bits} bits: exact ${e}, binned ${b}`);
      }
    }
  });
});
