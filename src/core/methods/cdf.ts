/**
 * The `cdf` quantizer (docs/definitions.md, Quantizers): thresholds at the weighted quantiles, levels at
 * the cell means. On a spike several thresholds coincide and their codes are
 * wasted — the failure BS-KMQ addresses, kept visible on purpose.
 */
import { cellWeight, lowerBound, type PointSet } from '../pointset';
import type { Quantizer } from '../quantizer';
import { cellLevel } from './kmeans';

/**
 * Thresholds `t_j = F⁻¹(j/k)`, j = 1 … k−1: the smallest point value whose
 * cumulative weight share is ≥ j/k. Cell j is `[t_j, t_{j+1})` (a value equal to
 * a threshold goes up); its level is the cell's weighted mean, or its lower
 * threshold `t_j` when the cell is empty. The lowest cell `(−∞, t_1)` has no
 * lower threshold: when it is empty (the minimum alone holds ≥ 1/k of the
 * weight) its level is `min(L, t_1)` — the boundary L, kept ≤ t_1 so that the
 * levels stay sorted when a user-set L lies above the data's minimum.
 *
 * Requires `ps.n > 0`.
 */
export function designCdf(ps: PointSet, bits: number, L: number): Quantizer {
  const k = 2 ** bits;
  const { x, cw } = ps;
  const m = x.length;
  const n = ps.n;
  const thresholds = new Float64Array(k - 1);
  let i = 0;
  for (let j = 1; j < k; j++) {
    // First i with cw[i+1]/n ≥ j/k, compared as cw[i+1]·k ≥ j·n to avoid a rounded division;
    // thresholds increase with j, so the search resumes where the last one ended.
    let lo = i,
      hi = m - 1;
    const target = j * n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cw[mid + 1] * k >= target) hi = mid;
      else lo = mid + 1;
    }
    i = lo;
    thresholds[j - 1] = x[i];
  }
  const levels = new Float64Array(k);
  let a = 0;
  for (let j = 0; j < k; j++) {
    const b = j < k - 1 ? lowerBound(ps, thresholds[j]) : m;
    if (cellWeight(ps, a, b) > 0) levels[j] = cellLevel(ps, a, b);
    else if (j > 0) levels[j] = thresholds[j - 1];
    else levels[j] = Math.min(L, thresholds[0]);
    a = b;
  }
  return { method: 'cdf', bits, levels, thresholds, iterations: 0 };
}
