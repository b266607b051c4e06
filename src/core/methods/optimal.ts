/**
 * `optimal` (docs/definitions.md, Quantizers): the minimum-MSE quantizer with `k = 2^bits` cells on a
 * weighted point set. Its cells are contiguous runs of the sorted points, so it
 * is a shortest path with exactly k edges over the points (1-D k-means is
 * solvable exactly: Wu & Rokne 1989; Wang & Song, Ckmeans.1d.dp, 2011).
 *
 * Instead of one DP layer per cell (src/core/methods/optimalLayered.ts, O(k·m)
 * at best), the cell count is relaxed with a Lagrange multiplier: a cell costs
 * its squared error plus λ, and the penalised problem
 *     G(λ) = min over partitions of (cost + λ·cells)
 * has no k in its table. Its cost is concave Monge (the quadrangle inequality),
 * so it is solved by the classic monotone-queue method in O(m log m) worst case
 * and a few cost evaluations per point in practice (PenalisedSolver). The least
 * cost D(c) with c cells is convex in c (Aggarwal, Schieber & Tokuyama 1994),
 * so a partition optimal for some λ with exactly k cells is optimal for k, and
 * every k is optimal for some λ. The search for it (searchCuts) brackets k
 * between a partition with fewer and one with more cells and moves λ along
 * the lower convex hull of D; where the hull has a straight edge across k (the
 * penalised optimum skips k), the two optimal partitions at that edge's λ are
 * spliced into an optimal one with exactly k cells (Grønlund, Larsen, Mathiasen,
 * Nielsen, Schneider & Song, "Fast exact k-means, k-medians and Bregman
 * divergence clustering in 1D", 2017).
 *
 * Memory is O(m) whatever k: the solver's arrays over the points, reused by
 * every λ of a design.
 */
import type { PointSet } from '../pointset';
import { cellMean, pointSetFromArrays } from '../pointset';
import { midpoints, type Quantizer } from '../quantizer';
import { layeredOptimalCuts } from './optimalLayered';

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
  return optimalQuantizer(pos, bits, pos.x.length > k ? optimalCuts(pos, k) : null);
}

/**
 * `designOptimal(ps, b)` for every b of `bitsList` (same order). Each width is
 * searched exactly as `designOptimal` searches it, so the levels are the same
 * to the last digit; the widths share the positive point set and the solvers'
 * buffers.
 */
export function designOptimalMany(ps: PointSet, bitsList: readonly number[]): Quantizer[] {
  const design = optimalDesigner(ps);
  return bitsList.map((bits) => design(bits));
}

/**
 * `designOptimal(ps, ·)` as a function of the bits that keeps the positive
 * point set and the solvers' buffers between calls, for a caller asking for one
 * width at a time (the same levels as `designOptimal`, to the last digit).
 */
export function optimalDesigner(ps: PointSet): (bits: number) => Quantizer {
  const pos = positivePoints(ps);
  const m = pos.x.length;
  let search: OptimalSearcher | null = null;
  return (bits) => {
    const k = codesOf(bits);
    if (m <= k) return optimalQuantizer(pos, bits, null);
    search ??= new OptimalSearcher(pos);
    return optimalQuantizer(pos, bits, search.search(k).cuts);
  };
}

/**
 * The quantizer of `cuts` on the positive points `pos` (levels the cell means);
 * `cuts` null when there are no more points than codes.
 */
export function optimalQuantizer(pos: PointSet, bits: number, cuts: Int32Array | null): Quantizer {
  const k = 2 ** bits;
  const m = pos.x.length;
  const levels = new Float64Array(k);
  if (m === 0) {
    levels.fill(NaN);
  } else if (!cuts) {
    for (let j = 0; j < k; j++) levels[j] = pos.x[Math.min(j, m - 1)];
  } else {
    for (let j = 0; j < k; j++) levels[j] = cellMean(pos, cuts[j], cuts[j + 1]);
  }
  return { method: 'optimal', bits, levels, thresholds: midpoints(levels), iterations: 0 };
}

