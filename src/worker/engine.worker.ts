/**
 * Thin Comlink shell over the compute engine (src/worker/engine.ts): the only code
 * that knows it runs in a worker. Big arrays leave by transfer, never by copy.
 */
import * as Comlink from 'comlink';
import { createEngine, UserFacingError, type LayersSource } from './engine';
import type { LoadOptions, PointSetTransfer, ProgressCallback } from './types';
import type { Method, Params } from '../core/params';
import type { DesignSeed, OptimumSeed } from './cachedReport';
import { traceBuffers, type StepTraceRequest } from './traceEngine';
import type { VariationRequest } from './adcEngine';

const engine = createEngine(() => performance.now());

/** Errors cross the boundary as plain messages; a UserFacingError keeps its text verbatim. */
async function guard<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof UserFacingError) throw new Error(e.message);
    throw new Error(`internal error in the compute worker: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const api = {
  loadGenerator: (name: string, options: Record<string, number>) => guard(() => engine.loadGenerator(name, options)),
  loadBlob: (blob: Blob, name: string, opts: LoadOptions, onProgress?: ProgressCallback) =>
    guard(() => engine.loadBlob(blob, name, opts, onProgress)),
  loadUrl: (url: string, opts: LoadOptions, onProgress?: ProgressCallback) => guard(() => engine.loadUrl(url, opts, onProgress)),
  selectTensor: (tensor: string, onProgress?: ProgressCallback) => guard(() => engine.selectTensor(tensor, onProgress)),
  sourceBlob: () => guard(() => engine.sourceBlob()),
  openForLayers: (source: LayersSource) => guard(() => engine.openForLayers(source)),
  layerRow: (tensor: string, params: Params) => guard(() => engine.layerRow(tensor, params)),
  exportPointSet: () =>
    guard(() => {
      const t = engine.exportPointSet();
      return Comlink.transfer(t, [t.x.buffer, t.w.buffer, t.s2.buffer]);
    }),
  importPointSet: (t: PointSetTransfer) => guard(() => engine.importPointSet(t)),
  hasData: () => engine.hasData(),
  report: (params: Params, adcGridBits?: number) => guard(() => engine.report(params, adcGridBits)),
  histogram: (req: Parameters<typeof engine.histogram>[0]) => guard(() => engine.histogram(req)),
  curves: (params: Params, methods: Method[]) => guard(() => engine.curves(params, methods)),
  sweep: (params: Params) => guard(() => engine.sweep(params)),
  sweepPoints: (params: Params, widths: number[]) => guard(() => engine.sweepPoints(params, widths)),
  sweepReferences: (params: Params) => guard(() => engine.sweepReferences(params)),
  curvePart: (params: Params, method: Method, bitsList: number[], variation: VariationRequest | null) =>
    guard(() => engine.curvePart(params, method, bitsList, variation)),
  seedDesigns: (params: Params, method: Method, seeds: DesignSeed[]) =>
    guard(() => engine.seedDesigns(params, method, seeds)),
  optima: (bitsList: number[]) =>
    guard(() => {
      const seeds = engine.optima(bitsList);
      return Comlink.transfer(seeds, seeds.flatMap((s) => [s.levels.buffer, s.thresholds.buffer]));
    }),
  seedOptima: (seeds: OptimumSeed[]) => engine.seedOptima(seeds),
  prefetch: (params: Params) => guard(() => engine.prefetch(params)),
  trace: (req: StepTraceRequest) =>
    guard(() => {
      const result = engine.trace(req);
      return Comlink.transfer(result, traceBuffers(result));
    }),
  adcSnap: (params: Params, gridBits: number) => guard(() => engine.adcSnap(params, gridBits)),
  variation: (params: Params, req: VariationRequest) => guard(() => engine.variation(params, req)),
  /** Test hook: the next call of `method` never answers (a hang, for the client's watchdog). */
  stallNext: (method: string) => {
    stalled = method;
  },
  /** Test hook: kills this worker with an uncaught error, as a real crash would. */
  crash: () => {
    setTimeout(() => {
      throw new Error('simulated worker crash');
    }, 0);
  },
};

export type EngineWorkerApi = typeof api;

let stalled: string | null = null;

/** `api` with the stall hook in front of every method: a stalled method spins until the worker is terminated. */
function withStallHook<T extends Record<string, (...args: never[]) => unknown>>(methods: T): T {
  const hooked: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(methods)) {
    hooked[name] = (...args: never[]) => {
      if (stalled === name) {
        stalled = null;
        for (;;) {
          // Busy: no message is read again, as in a design that never ends.
        }
      }
      return fn(...args);
    };
  }
  return hooked as T;
}

Comlink.expose(withStallHook(api));
