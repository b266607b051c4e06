/**
 * Checks every parser runs on header numbers before trusting them (and before allocating).
 */
import { FormatError, type FormatErrorContext } from './errors';
import { DTYPE_SIZE, type DTypeName } from './dtype';

/**
 * Element count of a shape, checked to be a safe integer whose byte size is representable.
 * Whether the file holds that many bytes is checked by the caller, who knows where the data are.
 */
export function checkedCount(shape: readonly number[], dtype: DTypeName, ctx: FormatErrorContext): number {
  let count = 1;
  for (const d of shape) {
    if (!(Number.isSafeInteger(d) && d >= 0)) {
      throw new FormatError(ctx, `shape ${JSON.stringify(shape)} has a dimension that is not a non-negative integer`);
    }
    count *= d;
  }
  if (!Number.isSafeInteger(count * DTYPE_SIZE[dtype])) {
    throw new FormatError(ctx, `shape ${JSON.stringify(shape)} means ${count} ${dtype} values, more than any file can hold`);
  }
  return count;
}

/** A non-negative safe integer from untrusted metadata, or a FormatError naming the field. */
export function checkedIndex(value: unknown, field: string, ctx: FormatErrorContext): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new FormatError(ctx, `${field} must be a non-negative integer, found ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}
