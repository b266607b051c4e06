/**
 * Reference for tests: the divide-and-conquer DP that
 * `optimal` used before SMAWK (O(k·m·log m); monotone minima per layer, with the
 * previous layer's split as a lower bound), kept verbatim so the faster
 * algorithm can be checked against it and timed before/after.
 */
import type { PointSet } from '../../src/core/pointset';
import { pointSetFromArrays } from '../../src/core/pointset';

/** Split-table entries above which the O(m)-memory recursion is used instead. */
const TABLE_LIMIT = 2 ** 25;

/**
 * Cell boundaries of the optimal partition of the `m > k` points into `k`
 * non-empty cells: cell j is points [cuts[j], cuts[j+1]), cuts[0] = 0, cuts[k] = m.
 * `tableLimit` forces the O(m)-memory recursion for small inputs.
 */
export function referenceOptimalCuts(ps: PointSet, k: number, tableLimit: number = TABLE_LIMIT): Int32Array {
  const m = ps.x.length;
  const cuts = new Int32Array(k + 1);
  cuts[k] = m;
  if (k === 1) return cuts;
  const reversed = (k - 1) * (m + 1) <= tableLimit ? ps : reversePointSet(ps);
  splitRecursive(ps, reversed, 0, m, 0, k, cuts, tableLimit);
  return cuts;
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
  const { cw, cs, css } = ps;
  let prev = new Float64Array(len + 1).fill(Infinity);
  let cur = new Float64Array(len + 1).fill(Infinity);
  let prevOpt = new Int32Array(len + 1);
  let curOpt = new Int32Array(len + 1);
  const hiOf = (j: number) => (onlyEnd ? len - (K - j) : len);
  for (let i = 1; i <= hiOf(1); i++) prev[i] = cost(cw, cs, css, a, a + i);

  for (let j = 2; j <= K; j++) {
    cur.fill(Infinity);
    const iLo = j,
      iHi = hiOf(j);
    const rowBase = (j - 2) * (len + 1);
    // Divide and conquer over i with an explicit stack: the split of the middle
    // row bounds the splits of the rows on either side (monotone minima).
    const stack: number[] = [iLo, iHi, j - 1, iHi - 1];
    while (stack.length > 0) {
      const optHi = stack.pop()!,
        optLo = stack.pop()!,
        hi = stack.pop()!,
        lo = stack.pop()!;
      if (lo > hi) continue;
      const mid = (lo + hi) >>> 1;
      // The split for j cells is never left of the split for j − 1 cells.
      const lEnd = optHi < mid - 1 ? optHi : mid - 1;
      let l = j > 2 && prevOpt[mid] > optLo ? Math.min(prevOpt[mid], lEnd) : optLo;
      let best = Infinity,
        bestL = l;
      const cwm = cw[a + mid],
        csm = cs[a + mid],
        cssm = css[a + mid];
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
