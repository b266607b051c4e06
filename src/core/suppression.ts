/**
 * BS-KMQ's boundary suppression (docs/definitions.md, Quantizers): which samples lie in the low and high
 * bands, and the reweighted point set BS-KMQ clusters on.
 *
 * Bands are described in rank terms — contiguous runs of the sorted points, with
 * at most one point split by weight at each inner edge — so the value-based
 * (`band`) and rank-based (`percentile`) modes are handled alike.
 */
import type { Params } from './params';
import { firstAbove, lowerBound, pointSetFromArrays, type PointSet } from './pointset';

/**
 * BS-KMQ's bands as contiguous runs of the sorted points, in rank terms, so band
 * and percentile modes are handled alike and a point straddling a percentile cut
 * is split by weight.
 *
 * The bands never claim the same weight twice: when they meet (band mode with
 * `bandLow + bandHigh` reaching across the data, percentile mode with
 * `pctLow + pctHigh = 100`, or user boundaries that overlap), the low band keeps
 * what it covers and the high band starts where the low band ends. So a point's
 * in-band share never exceeds 1, and `lowWeight + highWeight ≤ n`.
 */
export interface Bands {
  /** Points [0, lowFull) lie wholly in the low band; point lowFull (if < m) has lowFrac ∈ [0,1) of its weight in it. */
  lowFull: number;
  lowFrac: number;
  /** Points [highStart, m) lie wholly in the high band; point highStart − 1 (if ≥ 0) has highFrac of its weight in it. */
  highStart: number;
  highFrac: number;
  /**
   * Value extent of each band for drawing: low band [L, lowCut], high band [highCut, U].
   * A band holding no weight has `lowCut = −Infinity` (`highCut = +Infinity`), so `lowCut < L` tests emptiness.
   * Band mode gives the value edges `L + bandLow·R` and `U − bandHigh·R`; percentile mode the values of the
   * innermost points with weight in the band.
   */
  lowCut: number;
  highCut: number;
  /** Sample weight inside each band. */
  lowWeight: number;
  highWeight: number;
}

/** Index of the first i with `cw[i + 1] > v` (m when none): the point holding cumulative weight position v. */
function pointAtWeight(cw: Float64Array, v: number): number {
  let lo = 0,
    hi = cw.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cw[mid + 1] > v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The bands of docs/definitions.md, Quantizers on the original point set.
 *
 * - `band` mode: the low band is every point with `x ≤ L + bandLow·R` (so `bandLow = 0` is exactly the value L,
 *   and samples below a user-set L, which the ADC clamps to L, belong to it); the high band is every point with
 *   `x ≥ U − bandHigh·R`. Whole points only.
 * - `percentile` mode: the lowest `pctLow` % and the highest `pctHigh` % of the sample weight by rank; a point
 *   straddling a cut is split by weight fraction (its samples are equal, so which of them are "in" is moot).
 */
export function computeBands(ps: PointSet, params: Params, L: number, U: number): Bands {
  const { x, w, cw } = ps;
  const m = x.length;
  const n = ps.n;
  if (params.suppressMode === 'band') {
    const R = U - L;
    const lowEdge = L + params.bandLow * R;
    const highEdge = U - params.bandHigh * R;
    const lowFull = firstAbove(x, lowEdge);
    // Low band wins where the bands meet.
    const highStart = Math.max(lowerBound(ps, highEdge), lowFull);
    const lowWeight = cw[lowFull];
    const highWeight = n - cw[highStart];
    return {
      lowFull,
      lowFrac: 0,
      highStart,
      highFrac: 0,
      lowCut: lowWeight > 0 ? lowEdge : -Infinity,
      highCut: highWeight > 0 ? highEdge : Infinity,
      lowWeight,
      highWeight,
    };
  }
  const lowWeight = Math.min(n, (n * params.pctLow) / 100);
  // The high band covers cumulative weight [highFrom, n); it starts no earlier than the low band ends.
  const highWeight = Math.min((n * params.pctHigh) / 100, n - lowWeight);
  const highFrom = n - highWeight;
  const lowFull = lowWeight > 0 ? pointAtWeight(cw, lowWeight) : 0;
  const lowFrac = lowFull < m && lowWeight > 0 ? (lowWeight - cw[lowFull]) / w[lowFull] : 0;
  let highStart = m;
  let highFrac = 0;
  if (highWeight > 0) {
    // First i with cw[i] ≥ highFrom.
    let lo = 0,
      hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cw[mid] >= highFrom) hi = mid;
      else lo = mid + 1;
    }
    highStart = Math.max(lo, lowFull);
    // Zero when highStart − 1 ends exactly at highFrom (or is wholly in the low band).
    if (highStart > 0) highFrac = (cw[highStart] - highFrom) / w[highStart - 1];
    if (!(highFrac > 0)) highFrac = 0;
  }
  let lowCut = -Infinity;
  if (lowWeight > 0) lowCut = lowFrac > 0 ? x[lowFull] : x[lowFull - 1];
  let highCut = Infinity;
  if (highWeight > 0) highCut = highFrac > 0 ? x[highStart - 1] : x[highStart];
  return { lowFull, lowFrac, highStart, highFrac, lowCut, highCut, lowWeight, highWeight };
}

