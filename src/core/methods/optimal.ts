/**
 * `optimal` (SPEC §4): the minimum-MSE quantizer with `k = 2^bits` cells on a
 * weighted point set, by dynamic programming over contiguous cells of the
 * sorted points (1-D k-means is solvable exactly: Wu & Rokne 1989; Wang & Song,
 * Ckmeans.1d.dp, 2011).
 *
 * `D_j(i)` = least cost of the first `i` points in `j` cells
 *          = min_l D_{j−1}(l) + cellCost(l, i).
 * The squared-error cell cost is Monge, so the leftmost minimising `l` is
 * monotone in `i` (and in `j`): each layer is filled by divide and conquer in
 * O(m log m) instead of O(m²). The whole design is O(k·m·log m) time.
 *
 * Memory: the split table for backtracking is `(k − 1)·(m + 1)` 32-bit ints
 * (67 MB at 8 bits on 65 536 points). Beyond TABLE_LIMIT entries the design
 * switches to Hirschberg-style recursion (find the middle layer's cut with a
 * forward and a backward pass, recurse on both halves): O(m) memory, about
 * twice the time.
 */
import type { PointSet } from '../pointset';
import { cellCost, cellMean, pointSetFromArrays } from '../pointset';
import { midpoints, type Quantizer } from '../quantizer';

/** Split-table entries above which the O(m)-memory recursion is used instead. */
export const TABLE_LIMIT = 2 ** 25;

/**
 * Exact minimum-MSE quantizer: levels are the cell means of the optimal
 * partition, thresholds the midpoints of the levels.
 *
 * Degenerate inputs:
 * - fewer points with positive weight than `k` (including constant data): every
 *   point is its own level and the remaining levels repeat the top one, so the
 *   thresholds above the top point coincide with it and those codes stay empty;
 * - no point with positive weight: every level is NaN.
 * Points of zero weight (a suppressed set) take no part in the design.
 */
export function designOptimal(ps: PointSet, bits: number): Quantizer {
  const k = codesOf(bits);
  const pos = positivePoints(ps);
  const m = pos.x.length;
  const levels = new Float64Array(k);
  if (m === 0) {
    levels.fill(NaN);
  } else if (m <= k) {
    for (let j = 0; j < k; j++) levels[j] = pos.x[Math.min(j, m - 1)];
  } else {
    const cuts = optimalCuts(pos, k);
    for (let j = 0; j < k; j++) levels[j] = cellMean(pos, cuts[j], cuts[j + 1]);
  }
  return { method: 'optimal', bits, levels, thresholds: midpoints(levels), iterations: 0 };
}

/**
 * The DP's minimum total cost divided by the total weight: the MSE of the
 * optimal quantizer (within-point deviations `s2` of a binned set included).
 * NaN for a set without weight.
 */
export function optimalMse(ps: PointSet, bits: number): number {
  const k = codesOf(bits);
  const pos = positivePoints(ps);
  const m = pos.x.length;
  if (!(pos.n > 0)) return NaN;
  if (m <= k) {
    let s = 0;
    for (let i = 0; i < m; i++) s += pos.s2[i];
    return s / pos.n;
  }
  const cuts = optimalCuts(pos, k);
  let total = 0;
  for (let j = 0; j < k; j++) total += cellCost(pos, cuts[j], cuts[j + 1]);
  return total / pos.n;
}

/**
 * Cell boundaries of the optimal partition of the `m > k` points into `k`
 * non-empty cells: cell j is points [cuts[j], cuts[j+1]), cuts[0] = 0, cuts[k] = m.
 * `tableLimit` (tests) forces the O(m)-memory recursion for small inputs.
 */
export function optimalCuts(ps: PointSet, k: number, tableLimit: number = TABLE_LIMIT): Int32Array {
  const m = ps.x.length;
  const cuts = new Int32Array(k + 1);
  cuts[k] = m;
  if (k === 1) return cuts;
  const reversed = (k - 1) * (m + 1) <= tableLimit ? ps : reversePointSet(ps);
  splitRecursive(ps, reversed, 0, m, 0, k, cuts, tableLimit);
  return cuts;
}

function codesOf(bits: number): number {
  if (!(Number.isInteger(bits) && bits >= 0 && bits <= 16)) throw new RangeError(`bits must be an integer in 0–16, got ${bits}`);
  return 2 ** bits;
}

/** The points with positive weight (the set itself when there are no others). */
function positivePoints(ps: PointSet): PointSet {
  const m = ps.x.length;
  let kept = 0;
  for (let i = 0; i < m; i++) if (ps.w[i] > 0) kept++;
  if (kept === m) return ps;
  const x = new Float64Array(kept), w = new Float64Array(kept), s2 = new Float64Array(kept);
  for (let i = 0, j = 0; i < m; i++) {
    if (!(ps.w[i] > 0)) continue;
    x[j] = ps.x[i];
    w[j] = ps.w[i];
    s2[j] = ps.s2[i];
    j++;
  }
  return pointSetFromArrays(ps.mode, x, w, s2, { nonFinite: ps.nonFinite, min: ps.min, max: ps.max });
}

