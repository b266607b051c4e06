/**
 * Quality of a designed quantizer (docs/definitions.md, Metrics), always on the original point set.
 *
 * A quantizer's cells are contiguous runs of the sorted points: cell j is
 * points [b_j, b_{j+1}) with b_j = lowerBound(t_j) (a value equal to a threshold
 * goes up). Every metric is a sum over cells of prefix-sum differences, so an
 * evaluation costs O(k log m) whatever the sample count.
 */
import { linearLevels } from './methods/linear';
import type { Bands } from './suppression';
import { cellCostAt, lowerBound, lowerBoundNear, moments, sumOfSquares, type PointSet } from './pointset';
import { codeOf, midpoints, type Quantizer } from './quantizer';

export interface Metrics {
  /** Σ (x − Q(x))² / n. */
  mse: number;
  rmse: number;
  /** mse / variance of the data; 0 when both are 0 (constant data quantized exactly). */
  nmse: number;
  /** 10·log10(Σx² / Σ(x − Q(x))²); +Infinity when the error is 0. */
  sqnrDb: number;
  /** MSE over the samples outside the suppression bands; NaN when no sample is outside. */
  mseInterior: number;
  /** MSE over the samples inside the suppression bands; NaN when the bands hold no sample. */
  mseBoundary: number;
  /** mse / optimal mse at the same bits; 1 when both are 0, +Infinity when only the optimum is 0. */
  vsOptimal: number;
  /** Codes that receive at least one sample. */
  levelsUsed: number;
  /** −Σ p·log2 p over the codes' sample shares. */
  entropyBits: number;
  /** The fractional linear bit-width with the same MSE (see `bitsEquivalent`). */
  bitsEquivalent: number;
  /** Share of samples per code, length k (sums to 1). */
  occupancy: Float64Array;
}

export interface EvaluateContext {
  /** The suppression bands on the original point set (for mseInterior / mseBoundary). */
  bands: Bands;
  /** `optimalMse(ps, q.bits)`. */
  optimalMse: number;
  /** Index b = MSE of `linear` at b bits, b = 1..16 (index 0 unused). */
  linearMseByBits: Float64Array;
}

/** First point of every cell: b_0 = 0, b_j = lowerBound(t_j), b_k = m. Length k + 1. */
export function cellBounds(ps: PointSet, thresholds: Float64Array): Int32Array {
  const k = thresholds.length + 1;
  const b = new Int32Array(k + 1);
  for (let j = 1; j < k; j++) b[j] = lowerBound(ps, thresholds[j - 1]);
  b[k] = ps.x.length;
  return b;
}

/**
 * `cellBounds` of sorted thresholds close to those whose bounds `near` holds (e.g. a design's
 * references with small random offsets), each searched outward from its neighbour's old bound;
 * written into `out` (length k + 1), which is returned.
 */
export function cellBoundsNear(ps: PointSet, thresholds: Float64Array, near: Int32Array, out: Int32Array): Int32Array {
  const k = thresholds.length + 1;
  const x = ps.x;
  const m = x.length;
  for (let j = 1; j < k; j++) {
    const t = thresholds[j - 1];
    // Start where the local spacing of the points around the old bound says t lies (binned points are
    // nearly evenly spaced, so this is usually within a point or two); the search is exact from anywhere.
    const p = near[j];
    let start = p;
    if (p > 0 && p < m - 1) {
      const spacing = (x[p + 1] - x[p - 1]) / 2;
      if (spacing > 0) {
        const guess = p + Math.round((t - x[p]) / spacing);
        start = guess < 0 ? 0 : guess > m ? m : guess;
      }
    }
    out[j] = lowerBoundNear(x, start, t);
  }
  out[0] = 0;
  out[k] = ps.x.length;
  return out;
}

/** The total squared error of sorted levels over the cells that `bounds` (from `cellBounds`) delimit. */
export function squaredErrorOfCells(ps: PointSet, levels: Float64Array, bounds: Int32Array): number {
  return rangeError(ps, levels, bounds, 0, ps.x.length);
}

/** Σ w·(x − Q(x))² + s2 over all points: the total squared error of a quantizer. */
export function squaredError(ps: PointSet, q: Pick<Quantizer, 'levels' | 'thresholds'>): number {
  const bounds = cellBounds(ps, q.thresholds);
  return rangeError(ps, q.levels, bounds, 0, ps.x.length);
}

