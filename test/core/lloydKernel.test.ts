import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildBinnedPointSet, buildExactPointSet, pointSetFromArrays, type PointSet } from '../../src/core/pointset';
import { createNormal, createRng } from '../../src/core/rng';
import { DEFAULT_PARAMS } from '../../src/core/params';
import { designQuantizer } from '../../src/core/design';
import { mergePins, weightedLloyd, weightedLloydJs, type LloydOptions } from '../../src/core/methods/kmeans';
import { lloydKernelName, setWasmLloydEnabled, wasmLloyd } from '../../src/core/wasm/lloydKernel';
import { binaryModuleText, compileLloydWasm, LLOYD_BINARY_MODULE } from '../../scripts/build-wasm';

/** ReLU-like samples with a share of exact zeros and a clamp at 6, far from zero when `offset` is large. */
function samples(seed: number, n: number, zeroShare: number, offset: number): Float64Array {
  const rng = createRng(seed);
  const normal = createNormal(rng);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = offset + (rng() < zeroShare ? 0 : Math.min(6, Math.abs(normal() * 2)));
  return v;
}

/** Sorted start levels drawn from the data's range, duplicates allowed (as Forgy seeds on a spike). */
function startLevels(ps: PointSet, k: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const levels = new Float64Array(k);
  for (let j = 0; j < k; j++) levels[j] = rng() < 0.2 ? ps.x[0] : ps.min + rng() * (ps.max - ps.min);
  return levels.sort();
}

function runBoth(ps: PointSet, start: Float64Array, options: LloydOptions) {
  const js = start.slice(),
    wasm = start.slice();
  const jsIterations = weightedLloydJs(ps, js, options);
  const kernel = wasmLloyd();
  if (kernel === null) throw new Error('WebAssembly is unavailable in this Node');
  const wasmIterations = kernel.run(ps, wasm, options.fixed ?? null, options.maxIterations, options.tolerance);
  return { js, wasm, jsIterations, wasmIterations };
}

const caseArb = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  n: fc.integer({ min: 1, max: 4000 }),
  zeroShare: fc.constantFrom(0, 0.3, 0.7),
  offset: fc.constantFrom(0, 1e6),
  mode: fc.constantFrom('exact', 'binned', 'suppressed'),
  k: fc.integer({ min: 1, max: 300 }),
  pins: fc.constantFrom('none', 'low', 'both'),
  maxIterations: fc.constantFrom(0, 1, 7, 1000),
  tolerance: fc.constantFrom(null, 0, 1e-9, 1e-3),
});

afterEach(() => setWasmLloydEnabled(true));

describe('the WebAssembly Lloyd kernel', () => {
  it('runs in Node (so the tests below compare two kernels, not one with itself)', () => {
    expect(lloydKernelName()).toBe('wasm');
  });

  it('gives the TypeScript iteration’s levels to the last bit and the same iteration count', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const v = samples(c.seed, c.n, c.zeroShare, c.offset);
        let ps = c.mode === 'binned' ? buildBinnedPointSet(v, 512) : buildExactPointSet(v);
        if (c.mode === 'suppressed') {
          // Fractional weights, some zero: what a suppression band leaves.
          const w = ps.w.map((x, i) => (i % 5 === 0 ? 0 : x * (i % 3 === 0 ? 0.25 : 1)));
          ps = pointSetFromArrays(ps.mode, ps.x, w, ps.s2, ps);
          if (!(ps.n > 0)) return;
        }
        const free = startLevels(ps, c.k, c.seed + 1);
        const pinned =
          c.pins === 'none' ? { low: null, high: null } : { low: ps.min, high: c.pins === 'both' ? ps.max : null };
        const { levels, fixed } = mergePins(free, pinned);
        const r = runBoth(ps, levels, { maxIterations: c.maxIterations, tolerance: c.tolerance, fixed });
        expect(r.wasmIterations).toBe(r.jsIterations);
        // Object.is tells −0 from 0 and NaN from itself: bit-identical, not merely equal.
        expect(Array.from(r.wasm).every((x, j) => Object.is(x, r.js[j]))).toBe(true);
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('runs after a larger point set grew its memory and after a smaller one, each copied in once', () => {
    const big = buildExactPointSet(samples(3, 200_000, 0.4, 0));
    const small = buildExactPointSet(samples(4, 50, 0.4, 0));
    for (const ps of [small, big, small, big]) {
      const r = runBoth(ps, startLevels(ps, 64, 9), { maxIterations: 1000, tolerance: null });
      expect(Array.from(r.wasm)).toEqual(Array.from(r.js));
      expect(r.wasmIterations).toBe(r.jsIterations);
    }
  });

  it('weightedLloyd falls back to the TypeScript when the kernel is off, with the same designs', () => {
    const ps = buildBinnedPointSet(samples(11, 20_000, 0.5, 0), 4096);
    const params = { ...DEFAULT_PARAMS, restarts: 3 };
    const withWasm = (['kmeans', 'kmeanspp', 'lloydmax', 'bskmq'] as const).map((m) =>
      designQuantizer(ps, m, 6, params),
    );
    setWasmLloydEnabled(false);
    expect(lloydKernelName()).toBe('js');
    const withJs = (['kmeans', 'kmeanspp', 'lloydmax', 'bskmq'] as const).map((m) => designQuantizer(ps, m, 6, params));
    expect(withJs.map((q) => Array.from(q.levels))).toEqual(withWasm.map((q) => Array.from(q.levels)));
    expect(withJs.map((q) => q.iterations)).toEqual(withWasm.map((q) => q.iterations));
  });

  it('hands an update observer (the step-through) the TypeScript iteration, every update', () => {
    const ps = buildExactPointSet(samples(5, 2000, 0.3, 0));
    const seen: number[] = [];
    const levels = startLevels(ps, 8, 1);
    const iterations = weightedLloyd(ps, levels, {
      maxIterations: 1000,
      tolerance: null,
      onUpdate: (_, i) => seen.push(i),
    });
    expect(iterations).toBeGreaterThan(1);
    expect(seen).toEqual(Array.from({ length: iterations }, (_, i) => i + 1));
  });

  it('is the committed build of wasm/lloyd.ts (npm run build:wasm after changing the source)', async () => {
    const bytes = await compileLloydWasm();
    expect(readFileSync(LLOYD_BINARY_MODULE, 'utf8')).toBe(binaryModuleText(bytes));
  });
});
