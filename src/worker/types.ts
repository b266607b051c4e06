/**
 * Plain-data shapes that cross the worker boundary (structured-clone friendly).
 */
import type { Method, Params } from '../core/params';
import type { InputInfo, Report } from '../core/report';
import type { RawReadOptions, TensorInfo } from '../core/formats';
import type { AdcSnapResult } from './adcEngine';

/** The histogram of the loaded data over a shown range (the chart contract's HistogramData). */
export interface HistogramData {
  /** bins + 1 edges. */
  edges: number[];
  counts: number[];
  /** Samples in the whole data set (spike shares are of this). */
  total: number;
  /** Exact points holding a large share, drawn as annotated bars and not counted in `counts`. */
  spikes: { value: number; count: number; share: number }[];
}

/** What a successful load tells the main thread (never the samples themselves). */
export interface LoadResult {
  input: InputInfo;
  format: string;
  tensors: TensorInfo[];
  /** The tensor whose samples are loaded; null for generators and single-array text. */
  tensor: string | null;
  pointSet: { mode: 'exact' | 'binned'; points: number };
  /** Which Lloyd iteration the worker runs (src/core/wasm): the design times depend on it, the results do not. */
  lloydKernel: 'wasm' | 'js';
  /** Hex SHA-256 of the file's bytes (files only; null when too large to hash). */
  sha256: string | null;
  /** What the reader skipped or read differently (e.g. a text header row), one line each. */
  notes?: readonly string[];
}

/** A point set's arrays and metadata, moved between workers with transfer (never copied on the main thread). */
export interface PointSetTransfer {
  mode: 'exact' | 'binned';
  x: Float64Array;
  w: Float64Array;
  s2: Float64Array;
  nonFinite: number;
  min: number;
  max: number;
  source: { file: string | null; tensor: string | null; shape: number[]; dtype: string };
}

export interface BandsResult {
  L: number;
  U: number;
  low: [number, number] | null;
  high: [number, number] | null;
  lowWeight: number;
  highWeight: number;
}

export interface ReportResult {
  report: Report;
  bands: BandsResult;
  occupancy: Partial<Record<Method, number[]>>;
  /**
   * The focused design's references snapped to the ADC grid the call named (`engine.adcSnap`), sent
   * with the report so both are drawn in one frame; undefined when the call named no grid.
   */
  snap?: { gridBits: number; result: AdcSnapResult | null };
}

export interface HistogramRequest {
  bins: number;
  /** Shown range; null = [min, max] of the data. */
  domain: [number, number] | null;
  /** Exact points with at least this share of the samples become spike bars. */
  spikeShare: number;
}

export interface CurveResult {
  method: Method;
  mse: number[];
  sqnrDb: number[];
}

export interface SweepResult {
  axis: 'band' | 'percentile';
  x: number[];
  mse: number[];
  kmeansMse: number;
  optimalMse: number;
  bits: number;
}

/** Options of a load from bytes (file, download). */
export interface LoadOptions {
  tensor?: string | null;
  raw?: RawReadOptions;
  /** Compute the SHA-256 of the bytes (for links to an uploaded file). */
  hash?: boolean;
}

export type ProgressCallback = (done: number, total: number) => void;

export type { Params };
