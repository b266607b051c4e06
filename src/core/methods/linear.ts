/**
 * The `linear` quantizer (docs/definitions.md, Quantizers): k evenly spaced levels from L to U.
 */
import { midpoints, type Quantizer } from '../quantizer';

/**
 * Levels `c_j = L + j·R/(k−1)`, j = 0 … k−1. The last level is set to U itself, so a
 * boundary is represented exactly even where `L + R` rounds away from U; when
 * `R = 0` every level is L.
 */
export function linearLevels(k: number, L: number, U: number): Float64Array {
  const levels = new Float64Array(k);
  const R = U - L;
  for (let j = 0; j < k; j++) levels[j] = L + (j * R) / (k - 1);
  if (k > 1) levels[k - 1] = U;
  else levels[0] = L;
  return levels;
}

/** The `linear` quantizer: `linearLevels(2^bits, L, U)` with thresholds at midpoints. */
export function designLinear(bits: number, L: number, U: number): Quantizer {
  const levels = linearLevels(2 ** bits, L, U);
  return { method: 'linear', bits, levels, thresholds: midpoints(levels), iterations: 0 };
}