/** SQNR in dB, 10·log10(Σx² / Σ(x − Q(x))²), from the samples' energy Σx², their count and the MSE; +Infinity at MSE 0. */
export function sqnrDbOf(energy: number, n: number, mse: number): number {
  return mse === 0 ? Infinity : 10 * Math.log10(energy / (mse * n));
}

/** MSE of a quantizer on a point set (NaN for an empty set). */
export function mseOf(ps: PointSet, q: Pick<Quantizer, 'levels' | 'thresholds'>): number {
  return ps.n > 0 ? squaredError(ps, q) / ps.n : NaN;
}

/** Every metric of docs/definitions.md, Metrics for one quantizer. */
export function evaluate(ps: PointSet, q: Quantizer, ctx: EvaluateContext): Metrics {
  const k = q.levels.length;
  const m = ps.x.length;
  const n = ps.n;
  const bounds = cellBounds(ps, q.thresholds);
  const se = rangeError(ps, q.levels, bounds, 0, m);
  const mse = n > 0 ? se / n : NaN;

  const occupancy = new Float64Array(k);
  let levelsUsed = 0,
    entropyBits = 0;
  for (let j = 0; j < k; j++) {
    const wj = ps.cw[bounds[j + 1]] - ps.cw[bounds[j]];
    if (!(wj > 0)) continue;
    const p = wj / n;
    occupancy[j] = p;
    levelsUsed++;
    entropyBits -= p * Math.log2(p);
  }

  const { variance } = moments(ps);
  const nmse = mse === 0 ? 0 : mse / variance;
  const energy = sumOfSquares(ps);
  const sqnrDb = se === 0 ? Infinity : 10 * Math.log10(energy / se);
  const opt = ctx.optimalMse;
  const vsOptimal = mse === 0 && opt === 0 ? 1 : mse / opt;
  const split = bandSplit(ps, q, bounds, ctx.bands);

  return {
    mse,
    rmse: Math.sqrt(mse),
    nmse,
    sqnrDb,
    mseInterior: split.interiorWeight > 0 ? split.interiorError / split.interiorWeight : NaN,
    mseBoundary: split.boundaryWeight > 0 ? split.boundaryError / split.boundaryWeight : NaN,
    vsOptimal,
    levelsUsed,
    entropyBits: entropyBits > 0 ? entropyBits : 0,
    bitsEquivalent: bitsEquivalent(mse, ctx.linearMseByBits),
    occupancy,
  };
}

/** Squared error over points [a, b) of quantizer cells `bounds` with `levels`. */
function rangeError(ps: PointSet, levels: Float64Array, bounds: Int32Array, a: number, b: number): number {
  if (a >= b) return 0;
  const k = levels.length;
  let s = 0;
  // Cells are sorted: start at the cell holding point a, stop after the one holding b − 1.
  let j = upperCell(bounds, a);
  for (; j < k && bounds[j] < b; j++) {
    const lo = bounds[j] > a ? bounds[j] : a;
    const hi = bounds[j + 1] < b ? bounds[j + 1] : b;
    if (lo < hi) s += cellCostAt(ps, lo, hi, levels[j]);
  }
  return s;
}

