/**
 * Tensors stored as binary elements somewhere in a file (npy, npz, safetensors, torch, raw): a
 * plan says where the storage is and how the tensor's view sits in it; the handle decodes it or
 * streams it in chunks.
 */
import type { NumericArray } from '../pointset';
import { FormatError } from './errors';
import { decodeElements, allocFor, DTYPE_SIZE, type ByteOrder, type DTypeName, type DecodedArray } from './dtype';
import { memberChunks, memberRange } from './inflate';
import { gather, isCContiguous, isDense, storageExtent, type StridedLayout } from './layout';
import { readExact, type ByteSource } from './source';
import type { DecodedTensor, TensorHandle, TensorInfo } from './types';
import { zipDataOffset, type ZipEntry } from './zip';

/** Where a storage's bytes live: a byte range of the file, or a zip member (stored or deflated). */
export type Region = { kind: 'bytes'; offset: number; length: number } | { kind: 'zip'; entry: ZipEntry };

/** Everything needed to read one tensor, validated against the file when the plan is made. */
export interface TensorPlan {
  info: TensorInfo;
  dtype: DTypeName;
  byteOrder: ByteOrder;
  region: Region;
  /** Byte offset of storage element 0 inside the region (e.g. after an .npy header in an npz member). */
  base: number;
  /** Where the view's elements are in the storage. */
  layout: StridedLayout;
}

/** Bytes a region holds (decompressed size for a deflated member). */
export function regionSize(region: Region): number {
  return region.kind === 'bytes' ? region.length : region.entry.size;
}

/**
 * Checks that the view fits in its storage before anything is allocated: the message says what the
 * header promised and how many bytes there are. `single`: the file holds only this tensor.
 */
export function checkPlan(file: string, plan: TensorPlan, what: string, single = false): void {
  const size = DTYPE_SIZE[plan.dtype];
  const available = regionSize(plan.region) - plan.base;
  const extent = storageExtent(plan.info.shape, plan.layout);
  if (extent * size > available) {
    const contiguous = isCContiguous(plan.info.shape, plan.layout.strides) && plan.layout.offset === 0;
    const detail = contiguous
      ? `${what} says ${plan.info.count} ${plan.dtype} values (${plan.info.count * size} bytes) but only ${Math.max(0, available)} bytes follow`
      : `${what} reaches ${plan.dtype} element ${extent - 1} of its storage (${extent * size} bytes) but the storage has only ${Math.max(0, available)} bytes`;
    // A single-tensor file's tensor is named after the file: naming it again adds nothing.
    throw new FormatError({ file, tensor: single ? undefined : plan.info.name }, detail);
  }
  // A view may repeat stored elements (stride 0, PyTorch's expand); refuse to blow a few stored
  // bytes up into more than MAX_REPEATED_BYTES of decoded values.
  if (plan.info.count > extent && plan.info.count * size > MAX_REPEATED_BYTES) {
    throw new FormatError(
      { file, tensor: single ? undefined : plan.info.name },
      `${what} repeats ${extent} stored ${plan.dtype} values into a view of ${plan.info.count} (an expanded view): ` +
        'save t.contiguous() instead',
    );
  }
}

/** Largest decoded size of a view whose strides repeat stored elements. */
const MAX_REPEATED_BYTES = 2 ** 28;
/** Largest tensor decode() materialises; larger ones must be streamed. */
export const MAX_DECODE_BYTES = 2 ** 32;

