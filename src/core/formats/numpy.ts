/**
 * .npy and .npz files: plans for their tensors from the .npy headers (listing reads only headers;
 * a deflated npz member is inflated just far enough to read its header).
 */
import { checkPlan, type TensorPlan } from './binary';
import { FormatError } from './errors';
import { inflatePrefix } from './inflate';
import { cStrides, fortranStrides } from './layout';
import { MAX_NPY_HEADER, NPY_PRELUDE, npyHeaderSize, parseNpyHeader, type NpyHeader } from './npy';
import { readExact, type ByteSource } from './source';
import type { ZipEntry } from './zip';

function planFromHeader(name: string, h: NpyHeader, region: TensorPlan['region']): TensorPlan {
  return {
    info: { name, shape: h.shape, dtype: h.dtype, count: h.count },
    dtype: h.dtype,
    byteOrder: h.byteOrder,
    region,
    base: h.dataOffset,
    layout: { offset: 0, strides: h.fortran ? fortranStrides(h.shape) : cStrides(h.shape) },
  };
}

/** The stem of a file name: `acts/layer1.npy` → `layer1`. */
export function fileStem(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** Plans the one tensor of an .npy file (named after the file's stem). */
export async function planNpy(source: ByteSource): Promise<TensorPlan[]> {
  const name = fileStem(source.name);
  const ctx = { file: source.name };
  const prelude = await source.read(0, Math.min(source.size, NPY_PRELUDE));
  const total = npyHeaderSize(prelude, ctx);
  if (total > source.size) {
    throw new FormatError(
      { ...ctx, offset: 0 },
      `file ends inside the .npy header: it needs ${total} bytes, the file has ${source.size}`,
    );
  }
  const header = parseNpyHeader(await readExact(source, 0, total, '.npy header'), ctx);
  const plan = planFromHeader(name, header, { kind: 'bytes', offset: 0, length: source.size });
  checkPlan(source.name, plan, 'header', true);
  return [plan];
}

/** Plans every `.npy` member of an .npz archive (named as np.load names them: without `.npy`). */
export async function planNpz(
  source: ByteSource,
  entries: ZipEntry[],
  dataOffset: (e: ZipEntry) => Promise<number>,
): Promise<TensorPlan[]> {
  const plans: TensorPlan[] = [];
  for (const entry of entries) {
    if (!entry.name.endsWith('.npy')) continue;
    const name = entry.name.slice(0, -4);
    const ctx = { file: source.name, tensor: name };
    const start = await dataOffset(entry);
    const readPrefix = (n: number): Promise<Uint8Array> => {
      const len = Math.min(n, entry.size);
      if (entry.method === 0) return readExact(source, start, len, '.npy header', name);
      return inflatePrefix(source, entry, start, len);
    };
    if (entry.method === 0 && entry.compressedSize !== entry.size) {
      throw new FormatError(
        ctx,
        `stored zip member has ${entry.compressedSize} bytes but its directory says ${entry.size}`,
      );
    }
    const total = npyHeaderSize(await readPrefix(NPY_PRELUDE), ctx);
    if (total > entry.size || total > MAX_NPY_HEADER + NPY_PRELUDE) {
      throw new FormatError(
        ctx,
        `member ends inside its .npy header: it needs ${total} bytes, the member has ${entry.size}`,
      );
    }
    const header = parseNpyHeader(await readPrefix(total), ctx);
    const plan = planFromHeader(name, header, { kind: 'zip', entry });
    checkPlan(source.name, plan, 'header');
    plans.push(plan);
  }
  return plans;
}
