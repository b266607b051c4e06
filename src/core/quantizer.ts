/**
 * A quantizer (docs/definitions.md, Vocabulary): `k = 2^bits` levels and `k − 1` thresholds (the ADC's
 * references). `code(x)` is the number of thresholds `t ≤ x`, so a value equal
 * to a threshold goes to the upper code.
 */
import type { Method } from './params';
import { firstAbove } from './pointset';

export interface Quantizer {
  readonly method: Method;
  readonly bits: number;
  /** Sorted references t_1 … t_{k−1}. */
  readonly thresholds: Float64Array;
  /** Sorted levels c_0 … c_{k−1}: the value each code stands for. */
  readonly levels: Float64Array;
  /** Lloyd iterations of the kept run (0 for closed-form methods). */
  readonly iterations: number;
}

/** Thresholds at the midpoints of adjacent sorted levels (every method but `cdf`). */
export function midpoints(levels: Float64Array): Float64Array {
  const k = levels.length;
  const t = new Float64Array(Math.max(0, k - 1));
  // a + (b − a)/2 cannot overflow where (a + b)/2 could.
  for (let j = 1; j < k; j++) t[j - 1] = levels[j - 1] + (levels[j] - levels[j - 1]) / 2;
  return t;
}

/** The code of one value: the number of thresholds `t ≤ x` (binary search). */
export function codeOf(thresholds: Float64Array, x: number): number {
  return firstAbove(thresholds, x);
}
