/**
 * The layered dynamic program that `optimal` used before its Lagrangian search
 * (src/core/methods/optimal.ts), kept as the oracle of its tests and the
 * baseline of bench/optimal.bench.ts: the minimum-MSE quantizer with
 * `k = 2^bits` cells on a weighted point set, by dynamic programming over
 * contiguous cells of the sorted points (1-D k-means is solvable exactly: Wu & Rokne 1989; Wang & Song,
 * Ckmeans.1d.dp, 2011).
 *
 * `D_j(i)` = least cost of the first `i` points in `j` cells
 *          = min_l D_{j−1}(l) + cellCost(l, i).
 * The squared-error cell cost is Monge, so the leftmost minimising `l` is
 * monotone in `i` and in `j`: each layer is filled by divide and conquer over
 * i, bounded below by the previous layer's splits, and once the cells are
 * small by a Knuth-style sweep between the two bounds (see LayerSolver). The
 * whole design is O(k·m·log m) time at worst, a few cost evaluations per row
 * and layer in practice.
 *
 * Memory: the split table for backtracking is `(k − 1)·(m + 1)` 32-bit ints
 * (67 MB at 8 bits on 65 536 points). Beyond TABLE_LIMIT entries the design
 * switches to Hirschberg-style recursion (find the middle layer's cut with a
 * forward and a backward pass, recurse on both halves): O(m) memory, about
 * 1.5 to 2 times the time.
 */
import type { PointSet } from '../pointset';
import { cellCost, pointSetFromArrays } from '../pointset';
import type { Quantizer } from '../quantizer';
import { optimalQuantizer, positivePoints } from './optimal';

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
export function designOptimalLayered(ps: PointSet, bits: number): Quantizer {
  const k = codesOf(bits);
  const pos = positivePoints(ps);
  return optimalQuantizer(pos, bits, pos.x.length > k ? layeredOptimalCuts(pos, k) : null);
}

/**
 * `designOptimalLayered(ps, b)` for every b of `bitsList` (same order) from one DP:
 * the layers filled for the largest k < m hold the optimum of every smaller k
 * too (`D_k(m)` with its splits), so bits 1–8 cost about what 8 alone costs,
 * half of designing them one by one. Falls back to one design per width when
 * that split table would exceed TABLE_LIMIT entries. Equal-cost ties may be
 * broken differently from `designOptimalLayered`; the cost is the same.
 */
export function designOptimalManyLayered(ps: PointSet, bitsList: readonly number[]): Quantizer[] {
  const ks = bitsList.map(codesOf);
  const pos = positivePoints(ps);
  const m = pos.x.length;
  const kMax = ks.reduce((a, k) => (k < m && k > a ? k : a), 1);
  if (kMax === 1 || (kMax - 1) * (m + 1) > TABLE_LIMIT) {
    return bitsList.map((bits, t) => optimalQuantizer(pos, bits, m > ks[t] ? layeredOptimalCuts(pos, ks[t]) : null));
  }
  const table = new Int32Array((kMax - 1) * (m + 1));
  fillLayers(pos, 0, m, kMax, false, table);
  return bitsList.map((bits, t) => {
    const k = ks[t];
    if (m <= k) return optimalQuantizer(pos, bits, null);
    const cuts = new Int32Array(k + 1);
    backtrack(table, m, k, 0, 0, cuts);
    return optimalQuantizer(pos, bits, cuts);
  });
}

/**
 * The DP's minimum total cost divided by the total weight: the MSE of the
 * optimal quantizer (within-point deviations `s2` of a binned set included).
 * NaN for a set without weight.
 */
export function optimalMseLayered(ps: PointSet, bits: number): number {
  const k = codesOf(bits);
  const pos = positivePoints(ps);
  const m = pos.x.length;
  if (!(pos.n > 0)) return NaN;
  if (m <= k) {
    let s = 0;
    for (let i = 0; i < m; i++) s += pos.s2[i];
    return s / pos.n;
  }
  const cuts = layeredOptimalCuts(pos, k);
  let total = 0;
  for (let j = 0; j < k; j++) total += cellCost(pos, cuts[j], cuts[j + 1]);
  return total / pos.n;
}

/**
 * Cell boundaries of the optimal partition of the `m > k` points into `k`
 * non-empty cells: cell j is points [cuts[j], cuts[j+1]), cuts[0] = 0, cuts[k] = m.
 * `tableLimit` (tests) forces the O(m)-memory recursion for small inputs.
 */
export function layeredOptimalCuts(ps: PointSet, k: number, tableLimit: number = TABLE_LIMIT): Int32Array {
  const m = ps.x.length;
  const cuts = new Int32Array(k + 1);
  cuts[k] = m;
  if (k === 1) return cuts;
  const reversed = (k - 1) * (m + 1) <= tableLimit ? ps : reversePointSet(ps);
  splitRecursive(ps, reversed, 0, m, 0, k, cuts, tableLimit);
  return cuts;
}

function codesOf(bits: number): number {
  if (!(Number.isInteger(bits) && bits >= 0 && bits <= 16))
    throw new RangeError(`bits must be an integer in 0–16, got ${bits}`);
  return 2 ** bits;
}