/** The cell holding point i: the last j with bounds[j] ≤ i. */
function upperCell(bounds: Int32Array, i: number): number {
  let lo = 0,
    hi = bounds.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (bounds[mid] <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Error and weight inside and outside the bands. Points [0, lowFull) and
 * [highStart, m) are wholly in a band; the points at the inner band edges
 * (lowFull and highStart − 1) are split by their in-band share, as `bandShare`
 * does; everything else is interior.
 */
function bandSplit(ps: PointSet, q: Quantizer, bounds: Int32Array, bands: Bands) {
  const m = ps.x.length;
  const lowFull = Math.max(0, Math.min(bands.lowFull, m));
  const highStart = Math.max(lowFull, Math.min(bands.highStart, m));
  let boundaryError = rangeError(ps, q.levels, bounds, 0, lowFull) + rangeError(ps, q.levels, bounds, highStart, m);
  let boundaryWeight = ps.cw[lowFull] + (ps.n - ps.cw[highStart]);
  let interiorError = rangeError(ps, q.levels, bounds, lowFull + 1, highStart - 1);
  let interiorWeight = highStart - lowFull >= 2 ? ps.cw[highStart - 1] - ps.cw[lowFull + 1] : 0;
  const edges = highStart - 1 > lowFull ? [lowFull, highStart - 1] : highStart > lowFull ? [lowFull] : [];
  for (const i of edges) {
    let share = (i === lowFull ? bands.lowFrac : 0) + (i === highStart - 1 ? bands.highFrac : 0);
    share = share > 1 ? 1 : share > 0 ? share : 0;
    const level = q.levels[codeOf(q.thresholds, ps.x[i])];
    const d = ps.x[i] - level;
    const e = ps.w[i] * d * d + ps.s2[i];
    boundaryError += share * e;
    boundaryWeight += share * ps.w[i];
    interiorError += (1 - share) * e;
    interiorWeight += (1 - share) * ps.w[i];
  }
  return { boundaryError, boundaryWeight, interiorError, interiorWeight };
}

/**
 * The fractional bit-width at which `linear` reaches `mse` ("BS-KMQ at 3 b ≈
 * linear at 5.4 b"), with log(MSE) interpolated linearly between integer widths.
 *
 * `linearMseByBits[b]` is linear's MSE at b bits, b = 1..16. The answer lies
 * between b − 1 and b for the first b whose linear MSE is ≤ mse. Rules at the edges:
 * - mse ≥ linear at 1 bit: extrapolated with the slope of the 1–2 bit segment, clamped at 0;
 * - mse below linear at 16 bits: extrapolated with the slope of the 15–16 bit segment;
 *   +Infinity when mse is 0 and linear never reaches 0;
 * - linear reaching 0 at b bits: mse = 0 gives b; a positive mse is interpolated linearly in MSE;
 * - a segment that does not fall (flat linear MSE) gives its upper end;
 * - NaN for a NaN mse.
 */
export function bitsEquivalent(mse: number, linearMseByBits: Float64Array): number {
  if (Number.isNaN(mse)) return NaN;
  const top = Math.min(16, linearMseByBits.length - 1);
  if (top < 1) return NaN;
  const lin = (b: number) => linearMseByBits[b];
  const logSlope = (b0: number, b1: number) => {
    // Per-bit fall of log MSE between two widths; NaN when it does not fall.
    const a = lin(b0),
      c = lin(b1);
    return a > 0 && c > 0 && a > c ? Math.log(a) - Math.log(c) : NaN;
  };
  if (mse >= lin(1)) {
    if (top < 2) return 1;
    const slope = logSlope(1, 2);
    if (!(slope > 0) || !(mse > 0)) return 1;
    const b = 1 - (Math.log(mse) - Math.log(lin(1))) / slope;
    return b > 0 ? b : 0;
  }
  for (let b = 2; b <= top; b++) {
    const hi = lin(b);
    if (!(hi <= mse)) continue;
    const lo = lin(b - 1);
    if (hi === 0) return mse === 0 ? b : b - 1 + (lo - mse) / lo;
    if (!(lo > hi)) return b;
    return b - 1 + (Math.log(lo) - Math.log(mse)) / (Math.log(lo) - Math.log(hi));
  }
  if (!(mse > 0)) return Infinity;
  const slope = top >= 2 ? logSlope(top - 1, top) : NaN;
  if (!(slope > 0)) return top;
  return top + (Math.log(lin(top)) - Math.log(mse)) / slope;
}

/** Widest bit-width in `linearMseByBits` tables. */
export const LINEAR_TABLE_BITS = 16;

/**
 * `linear`'s MSE at b = 1..16 bits on [L, U] (`linearLevels`, thresholds at
 * midpoints): the scale `bitsEquivalent` reads. Index 0 is unused (NaN).
 */
export function linearMseByBits(ps: PointSet, L: number, U: number): Float64Array {
  const table = new Float64Array(LINEAR_TABLE_BITS + 1);
  table[0] = NaN;
  for (let b = 1; b <= LINEAR_TABLE_BITS; b++) {
    const levels = linearLevels(2 ** b, L, U);
    table[b] = mseOf(ps, { levels, thresholds: midpoints(levels) });
  }
  return table;
}
