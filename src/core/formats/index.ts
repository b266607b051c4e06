/**
 * Input formats of docs/definitions.md, Input formats: .npy, .npz, .safetensors, PyTorch zip checkpoints, text (CSV, TSV,
 * whitespace, JSON) and raw binary, listed without decoding, decoded on demand, or streamed into a
 * binned point set.
 */
export { FormatError, type FormatErrorContext } from './errors';
export { bytesSource, readExact, CHUNK_BYTES, type ByteSource } from './source';
export {
  DEFAULT_STREAM_THRESHOLD,
  type DecodedTensor,
  type FileFormat,
  type OpenedFile,
  type OpenOptions,
  type RawReadOptions,
  type StreamOptions,
  type TensorInfo,
} from './types';
export { openFile } from './open';
export { BYTE_ORDERS, DTYPE_NAMES, DTYPE_SIZE, parseDTypeName, type ByteOrder, type DTypeName } from './dtype';
export { SUMMARY_FORMAT, SUMMARY_VERSION, summaryPointSet, parseSummaryMeta, type SummaryLayer } from './summary';
