import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildBinnedPointSet, buildExactPointSet, type PointSet } from '../../src/core/pointset';
import { DEFAULT_PARAMS, type Params } from '../../src/core/params';
import { designQuantizer } from '../../src/core/design';
import { generate } from '../../src/core/generators';
import { mseOf } from '../../src/core/metrics';
import { MAX_SEED_FRAMES, TRACE_METHODS, traceDesign, traceWithoutSuppression, type Trace } from '../../src/core/trace';

const relu6 = buildExactPointSet(generate('relu6', { n: 3000, seed: 5 }));
const spiky = buildExactPointSet(generate('spiky-mixture', { n: 3000, seed: 2 }));
const binned = buildBinnedPointSet(generate('relu-gaussian', { n: 20000, seed: 1 }), 4096);

function params(partial: Partial<Params> = {}): Params {
  return { ...DEFAULT_PARAMS, methods: [...DEFAULT_PARAMS.methods], ...partial };
}

function expectFinalIsDesign(ps: PointSet, trace: Trace, p: Params): void {
  const q = designQuantizer(ps, trace.method, trace.bits, p);
  const last = trace.frames[trace.frames.length - 1];
  expect(last.phase).toBe('final');
  expect(Array.from(last.levels)).toEqual(Array.from(q.levels));
  expect(Array.from(last.thresholds)).toEqual(Array.from(q.thresholds));
  expect(last.iteration).toBe(q.iterations);
  // The recorded steps lead to the result: the last Lloyd frame already holds the final levels.
  const lloyd = trace.frames.filter((f) => f.phase === 'iterate');
  if (trace.frames.length > 1) {
    expect(lloyd.length).toBe(q.iterations);
    expect(Array.from(lloyd[lloyd.length - 1].levels)).toEqual(Array.from(q.levels));
  }
}

