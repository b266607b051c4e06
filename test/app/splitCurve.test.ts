import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/worker/engine';
import { mergeVariation, splitWidths } from '../../src/compute/splitCurve';
import { DEFAULT_PARAMS, MAX_BITS, MIN_BITS, type Params } from '../../src/core/params';

const params: Params = { ...DEFAULT_PARAMS, methods: [...DEFAULT_PARAMS.methods], bandLow: 0.05 };
const small = { n: 20_000, seed: 3 };
const req = { sigma: 0.002, sigmaOf: 'range' as const, trials: 20 };

describe('BS-KMQ curve shared by the two workers', () => {
  it('splitWidths gives every width 1–8 to exactly one worker, the current one first to the interactive worker', () => {
    for (let bits = MIN_BITS; bits <= MAX_BITS; bits++) {
      const { interactive, background } = splitWidths(bits);
      expect(interactive[0]).toBe(bits);
      expect([...interactive, ...background].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(background.length).toBeGreaterThan(0);
    }
  });

  it('curve parts from two engines, merged by width, equal the whole curve of one engine', async () => {
    const whole = createEngine();
    const a = createEngine();
    const b = createEngine();
    for (const e of [whole, a, b]) await e.loadGenerator('relu6', small);
    const [expected] = whole.curves(params, ['bskmq']);
    const { interactive, background } = splitWidths(params.bits);
    const pa = a.curvePart(params, 'bskmq', interactive);
    const pb = b.curvePart(params, 'bskmq', background);
    const mse: number[] = [];
    const sqnrDb: number[] = [];
    for (const p of [pa, pb]) {
      p.bits.forEach((bits, i) => {
        mse[bits - 1] = p.mse[i];
        sqnrDb[bits - 1] = p.sqnrDb[i];
      });
    }
    expect(mse).toEqual(expected.mse);
    expect(sqnrDb).toEqual(expected.sqnrDb);
  });

  it('seeded designs make the other engine report the same levels without designing them', async () => {
    const a = createEngine();
    const b = createEngine();
    for (const e of [a, b]) await e.loadGenerator('relu6', small);
    const part = a.curvePart(params, 'bskmq', [5]);
    expect(b.seedDesigns(params, 'bskmq', part.designs)).toBe(1);
    expect(b.seedDesigns(params, 'bskmq', part.designs)).toBe(0);
    const fromSeed = b.report({ ...params, bits: 5 }).report.results.find((r) => r.method === 'bskmq');
    const own = a.report({ ...params, bits: 5 }).report.results.find((r) => r.method === 'bskmq');
    expect(fromSeed?.levels).toEqual(own?.levels);
    expect(fromSeed?.mse).toBe(own?.mse);
  });

  it('the variation of curve parts, merged, equals the bskmq curve of the whole variation', async () => {
    const whole = createEngine();
    const a = createEngine();
    const b = createEngine();
    for (const e of [whole, a, b]) await e.loadGenerator('relu6', small);
    const expected = whole.variation(params, req).find((c) => c.method === 'bskmq');
    const { interactive, background } = splitWidths(params.bits);
    const pa = a.curvePart(params, 'bskmq', interactive, req);
    const pb = b.curvePart(params, 'bskmq', background, req);
    expect(pa.variation?.bits).toEqual([...interactive].sort((x, y) => x - y));
    expect(mergeVariation([pa.variation!, pb.variation!])).toEqual(expected);
    // Without a request the part carries no variation (the Monte Carlo is not run).
    expect(a.curvePart(params, 'bskmq', interactive).variation).toBeNull();
  });

  it('a curve part with its variation computes no optimum (a DP can take seconds on exact data)', async () => {
    const a = createEngine();
    const b = createEngine();
    for (const e of [a, b]) await e.loadGenerator('relu6', small);
    a.curvePart(params, 'bskmq', [1, 2, 3, 4, 5, 6, 7, 8], req);
    // Every optimum is new to `a`: its curve and variation never asked for one.
    expect(a.seedOptima(b.optima([1, 2, 3, 4, 5, 6, 7, 8]))).toBe(8);
  });
});