/**
 * The least total cost divided by the total weight: the MSE of the optimal
 * quantizer (within-point deviations `s2` of a binned set included). NaN for a
 * set without weight.
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
  return cutsCost(pos, optimalCuts(pos, k)) / pos.n;
}

/**
 * Cell boundaries of the optimal partition of the `m > k` points (every one of
 * positive weight) into `k` non-empty cells: cell j is points
 * [cuts[j], cuts[j+1]), cuts[0] = 0, cuts[k] = m.
 */
export function optimalCuts(ps: PointSet, k: number): Int32Array {
  return optimalSearch(ps, k).cuts;
}

/** What the search for one k did: the penalties it solved for and whether it spliced two partitions. */
export interface OptimalSearch {
  cuts: Int32Array;
  /** Penalised problems solved (each O(m)). */
  solves: number;
  /** Whether the result is a splice of two partitions optimal at the same λ (the penalised optimum skipped k). */
  spliced: boolean;
  /** Penalised problems solved on the coarse problem first (each about 1/16 of a solve). */
  coarseSolves: number;
}

/** `optimalCuts` with what its search did (tests and the benchmark). */
export function optimalSearch(ps: PointSet, k: number): OptimalSearch {
  return new OptimalSearcher(ps).search(k);
}

/**
 * Points per group of the coarse problem (below), and the fewest points for
 * which it is used: below that the exact solves are cheap anyway.
 */
const COARSE_GROUP = 16;
const COARSE_MIN_POINTS = 2 ** 15;
const COARSE_SPANS = 2 ** 16;

/**
 * The searches of one point set, sharing their solvers. Each k is searched in
 * two rounds: first on a coarse problem whose cuts may only fall on every
 * COARSE_GROUP-th point (and next to points heavier than a group), which costs
 * a sixteenth of a solve and finds a λ giving about k cells; then on the points
 * themselves from that λ, usually one or two solves. Each k's search depends on
 * k and the point set alone, never on the widths searched before.
 */
class OptimalSearcher {
  private readonly ps: PointSet;
  private exact: PenalisedSolver | null = null;
  private coarse: PenalisedSolver | null | undefined;

  constructor(ps: PointSet) {
    this.ps = ps;
  }

  search(k: number): OptimalSearch {
    const m = this.ps.x.length;
    if (!(Number.isInteger(k) && k >= 1 && k < m))
      throw new RangeError(`optimal: need 1 ≤ k < m points, got k = ${k}, m = ${m}`);
    if (k === 1) return { cuts: Int32Array.of(0, m), solves: 0, spliced: false, coarseSolves: 0 };
    if (k === 2) return { cuts: bestSplit(this.ps), solves: 0, spliced: false, coarseSolves: 0 };
    const { cw, cs, css } = this.ps;
    this.exact ??= new PenalisedSolver(cw, cs, css);
    if (this.coarse === undefined) this.coarse = m >= COARSE_MIN_POINTS ? coarseSolver(this.ps) : null;
    let lambda = initialLambda(this.exact.wholeCost(), k);
    let coarseSolves = 0;
    if (this.coarse && this.coarse.points > 4 * k) {
      const c = searchCuts(this.coarse, k, lambda);
      if (c) {
        lambda = c.lambda;
        coarseSolves = c.solves;
      }
    }
    const r = searchCuts(this.exact, k, lambda);
    if (!r) return { cuts: layeredOptimalCuts(this.ps, k), solves: MAX_SOLVES, spliced: false, coarseSolves };
    return { cuts: r.cuts, solves: r.solves, spliced: r.spliced, coarseSolves };
  }
}

/**
 * k = 2 by trying every cut (O(m), cheaper than one penalised solve): the cut
 * leaving the least cost, i.e. the largest `S_l²/W_l + S_r²/W_r`; the first on ties.
 */
