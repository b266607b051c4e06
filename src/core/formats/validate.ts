/**
 * Checks every parser runs on header numbers before trusting them (and before allocating).
 */
import { FormatError, type FormatErrorContext } from './errors';
import { DTYPE_SIZE, type DTypeName } from './dtype';

/** Most tensors a file may make the tool list (real checkpoints hold thousands). */
export const MAX_TENSORS = 65_536;
/** Most dimensions a shape may have (NumPy allows 64). */
export const MAX_DIMS = 64;

/** Refuses a file that would make the tool enumerate more than MAX_TENSORS tensors. */
export function checkTensorCount(n: number, what: string, ctx: FormatErrorContext): void {
  if (n > MAX_TENSORS) {
    throw new FormatError(
      ctx,
      `${what} ${n} tensors; at most ${MAX_TENSORS} are listed: split the file or save the tensors you need`,
    );
  }
}

/**
 * Element count of a shape, checked to be a safe integer whose byte size is representable.
 * Whether the file holds that many bytes is checked by the caller, who knows where the data are.
 */
export function checkedCount(shape: readonly number[], dtype: DTypeName, ctx: FormatErrorContext): number {
  if (shape.length > MAX_DIMS)
    throw new FormatError(ctx, `shape has ${shape.length} dimensions; at most ${MAX_DIMS} are accepted`);
  let count = 1;
  for (const d of shape) {
    if (!(Number.isSafeInteger(d) && d >= 0)) {
      throw new FormatError(ctx, `shape ${JSON.stringify(shape)} has a dimension that is not a non-negative integer`);
    }
    count *= d;
  }
  if (!Number.isSafeInteger(count * DTYPE_SIZE[dtype])) {
    throw new FormatError(
      ctx,
      `shape ${JSON.stringify(shape)} means ${count} ${dtype} values, more than any file can hold`,
    );
  }
  return count;
}

/** A non-negative safe integer from untrusted metadata, or a FormatError naming the field. */
export function checkedIndex(value: unknown, field: string, ctx: FormatErrorContext): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new FormatError(
      ctx,
      `${field} must be a non-negative integer, found ${JSON.stringify(value) ?? String(value)}`,
    );
  }
  return value;
}
