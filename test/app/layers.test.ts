/**
 * The per-layer batch view's compute side: `designLayer` (one tensor of an open file →
 * one row, the numbers of designReport) and `LayersJob` (latest wins, rows published
 * tensor by tensor, a file change clears them), plus the engine's `layerRow`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/worker/engine';
import { designLayer, layerMethods, type LayerRow } from '../../src/worker/layersEngine';
import { EMPTY_LAYERS, LayersJob } from '../../src/compute/layersJob';
import { bytesSource, openFile } from '../../src/core/formats';
import { DEFAULT_PARAMS, type Params } from '../../src/core/params';
import { buildPointSet } from '../../src/core/pointset';
import { designReport, inputInfo } from '../../src/core/report';
import { npz } from '../support/encoders';

const NPZ = resolve(__dirname, '../fixtures/formats/deflated.npz');
const params: Params = { ...DEFAULT_PARAMS, methods: ['linear', 'kmeanspp', 'optimal'], bits: 3, restarts: 2 };

describe('designLayer', () => {
  it("gives a tensor's spike shares, every method's MSE and BS-KMQ's bits-equivalent from designReport", async () => {
    const file = await openFile(bytesSource('deflated.npz', new Uint8Array(readFileSync(NPZ))));
    for (const t of file.tensors) {
      const row = await designLayer(file, t.name, params);
      const ps = buildPointSet((await file.decode(t.name)).data);
      const source = { file: 'deflated.npz', tensor: t.name, shape: t.shape, dtype: t.dtype };
      const methods = layerMethods(params.methods);
      const report = designReport(ps, inputInfo(ps, source, params), { ...params, methods }, [3]);
      expect(row).toMatchObject({
        tensor: t.name,
        shape: t.shape,
        dtype: t.dtype,
        count: t.count,
        bits: 3,
        error: null,
      });
      expect(row.spikeLow).toBe(report.input.spikeLow);
      expect(row.spikeHigh).toBe(report.input.spikeHigh);
      expect(Object.keys(row.mse)).toEqual(['linear', 'kmeanspp', 'bskmq', 'optimal']);
      for (const r of report.results) expect(row.mse[r.method]).toBe(r.mse);
      expect(row.bitsEquivalent).toBe(report.results.find((r) => r.method === 'bskmq')!.bitsEquivalent);
      const untimed = (r: typeof report) => ({ ...r, results: r.results.map((x) => ({ ...x, seconds: 0 })) });
      expect(untimed(row.report!)).toEqual(untimed(report));
    }
  });

  it('adds bskmq to the shown methods (for its bits-equivalent) and keeps METHODS order', () => {
    expect(layerMethods(['optimal', 'linear'])).toEqual(['linear', 'bskmq', 'optimal']);
    expect(layerMethods([])).toEqual(['bskmq']);
  });

  it('returns a row with an error for a tensor with no finite values or no values, and rejects an unknown name', async () => {
    const zip = npz({ nan: new Float32Array(4).fill(NaN), empty: new Float32Array(0) }, { deflate: true });
    const file = await openFile(bytesSource('bad.npz', zip));
    const nan = await designLayer(file, 'nan', params);
    expect(nan.error).toMatch(/tensor "nan" .* has no finite values: all 4 are NaN or ±Inf/);
    expect(nan.mse).toEqual({});
    expect(nan.report).toBeNull();
    expect((await designLayer(file, 'empty', params)).error).toMatch(/is empty/);
    await expect(designLayer(file, 'nope', params)).rejects.toThrow(/no tensor "nope"/);
  });
});

describe('engine.layerRow', () => {
  it('designs any tensor of the open file without changing the loaded one', async () => {
    const engine = createEngine();
    const blob = new Blob([new Uint8Array(readFileSync(NPZ))]);
    await engine.loadBlob(blob, 'deflated.npz', { tensor: 'x' });
    const before = engine.report(params).report;
    const row = await engine.layerRow('w', params);
    expect(row.tensor).toBe('w');
    expect(row.shape).toEqual([20, 3]);
    expect(engine.report(params).report.input.tensor).toBe('x');
    expect(engine.report(params).report.results.map((r) => r.mse)).toEqual(before.results.map((r) => r.mse));
  });

  it('refuses when no file is open', async () => {
    const engine = createEngine();
    await engine.loadGenerator('relu6', { n: 100, seed: 1 });
    await expect(engine.layerRow('x', params)).rejects.toThrow(/No multi-tensor file/);
  });
});

/** A runner whose calls resolve when the test says so, recording what was asked. */
function manualRunner() {
  const calls: { tensor: string; bits: number; resolve: (r: LayerRow) => void; reject: (e: Error) => void }[] = [];
  const run = (tensor: string, p: Params) =>
    new Promise<LayerRow>((resolve, reject) => calls.push({ tensor, bits: p.bits, resolve, reject }));
  return { calls, run };
}