function bestSplit(ps: PointSet): Int32Array {
  const { cw, cs } = ps;
  const m = ps.x.length;
  const W = cw[m],
    S = cs[m];
  let best = -Infinity,
    at = 1;
  for (let i = 1; i < m; i++) {
    const sl = cs[i],
      sr = S - sl;
    const g = (sl * sl) / cw[i] + (sr * sr) / (W - cw[i]);
    if (g > best) {
      best = g;
      at = i;
    }
  }
  return Int32Array.of(0, at, m);
}

/**
 * The coarse problem: cuts allowed at every COARSE_GROUP-th point, and on both
 * sides of a point weighing more than a group's average (a spike the optimum
 * may give a cell of its own), so its least costs and their λ ranges are close
 * to the exact ones.
 */
function coarseSolver(ps: PointSet): PenalisedSolver {
  const m = ps.x.length,
    w = ps.w;
  const heavy = (COARSE_GROUP * ps.n) / m;
  // A group also ends where its values span more than 2^-16 of the range: in a sparse tail a group of
  // COARSE_GROUP points may be far wider than any optimal cell there.
  const x = ps.x,
    span = (x[m - 1] - x[0]) / COARSE_SPANS;
  const at: number[] = [0];
  let last = 0;
  for (let i = 1; i < m; i++) {
    if (i - last >= COARSE_GROUP || w[i] > heavy || w[i - 1] > heavy || x[i] - x[last] > span) {
      at.push(i);
      last = i;
    }
  }
  at.push(m);
  const cw = new Float64Array(at.length),
    cs = new Float64Array(at.length),
    css = new Float64Array(at.length);
  for (let j = 0; j < at.length; j++) {
    cw[j] = ps.cw[at[j]];
    cs[j] = ps.cs[at[j]];
    css[j] = ps.css[at[j]];
  }
  return new PenalisedSolver(cw, cs, css);
}

/** D(k) ≈ D(1)/k² for a smooth density: its slope at k, about 2·D(1)/k³. */
function initialLambda(total: number, k: number): number {
  return total > 0 ? (2 * total) / (k * k * k) : 1;
}

function codesOf(bits: number): number {
  if (!(Number.isInteger(bits) && bits >= 0 && bits <= 16))
    throw new RangeError(`bits must be an integer in 0–16, got ${bits}`);
  return 2 ** bits;
}

/** The points with positive weight (the set itself when there are no others). */
export function positivePoints(ps: PointSet): PointSet {
  const m = ps.x.length;
  let kept = 0;
  for (let i = 0; i < m; i++) if (ps.w[i] > 0) kept++;
  if (kept === m) return ps;
  const x = new Float64Array(kept),
    w = new Float64Array(kept),
    s2 = new Float64Array(kept);
  for (let i = 0, j = 0; i < m; i++) {
    if (!(ps.w[i] > 0)) continue;
    x[j] = ps.x[i];
    w[j] = ps.w[i];
    s2[j] = ps.s2[i];
    j++;
  }
  return pointSetFromArrays(ps.mode, x, w, s2, { nonFinite: ps.nonFinite, min: ps.min, max: ps.max });
}

function cutsCost(ps: PointSet, cuts: Int32Array): number {
  return prefixCutsCost(ps.cw, ps.cs, ps.css, cuts);
}

/** Σ cell costs of `cuts` from prefix sums (as `cellCost`, a rounding residue below 0 counts as 0). */
function prefixCutsCost(cw: Float64Array, cs: Float64Array, css: Float64Array, cuts: Int32Array): number {
  let total = 0;
  for (let j = 0; j + 1 < cuts.length; j++) {
    const a = cuts[j],
      b = cuts[j + 1];
    const w = cw[b] - cw[a];
    if (!(w > 0)) continue;
    const s = cs[b] - cs[a];
    const c = css[b] - css[a] - (s * s) / w;
    if (c > 0) total += c;
  }
  return total;
}

