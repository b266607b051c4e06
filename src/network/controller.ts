/**
 * The main thread's side of the network in the loop: owns the network worker, holds the network state
 * (a small store of its own, next to the app's), hands the captured activations to the app's ordinary
 * file path as one in-memory multi-tensor .npz, and keeps the accuracy table and curve up to date with
 * the app's parameters (current bits first, then the other widths nearest first; latest wins).
 */
import * as Comlink from 'comlink';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { NetworkWorkerApi } from '../worker/network.worker';
import type { Method, Params } from '../core/params';
import { MAX_BITS, MIN_BITS, paramsToJSON } from '../core/params';
import { ACCURACY_TOLERANCE, bitsNeeded } from '../core/network/adcCost';
import { looksLikePtqTable, parsePtqTable, type PtqTable } from '../core/network/ptqTable';
import type { AppStore } from '../state/store';
import type { AccuracyResult, InputsInfo, ModelInfo } from '../worker/network/engine';
import { memberName, writeNpz } from './npzWriter';

/** Built-in demo networks (`?net=NAME`), served from public/networks/. */
export const DEMO_NETWORKS = ['digits'] as const;
export type DemoNetwork = (typeof DEMO_NETWORKS)[number];

export interface CaptureInfo {
  calibration: number;
  evaluation: number;
  labels: boolean;
  floatAccuracy: number;
  /** Captured shape of each activation (first axis = calibration samples) and its tensor name in the app. */
  shapes: Record<string, number[]>;
  tensors: Record<string, string>;
  seconds: number;
}

export type NetworkStatus = 'idle' | 'loading' | 'capturing' | 'computing' | 'ready';

export interface NetworkState {
  model: ModelInfo | null;
  inputs: InputsInfo | null;
  /** Calibration samples asked for; null = the first half. */
  calibration: number | null;
  capture: CaptureInfo | null;
  /** Activations quantized in the accuracy runs; null = all. */
  selected: string[] | null;
  status: NetworkStatus;
  progress: { done: number; total: number; what: string } | null;
  /** Accuracy results of the current design key, by `${method}|${bits}`. */
  results: Record<string, AccuracyResult>;
  /** A PTQ table opened from a file; drawn when no live network is loaded. */
  table: PtqTable | null;
  demo: DemoNetwork | null;
}

export type NetworkStore = StoreApi<NetworkState>;

const resultKey = (method: string, bits: number) => `${method}|${bits}`;

/** Widths in the order they are computed: the current one, then the others nearest first. */
export function bitsOrder(current: number): number[] {
  const all: number[] = [];
  for (let b = MIN_BITS; b <= MAX_BITS; b++) all.push(b);
  return all.sort((a, b) => Math.abs(a - current) - Math.abs(b - current) || a - b);
}

/** The design key: every parameter that changes a design except bits, methods and focus. */
function designKey(p: Params, selected: string[] | null, captureVersion: number): string {
  const { bits: _b, methods: _m, focus: _f, ...rest } = p;
  return JSON.stringify({ rest, selected, captureVersion });
}

interface Loader {
  loadFile(file: File): Promise<void>;
}

