/**
 * The network engine: one rewritten ONNX model in one onnxruntime inference session, its inputs, the
 * float activations captured on the calibration part, and PTQ accuracy of any method at any bit width
 * on the evaluation part. Runs in the network worker (src/worker/network.worker.ts is its Comlink shell)
 * and in Node tests; the onnxruntime module is passed in, so each side brings its own build.
 */
import type * as Ort from 'onnxruntime-web';
import { designQuantizer } from '../../core/design';
import { mseOf } from '../../core/metrics';
import type { Method, Params } from '../../core/params';
import { buildPointSet, type PointSet } from '../../core/pointset';
import { bytesSource, openFile, FormatError } from '../../core/formats';
import { ModelError, rewriteModel, type ActivationSpec, type RewrittenModel } from './rewrite';

export type OrtModule = Pick<typeof Ort, 'InferenceSession' | 'Tensor'>;

export interface ModelInfo {
  name: string;
  opset: number;
  input: { name: string; shape: (number | string)[] };
  output: string;
  activations: { name: string; op: string; shape: (number | string)[] | null }[];
}

export interface InputsInfo {
  name: string;
  samples: number;
  sampleShape: number[];
  labels: boolean;
}

/** One captured activation: its float values on the calibration samples, C order, first axis = sample. */
export interface CapturedActivation {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface CaptureResult {
  calibration: number;
  evaluation: number;
  labels: boolean;
  /** Float top-1 accuracy on the evaluation samples (1 by definition for agreement without labels). */
  floatAccuracy: number;
  activations: CapturedActivation[];
}

export interface LayerDesign {
  name: string;
  thresholds: number[];
  levels: number[];
  /** MSE of the layer's quantizer on its calibration samples. */
  mse: number;
}

export interface AccuracyResult {
  method: Method;
  bits: number;
  accuracy: number;
  layers: LayerDesign[];
}

export type Progress = (done: number, total: number) => void;

/** Bytes the quantizers' intermediates may take per batch. */
const QUANTIZER_BUDGET = 64 * 1024 * 1024;
/** Live bytes per activation element in a quantizer step (gathered float, two bools, int32 code and increment). */
const QUANTIZER_BYTES_PER_ELEMENT = 32;
const MAX_BATCH = 256;

interface Loaded {
  info: ModelInfo;
  model: RewrittenModel;
  session: Ort.InferenceSession;
  batchable: boolean;
}

interface Inputs {
  info: InputsInfo;
  x: Float32Array;
  y: Int32Array | null;
}

interface Captured {
  result: Omit<CaptureResult, 'activations'>;
  pointSets: Map<string, PointSet>;
  /** Elements per sample of each activation. */
  perSample: Map<string, number>;
  floatPredictions: Int32Array;
}

function argmaxRows(data: Float32Array, rows: number, out: Int32Array, offset: number): void {
  const cols = data.length / rows;
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (data[r * cols + c] > data[r * cols + best]) best = c;
    out[offset + r] = best;
  }
}