/** The mirror image (x → −x, order reversed): its prefix cells are the original's suffix cells. */
function reversePointSet(ps: PointSet): PointSet {
  const m = ps.x.length;
  const x = new Float64Array(m),
    w = new Float64Array(m),
    s2 = new Float64Array(m);
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
function fillLayers(
  ps: PointSet,
  a: number,
  b: number,
  K: number,
  onlyEnd: boolean,
  table: Int32Array | null,
): Float64Array {
  const len = b - a;
  const solver = new LayerSolver(ps, a, b);
  let prev = new Float64Array(len + 1).fill(Infinity);
  let cur = new Float64Array(len + 1).fill(Infinity);
  const hiOf = (j: number) => (onlyEnd ? len - (K - j) : len);
  const { cw, cs, css } = ps;
  for (let i = 1; i <= hiOf(1); i++) {
    const w = cw[a + i] - cw[a];
    const s = cs[a + i] - cs[a];
    prev[i] = css[a + i] - css[a] - (s * s) / w;
  }
  for (let j = 2; j <= K; j++) {
    const iHi = hiOf(j);
    cur.fill(Infinity);
    solver.layer(prev, cur, j, iHi);
    if (table) table.set(solver.opt.subarray(0, iHi + 1), (j - 2) * (len + 1));
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev;
}

/**
 * Fills one DP layer `D_j(i) = min_{l < i} D_{j−1}(l) + cellCost(l, i)` with
 * its leftmost minimising splits `opt_j(i)`. The cost is Monge, so leftmost
 * splits are monotone in both i and j: `opt_{j−1}(i) ≤ opt_j(i) ≤ opt_j(i + 1)`.
 *
 * Two sweeps use these bounds; the cheaper one is picked layer by layer by
 * counting cost evaluations:
 * - divide and conquer over i (the middle row's split bounds the rows on either
 *   side) with `opt_{j−1}(i)` as an extra lower bound: about log₂ m evaluations
 *   per row in the first layers, falling to about 7 by j = 100 (65 536 points);
 * - a Knuth-style sweep of i downwards over `[opt_{j−1}(i), opt_j(i + 1)]`,
 *   whose width is about (cell size)/j: thousands per row for few cells, 3–5
 *   once j is past about 100. Its cost for layer j + 1 is predicted by the same
 *   sum over layer j (it shrinks as j grows); if a sweep costs more than the
 *   last divide and conquer did, the next layer goes back to that.
 * SMAWK would need O(m) evaluations per layer, but measured on the 8-bit
 * design above it takes 8–9 per row against 6.3 for these two, plus more
 * bookkeeping, so it does not pay here.
 *
 * Every point has positive weight, so a cell's weight w is positive and
 * `D_{j−1}(l) + cellCost(l, i) = B_l + css_i − s²/w` with `B_l = D_{j−1}(l) − css_l`.
 * Comparing two candidates l, l' of the same row needs no division:
 * `B_l − B_l' < s_l²/w_l − s_l'²/w_l'` ⇔ `(B_l − B_l')·w_l·w_l' < s_l²·w_l' − s_l'²·w_l`,
 * so the scan keeps the best candidate's (B, s², w) and divides once per row;
 * a division in the loop would also chain each improvement to the next
 * comparison through its latency. `q` interleaves `cw`, `cs` and `B` per point
 * so an evaluation reads one cache line.
 */
class LayerSolver {
  /** Stride 3 per point l (relative to a): cw, cs, then D_{j−1}(l) − css_l for the layer being filled. */
  private readonly q: Float64Array;
  private readonly css: Float64Array;
  /** Leftmost minimising split per row of the last layer filled. */
  opt: Int32Array;
  /** The splits of the layer before (a lower bound); zero (layer 1's split) where that layer had no row. */
  private prevOpt: Int32Array;
  /** Rows of the layer before were [·, prevHi]. */
  private prevHi = 0;
  private cur: Float64Array;
  private knuth = false;
  /** Cost evaluations of the last layer filled by divide and conquer. */
  private dcEvaluations = 0;

  constructor(ps: PointSet, a: number, b: number) {
    const len = b - a;
    this.q = new Float64Array(3 * (len + 1));
    this.css = ps.css.slice(a, b + 1);
    for (let i = 0; i <= len; i++) {
      this.q[3 * i] = ps.cw[a + i];
      this.q[3 * i + 1] = ps.cs[a + i];
    }
    this.opt = new Int32Array(len + 1);
    this.prevOpt = new Int32Array(len + 1);
    this.cur = new Float64Array(0);
  }

  /** Fills `cur[i]` and `opt[i]` for rows i in [j, iHi] from the previous layer `prev` (finite on [j − 1, iHi − 1]). */
  layer(prev: Float64Array, cur: Float64Array, j: number, iHi: number): void {
    const q = this.q,
      css = this.css;
    for (let l = j - 1; l < iHi; l++) q[3 * l + 2] = prev[l] - css[l];
    const t = this.prevOpt;
    this.prevOpt = this.opt;
    this.opt = t;
    if (j === 2) this.prevOpt.fill(0);
    else this.prevOpt.fill(0, this.prevHi + 1, iHi + 1);
    this.prevHi = iHi;
    this.cur = cur;
    if (this.knuth) {
      // The sweep's width usually shrinks with j; should it grow past what divide and conquer took, go back.
      this.knuth = this.knuthSweep(j, iHi) <= this.dcEvaluations;
      return;
    }
    this.dcEvaluations = this.divideAndConquer(j, iHi);
    this.knuth = this.knuthWidth(j, iHi) < this.dcEvaluations;
  }

  /**
   * Divide and conquer over the rows, bottom-up: rows j − 1 + u for u = s, 3s,
   * 5s, … (odd multiples of s ≤ n), with s halving from the largest power of
   * two ≤ n to 1; each row's split lies between those of rows u − s and u + s,
   * filled at coarser levels. Sweeping each level left to right reads the
   * points in order. Returns the number of cost evaluations.
   */
  private divideAndConquer(j: number, iHi: number): number {
    const opt = this.opt,
      prevOpt = this.prevOpt;
    const n = iHi - j + 1,
      base = j - 1;
    // Row j − 1 is not part of this layer: it holds the lowest split as a sentinel.
    opt[base] = j - 1;
    let evaluations = 0;
    let step = 1;
    while (step * 2 <= n) step *= 2;
    for (; step >= 1; step >>= 1) {
      for (let u = step; u <= n; u += 2 * step) {
        const i = base + u;
        const optHi = u + step <= n ? opt[i + step] : iHi - 1;
        const lEnd = optHi < i - 1 ? optHi : i - 1;
        const optLo = opt[i - step] > prevOpt[i] ? opt[i - step] : prevOpt[i];
        const l = optLo < lEnd ? optLo : lEnd;
        evaluations += lEnd - l + 1;
        this.scanRow(i, l, lEnd);
      }
    }
    return evaluations;
  }

  /** Rows from iHi down to j, each searched between the two bounds; returns the number of cost evaluations. */
  private knuthSweep(j: number, iHi: number): number {
    const prevOpt = this.prevOpt;
    let upper = iHi - 1,
      evaluations = 0;
    for (let i = iHi; i >= j; i--) {
      const lEnd = upper < i - 1 ? upper : i - 1;
      const low = prevOpt[i] > j - 1 ? prevOpt[i] : j - 1;
      // Rounding can cross the two bounds by a point; the upper one wins.
      const l = low < lEnd ? low : lEnd;
      evaluations += lEnd - l + 1;
      upper = this.scanRow(i, l, lEnd);
    }
    return evaluations;
  }

  /**
   * Row i's leftmost minimising split among l in [from, to] (by the division-free
   * comparison above): writes `cur[i]` and `opt[i]` and returns the split.
   */
  private scanRow(i: number, from: number, to: number): number {
    const q = this.q;
    const cwi = q[3 * i],
      csi = q[3 * i + 1];
    const bestS = csi - q[3 * from + 1];
    let bestW = cwi - q[3 * from];
    let bestB = q[3 * from + 2],
      bestSS = bestS * bestS,
      bestL = from;
    for (let l = from + 1; l <= to; l++) {
      const o = 3 * l;
      const w = cwi - q[o],
        s = csi - q[o + 1],
        b = q[o + 2];
      if ((b - bestB) * w * bestW < s * s * bestW - bestSS * w) {
        bestW = w;
        bestSS = s * s;
        bestB = b;
        bestL = l;
      }
    }
    this.cur[i] = bestB + this.css[i] - bestSS / bestW;
    this.opt[i] = bestL;
    return bestL;
  }

  /** Evaluations the Knuth sweep would have needed for the layer just filled. */
  private knuthWidth(j: number, iHi: number): number {
    const opt = this.opt,
      prevOpt = this.prevOpt;
    let total = 0,
      upper = iHi - 1;
    for (let i = iHi; i >= j; i--) {
      const low = prevOpt[i] > j - 1 ? prevOpt[i] : j - 1;
      total += upper > low ? upper - low + 1 : 1;
      upper = opt[i];
    }
    return total;
  }
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
    backtrack(table, len, K, a, c0, cuts);
    return;
  }
  const h = K >> 1;
  const m = ps.x.length;
  const forward = fillLayers(ps, a, b, h, false, null);
  // Backward: suffix [a + i, b) of the original is prefix [m − b, m − a − i) of the mirror.
  const backward = fillLayers(rev, m - b, m - a, K - h, false, null);
  let best = Infinity,
    split = h;
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

/**
 * Follows the split table of `fillLayers` over `len` points from (K, len) back
 * to layer 1, writing cuts[c0 + 1 .. c0 + K − 1] (offset by `a`); K may be any
 * layer the table holds row `len` of.
 */
function backtrack(table: Int32Array, len: number, K: number, a: number, c0: number, cuts: Int32Array): void {
  let i = len;
  for (let j = K; j >= 2; j--) {
    i = table[(j - 2) * (len + 1) + i];
    cuts[c0 + j - 1] = a + i;
  }
  cuts[c0 + K] = a + len;
}