describe('traceDesign', () => {
  for (const [name, ps] of [
    ['relu6', relu6],
    ['spiky', spiky],
    ['binned relu', binned],
  ] as const) {
    for (const method of TRACE_METHODS) {
      it(`ends on exactly designQuantizer's levels and thresholds (${method}, ${name}, bits 1–5, seeds 0–2)`, () => {
        for (const bits of [1, 2, 3, 5]) {
          for (const seed of [0, 1, 2]) {
            const p = params({ seed, restarts: 3 });
            expectFinalIsDesign(ps, traceDesign(ps, method, bits, p), p);
          }
        }
      });
    }
  }

  it('ends on the design for random BS-KMQ settings (pins, bands, weights, seeding)', () => {
    fc.assert(
      fc.property(
        fc.record({
          bits: fc.integer({ min: 1, max: 6 }),
          seed: fc.integer({ min: 0, max: 1000 }),
          restarts: fc.integer({ min: 1, max: 4 }),
          pin: fc.constantFrom('auto', 'both', 'low', 'high', 'none'),
          bsInit: fc.constantFrom('random', 'plusplus'),
          suppressWeight: fc.constantFrom(0, 0.3, 1),
          bandLow: fc.double({ min: 0, max: 0.2, noNaN: true }),
        }),
        (r) => {
          const { bits, ...rest } = r;
          const p = params(rest as Partial<Params>);
          expectFinalIsDesign(spiky, traceDesign(spiky, 'bskmq', bits, p), p);
        },
      ),
      { seed: 42, numRuns: 40 },
    );
  });

  it('has non-increasing MSE on the clustered set over the Lloyd iterations', () => {
    for (const method of TRACE_METHODS) {
      for (const ps of [relu6, spiky, binned]) {
        for (const bits of [2, 4]) {
          const trace = traceDesign(ps, method, bits, params({ seed: 3 }));
          const lloyd = trace.frames.filter(
            (f, i) => f.phase === 'iterate' || (f.phase === 'seed' && trace.frames[i + 1]?.phase !== 'seed'),
          );
          for (let i = 1; i < lloyd.length; i++) {
            expect(lloyd[i].mseClustered).toBeLessThanOrEqual(lloyd[i - 1].mseClustered * (1 + 1e-12));
          }
        }
      }
    }
  });

  it('does not change the design by recording it (same levels before and after tracing)', () => {
    for (const method of TRACE_METHODS) {
      const p = params({ seed: 7, restarts: 4 });
      const before = designQuantizer(spiky, method, 4, p);
      traceDesign(spiky, method, 4, p);
      const after = designQuantizer(spiky, method, 4, p);
      expect(Array.from(after.levels)).toEqual(Array.from(before.levels));
    }
  });

  it('reports the MSE of every frame on all samples as metrics.mseOf does', () => {
    const trace = traceDesign(relu6, 'kmeans', 3, params());
    for (const f of trace.frames) expect(f.mse).toBe(mseOf(relu6, f));
    // K-means clusters the samples themselves: both MSEs agree.
    for (const f of trace.frames) expect(f.mseClustered).toBe(f.mse);
  });

  it('shows one seeding frame per Forgy seed, then the sorted seeds the Lloyd iteration starts from', () => {
    const trace = traceDesign(spiky, 'kmeans', 3, params({ restarts: 1 }));
    const seeds = trace.frames.filter((f) => f.phase === 'seed');
    expect(seeds).toHaveLength(8);
    seeds.forEach((f, i) => expect(f.levels.length).toBe(i + 1));
    expect(trace.frames[seeds.length].phase).toBe('iterate');
    expect(trace.frames[seeds.length].iteration).toBe(1);
    expect(seeds[7].caption).toMatch(/^Seeding: 8 samples drawn at random/);
  });

  it('groups seeds so that there are at most MAX_SEED_FRAMES seeding frames', () => {
    const trace = traceDesign(binned, 'kmeanspp', 7, params({ restarts: 1 }));
    const seeds = trace.frames.filter((f) => f.phase === 'seed');
    expect(seeds.length).toBeLessThanOrEqual(MAX_SEED_FRAMES);
    expect(seeds[seeds.length - 1].levels.length).toBe(128);
  });

  it('gives k-means++ seed frames the candidates, the chosen value among them', () => {
    const trace = traceDesign(relu6, 'kmeanspp', 3, params({ restarts: 1 }));
    const withCandidates = trace.frames.filter((f) => f.candidates);
    expect(withCandidates.length).toBe(7);
    for (const f of withCandidates) expect(Array.from(f.candidates!)).toContain(f.chosen![0]);
  });

  it('starts BS-KMQ with its pinned levels and measures the clustered MSE on the suppressed set', () => {
    const p = params({ pin: 'both' });
    const trace = traceDesign(relu6, 'bskmq', 3, p);
    expect(trace.pinned).toHaveLength(2);
    expect(trace.suppressed).toBe(true);
    expect(trace.frames[0].levels.length).toBe(2);
    expect(trace.frames[0].caption).toMatch(/^Pinned: L and U/);
    const last = trace.frames[trace.frames.length - 1];
    expect(last.mseClustered).not.toBe(last.mse);
  });

  it('gives a single final frame when BS-KMQ pins every level', () => {
    const trace = traceDesign(relu6, 'bskmq', 1, params({ pin: 'both' }));
    expect(trace.frames).toHaveLength(1);
    expect(trace.frames[0].phase).toBe('final');
  });

  it('refuses methods outside the K-means family', () => {
    expect(() => traceDesign(relu6, 'lloydmax', 3, params())).toThrow(RangeError);
  });
});

describe('traceWithoutSuppression', () => {
  it('is the plain BS-KMQ run: suppressWeight = 1 and no pins, and says so', () => {
    const p = params({ pin: 'both' });
    const off = traceWithoutSuppression(relu6, 3, p);
    expectFinalIsDesign(relu6, off, { ...p, suppressWeight: 1, pin: 'none' });
    expect(off.suppressed).toBe(false);
    expect(traceDesign(relu6, 'bskmq', 3, p).pinned.length).toBe(2);
    expect(off.pinned).toEqual([]);
    for (const f of off.frames) expect(f.caption).toMatch(/^Without suppression or pins · /);
    for (const f of off.frames) expect(f.mseClustered).toBe(f.mse);
  });
});
