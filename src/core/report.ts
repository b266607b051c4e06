/**
 * The JSON report of docs/definitions.md, The report: what `bskmq design` prints and what the app
 * exports, so a result from either compares key by key.
 *
 * Every number is JSON-safe: non-finite values (NaN, ±Infinity — sqnrDb of an
 * exact quantizer, the interior MSE when the bands cover every sample) are
 * written as `null`. Two calls with the same inputs give the same report except
 * for `seconds`.
 */
import { resolveBoundaries } from './boundaries';
import { designSourceOf, type Clock, type DesignSource } from './curves';
import { evaluate, type Metrics } from './metrics';
import { paramsToJSON, type Method, type Params } from './params';
import type { PointSet, PointSetMode } from './pointset';
import type { Quantizer } from './quantizer';
import { inputStats } from './stats';
import { computeBands } from './suppression';

/** The report's `input`: where the data came from and its statistics (the statistics strip of docs/definitions.md). */
export interface InputInfo {
  file: string | null;
  tensor: string | null;
  shape: number[];
  dtype: string;
  /** Every sample, finite or not. */
  count: number;
  nonFinite: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  /** Share of the finite samples exactly at L / at U. */
  spikeLow: number | null;
  spikeHigh: number | null;
}

/** One method at one bit width. Key order as in docs/definitions.md (The report), with `bitsEquivalent` added before `seconds`. */
export interface MethodResult {
  method: Method;
  bits: number;
  levels: (number | null)[];
  thresholds: (number | null)[];
  mse: number | null;
  rmse: number | null;
  nmse: number | null;
  sqnrDb: number | null;
  mseInterior: number | null;
  mseBoundary: number | null;
  vsOptimal: number | null;
  levelsUsed: number;
  entropyBits: number | null;
  bitsEquivalent: number | null;
  /** Design time in seconds (evaluation not included). */
  seconds: number;
}

export interface Report {
  input: InputInfo;
  pointSet: { mode: PointSetMode; points: number };
  params: Record<string, unknown>;
  results: MethodResult[];
}

/** A finite number, or null (JSON has no NaN or Infinity). */
export function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/**
 * The report's `input` for a point set: statistics from `inputStats` with spike
 * shares at the resolved boundaries L and U, `count` = finite + non-finite samples.
 */
export function inputInfo(
  ps: PointSet,
  source: { file: string | null; tensor: string | null; shape: number[]; dtype: string },
  params: Pick<Params, 'low' | 'high'>,
): InputInfo {
  const { L, U } = resolveBoundaries(ps, params);
  const s = inputStats(ps, L, U);
  return {
    file: source.file,
    tensor: source.tensor,
    shape: [...source.shape],
    dtype: source.dtype,
    count: s.n + s.nonFinite,
    nonFinite: s.nonFinite,
    min: finiteOrNull(s.min),
    max: finiteOrNull(s.max),
    mean: finiteOrNull(s.mean),
    std: finiteOrNull(s.std),
    spikeLow: finiteOrNull(s.spikeLow),
    spikeHigh: finiteOrNull(s.spikeHigh),
  };
}

/** One entry of the report's `results` (docs/definitions.md, The report): the quantizer's lists and its metrics, non-finite numbers as null. */
export function methodResult(method: Method, bits: number, q: Quantizer, m: Metrics, seconds: number): MethodResult {
  return {
    method,
    bits,
    levels: Array.from(q.levels, finiteOrNull),
    thresholds: Array.from(q.thresholds, finiteOrNull),
    mse: finiteOrNull(m.mse),
    rmse: finiteOrNull(m.rmse),
    nmse: finiteOrNull(m.nmse),
    sqnrDb: finiteOrNull(m.sqnrDb),
    mseInterior: finiteOrNull(m.mseInterior),
    mseBoundary: finiteOrNull(m.mseBoundary),
    vsOptimal: finiteOrNull(m.vsOptimal),
    levelsUsed: m.levelsUsed,
    entropyBits: finiteOrNull(m.entropyBits),
    bitsEquivalent: finiteOrNull(m.bitsEquivalent),
    seconds,
  };
}

/**
 * Designs and evaluates every method of `params.methods` at every width of
 * `bitsList`, in that order (bits outer, methods in METHODS order inner), on `ps`.
 * The optimum at each width is computed once for `vsOptimal` whether or not
 * `optimal` is among the methods (and reused as its result when it is, with the
 * time it took). The designs come from `source` (a millisecond clock: designed here,
 * timed by it); `onMetrics` sees each method's evaluation.
 */
export function designReport(
  ps: PointSet,
  input: InputInfo,
  params: Params,
  bitsList: number[],
  source: Clock | DesignSource = Date.now,
  onMetrics?: (method: Method, bits: number, metrics: Metrics) => void,
): Report {
  const designs = designSourceOf(ps, source);
  const { L, U } = resolveBoundaries(ps, params);
  const bands = computeBands(ps, params, L, U);
  const linear = designs.linearMseByBits(L, U);
  const results: MethodResult[] = [];
  for (const bits of bitsList) {
    const optimum = designs.optimum(bits);
    for (const method of params.methods) {
      const d = method === 'optimal' && ps.n > 0 ? optimum : designs.design(method, bits, params);
      const m = evaluate(ps, d.quantizer, { bands, optimalMse: optimum.mse, linearMseByBits: linear });
      onMetrics?.(method, bits, m);
      results.push(methodResult(method, bits, d.quantizer, m, d.seconds));
    }
  }
  return {
    input,
    pointSet: { mode: ps.mode, points: ps.x.length },
    params: paramsToJSON(params),
    results,
  };
}

/** A tensor of a multi-tensor file that could not be designed: what it is and why, in place of its report. */
export interface TensorFailure {
  input: { file: string; tensor: string; shape: number[]; dtype: string; count: number };
  error: string;
}

/**
 * Every tensor of one file in file order (`bskmq design FILE --all-tensors`, the layers view's JSON
 * export): each entry is exactly that tensor's single-tensor report, or its failure.
 */
export interface AllTensorsReport<R = Report> {
  file: string;
  format: string;
  tensors: (R | TensorFailure)[];
}

export function isTensorFailure<R extends object>(entry: R | TensorFailure): entry is TensorFailure {
  return 'error' in entry;
}
