/**
 * The per-layer batch view's computation: one tensor of the open
 * file designed at the current bits, reduced to one row of the layers table.
 *
 * Pure module (no Comlink, no DOM): the engine calls it with the file it already has
 * open, one tensor per call, so only that tensor's samples are ever decoded and they
 * are released when the call returns. The numbers are those of `bskmq design FILE
 * --all-tensors --bits B` (the same core `designReport` on the same point set).
 */
import { METHODS, type Method, type Params } from '../core/params';
import { buildPointSet, type PointSet } from '../core/pointset';
import { designReport, inputInfo, type Report } from '../core/report';
import type { OpenedFile, TensorInfo } from '../core/formats';

/** One row of the layers table: a tensor, its spike shares and every method's MSE at `bits`. */
export interface LayerRow {
  tensor: string;
  shape: number[];
  dtype: string;
  /** Every sample, finite or not. */
  count: number;
  bits: number;
  /** Share of the finite samples exactly at L / at U (the report's `input.spikeLow/High`). */
  spikeLow: number | null;
  spikeHigh: number | null;
  /** MSE per designed method (the report's `results[].mse`); null where non-finite. */
  mse: Partial<Record<Method, number | null>>;
  /** BS-KMQ's linear bits-equivalent at `bits` (the report's `bitsEquivalent`). */
  bitsEquivalent: number | null;
  pointSet: 'exact' | 'binned' | null;
  /** Why the tensor could not be designed (unsupported dtype, empty, no finite values); null when it was. */
  error: string | null;
  /** The tensor's whole report (levels, thresholds, every metric), as `design --all-tensors` prints it; null on error. */
  report: Report | null;
}

/**
 * The methods a layer row designs: the shown methods, plus `bskmq` for its
 * bits-equivalent column, in METHODS order.
 */
export function layerMethods(methods: readonly Method[]): Method[] {
  return METHODS.filter((m) => m === 'bskmq' || methods.includes(m));
}

/**
 * Designs `tensor` of `file` at `params.bits` with `layerMethods(params.methods)`.
 * A tensor that cannot be read or has no finite samples yields a row with `error`;
 * the promise rejects only on an unknown tensor name.
 */
export async function designLayer(
  file: OpenedFile,
  tensor: string,
  params: Params,
  now: () => number = Date.now,
): Promise<LayerRow> {
  const info = file.tensors.find((t) => t.name === tensor);
  if (!info) throw new Error(`${file.file} has no tensor "${tensor}"`);
  const row: LayerRow = {
    tensor,
    shape: [...info.shape],
    dtype: info.dtype,
    count: info.count,
    bits: params.bits,
    spikeLow: null,
    spikeHigh: null,
    mse: {},
    bitsEquivalent: null,
    pointSet: null,
    error: null,
    report: null,
  };
  let ps: PointSet;
  try {
    ps = await loadPointSet(file, tensor);
  } catch (e) {
    return { ...row, error: e instanceof Error ? e.message : String(e) };
  }
  if (ps.n === 0) return { ...row, error: emptyReason(file.file, info, ps) };
  const methods = layerMethods(params.methods);
  const designed: Params = { ...params, methods };
  const source = { file: file.file, tensor, shape: info.shape, dtype: info.dtype };
  const report = designReport(ps, inputInfo(ps, source, params), designed, [params.bits], now);
  const mse: LayerRow['mse'] = {};
  for (const r of report.results) mse[r.method] = r.mse;
  return {
    ...row,
    spikeLow: report.input.spikeLow,
    spikeHigh: report.input.spikeHigh,
    mse,
    bitsEquivalent: report.results.find((r) => r.method === 'bskmq')?.bitsEquivalent ?? null,
    pointSet: ps.mode,
    report,
  };
}

/** Decoded into memory, or streamed into a binned point set when large (as the app and the CLI load a tensor). */
async function loadPointSet(file: OpenedFile, tensor: string): Promise<PointSet> {
  if (file.shouldStream(tensor)) return (await file.stream(tensor)).pointSet;
  return buildPointSet((await file.decode(tensor)).data);
}

/** The CLI's wording for a tensor with nothing to quantize. */
function emptyReason(file: string, info: TensorInfo, ps: PointSet): string {
  const where = `${file}: tensor ${JSON.stringify(info.name)} (shape [${info.shape.join(', ')}], ${info.dtype})`;
  if (info.count === 0 || ps.nonFinite === 0) return `${where} is empty; expected at least one value`;
  return `${where} has no finite values: all ${ps.nonFinite} are NaN or ±Inf`;
}
