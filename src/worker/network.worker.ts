/**
 * Thin Comlink shell over the network engine (src/worker/network/engine.ts), with onnxruntime-web's
 * WebAssembly build served from the app's own origin (the CSP allows scripts and wasm from 'self' only).
 */
import * as Comlink from 'comlink';
import * as ort from 'onnxruntime-web/wasm';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { createNetworkEngine, type Progress } from './network/engine';
import type { Method, Params } from '../core/params';

ort.env.wasm.wasmPaths = { wasm: new URL(wasmUrl, self.location.href).href };
// Threads need SharedArrayBuffer, which only a cross-origin-isolated page has.
ort.env.wasm.numThreads = self.crossOriginIsolated ? Math.min(2, navigator.hardwareConcurrency || 1) : 1;
ort.env.wasm.proxy = false;

const engine = createNetworkEngine(ort);

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw new Error(e instanceof Error ? e.message : String(e));
  }
}

const api = {
  loadModel: (bytes: Uint8Array, name: string) => guard(() => engine.loadModel(bytes, name)),
  loadInputs: (bytes: Uint8Array, name: string) => guard(() => engine.loadInputs(bytes, name)),
  capture: (calibration: number, onProgress?: Progress) =>
    guard(async () => {
      const r = await engine.capture(calibration, onProgress);
      return Comlink.transfer(
        r,
        r.activations.map((a) => a.data.buffer as ArrayBuffer),
      );
    }),
  accuracy: (method: Method, bits: number, params: Params, layers: string[]) =>
    guard(() => engine.accuracy(method, bits, params, layers)),
};

export type NetworkWorkerApi = typeof api;
Comlink.expose(api);
