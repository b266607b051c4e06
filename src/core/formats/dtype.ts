/**
 * Element types shared by every format, and the conversion of stored bytes into typed arrays.
 *
 * Output arrays follow the formats contract: Float32Array for float16/bfloat16/float32,
 * Float64Array for float64/int64/uint64 (64-bit integers beyond 2^53 round to the nearest double),
 * the native typed array for 8–32-bit integers, and Uint8Array of 0/1 for bool.
 */

export type DTypeName =
  | 'float16'
  | 'bfloat16'
  | 'float32'
  | 'float64'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool';

export const BYTE_ORDERS = ['little', 'big'] as const;
export type ByteOrder = (typeof BYTE_ORDERS)[number];

/** Typed arrays the decoders produce. */
export type DecodedArray =
  Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;

/** Bytes per element of every supported dtype. */
export const DTYPE_SIZE: Readonly<Record<DTypeName, number>> = {
  float16: 2,
  bfloat16: 2,
  float32: 4,
  float64: 8,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  bool: 1,
};

const ALIASES: Readonly<Record<string, DTypeName>> = {
  float16: 'float16',
  f2: 'float16',
  half: 'float16',
  f16: 'float16',
  e: 'float16',
  bfloat16: 'bfloat16',
  bf16: 'bfloat16',
  float32: 'float32',
  f4: 'float32',
  float: 'float32',
  f32: 'float32',
  single: 'float32',
  float64: 'float64',
  f8: 'float64',
  double: 'float64',
  f64: 'float64',
  d: 'float64',
  int8: 'int8',
  i1: 'int8',
  i8: 'int8',
  char: 'int8',
  uint8: 'uint8',
  u1: 'uint8',
  u8: 'uint8',
  byte: 'uint8',
  int16: 'int16',
  i2: 'int16',
  i16: 'int16',
  short: 'int16',
  uint16: 'uint16',
  u2: 'uint16',
  u16: 'uint16',
  int32: 'int32',
  i4: 'int32',
  i32: 'int32',
  int: 'int32',
  uint32: 'uint32',
  u4: 'uint32',
  u32: 'uint32',
  int64: 'int64',
  i64: 'int64',
  long: 'int64',
  uint64: 'uint64',
  u64: 'uint64',
  bool: 'bool',
  b1: 'bool',
};

/** Every accepted spelling of a dtype for raw files (`float32`, `f4`, `<f4`, `F32`, `half`, …). */
export function parseDTypeName(text: string): DTypeName | null {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/^[<>=|]/, '');
  return Object.prototype.hasOwnProperty.call(ALIASES, t) ? ALIASES[t] : null;
}

/** The names `parseDTypeName` accepts canonically, for help texts. */
export const DTYPE_NAMES: readonly DTypeName[] = Object.keys(DTYPE_SIZE) as DTypeName[];

const HOST_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

let halfTable: Float32Array | null = null;

/** float16 bit pattern → float32 value, for all 65536 patterns (256 KiB, built on first use). */
function halfToFloatTable(): Float32Array {
  if (halfTable) return halfTable;
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    let v: number;
    if (exp === 0) v = frac * 2 ** -24;
    else if (exp === 31) v = frac === 0 ? Infinity : NaN;
    else v = (1 + frac / 1024) * 2 ** (exp - 15);
    table[h] = sign * v;
  }
  halfTable = table;
  return table;
}

/** Allocates the output array of `count` elements of a dtype. */
export function allocFor(dtype: DTypeName, count: number): DecodedArray {
  switch (dtype) {
    case 'float16':
    case 'bfloat16':
    case 'float32':
      return new Float32Array(count);
    case 'float64':
    case 'int64':
    case 'uint64':
      return new Float64Array(count);
    case 'int8':
      return new Int8Array(count);
    case 'uint8':
    case 'bool':
      return new Uint8Array(count);
    case 'int16':
      return new Int16Array(count);
    case 'uint16':
      return new Uint16Array(count);
    case 'int32':
      return new Int32Array(count);
    case 'uint32':
      return new Uint32Array(count);
  }
}

/** The bytes in host order, 8-byte aligned: a view when possible, otherwise a (swapped) copy. */
function hostOrdered(bytes: Uint8Array, size: number, order: ByteOrder, mayAlias: boolean): Uint8Array {
  const swap = size > 1 && (order === 'little') !== HOST_LITTLE;
  const aligned = bytes.byteOffset % 8 === 0;
  if (!swap && aligned && mayAlias) return bytes;
  const copy = new Uint8Array(bytes.length);
  if (!swap) {
    copy.set(bytes);
    return copy;
  }
  const n = bytes.length;
  for (let i = 0; i < n; i += size) {
    for (let j = 0; j < size; j++) copy[i + j] = bytes[i + size - 1 - j];
  }
  return copy;
}

/**
 * Converts `count` stored elements at the start of `bytes` into the dtype's output array.
 * With `mayAlias`, the result may be a view of `bytes` (no copy) when the layout already matches.
 */
export function decodeElements(
  bytes: Uint8Array,
  dtype: DTypeName,
  order: ByteOrder,
  count: number,
  mayAlias = false,
): DecodedArray {
  const size = DTYPE_SIZE[dtype];
  const host = hostOrdered(bytes.subarray(0, count * size), size, order, mayAlias);
  const buf = host.buffer;
  const at = host.byteOffset;
  switch (dtype) {
    case 'float32':
      return new Float32Array(buf, at, count);
    case 'float64':
      return new Float64Array(buf, at, count);
    case 'int8':
      return new Int8Array(buf, at, count);
    case 'uint8':
      return new Uint8Array(buf, at, count);
    case 'int16':
      return new Int16Array(buf, at, count);
    case 'uint16':
      return new Uint16Array(buf, at, count);
    case 'int32':
      return new Int32Array(buf, at, count);
    case 'uint32':
      return new Uint32Array(buf, at, count);
    case 'bool': {
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) out[i] = host[i] !== 0 ? 1 : 0;
      return out;
    }
    case 'float16': {
      const table = halfToFloatTable();
      const h = new Uint16Array(buf, at, count);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = table[h[i]];
      return out;
    }
    case 'bfloat16': {
      const h = new Uint16Array(buf, at, count);
      const out = new Float32Array(count);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i++) bits[i] = h[i] << 16;
      return out;
    }
    case 'int64':
    case 'uint64': {
      const words = new Uint32Array(buf, at, count * 2);
      const out = new Float64Array(count);
      const lo = HOST_LITTLE ? 0 : 1;
      const signed = dtype === 'int64';
      for (let i = 0; i < count; i++) {
        const l = words[2 * i + lo];
        const hw = words[2 * i + 1 - lo];
        // One rounding (in the addition) keeps the conversion correctly rounded.
        out[i] = (signed ? hw | 0 : hw) * 4294967296 + l;
      }
      return out;
    }
  }
}