function rowOf(tensor: string, bits: number): LayerRow {
  return {
    tensor,
    shape: [1],
    dtype: 'float32',
    count: 1,
    bits,
    spikeLow: 0,
    spikeHigh: 0,
    mse: { bskmq: bits },
    bitsEquivalent: bits,
    pointSet: 'exact',
    error: null,
    report: null,
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('LayersJob', () => {
  it('publishes rows tensor by tensor and ends done', async () => {
    const { calls, run } = manualRunner();
    const job = new LayersJob(run, 0);
    job.request('f', 'p3', ['a', 'b'], { ...params, bits: 3 });
    expect(job.store.getState()).toMatchObject({ status: 'running', done: 0, total: 2 });
    await tick();
    expect(calls.map((c) => c.tensor)).toEqual(['a']);
    calls[0].resolve(rowOf('a', 3));
    await tick();
    expect(job.store.getState()).toMatchObject({ status: 'running', done: 1 });
    expect(calls.map((c) => c.tensor)).toEqual(['a', 'b']);
    calls[1].resolve(rowOf('b', 3));
    await job.settled();
    expect(job.store.getState()).toMatchObject({ status: 'done', done: 2, total: 2 });
    expect(job.store.getState().rows.map((r) => r.tensor)).toEqual(['a', 'b']);
  });

  it('drops a running batch when the params change: its late rows never show, the old rows wait to be replaced', async () => {
    const { calls, run } = manualRunner();
    const job = new LayersJob(run, 0);
    job.request('f', 'p3', ['a', 'b'], { ...params, bits: 3 });
    await tick();
    calls[0].resolve(rowOf('a', 3));
    await tick();
    job.request('f', 'p5', ['a', 'b'], { ...params, bits: 5 });
    await tick();
    calls[1].resolve(rowOf('b', 3)); // the stale batch's second row arrives late
    await tick();
    const mid = job.store.getState();
    expect(mid.done).toBe(0);
    expect(mid.rows.map((r) => [r.tensor, r.bits])).toEqual([['a', 3]]);
    const fresh = calls.filter((c) => c.bits === 5);
    expect(fresh.map((c) => c.tensor)).toEqual(['a']);
    fresh[0].resolve(rowOf('a', 5));
    await tick();
    calls.at(-1)!.resolve(rowOf('b', 5));
    await job.settled();
    expect(job.store.getState().rows.map((r) => [r.tensor, r.bits])).toEqual([
      ['a', 5],
      ['b', 5],
    ]);
  });

  it('ignores a repeated request, clears the rows for another file and shows nothing for a single tensor', async () => {
    const { calls, run } = manualRunner();
    const job = new LayersJob(run, 0);
    job.request('f', 'p', ['a', 'b'], params);
    job.request('f', 'p', ['a', 'b'], params);
    await tick();
    calls[0].resolve(rowOf('a', 3));
    await tick();
    calls[1].resolve(rowOf('b', 3));
    await job.settled();
    expect(calls).toHaveLength(2);
    job.request('g', 'p', ['c', 'd'], params);
    expect(job.store.getState().rows).toEqual([]);
    job.request('h', 'p', ['only'], params);
    expect(job.store.getState()).toBe(EMPTY_LAYERS);
  });

  it('reports a failed call as an error, and the same request then runs again', async () => {
    const { calls, run } = manualRunner();
    const job = new LayersJob(run, 0);
    job.request('f', 'p', ['a', 'b'], params);
    await tick();
    calls[0].reject(new Error('worker stopped'));
    await job.settled();
    expect(job.store.getState()).toMatchObject({ status: 'error', error: 'worker stopped' });
    job.request('f', 'p', ['a', 'b'], params);
    await tick();
    expect(calls).toHaveLength(2);
  });

  it('reruns an unchanged request after invalidate (a restarted worker)', async () => {
    const { calls, run } = manualRunner();
    const job = new LayersJob(run, 0);
    job.request('f', 'p', ['a', 'b'], params);
    await tick();
    calls[0].resolve(rowOf('a', 3));
    await tick();
    calls[1].resolve(rowOf('b', 3));
    await job.settled();
    job.request('f', 'p', ['a', 'b'], params);
    await tick();
    expect(calls).toHaveLength(2);
    job.invalidate();
    job.request('f', 'p', ['a', 'b'], params);
    await tick();
    expect(calls).toHaveLength(3);
  });
});