export class NetworkController {
  readonly store: NetworkStore;
  private worker: Worker | null = null;
  private api: Comlink.Remote<NetworkWorkerApi> | null = null;
  private generation = 0;
  private captureVersion = 0;
  private key = '';
  private running: Promise<void> | null = null;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly app: AppStore,
    private readonly loader: Loader,
    private readonly makeWorker: () => Worker = () =>
      new Worker(new URL('../worker/network.worker.ts', import.meta.url), { type: 'module', name: 'bskmq-network' }),
  ) {
    this.store = createStore<NetworkState>()(() => ({
      model: null,
      inputs: null,
      calibration: null,
      capture: null,
      selected: null,
      status: 'idle',
      progress: null,
      results: {},
      table: null,
      demo: null,
    }));
    let prev = app.getState().params;
    app.subscribe((s) => {
      if (s.params === prev) return;
      prev = s.params;
      this.schedule();
    });
  }

  private remote(): Comlink.Remote<NetworkWorkerApi> {
    if (!this.api) {
      this.worker = this.makeWorker();
      this.api = Comlink.wrap<NetworkWorkerApi>(this.worker);
    }
    return this.api;
  }

  private notify(text: string): void {
    this.app.getState().notify('error', text);
  }

  private set(partial: Partial<NetworkState>): void {
    this.store.setState(partial);
  }

  /** Opens a built-in demo network: its model and its inputs with labels. */
  async openDemo(name: DemoNetwork): Promise<void> {
    const base = `${import.meta.env.BASE_URL}networks/${name}`;
    this.set({ status: 'loading', progress: null });
    try {
      const [model, inputs] = await Promise.all(
        ['onnx', 'npz'].map(async (ext) => {
          const r = await fetch(`${base}.${ext}`);
          if (!r.ok) throw new Error(`demo network ${name}: ${base}.${ext}: HTTP ${r.status}`);
          return new Uint8Array(await r.arrayBuffer());
        }),
      );
      await this.loadModelBytes(model, `${name}.onnx`, false);
      await this.loadInputsBytes(inputs, `${name}.npz`, false);
      this.set({ demo: name });
      await this.capture();
    } catch (e) {
      this.fail(e);
    }
  }

  /** A model file picked or dropped; a PTQ table (recognised by content) is drawn instead. */
  async openModelFile(file: File): Promise<void> {
    if (await this.maybeOpenTable(file)) return;
    try {
      await this.loadModelBytes(new Uint8Array(await file.arrayBuffer()), file.name, true);
      if (this.store.getState().inputs) await this.capture();
    } catch (e) {
      this.fail(e);
    }
  }

  async openInputsFile(file: File): Promise<void> {
    try {
      await this.loadInputsBytes(new Uint8Array(await file.arrayBuffer()), file.name, true);
      if (this.store.getState().model) await this.capture();
    } catch (e) {
      this.fail(e);
    }
  }

  /** Opens `file` as a PTQ table when its content says it is one; false otherwise (nothing read beyond the check). */
  async maybeOpenTable(file: File): Promise<boolean> {
    if (file.size > 64 * 1024 * 1024) return false;
    const head = await file.slice(0, 4096).text();
    if (!looksLikePtqTable(head) && !/^\s*\{/.test(head)) return false;
    const text = await file.text();
    if (!looksLikePtqTable(text)) return false;
    try {
      const table = parsePtqTable(text, file.name);
      this.set({ table });
    } catch (e) {
      this.notify(e instanceof Error ? e.message : String(e));
    }
    return true;
  }

  private fail(e: unknown): void {
    const s = this.store.getState();
    this.set({ status: s.capture ? 'ready' : 'idle', progress: null });
    this.notify(e instanceof Error ? e.message : String(e));
  }

  private async loadModelBytes(bytes: Uint8Array, name: string, user: boolean): Promise<void> {
    const prev = this.store.getState();
    this.set({ status: 'loading' });
    try {
      const model = await this.remote().loadModel(bytes, name);
      this.set({ model, capture: null, results: {}, selected: null, status: 'idle', ...(user ? { demo: null } : {}) });
    } catch (e) {
      // The worker keeps the new model when only the inputs did not fit it; otherwise the old state stands.
      const msg = e instanceof Error ? e.message : String(e);
      if (/do not fit/.test(msg)) this.set({ inputs: null, capture: null, results: {} });
      else this.set({ status: prev.status });
      throw e;
    }
  }

  private async loadInputsBytes(bytes: Uint8Array, name: string, user: boolean): Promise<void> {
    const inputs = await this.remote().loadInputs(bytes, name);
    this.set({ inputs, capture: null, results: {}, calibration: null, ...(user ? { demo: null } : {}) });
  }

  /** Sets the number of calibration samples (the rest evaluate) and captures again. */
  async setCalibration(n: number): Promise<void> {
    this.set({ calibration: n });
    await this.capture().catch((e) => this.fail(e));
  }

  setSelected(selected: string[] | null): void {
    this.set({ selected, results: {} });
    this.schedule();
  }

  private async capture(): Promise<void> {
    const s = this.store.getState();
    if (!s.model || !s.inputs) return;
    const calibration = s.calibration ?? Math.floor(s.inputs.samples / 2);
    this.generation++;
    this.set({ status: 'capturing', progress: { done: 0, total: s.inputs.samples, what: 'capture' }, results: {} });
    const t0 = performance.now();
    // Progress calls come over their own message port and may arrive after the result: drop those.
    let capturing = true;
    const r = await this.remote()
      .capture(
        calibration,
        Comlink.proxy((done: number, total: number) => {
          if (capturing) this.set({ progress: { done, total, what: 'capture' } });
        }),
      )
      .finally(() => {
        capturing = false;
      });
    const seconds = (performance.now() - t0) / 1000;
    const used = new Set<string>();
    const tensors: Record<string, string> = {};
    for (const a of r.activations) {
      let m = memberName(a.name);
      for (let i = 2; used.has(m); i++) m = `${memberName(a.name)}_${i}`;
      used.add(m);
      tensors[a.name] = m;
    }
    const npz = writeNpz(r.activations.map((a) => ({ name: tensors[a.name], shape: a.shape, data: a.data })));
    this.captureVersion++;
    this.set({
      capture: {
        calibration: r.calibration,
        evaluation: r.evaluation,
        labels: r.labels,
        floatAccuracy: r.floatAccuracy,
        shapes: Object.fromEntries(r.activations.map((a) => [a.name, a.shape])),
        tensors,
        seconds,
      },
      progress: null,
    });
    const stem = s.model.name.replace(/\.onnx$/i, '');
    await this.loader.loadFile(
      new File([npz as BlobPart], `${stem}-activations.npz`, { type: 'application/octet-stream' }),
    );
    this.schedule();
  }

  /** Starts (or restarts, latest wins) filling the accuracy results for the current parameters. */
  private schedule(): void {
    const s = this.store.getState();
    if (!s.capture) return;
    const params = this.app.getState().params;
    const key = designKey(params, s.selected, this.captureVersion);
    if (key !== this.key) {
      this.key = key;
      this.set({ results: {} });
    }
    const gen = ++this.generation;
    const runKey = this.key;
    this.set({ status: 'computing' });
    const run = async () => {
      if (this.running) await this.running.catch(() => undefined);
      if (gen !== this.generation) return;
      const layers = s.selected ?? s.model!.activations.map((a) => a.name);
      for (const bits of bitsOrder(params.bits)) {
        for (const method of params.methods) {
          if (gen !== this.generation) return;
          if (this.store.getState().results[resultKey(method, bits)]) continue;
          const r = await this.remote().accuracy(method, bits, params, layers);
          // A newer request with the same design key still wants this result (a bits change only reorders).
          if (runKey === this.key)
            this.set({ results: { ...this.store.getState().results, [resultKey(method, bits)]: r } });
          if (gen !== this.generation) return;
        }
      }
      this.set({ status: 'ready' });
      for (const w of this.idleWaiters.splice(0)) w();
    };
    const p = run().catch((e) => {
      if (gen === this.generation) this.fail(e);
    });
    this.running = p;
  }

  /** Resolves when the accuracy results for the current parameters are all computed (or nothing runs). */
  settled(): Promise<void> {
    const st = this.store.getState().status;
    if (st === 'ready' || st === 'idle') return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Accuracy by bits (index = bits) of one method from the current results. */
  accuracyByBits(method: string): (number | undefined)[] {
    const r = this.store.getState().results;
    return Array.from({ length: MAX_BITS + 1 }, (_, b) => r[resultKey(method, b)]?.accuracy);
  }

  /** The current view as a PTQ table (the console's getNetworkReport); null without a captured network. */
  report(): PtqTable | null {
    const s = this.store.getState();
    if (!s.model || !s.capture) return null;
    const params = this.app.getState().params;
    const results = Object.values(s.results).sort((a, b) => a.method.localeCompare(b.method) || a.bits - b.bits);
    return {
      format: 'bskmq-ptq',
      version: 1,
      model: {
        name: s.model.name,
        activations: s.model.activations.map((a) => ({ name: a.name, shape: s.capture!.shapes[a.name] ?? [] })),
      },
      samples: { calibration: s.capture.calibration, evaluation: s.capture.evaluation },
      labels: s.capture.labels,
      metric: s.capture.labels ? 'top1' : 'agreement',
      floatAccuracy: s.capture.floatAccuracy,
      params: paramsToJSON(params),
      results: results.map((r) => ({ method: r.method, bits: r.bits, accuracy: r.accuracy, layers: r.layers })),
    };
  }

  /** Bits each method needs within the tolerance of the float accuracy, from the current results. */
  needed(method: Method | string): number | null {
    const c = this.store.getState().capture;
    return c ? bitsNeeded(this.accuracyByBits(method), c.floatAccuracy, ACCURACY_TOLERANCE) : null;
  }
}