export function createNetworkEngine(ort: OrtModule) {
  let loaded: Loaded | null = null;
  let inputs: Inputs | null = null;
  let captured: Captured | null = null;
  let sampleRange: { calibration: number } | null = null;
  const designs = new Map<string, LayerDesign>();

  function sampleElems(): number {
    return inputs ? inputs.info.sampleShape.reduce((a, b) => a * b, 1) : 0;
  }

  function checkFit(m: Loaded | null, inp: Inputs | null): void {
    if (!m || !inp) return;
    const want = m.info.input.shape.slice(1);
    const got = inp.info.sampleShape;
    const fits = want.length === got.length && want.every((d, i) => typeof d !== 'number' || d <= 0 || d === got[i]);
    if (!fits) {
      throw new ModelError(
        `${inp.info.name}: inputs of shape [n, ${got.join(', ')}] do not fit ${m.info.name}'s input ${m.info.input.name} [${m.info.input.shape.join(', ')}]`,
      );
    }
  }

  /** Feeds that bypass every quantizer (float run); thresholds of length 1 keep the comparison small. */
  function bypassFeeds(model: RewrittenModel): Record<string, Ort.Tensor> {
    const feeds: Record<string, Ort.Tensor> = {};
    for (const a of model.activations) {
      feeds[a.thresholdsInput] = new ort.Tensor('float32', new Float32Array(1), [1]);
      feeds[a.levelsInput] = new ort.Tensor('float32', new Float32Array(2), [2]);
      feeds[a.bypassInput] = new ort.Tensor('bool', new Uint8Array([1]), [1]);
    }
    return feeds;
  }

  function batchOf(bytesPerSample: number): number {
    if (!loaded?.batchable) return 1;
    return Math.max(1, Math.min(MAX_BATCH, Math.floor(QUANTIZER_BUDGET / Math.max(1, bytesPerSample))));
  }

  async function runBatch(
    feeds: Record<string, Ort.Tensor>,
    start: number,
    count: number,
    fetches: string[],
  ): Promise<Record<string, Ort.Tensor>> {
    const m = loaded!,
      inp = inputs!;
    const elems = sampleElems();
    const x = inp.x.subarray(start * elems, (start + count) * elems);
    feeds[m.info.input.name] = new ort.Tensor('float32', x, [count, ...inp.info.sampleShape]);
    return m.session.run(feeds, fetches);
  }

  return {
    async loadModel(bytes: Uint8Array, name: string): Promise<ModelInfo> {
      const model = rewriteModel(bytes, name);
      let session: Ort.InferenceSession;
      try {
        session = await ort.InferenceSession.create(model.bytes, { graphOptimizationLevel: 'all' });
      } catch (e) {
        // onnxruntime's text leads with its error code ("Can't create a session. ERROR_CODE: 6, ERROR_MESSAGE: …").
        const why = (e instanceof Error ? e.message : String(e)).replace(/^.*?ERROR_MESSAGE:\s*/s, '');
        throw new ModelError(`${name}: onnxruntime-web cannot run this model: ${why}`);
      }
      const info: ModelInfo = {
        name,
        opset: model.opset,
        input: model.input,
        output: model.output,
        activations: model.activations.map(({ name: n, op, shape }) => ({ name: n, op, shape })),
      };
      const first = model.input.shape[0];
      const next: Loaded = { info, model, session, batchable: typeof first !== 'number' || first <= 0 };
      try {
        checkFit(next, inputs);
      } catch (e) {
        // The new model replaces the old one; inputs that do not fit it are dropped with the notice.
        inputs = null;
        loaded = next;
        captured = null;
        designs.clear();
        throw e;
      }
      if (loaded) await loaded.session.release().catch(() => undefined);
      loaded = next;
      captured = null;
      designs.clear();
      return info;
    },

    async loadInputs(bytes: Uint8Array, name: string): Promise<InputsInfo> {
      let x: Float32Array,
        shape: number[],
        y: Int32Array | null = null;
      try {
        const file = await openFile(bytesSource(name, bytes));
        if (file.format !== 'npy' && file.format !== 'npz') {
          throw new ModelError(
            `${name}: inputs must be an .npz with x (and optional y) or an .npy; got ${file.format}`,
          );
        }
        const xName = file.format === 'npy' ? file.tensors[0].name : 'x';
        if (!file.tensors.some((t) => t.name === xName)) {
          throw new ModelError(
            `${name}: no member x (the inputs, first axis = samples); members: ${file.tensors.map((t) => t.name).join(', ')}`,
          );
        }
        const xt = await file.decode(xName);
        if (xt.shape.length < 1 || xt.shape[0] < 2)
          throw new ModelError(
            `${name}: x must hold at least 2 samples along its first axis; shape [${xt.shape.join(', ')}]`,
          );
        x = xt.data instanceof Float32Array ? xt.data : Float32Array.from(xt.data as ArrayLike<number>);
        shape = xt.shape;
        if (file.format === 'npz' && file.tensors.some((t) => t.name === 'y')) {
          const yt = await file.decode('y');
          if (yt.count !== shape[0]) {
            throw new ModelError(`${name}: labels y hold ${yt.count} values but x has ${shape[0]} samples`);
          }
          y = Int32Array.from(yt.data as ArrayLike<number>);
        }
      } catch (e) {
        if (e instanceof ModelError) throw e;
        if (e instanceof FormatError) throw new ModelError(e.message);
        throw new ModelError(`${name}: cannot read inputs: ${e instanceof Error ? e.message : String(e)}`);
      }
      const next: Inputs = { info: { name, samples: shape[0], sampleShape: shape.slice(1), labels: y !== null }, x, y };
      checkFit(loaded, next);
      inputs = next;
      captured = null;
      designs.clear();
      return next.info;
    },

    /**
     * Runs the float model on every input: captures each activation on the first `calibration` samples
     * and keeps the float predictions of the rest. Progress counts samples.
     */
    async capture(calibration: number, onProgress?: Progress): Promise<CaptureResult> {
      if (!loaded) throw new ModelError('no model loaded');
      if (!inputs) throw new ModelError('no inputs loaded');
      const m = loaded,
        inp = inputs;
      const n = inp.info.samples;
      const calib = Math.max(1, Math.min(n - 1, Math.round(calibration)));
      const feeds = bypassFeeds(m.model);
      const captureNames = m.model.activations.map((a) => a.captureOutput);
      const fetches = [m.info.output, ...captureNames];
      const chunks = new Map<string, Float32Array[]>(captureNames.map((c) => [c, []]));
      const shapes = new Map<string, number[]>();
      const predictions = new Int32Array(n);
      let done = 0;
      let batch = 1;
      while (done < n) {
        // Calibration batches fetch the activations; evaluation batches only the logits.
        const inCalib = done < calib;
        const count = Math.min(batch, (inCalib ? calib : n) - done);
        const out = await runBatch(feeds, done, count, inCalib ? fetches : [m.info.output]);
        argmaxRows(out[m.info.output].data as Float32Array, count, predictions, done);
        if (inCalib) {
          let perSample = 0;
          for (const c of captureNames) {
            const t = out[c];
            chunks.get(c)!.push(t.data as Float32Array);
            shapes.set(c, t.dims.slice(1) as number[]);
            perSample += (t.data as Float32Array).length / count;
          }
          if (done === 0) batch = batchOf(perSample * 4 * 3);
        }
        done += count;
        onProgress?.(done, n);
      }
      const activations: CapturedActivation[] = m.model.activations.map((a: ActivationSpec) => {
        const parts = chunks.get(a.captureOutput)!;
        const data = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
        let o = 0;
        for (const p of parts) data.set(p, (o += p.length) - p.length);
        return { name: a.name, shape: [calib, ...shapes.get(a.captureOutput)!], data };
      });
      const evaluation = n - calib;
      let correct = 0;
      if (inp.y) for (let i = calib; i < n; i++) correct += predictions[i] === inp.y[i] ? 1 : 0;
      const result = {
        calibration: calib,
        evaluation,
        labels: inp.y !== null,
        floatAccuracy: inp.y ? correct / evaluation : 1,
      };
      captured = {
        result,
        pointSets: new Map(activations.map((a) => [a.name, buildPointSet(a.data)])),
        perSample: new Map(activations.map((a) => [a.name, a.data.length / calib])),
        floatPredictions: predictions,
      };
      sampleRange = { calibration: calib };
      designs.clear();
      return { ...result, activations };
    },

    /**
     * PTQ accuracy of `method` at `bits`: each layer in `layers` designed on its calibration samples with
     * `params` and quantized, all at once, over the evaluation samples.
     */
    async accuracy(method: Method, bits: number, params: Params, layers: string[]): Promise<AccuracyResult> {
      if (!loaded || !inputs || !captured || !sampleRange) throw new ModelError('no captured network');
      const m = loaded,
        inp = inputs,
        cap = captured;
      const designParams = { ...params, bits, methods: [method], focus: method };
      const key = JSON.stringify({ ...designParams, methods: undefined, focus: undefined, bits: undefined });
      const selected = new Set(layers);
      const feeds = bypassFeeds(m.model);
      const designed: LayerDesign[] = [];
      let bytesPerSample = 1;
      for (const a of m.model.activations) {
        if (!selected.has(a.name)) continue;
        const dkey = `${a.name}|${method}|${bits}|${key}`;
        let d = designs.get(dkey);
        if (!d) {
          const ps = cap.pointSets.get(a.name)!;
          const q = designQuantizer(ps, method, bits, designParams);
          d = { name: a.name, thresholds: Array.from(q.thresholds), levels: Array.from(q.levels), mse: mseOf(ps, q) };
          designs.set(dkey, d);
        }
        designed.push(d);
        feeds[a.thresholdsInput] = new ort.Tensor(
          'float32',
          Float32Array.from(d.thresholds.length ? d.thresholds : [Infinity]),
          [Math.max(1, d.thresholds.length)],
        );
        feeds[a.levelsInput] = new ort.Tensor(
          'float32',
          Float32Array.from(d.levels.length > 1 ? d.levels : [d.levels[0], d.levels[0]]),
          [Math.max(2, d.levels.length)],
        );
        feeds[a.bypassInput] = new ort.Tensor('bool', new Uint8Array([0]), [1]);
        bytesPerSample = Math.max(bytesPerSample, cap.perSample.get(a.name)! * QUANTIZER_BYTES_PER_ELEMENT);
      }
      const n = inp.info.samples,
        calib = sampleRange.calibration;
      const predictions = new Int32Array(n);
      const batch = batchOf(bytesPerSample);
      for (let s = calib; s < n; s += batch) {
        const count = Math.min(batch, n - s);
        const out = await runBatch(feeds, s, count, [m.info.output]);
        argmaxRows(out[m.info.output].data as Float32Array, count, predictions, s);
      }
      let hits = 0;
      for (let i = calib; i < n; i++) hits += predictions[i] === (inp.y ? inp.y[i] : cap.floatPredictions[i]) ? 1 : 0;
      return { method, bits, accuracy: hits / (n - calib), layers: designed };
    },

    modelInfo: (): ModelInfo | null => loaded?.info ?? null,
    inputsInfo: (): InputsInfo | null => inputs?.info ?? null,
  };
}

export type NetworkEngine = ReturnType<typeof createNetworkEngine>;
