import { describe, expect, it } from 'vitest';
import { createEngine, histogramOf } from '../../src/worker/engine';
import { DEFAULT_PARAMS, type Params } from '../../src/core/params';
import { buildPointSet } from '../../src/core/pointset';
import { designReport, inputInfo } from '../../src/core/report';
import { generate, resolveGeneratorOptions } from '../../src/core/generators';
import { errorCurves, suppressionSweep } from '../../src/core/curves';
import { npy } from '../support/encoders';

const params: Params = { ...DEFAULT_PARAMS, methods: [...DEFAULT_PARAMS.methods] };
const small = { n: 20_000, seed: 3 };

describe('compute engine', () => {
  it("report() equals core's designReport for the same data and params (all but seconds)", async () => {
    const engine = createEngine();
    await engine.loadGenerator('relu6', small);
    const { report } = engine.report(params);
    const ps = buildPointSet(generate('relu6', { ...small }));
    const direct = designReport(
      ps,
      inputInfo(ps, { file: null, tensor: null, shape: [small.n], dtype: 'float32' }, params),
      params,
      [3],
    );
    const strip = (r: typeof report) => ({ ...r, results: r.results.map(({ seconds: _s, ...rest }) => rest) });
    expect(strip(report)).toEqual(strip(direct));
    expect(report.results.map((r) => r.method)).toEqual(params.methods);
  });

  it('stays equal to designReport after changes served partly from its design cache', async () => {
    const engine = createEngine();
    await engine.loadGenerator('relu6', small);
    const ps = buildPointSet(generate('relu6', { ...small }));
    const src = { file: null, tensor: null, shape: [small.n], dtype: 'float32' };
    const strip = (r: ReturnType<typeof designReport>) => ({
      ...r,
      results: r.results.map(({ seconds: _s, ...rest }) => rest),
    });
    const steps: Partial<Params>[] = [
      {},
      { bandLow: 0.1 },
      { bits: 4 },
      { bits: 3, pin: 'none' },
      { high: 5, bandLow: 0.02 },
      {},
    ];
    let p = params;
    for (const step of steps) {
      p = { ...p, ...step };
      const fromEngine = engine.report(p).report;
      expect(strip(fromEngine)).toEqual(strip(designReport(ps, inputInfo(ps, src, p), p, [p.bits])));
    }
  });

  it('serves reports equal to designReport from prefetched designs and optima seeded by another engine', async () => {
    const a = createEngine();
    await a.loadGenerator('relu6', { n: 5000, seed: 2 });
    const b = createEngine();
    b.importPointSet(a.exportPointSet());
    expect(a.seedOptima(b.optima([1, 2, 3, 4, 5, 6, 7, 8]))).toBe(8);
    expect(await a.prefetch(params)).toBeGreaterThan(0);
    const ps = buildPointSet(generate('relu6', { n: 5000, seed: 2 }));
    const src = { file: null, tensor: null, shape: [5000], dtype: 'float32' };
    for (const bits of [2, 4, 8]) {
      const p = { ...params, bits };
      const strip = (r: ReturnType<typeof designReport>) => r.results.map(({ seconds: _s, ...rest }) => rest);
      expect(strip(a.report(p).report)).toEqual(strip(designReport(ps, inputInfo(ps, src, p), p, [bits])));
    }
  });

  it('ignores optima seeded from different data', async () => {
    const a = createEngine();
    await a.loadGenerator('relu6', { n: 3000, seed: 1 });
    const b = createEngine();
    await b.loadGenerator('relu6', { n: 3000, seed: 2 });
    expect(a.seedOptima(b.optima([3]))).toBe(0);
  });

  it('moves the point set between engines unchanged (same report)', async () => {
    const a = createEngine();
    await a.loadGenerator('relu-gaussian', small);
    const b = createEngine();
    b.importPointSet(a.exportPointSet());
    const ra = a.report(params).report.results.map((r) => r.levels);
    const rb = b.report(params).report.results.map((r) => r.levels);
    expect(rb).toEqual(ra);
  });

  it('loads a .npy blob, names the file, and hashes it with SHA-256', async () => {
    const engine = createEngine();
    const bytes = npy(Float32Array.from([0, 0, 1, 2, 3, 6, 6, 6]));
    const r = await engine.loadBlob(new Blob([bytes as Uint8Array<ArrayBuffer>]), 'acts.npy', { hash: true });
    expect(r.input.file).toBe('acts.npy');
    expect(r.input.count).toBe(8);
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
    const again = await engine.loadBlob(new Blob([bytes as Uint8Array<ArrayBuffer>]), 'acts.npy', { hash: true });
    expect(again.sha256).toBe(r.sha256);
  });

  it('keeps the loaded data when a bad file fails, with a message naming the file', async () => {
    const engine = createEngine();
    await engine.loadGenerator('relu6', small);
    const before = engine.report(params).report.results[0].levels;
    await expect(engine.loadBlob(new Blob(['not a tensor at all \u0000\u0001']), 'broken.npy', {})).rejects.toThrow(
      /broken\.npy/,
    );
    expect(engine.report(params).report.results[0].levels).toEqual(before);
  });

  it('reports bands for shading, and occupancy shares that sum to 1 per method', async () => {
    const engine = createEngine();
    await engine.loadGenerator('relu6', small);
    const r = engine.report({ ...params, bandLow: 0.1, bandHigh: 0.05 });
    expect(r.bands.low?.[0]).toBe(r.bands.L);
    expect(r.bands.high?.[1]).toBe(r.bands.U);
    for (const occ of Object.values(r.occupancy)) {
      expect(occ!.length).toBe(8);
      expect(occ!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it('curves span bits 1–8 per method and the sweep does not depend on the band itself', async () => {
    const engine = createEngine();
    await engine.loadGenerator('relu6', { n: 5000, seed: 1 });
    const curves = engine.curves(params, ['linear', 'kmeans']);
    expect(curves.map((c) => c.method)).toEqual(['linear', 'kmeans']);
    expect(curves[0].mse).toHaveLength(8);
    const s1 = engine.sweep({ ...params, bandLow: 0.03 });
    const s2 = engine.sweep({ ...params, bandLow: 0.2, bandHigh: 0.1 });
    expect(s2).toEqual(s1);
    expect(s1.bits).toBe(3);
  });

  it('curves and the sweep read the design cache yet equal core errorCurves and suppressionSweep exactly', async () => {
    const engine = createEngine();
    await engine.loadGenerator('relu6', { n: 5000, seed: 1 });
    const ps = buildPointSet(generate('relu6', resolveGeneratorOptions('relu6', { n: 5000, seed: 1 })));
    engine.report(params); // fills the cache the curves then share
    const methods = ['linear', 'kmeans', 'bskmq', 'optimal'] as const;
    const expected = errorCurves(ps, params, methods).curves.map((c) => ({
      method: c.method,
      mse: c.mse,
      sqnrDb: c.sqnrDb,
    }));
    expect(engine.curves(params, methods)).toEqual(expected);
    const seeds = engine.optima([2, 5]);
    expect(seeds.map((s) => [s.mse, s.sqnrDb])).toEqual([1, 4].map((i) => [expected[3].mse[i], expected[3].sqnrDb[i]]));
    const core = suppressionSweep(ps, { ...params, bandLow: 0, bandHigh: 0 }, params.bits);
    const s = engine.sweep(params);
    expect([s.x, s.mse, s.kmeansMse, s.optimalMse]).toEqual([core.x, core.mse, core.kmeansMse, core.optimalMse]);
  });
});

describe('histogramOf', () => {
  it('bins non-spike samples, lists spikes separately, and counts every sample once', () => {
    const values = [...Array(40).fill(0), 0.5, 1.5, 2.5, ...Array(12).fill(3), 2.9];
    const ps = buildPointSet(values);
    const h = histogramOf(ps, { bins: 3, domain: null, spikeShare: 0.2 });
    expect(h.edges).toEqual([0, 1, 2, 3]);
    expect(h.spikes.map((s) => s.value)).toEqual([0, 3]);
    expect(h.spikes[0].share).toBeCloseTo(40 / 56);
    expect(h.counts).toEqual([1, 1, 2]);
    expect(h.counts.reduce((a, b) => a + b, 0) + h.spikes.reduce((a, s) => a + s.count, 0)).toBe(56);
  });

  it('does not call a value repeated fewer than ten times a spike', () => {
    const h = histogramOf(buildPointSet([0, 0, 1]), { bins: 1, domain: null, spikeShare: 0.01 });
    expect(h.spikes).toEqual([]);
    expect(h.counts).toEqual([3]);
  });

  it('restricts to the zoomed range', () => {
    const ps = buildPointSet([0, 1, 2, 3, 4, 5]);
    const h = histogramOf(ps, { bins: 2, domain: [1, 3], spikeShare: 1 });
    expect(h.counts).toEqual([1, 2]);
  });
});