/** One solved penalty: an optimal partition of the penalised problem at λ. */
interface Sample {
  lambda: number;
  cells: number;
  /** Σ cell costs of the partition (without the penalty). */
  cost: number;
  cuts: Int32Array;
}

/** Upper bound on the search's solves before it only takes chord steps (which always end it). */
const MODEL_STEPS = 30;
/**
 * Solves after which a search gives up (null) and the layered DP answers instead; a guard that
 * the property tests never reach.
 */
const MAX_SOLVES = 60;

/**
 * An optimal partition into exactly k cells (1 < k < m).
 *
 * Samples with more cells than k (small λ) and fewer (large λ) bracket k; the
 * nearest one on each side is kept. Until both sides exist, λ is extrapolated
 * from one sample by a local power law D(c) ≈ A·c^−p (p = λ·c / D(c), from
 * −D'(c) ≈ λ), whose slope at k is the middle of the λ range that gives k.
 * With a bracket, the same law fitted through both ends predicts λ while it
 * keeps narrowing the bracket; otherwise λ is the chord slope
 * λ× = (D(lo) − D(hi)) / (cells(hi) − cells(lo)), where both ends have the same
 * penalised cost. At λ× an optimal partition strictly between the ends and
 * strictly below the chord is a new hull vertex and narrows the bracket;
 * otherwise both ends are optimal at λ× (the hull's edge spans k) and their
 * splice is optimal with k cells. Each chord step narrows the bracket or ends
 * the search, so the search always ends.
 */
