/**
 * Headerless raw binary: the user says the dtype and byte order; the file is one flat tensor.
 */
import type { TensorPlan } from './binary';
import { DTYPE_NAMES, DTYPE_SIZE, parseDTypeName, type ByteOrder } from './dtype';
import { FormatError } from './errors';
import { fileStem } from './numpy';
import type { ByteSource } from './source';

/** Plans a raw file as `size / itemsize` elements of the chosen dtype. */
export function planRaw(source: ByteSource, dtypeText: string, byteOrder: ByteOrder): TensorPlan[] {
  const dtype = parseDTypeName(dtypeText);
  if (!dtype) {
    throw new FormatError(
      { file: source.name },
      `unknown raw dtype '${dtypeText}': expected one of ${DTYPE_NAMES.join(', ')}`,
    );
  }
  if (byteOrder !== 'little' && byteOrder !== 'big') {
    throw new FormatError({ file: source.name }, `byte order must be 'little' or 'big', got '${String(byteOrder)}'`);
  }
  const size = DTYPE_SIZE[dtype];
  if (source.size % size !== 0) {
    throw new FormatError(
      { file: source.name },
      `raw file has ${source.size} bytes, not a multiple of ${size} (the size of ${dtype}); is the dtype right?`,
    );
  }
  const count = source.size / size;
  return [
    {
      info: { name: fileStem(source.name), shape: [count], dtype, count },
      dtype,
      byteOrder,
      region: { kind: 'bytes', offset: 0, length: source.size },
      base: 0,
      layout: { offset: 0, strides: [1] },
    },
  ];
}