/** A handle that reads a planned tensor from the source. */
export function planHandle(source: ByteSource, plan: TensorPlan, chunkBytes: number): TensorHandle {
  const { info, dtype, byteOrder, layout } = plan;
  const size = DTYPE_SIZE[dtype];
  const dense = isDense(info.shape, layout.strides);
  const contiguous = isCContiguous(info.shape, layout.strides);
  const extent = storageExtent(info.shape, layout);
  let dataStart: number | null = null;
  const ctx = { file: source.name, tensor: info.name };

  /** Absolute offset of storage element 0, for regions read directly from the file. */
  async function start(): Promise<number> {
    if (dataStart !== null) return dataStart;
    const r = plan.region;
    dataStart = (r.kind === 'bytes' ? r.offset : await zipDataOffset(source, r.entry)) + plan.base;
    return dataStart;
  }
  // Zip members are read whole, through their CRC-32 check; plain byte ranges directly.
  const zipped = plan.region.kind === 'zip';
  if (plan.region.kind === 'zip' && plan.region.entry.method !== 0 && plan.region.entry.method !== 8) {
    throw new FormatError(
      ctx,
      `zip compression method ${plan.region.entry.method} is not supported (only stored and deflated)`,
    );
  }

  /** Storage bytes [from, from + length), relative to storage element 0. */
  async function storageBytes(from: number, length: number): Promise<Uint8Array> {
    if (zipped) {
      const entry = (plan.region as { entry: ZipEntry }).entry;
      return memberRange(source, entry, await zipDataOffset(source, entry), plan.base + from, length, chunkBytes);
    }
    return readExact(source, (await start()) + from, length, 'tensor data', info.name);
  }

  async function decode(): Promise<DecodedTensor> {
    if (info.count * Math.max(4, size) > MAX_DECODE_BYTES) {
      throw new FormatError(
        ctx,
        `${info.count} values are too many to decode at once (over ${MAX_DECODE_BYTES} bytes): stream it instead`,
      );
    }
    let data: DecodedArray;
    if (info.count === 0) data = allocFor(dtype, 0);
    else if (contiguous) {
      data = decodeElements(
        await storageBytes(layout.offset * size, info.count * size),
        dtype,
        byteOrder,
        info.count,
        true,
      );
    } else {
      const storage = decodeElements(await storageBytes(0, extent * size), dtype, byteOrder, extent, true);
      data = gather(storage, info.shape, layout);
    }
    return { ...info, shape: info.shape.slice(), data };
  }

  const runBytes = info.count * size;
  const chunkTotal = !dense ? runBytes : zipped ? (plan.region as { entry: ZipEntry }).entry.compressedSize : runBytes;
  const step = Math.max(8, chunkBytes - (chunkBytes % 8));

  async function chunks(onValues: (values: NumericArray) => void, onBytes: (done: number) => void): Promise<void> {
    if (info.count === 0) {
      onBytes(chunkTotal);
      return;
    }
    if (!dense) {
      // A view with gaps or overlaps (a slice, a step, an expand): gather it whole.
      onValues((await decode()).data);
      onBytes(chunkTotal);
      return;
    }
    const from = layout.offset * size;
    if (!zipped) {
      const at = await start();
      for (let done = 0; done < runBytes;) {
        const n = Math.min(step, runBytes - done);
        const bytes = await readExact(source, at + from + done, n, 'tensor data', info.name);
        onValues(decodeElements(bytes, dtype, byteOrder, n / size, true));
        done += n;
        onBytes(done);
      }
      return;
    }
    const entry = (plan.region as { entry: ZipEntry }).entry;
    const skipTo = plan.base + from;
    const end = skipTo + runBytes;
    let pos = 0;
    const carry = new Uint8Array(size);
    let carried = 0;
    await memberChunks(
      source,
      entry,
      await zipDataOffset(source, entry),
      step,
      (bytes) => {
        const chunkStart = pos;
        pos += bytes.length;
        const a = Math.max(chunkStart, skipTo) - chunkStart;
        const b = Math.min(pos, end) - chunkStart;
        if (b <= a) return;
        let part = bytes.subarray(a, b);
        if (carried > 0) {
          const need = size - carried;
          const take = Math.min(need, part.length);
          carry.set(part.subarray(0, take), carried);
          carried += take;
          part = part.subarray(take);
          if (carried === size) {
            onValues(decodeElements(carry, dtype, byteOrder, 1));
            carried = 0;
          }
        }
        const whole = part.length - (part.length % size);
        if (whole > 0) onValues(decodeElements(part.subarray(0, whole), dtype, byteOrder, whole / size));
        if (whole < part.length) {
          carry.set(part.subarray(whole), 0);
          carried = part.length - whole;
        }
      },
      onBytes,
    );
    onBytes(chunkTotal);
  }

  return { info, byteSize: runBytes, decode, chunks, chunkTotal };
}