/** Per-point share of weight inside either band (0..1), length m. */
export function bandShare(ps: PointSet, bands: Bands): Float64Array {
  const m = ps.x.length;
  const share = new Float64Array(m);
  const lowFull = Math.min(bands.lowFull, m);
  const highStart = Math.max(bands.highStart, 0);
  for (let i = 0; i < lowFull; i++) share[i] = 1;
  if (lowFull < m) share[lowFull] += bands.lowFrac;
  for (let i = highStart; i < m; i++) share[i] = 1;
  if (highStart > 0 && highStart <= m) share[highStart - 1] += bands.highFrac;
  for (let i = 0; i < m; i++) if (share[i] > 1) share[i] = 1;
  return share;
}

/**
 * The last suppressed set made from each point set, with the inputs it depends on. BS-KMQ's error
 * curve and its ADC variation design the same suppressed set at every bit width; rebuilding it
 * (new weights and three prefix sums over all m points) each time cost as much as the clustering.
 */
const lastSuppressed = new WeakMap<PointSet, { key: string; set: PointSet }>();

/**
 * The set BS-KMQ clusters on: in-band weight multiplied by `suppressWeight`.
 * Point i keeps `(1 − s) + s·suppressWeight` of its weight, with s its in-band share.
 *
 * The result is shared: asking again with the same point set, the same band runs and weight returns
 * the same object (so callers must not change it). It depends on nothing else (`bandShare`).
 *
 * Ownership: a suppressed set is valid until the next call for the same point set with other
 * settings, which rebuilds into the same arrays (a band change on a million points otherwise
 * spends most of its rebuild faulting in fresh memory). So use it within the design that asked for
 * it and keep nothing of it; every caller (`designBskmq`, and the step-through reading it right
 * after that design) does so synchronously.
 */
export function suppressedPointSet(ps: PointSet, bands: Bands, suppressWeight: number): PointSet {
  // Numbers print exactly (shortest round-trip form), so equal keys mean equal inputs.
  const key = `${bands.lowFull}|${bands.lowFrac}|${bands.highStart}|${bands.highFrac}|${suppressWeight}`;
  const last = lastSuppressed.get(ps);
  if (last !== undefined && last.key === key) return last.set;
  const set = buildSuppressedPointSet(ps, bands, suppressWeight, last?.set ?? null);
  lastSuppressed.set(ps, { key, set });
  return set;
}

/**
 * Point i keeps `(1 − s) + s·suppressWeight` of its weight and within-point deviation, with s its
 * in-band share computed inline exactly as `bandShare` does (same operations in the same order, so the
 * same bits): one pass and no share array, which on a million exact points halves the build.
 * `reuse` (the previous suppressed set of `ps`) lends its arrays.
 */
function buildSuppressedPointSet(ps: PointSet, bands: Bands, suppressWeight: number, reuse: PointSet | null): PointSet {
  const m = ps.x.length;
  const w = reuse?.w ?? new Float64Array(m);
  // An exact set's s2 is all 0, and so stays: share it rather than fill fresh memory (a band change's cost).
  const exact = ps.mode === 'exact';
  const s2 = exact ? ps.s2 : reuse !== null && reuse.s2 !== ps.s2 ? reuse.s2 : new Float64Array(m);
  const lowFull = Math.min(bands.lowFull, m);
  const highStart = Math.max(bands.highStart, 0);
  // Hoisted: point sets of several shapes reach here, and a property load per sample in the loop is then megamorphic.
  const pw = ps.w,
    ps2 = ps.s2;
  for (let i = 0; i < m; i++) {
    let s = i < lowFull ? 1 : 0;
    if (i === lowFull) s += bands.lowFrac;
    if (i >= highStart) s = 1;
    if (i === highStart - 1) s += bands.highFrac;
    if (s > 1) s = 1;
    const factor = 1 - s + s * suppressWeight;
    w[i] = pw[i] * factor;
    if (!exact) s2[i] = ps2[i] * factor;
  }
  const meta = { nonFinite: ps.nonFinite, min: ps.min, max: ps.max };
  return pointSetFromArrays(ps.mode, ps.x, w, s2, meta, reuse);
}
