/**
 * .safetensors: an 8-byte little-endian header length, a UTF-8 JSON header mapping names to
 * {dtype, shape, data_offsets}, then the data. See https://github.com/huggingface/safetensors.
 */
import { checkPlan, type TensorPlan } from './binary';
import { DTYPE_SIZE, type DTypeName } from './dtype';
import { FormatError } from './errors';
import { cStrides } from './layout';
import { readExact, type ByteSource } from './source';
import { decodeUtf8 } from './utf8';
import { checkedCount, checkedIndex, checkTensorCount } from './validate';

/** The reference implementation refuses headers above 100 MB; so do we. */
const MAX_HEADER = 100_000_000;

const DTYPES: Readonly<Record<string, DTypeName>> = {
  F64: 'float64',
  F32: 'float32',
  F16: 'float16',
  BF16: 'bfloat16',
  I8: 'int8',
  U8: 'uint8',
  I16: 'int16',
  U16: 'uint16',
  I32: 'int32',
  U32: 'uint32',
  I64: 'int64',
  U64: 'uint64',
  BOOL: 'bool',
};

/** True when the first 9 bytes look like a safetensors header (a plausible length, then '{'). */
export function looksLikeSafetensors(head: Uint8Array, fileSize: number): boolean {
  if (head.length < 9 || head[8] !== 0x7b) return false;
  const n = readLength(head);
  return n >= 2 && n <= fileSize - 8;
}

function readLength(b: Uint8Array): number {
  const lo = (b[0] | (b[1] << 8) | (b[2] << 16)) + b[3] * 2 ** 24;
  const hi = (b[4] | (b[5] << 8) | (b[6] << 16)) + b[7] * 2 ** 24;
  return lo + hi * 2 ** 32;
}

/** Plans every tensor of a safetensors file from its validated header. */
export async function planSafetensors(source: ByteSource): Promise<TensorPlan[]> {
  const file = source.name;
  if (source.size < 8)
    throw new FormatError(
      { file, offset: 0 },
      `file has ${source.size} bytes, too short for a safetensors header length`,
    );
  const n = readLength(await readExact(source, 0, 8, 'safetensors header length'));
  if (n > source.size - 8 || n > MAX_HEADER) {
    throw new FormatError(
      { file, offset: 0 },
      `safetensors header says its JSON is ${n} bytes but ${n > MAX_HEADER ? `at most ${MAX_HEADER} are accepted` : `only ${source.size - 8} bytes follow`}`,
    );
  }
  const text = decodeUtf8(await readExact(source, 8, n, 'safetensors header'));
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw new FormatError(
      { file, offset: 8 },
      `safetensors header is not valid JSON (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new FormatError({ file, offset: 8 }, 'safetensors header must be a JSON object of tensors');
  }
  const keys = Object.keys(header);
  checkTensorCount(keys.length - (Object.hasOwn(header, '__metadata__') ? 1 : 0), 'safetensors header lists', {
    file,
    offset: 8,
  });
  const dataStart = 8 + n;
  const dataSize = source.size - dataStart;
  const plans: TensorPlan[] = [];
  const ranges: [number, number, string][] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    const ctx = { file, tensor: name };
    if (value === null || typeof value !== 'object')
      throw new FormatError(ctx, 'header entry must be an object with dtype, shape and data_offsets');
    const { dtype: dt, shape, data_offsets: offsets } = value as Record<string, unknown>;
    const dtype = typeof dt === 'string' ? DTYPES[dt] : undefined;
    if (!dtype) {
      const why =
        typeof dt === 'string' && /^C/.test(dt)
          ? 'complex values cannot be quantized to real levels'
          : typeof dt === 'string' && /^F8/.test(dt)
            ? '8-bit float formats are not supported; convert to F16 or F32'
            : `expected one of ${Object.keys(DTYPES).join(', ')}`;
      throw new FormatError(ctx, `unsupported dtype ${JSON.stringify(dt)}: ${why}`);
    }
    if (!Array.isArray(shape)) throw new FormatError(ctx, `shape must be an array, found ${JSON.stringify(shape)}`);
    const count = checkedCount(shape as number[], dtype, ctx);
    if (!Array.isArray(offsets) || offsets.length !== 2) {
      throw new FormatError(ctx, `data_offsets must be [begin, end], found ${JSON.stringify(offsets)}`);
    }
    const begin = checkedIndex(offsets[0], 'data_offsets[0]', ctx);
    const end = checkedIndex(offsets[1], 'data_offsets[1]', ctx);
    if (end < begin) throw new FormatError(ctx, `data_offsets [${begin}, ${end}] end before they begin`);
    if (end > dataSize) {
      throw new FormatError(
        ctx,
        `data_offsets [${begin}, ${end}] reach past the end of the data (${dataSize} bytes after the header)`,
      );
    }
    const plan: TensorPlan = {
      info: { name, shape: shape as number[], dtype, count },
      dtype,
      byteOrder: 'little',
      region: { kind: 'bytes', offset: dataStart + begin, length: end - begin },
      base: 0,
      layout: { offset: 0, strides: cStrides(shape as number[]) },
    };
    if (end - begin !== count * DTYPE_SIZE[dtype]) {
      throw new FormatError(
        ctx,
        `shape ${JSON.stringify(shape)} of ${dtype} needs ${count * DTYPE_SIZE[dtype]} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`,
      );
    }
    checkPlan(file, plan, 'header');
    plans.push(plan);
    ranges.push([begin, end, name]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i][0] < ranges[i - 1][1]) {
      throw new FormatError({ file, tensor: ranges[i][2] }, `data overlap those of '${ranges[i - 1][2]}'`);
    }
  }
  return plans;
}