/** The mirror image (x → −x, order reversed): its prefix cells are the original's suffix cells. */
function reversePointSet(ps: PointSet): PointSet {
  const m = ps.x.length;
  const x = new Float64Array(m), w = new Float64Array(m), s2 = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    x[i] = -ps.x[m - 1 - i];
    w[i] = ps.w[m - 1 - i];
    s2[i] = ps.s2[m - 1 - i];
  }
  return pointSetFromArrays(ps.mode, x, w, s2, { nonFinite: ps.nonFinite, min: -ps.max, max: -ps.min });
}

/**
 * Fills the DP layers 1..K over points [a, b) of `ps`. Returns the last layer
 * `D_K(i)` for i = 0..len (relative to a; +Inf where infeasible). With `onlyEnd`
 * the intermediate layers skip the `i` that cannot reach `len`. When `table` is
 * given, the split of layer j ≥ 2 at i is stored at (j − 2)·(len + 1) + i.
 */
function fillLayers(ps: PointSet, a: number, b: number, K: number, onlyEnd: boolean, table: Int32Array | null): Float64Array {
  const len = b - a;
  const { cw, cs, css } = ps;
  let prev = new Float64Array(len + 1).fill(Infinity);
  let cur = new Float64Array(len + 1).fill(Infinity);
  let prevOpt = new Int32Array(len + 1);
  let curOpt = new Int32Array(len + 1);
  const hiOf = (j: number) => (onlyEnd ? len - (K - j) : len);
  for (let i = 1; i <= hiOf(1); i++) prev[i] = cost(cw, cs, css, a, a + i);

  for (let j = 2; j <= K; j++) {
    cur.fill(Infinity);
    const iLo = j, iHi = hiOf(j);
    const rowBase = (j - 2) * (len + 1);
    // Divide and conquer over i with an explicit stack: the split of the middle
    // row bounds the splits of the rows on either side (monotone minima).
    const stack: number[] = [iLo, iHi, j - 1, iHi - 1];
    while (stack.length > 0) {
      const optHi = stack.pop()!, optLo = stack.pop()!, hi = stack.pop()!, lo = stack.pop()!;
      if (lo > hi) continue;
      const mid = (lo + hi) >>> 1;
      // The split for j cells is never left of the split for j − 1 cells.
      const lEnd = optHi < mid - 1 ? optHi : mid - 1;
      let l = j > 2 && prevOpt[mid] > optLo ? Math.min(prevOpt[mid], lEnd) : optLo;
      let best = Infinity, bestL = l;
      const cwm = cw[a + mid], csm = cs[a + mid], cssm = css[a + mid];
      for (; l <= lEnd; l++) {
        const w = cwm - cw[a + l];
        const s = csm - cs[a + l];
        let c = cssm - css[a + l] - (s * s) / w;
        if (!(c > 0)) c = 0;
        const v = prev[l] + c;
        if (v < best) {
          best = v;
          bestL = l;
        }
      }
      cur[mid] = best;
      curOpt[mid] = bestL;
      stack.push(lo, mid - 1, optLo, bestL, mid + 1, hi, bestL, optHi);
    }
    if (table) table.set(curOpt.subarray(0, iHi + 1), rowBase);
    const t = prev;
    prev = cur;
    cur = t;
    const o = prevOpt;
    prevOpt = curOpt;
    curOpt = o;
  }
  return prev;
}

function cost(cw: Float64Array, cs: Float64Array, css: Float64Array, l: number, i: number): number {
  const w = cw[i] - cw[l];
  if (!(w > 0)) return 0;
  const s = cs[i] - cs[l];
  const c = css[i] - css[l] - (s * s) / w;
  return c > 0 ? c : 0;
}

/**
 * Writes the cuts of points [a, b) into K cells as cuts[c0 + 1 .. c0 + K − 1]
 * (cut positions are absolute point indices). Finds where cell ⌈K/2⌉ ends by
 * adding the forward costs of the first half to the backward costs of the
 * second, then recurses; the table version handles small subproblems.
 */
function splitRecursive(
  ps: PointSet,
  rev: PointSet,
  a: number,
  b: number,
  c0: number,
  K: number,
  cuts: Int32Array,
  tableLimit: number,
): void {
  if (K <= 1) return;
  const len = b - a;
  if (len <= K) {
    for (let j = 1; j < K; j++) cuts[c0 + j] = a + Math.min(j, len);
    return;
  }
  if ((K - 1) * (len + 1) <= tableLimit) {
    const table = new Int32Array((K - 1) * (len + 1));
    fillLayers(ps, a, b, K, true, table);
    let i = len;
    for (let j = K; j >= 2; j--) {
      i = table[(j - 2) * (len + 1) + i];
      cuts[c0 + j - 1] = a + i;
    }
    return;
  }
  const h = K >> 1;
  const m = ps.x.length;
  const forward = fillLayers(ps, a, b, h, false, null);
  // Backward: suffix [a + i, b) of the original is prefix [m − b, m − a − i) of the mirror.
  const backward = fillLayers(rev, m - b, m - a, K - h, false, null);
  let best = Infinity, split = h;
  for (let i = h; i <= len - (K - h); i++) {
    const v = forward[i] + backward[len - i];
    if (v < best) {
      best = v;
      split = i;
    }
  }
  cuts[c0 + h] = a + split;
  splitRecursive(ps, rev, a, a + split, c0, h, cuts, tableLimit);
  splitRecursive(ps, rev, a + split, b, c0 + h, K - h, cuts, tableLimit);
}
