/**
 * Element layouts: C order, Fortran order and general strided views (PyTorch), and the gather
 * that turns any of them into logical C order.
 */
import type { DecodedArray } from './dtype';

/** How a tensor's logical elements sit in its storage, in elements. */
export interface StridedLayout {
  /** Element offset of the tensor's first element in the storage. */
  offset: number;
  /** Step in storage elements per index of each dimension (non-negative). */
  strides: number[];
}

/** Row-major strides of a shape. */
export function cStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    strides[k] = s;
    s *= shape[k];
  }
  return strides;
}

/** Column-major strides of a shape. */
export function fortranStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let k = 0; k < shape.length; k++) {
    strides[k] = s;
    s *= shape[k];
  }
  return strides;
}

/** Product of the dimensions (1 for a 0-d shape); may exceed 2^53 for lying headers, callers check. */
export function shapeCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** One past the largest storage element a view touches (0 for an empty view). */
export function storageExtent(shape: readonly number[], layout: StridedLayout): number {
  let last = layout.offset;
  for (let k = 0; k < shape.length; k++) {
    if (shape[k] === 0) return 0;
    last += (shape[k] - 1) * layout.strides[k];
  }
  return last + 1;
}

/** True when the strides are plain C order (dimensions of size 1 may have any stride). */
export function isCContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  let s = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    if (shape[k] === 1) continue;
    if (strides[k] !== s) return false;
    s *= shape[k];
  }
  return true;
}

/**
 * True when the view's elements are exactly the storage run [offset, offset + count) in some
 * order (C, Fortran, any permutation): then the values can be streamed straight from the storage.
 */
export function isDense(shape: readonly number[], strides: readonly number[]): boolean {
  const dims: [number, number][] = [];
  for (let k = 0; k < shape.length; k++) if (shape[k] !== 1) dims.push([strides[k], shape[k]]);
  dims.sort((a, b) => a[0] - b[0]);
  let s = 1;
  for (const [stride, size] of dims) {
    if (size === 0) return true;
    if (stride !== s) return false;
    s *= size;
  }
  return true;
}

/**
 * Gathers the view's elements in logical C order from a storage array whose element 0 is the
 * storage's first element. The output has the storage's array type.
 */
export function gather<T extends DecodedArray>(storage: T, shape: readonly number[], layout: StridedLayout): T {
  const count = shapeCount(shape);
  const Ctor = storage.constructor as new (n: number) => T;
  const out = new Ctor(count);
  if (count === 0) return out;
  const nd = shape.length;
  if (nd === 0) {
    out[0] = storage[layout.offset];
    return out;
  }
  const strides = layout.strides;
  const inner = shape[nd - 1];
  const innerStride = strides[nd - 1];
  const index = new Array<number>(nd).fill(0);
  let base = layout.offset;
  let o = 0;
  while (o < count) {
    for (let j = 0, p = base; j < inner; j++, p += innerStride) out[o++] = storage[p];
    // Odometer over the outer dimensions.
    let k = nd - 2;
    while (k >= 0) {
      index[k]++;
      base += strides[k];
      if (index[k] < shape[k]) break;
      base -= strides[k] * shape[k];
      index[k] = 0;
      k--;
    }
    if (k < 0) break;
  }
  return out;
}
