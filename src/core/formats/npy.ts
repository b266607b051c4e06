/**
 * The .npy header (NEP 1, versions 1.0, 2.0 and 3.0): magic, version, header length, and a Python
 * dict literal with `descr`, `fortran_order` and `shape`.
 * See https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
 */
import { FormatError, type FormatErrorContext } from './errors';
import { DTYPE_SIZE, type ByteOrder, type DTypeName } from './dtype';
import { LiteralError, parsePyLiteral } from './pyliteral';
import { decodeLatin1, decodeUtf8 } from './utf8';
import { checkedCount } from './validate';

/** Everything an .npy header says about its array. */
export interface NpyHeader {
  dtype: DTypeName;
  byteOrder: ByteOrder;
  shape: number[];
  fortran: boolean;
  count: number;
  /** Bytes from the start of the .npy data to its first element. */
  dataOffset: number;
  /** "1.0", "2.0" or "3.0". */
  version: string;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** Headers beyond this are not written by NumPy for any sane array; refuse before reading them. */
export const MAX_NPY_HEADER = 1 << 20;
/** Bytes that hold the magic, the version and the header length. */
export const NPY_PRELUDE = 12;

/** True when the bytes start with the .npy magic. */
export function hasNpyMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && MAGIC.every((b, i) => bytes[i] === b);
}