function searchCuts(
  solver: PenalisedSolver,
  k: number,
  lambda: number,
): { cuts: Int32Array; lambda: number; solves: number; spliced: boolean } | null {
  let fewer: Sample | null = null; // largest cell count below k
  let more: Sample | null = null; // smallest cell count above k
  let chord = false;
  let lastGap = Infinity;
  let lastStep = 0;
  for (let solves = 1; ; solves++) {
    if (solves > MAX_SOLVES || !(lambda >= 0 && lambda < Infinity)) return null;
    const s = solver.sample(lambda);
    if (s.cells === k) return { cuts: s.cuts, lambda, solves, spliced: false };
    if (chord && fewer && more) {
      const onChord = Math.min(fewer.cost + lambda * fewer.cells, more.cost + lambda * more.cells);
      const below = s.cost + lambda * s.cells < onChord;
      if (!(s.cells > fewer.cells && s.cells < more.cells && below)) {
        return { cuts: splice(fewer.cuts, more.cuts, k), lambda, solves, spliced: true };
      }
    }
    if (s.cells > k) {
      if (!more || s.cells <= more.cells) more = s;
    } else if (!fewer || s.cells >= fewer.cells) fewer = s;

    chord = false;
    if (!more || !fewer) {
      // One side only: extrapolate, with the power kept to a sane range so one odd sample cannot fling λ
      // away; should λ still be on the same side, at least double the step (a count can hold over a wide
      // range of λ, such as pairs of points on an even grid).
      const p = s.cost > 0 ? clamp((s.lambda * s.cells) / s.cost, 0.25, 8) : 8;
      let step = clamp((p + 1) * Math.log(s.cells / k), -7, 7);
      if (lastStep * step > 0 && Math.abs(step) < 2 * Math.abs(lastStep)) step = 2 * lastStep;
      lastStep = step;
      lambda = s.lambda * Math.exp(step);
      continue;
    }
    const gap = more.cells - fewer.cells;
    const predicted = gap > 2 && gap < lastGap && solves < MODEL_STEPS ? logLogSecant(fewer, more, k) : NaN;
    lastGap = gap;
    if (predicted < fewer.lambda && predicted > more.lambda) lambda = predicted;
    else {
      lambda = (fewer.cost - more.cost) / (more.cells - fewer.cells);
      chord = true;
    }
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * λ at k on the straight line through both bracket ends in (log cells, log λ):
 * λ ≈ −D'(c) falls off as a power of c, so this lands near k's range of λ
 * wherever D is smooth. NaN for a λ that is not positive.
 */
function logLogSecant(fewer: Sample, more: Sample, k: number): number {
  if (!(fewer.lambda > 0 && more.lambda > 0)) return NaN;
  const t = Math.log(k / fewer.cells) / Math.log(more.cells / fewer.cells);
  return fewer.lambda * (more.lambda / fewer.lambda) ** t;
}

/**
 * A k-cell partition from the cuts `p` (a cells) and `q` (b cells), a < k < b.
 * With δ = b − k, take the first i with q[i + δ + 1] ≤ p[i + 1]: then
 * p[i] ≤ q[i + δ] < q[i + δ + 1] ≤ p[i + 1] (q's cell nests in p's), and
 * R = p[0..i] ++ q[i + δ + 1..b] has exactly k cells. By the quadrangle
 * inequality R and its complement R' = q[0..i + δ] ++ p[i + 1..a] cost no more
 * together than p and q, so when p and q are both optimal for the same λ, so
 * are R and R', and R is optimal for k.
 */
export function splice(p: Int32Array, q: Int32Array, k: number): Int32Array {
  const a = p.length - 1,
    b = q.length - 1,
    d = b - k;
  if (!(a < k && k < b)) throw new RangeError(`splice: need ${a} < k = ${k} < ${b}`);
  let i = 0;
  // i = a − 1 always qualifies (q[b] = p[a] = m), so the loop ends.
  while (q[i + d + 1] > p[i + 1]) i++;
  const r = new Int32Array(k + 1);
  r.set(p.subarray(0, i + 1), 0);
  r.set(q.subarray(i + d + 1), i + 1);
  return r;
}

/**
 * The penalised problem F(i) = min_{l < i} F(l) + cellCost(l, i) + λ over the
 * first i points, F(0) = 0, with its optimal partitions.
 *
 * With prefix sums, `F(l) + cellCost(l, i) = B_l + css_i − s²/w` where
 * `B_l = F(l) − css_l`, w and s the cell's weight and shifted sum; so the
 * recurrence runs on B alone (`B_i = min_l (B_l − s²/w) + λ`, B_0 = 0) and css
 * only enters the final total.
 *
 * The cost is concave Monge, so once a later split l' beats an earlier l at row
 * i it beats l at every row after i. The solver keeps a queue of candidate
 * splits, each with the first row where it is best: the head answers row i;
 * split i enters at the tail after removing the candidates it beats from their
 * own first row on, and its first row is found by a galloping search from the
 * tail's (consecutive candidates' first rows are usually a few rows apart, so
 * that is a few comparisons rather than log m).
 */
class PenalisedSolver {
  /** Points of the problem (the rows 1 … points). */
  readonly points: number;
  private readonly cw: Float64Array;
  private readonly cs: Float64Array;
  private readonly css: Float64Array;
  /** Stride 3 per point l: cw, cs, then B_l of the penalty being solved. */
  private readonly q: Float64Array;
  /** Optimal last split of row i. */
  private readonly opt: Int32Array;
  /** Cells of the optimal partition of row i. */
  private readonly cells: Int32Array;
  private readonly candidate: Int32Array;
  private readonly firstRow: Int32Array;

  /** Over the prefix sums `cw`, `cs`, `css` (length points + 1) of a point set or of a coarsening of one. */
  constructor(cw: Float64Array, cs: Float64Array, css: Float64Array) {
    const m = cw.length - 1;
    this.points = m;
    this.cw = cw;
    this.cs = cs;
    this.css = css;
    this.q = new Float64Array(3 * (m + 1));
    for (let i = 0; i <= m; i++) {
      this.q[3 * i] = cw[i];
      this.q[3 * i + 1] = cs[i];
    }
    this.opt = new Int32Array(m + 1);
    this.cells = new Int32Array(m + 1);
    this.candidate = new Int32Array(m + 1);
    this.firstRow = new Int32Array(m + 1);
  }

  /** Cost of the whole set as one cell. */
  wholeCost(): number {
    return prefixCutsCost(this.cw, this.cs, this.css, Int32Array.of(0, this.points));
  }

  /** Solves the penalised problem at λ and returns its optimal partition. */
  sample(lambda: number): Sample {
    const cells = this.solve(lambda);
    const cuts = new Int32Array(cells + 1);
    for (let i = this.points, j = cells; j > 0; j--) {
      cuts[j] = i;
      i = this.opt[i];
    }
    return { lambda, cells, cost: prefixCutsCost(this.cw, this.cs, this.css, cuts), cuts };
  }

  /** Fills `opt` and `cells` for penalty λ; returns the cells of the whole set's partition. */
  private solve(lambda: number): number {
    const m = this.points,
      q = this.q,
      opt = this.opt,
      cells = this.cells;
    const candidate = this.candidate,
      firstRow = this.firstRow;
    q[2] = 0;
    cells[0] = 0;
    let head = 0,
      tail = 0;
    candidate[0] = 0;
    firstRow[0] = 1;
    for (let i = 1; i <= m; i++) {
      while (head < tail && firstRow[head + 1] <= i) head++;
      const l = candidate[head];
      const oi = 3 * i,
        ol = 3 * l;
      const cwi = q[oi],
        csi = q[oi + 1];
      const w = cwi - q[ol],
        s = csi - q[ol + 1];
      q[oi + 2] = q[ol + 2] - (s * s) / w + lambda;
      opt[i] = l;
      cells[i] = cells[l] + 1;
      if (i === m) break;
      // Split i is a candidate for rows i + 1 … m.
      let from = i + 1;
      while (tail >= head) {
        const c = candidate[tail];
        const r = firstRow[tail] > from ? firstRow[tail] : from;
        if (!this.beats(i, c, r)) break;
        tail--;
      }
      if (tail < head) {
        head = tail + 1;
        tail = head;
        candidate[tail] = i;
        firstRow[tail] = from;
        continue;
      }
      // i loses to the tail candidate at `from'`; find the first row where it wins, if any.
      const c = candidate[tail];
      if (firstRow[tail] > from) from = firstRow[tail];
      const row = this.firstWin(i, c, from);
      if (row <= m) {
        tail++;
        candidate[tail] = i;
        firstRow[tail] = row;
      }
    }
    return cells[m];
  }

  /** Whether split a (> c) gives row r a strictly lower cost than split c. */
  private beats(a: number, c: number, r: number): boolean {
    const q = this.q;
    const or = 3 * r,
      oa = 3 * a,
      oc = 3 * c;
    const cwr = q[or],
      csr = q[or + 1];
    const wa = cwr - q[oa],
      sa = csr - q[oa + 1];
    const wc = cwr - q[oc],
      sc = csr - q[oc + 1];
    // B_a − sa²/wa < B_c − sc²/wc without dividing (both weights are positive): a division's latency
    // would chain each comparison of the search to the next.
    return (q[oa + 2] - q[oc + 2]) * wa * wc < sa * sa * wc - sc * sc * wa;
  }

  /** The first row in (from, m] where a beats c, given that it does not at `from`; m + 1 if none. */
  private firstWin(a: number, c: number, from: number): number {
    const m = this.points;
    let lose = from,
      step = 1,
      win = m + 1;
    for (;;) {
      const r = lose + step;
      if (r >= m) {
        if (lose < m && this.beats(a, c, m)) win = m;
        else return m + 1;
        break;
      }
      if (this.beats(a, c, r)) {
        win = r;
        break;
      }
      lose = r;
      step *= 2;
    }
    while (win - lose > 1) {
      const mid = (lose + win) >>> 1;
      if (this.beats(a, c, mid)) win = mid;
      else lose = mid;
    }
    return win;
  }
}
