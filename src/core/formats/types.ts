/**
 * The formats contract: what every parser hands to the CLI and the app.
 */
import type { NumericArray, PointSet } from '../pointset';
import type { ByteOrder } from './dtype';

/** Name, shape, dtype and element count of one tensor, known without decoding its data. */
export interface TensorInfo {
  /** Key in the file: npz member, safetensors key, state-dict path (`layer.0.weight`), or the file's stem. */
  name: string;
  shape: number[];
  /** float16, bfloat16, float32, float64, int8…int64, uint8…uint64 or bool. */
  dtype: string;
  count: number;
}

/** A decoded tensor in logical C order. */
export interface DecodedTensor extends TensorInfo {
  /**
   * Float32Array for ≤32-bit floats, Float64Array for float64/int64/uint64 (rounded beyond 2^53),
   * the native typed array for 8–32-bit integers, Uint8Array of 0/1 for bool.
   */
  data: NumericArray;
}

/** How to read a headerless binary file: its dtype (any spelling `parseDTypeName` accepts) and byte order. */
export interface RawReadOptions {
  dtype: string;
  byteOrder: ByteOrder;
}

export interface OpenOptions {
  /** Read the file as headerless raw binary. */
  raw?: RawReadOptions;
  /** Tensors larger than this many bytes should be streamed (default 256 MiB). */
  streamThreshold?: number;
  /** Size of the reads `stream()` makes (default 16 MiB); small values exercise chunk seams in tests. */
  chunkBytes?: number;
}

/** `bskmq-summary`: an activation summary (an npz written by python/bskmq_torch), see summary.ts. */
export type FileFormat = 'npy' | 'npz' | 'safetensors' | 'torch' | 'text' | 'raw' | 'bskmq-summary';

export interface StreamOptions {
  /** Bins of the binned point set (default DEFAULT_BINS = 2^16). */
  bins?: number;
  /** Called after every chunk of both passes with bytes done and total bytes (both passes). */
  onProgress?: (done: number, total: number) => void;
}

/** An opened file: its tensors are listed; data are read only on decode() or stream(). */
export interface OpenedFile {
  readonly format: FileFormat;
  readonly file: string;
  /** Listed without decoding data. */
  readonly tensors: TensorInfo[];
  /** Decodes one tensor (default: the first or only one). */
  decode(tensor?: string): Promise<DecodedTensor>;
  /**
   * Reads the tensor in chunks straight into a binned point set (never all samples at once): one
   * pass for the range, one for the bins.
   */
  stream(tensor: string | undefined, opts?: StreamOptions): Promise<{ pointSet: PointSet; info: TensorInfo }>;
  /** True when the tensor is larger than streamThreshold and should be streamed rather than decoded. */
  shouldStream(tensor?: string): boolean;
  /** What was read differently from the file's face value, one line each (e.g. a skipped header row). */
  readonly notes: readonly string[];
}

/** Default `streamThreshold`: 256 MiB. */
export const DEFAULT_STREAM_THRESHOLD = 256 * 1024 * 1024;

/** One tensor of an opened file, behind the format-specific way of reading it. */
export interface TensorHandle {
  readonly info: TensorInfo;
  /** Bytes the tensor occupies as stored (decompressed size for deflated members). */
  readonly byteSize: number;
  decode(): Promise<DecodedTensor>;
  /**
   * Calls `onValues` with consecutive chunks of the tensor's values (in any order) and `onBytes`
   * with the bytes consumed so far; `total` is what `onBytes` reaches at the end.
   */
  chunks(onValues: (values: NumericArray) => void, onBytes: (done: number) => void): Promise<void>;
  readonly chunkTotal: number;
  /** Notes found while listing (see OpenedFile.notes). */
  readonly notes?: readonly string[];
}