/** Total bytes of magic + version + length + header, read from the first 12 bytes. */
export function npyHeaderSize(prelude: Uint8Array, ctx: FormatErrorContext): number {
  if (prelude.length < 10) {
    throw new FormatError({ ...ctx, offset: 0 }, `file has ${prelude.length} bytes, too short for an .npy header`);
  }
  if (!hasNpyMagic(prelude)) {
    const found = Array.from(prelude.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new FormatError(
      { ...ctx, offset: 0 },
      `not an .npy file: magic is ${found}, expected 93 4e 55 4d 50 59 (\\x93NUMPY)`,
    );
  }
  const major = prelude[6];
  if (major === 1) return 10 + (prelude[8] | (prelude[9] << 8));
  if (major === 2 || major === 3) {
    if (prelude.length < 12) throw new FormatError({ ...ctx, offset: 8 }, 'file ends inside the .npy header length');
    const len = (prelude[8] | (prelude[9] << 8) | (prelude[10] << 16)) + prelude[11] * 2 ** 24;
    if (len > MAX_NPY_HEADER) {
      throw new FormatError(
        { ...ctx, offset: 8 },
        `.npy header claims ${len} bytes; at most ${MAX_NPY_HEADER} are accepted`,
      );
    }
    return 12 + len;
  }
  throw new FormatError(
    { ...ctx, offset: 6 },
    `unsupported .npy format version ${major}.${prelude[7]} (expected 1.0, 2.0 or 3.0)`,
  );
}

/** Maps an .npy `descr` ('<f4', '>i8', '|b1', …) to a dtype, with a clear reason when unsupported. */
export function npyDType(descr: unknown, ctx: FormatErrorContext): { dtype: DTypeName; byteOrder: ByteOrder } {
  if (typeof descr !== 'string') {
    throw new FormatError(
      ctx,
      `structured dtype ${JSON.stringify(descr)} is not supported: save one numeric field as a plain array`,
    );
  }
  const m = /^([<>|=]?)([a-zA-Z])(\d*)(.*)$/.exec(descr);
  if (!m) throw new FormatError(ctx, `unrecognised dtype '${descr}'`);
  const [, endian, kind, sizeText, rest] = m;
  const size = Number(sizeText);
  const byteOrder: ByteOrder = endian === '>' ? 'big' : 'little';
  const table: Record<string, DTypeName | undefined> = {
    f2: 'float16',
    f4: 'float32',
    f8: 'float64',
    i1: 'int8',
    i2: 'int16',
    i4: 'int32',
    i8: 'int64',
    u1: 'uint8',
    u2: 'uint16',
    u4: 'uint32',
    u8: 'uint64',
    b1: 'bool',
  };
  const dtype = rest === '' ? table[kind + size] : undefined;
  if (dtype) return { dtype, byteOrder };
  const why: Record<string, string> = {
    c: `complex dtype '${descr}' is not supported: quantization levels are real numbers; save the real part or the magnitude (np.abs(x))`,
    O: `object dtype '${descr}' is not supported: it holds pickled Python objects, not numbers; save a numeric array`,
    U: `string dtype '${descr}' is not supported: it holds text, not numbers`,
    S: `string (bytes) dtype '${descr}' is not supported: it holds text, not numbers`,
    a: `string (bytes) dtype '${descr}' is not supported: it holds text, not numbers`,
    V: `void/structured dtype '${descr}' is not supported: save one numeric field as a plain array`,
    M: `datetime dtype '${descr}' is not supported: it holds dates, not activations`,
    m: `timedelta dtype '${descr}' is not supported: it holds durations, not activations`,
    f: `float dtype '${descr}' (${size * 8}-bit) is not supported: use float16, float32 or float64`,
  };
  throw new FormatError(ctx, why[kind] ?? `unsupported dtype '${descr}'`);
}

/** Parses a complete .npy header (`bytes` holds at least `npyHeaderSize` bytes). */
export function parseNpyHeader(bytes: Uint8Array, ctx: FormatErrorContext): NpyHeader {
  const total = npyHeaderSize(bytes, ctx);
  if (bytes.length < total) {
    throw new FormatError(
      { ...ctx, offset: 0 },
      `file ends inside the .npy header: it needs ${total} bytes, ${bytes.length} are present`,
    );
  }
  const major = bytes[6];
  const start = major === 1 ? 10 : 12;
  const text = major === 3 ? decodeUtf8(bytes.subarray(start, total)) : decodeLatin1(bytes, start, total);
  let header: unknown;
  try {
    header = parsePyLiteral(text);
  } catch (e) {
    const why = e instanceof LiteralError ? e.message : String(e);
    throw new FormatError(
      { ...ctx, offset: start },
      `malformed .npy header (${why}): ${JSON.stringify(text.slice(0, 120))}`,
    );
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new FormatError(
      { ...ctx, offset: start },
      `.npy header is not a dict: ${JSON.stringify(text.slice(0, 120))}`,
    );
  }
  const h = header as Record<string, unknown>;
  if (!('descr' in h) || !('shape' in h) || !('fortran_order' in h)) {
    throw new FormatError(
      { ...ctx, offset: start },
      `.npy header lacks 'descr', 'shape' or 'fortran_order': ${text.trim()}`,
    );
  }
  const { dtype, byteOrder } = npyDType(h.descr, ctx);
  const shape = h.shape;
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw new FormatError(
      { ...ctx, offset: start },
      `.npy shape must be a tuple of non-negative integers, found ${JSON.stringify(shape)}`,
    );
  }
  if (typeof h.fortran_order !== 'boolean') {
    throw new FormatError(
      { ...ctx, offset: start },
      `.npy fortran_order must be True or False, found ${JSON.stringify(h.fortran_order)}`,
    );
  }
  const dims = shape as number[];
  const count = checkedCount(dims, dtype, ctx);
  return {
    dtype,
    byteOrder,
    shape: dims,
    fortran: h.fortran_order,
    count,
    dataOffset: total,
    version: `${major}.${bytes[7]}`,
  };
}

/** The error for a tensor whose data are shorter than its header says. */
export function shortDataError(
  ctx: FormatErrorContext,
  what: string,
  count: number,
  dtype: DTypeName,
  available: number,
): FormatError {
  const need = count * DTYPE_SIZE[dtype];
  return new FormatError(
    ctx,
    `${what} says ${count} ${dtype} values (${need} bytes) but only ${Math.max(0, available)} bytes follow`,
  );
}
