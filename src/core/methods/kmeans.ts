/**
 * Weighted 1-D K-means on a point set (docs/definitions.md, Quantizers): the shared Lloyd iteration
 * (also used by `lloydmax` and `bskmq`), Forgy and greedy k-means++ seeding, and
 * the restart driver behind `kmeans`, `kmeanspp` and `bskmq`.
 *
 * Cells are contiguous runs of sorted points, so one Lloyd iteration is k
 * boundary searches plus k O(1) cell means from the prefix sums. Boundaries are
 * searched outward from where they were (galloping) and only cells whose
 * boundaries moved are recomputed, so late iterations cost far less than k log m.
 *
 * Random draws, in order, for restart r (rng = createRng(deriveSeed(seed, r))):
 * - Forgy (`random`): one draw per free level, `u = rng()·W`, the point is the
 *   first i with `cw[i+1] > u`; the values are then sorted.
 * - k-means++ (`plusplus`): if no level is pinned, one draw for the first centre
 *   (as Forgy); then for every further centre `2 + ⌊ln k⌋` draws (k = all levels,
 *   pinned included), all drawn before any is evaluated; draw t gives
 *   `u = rng()·P` over the point potentials (see `plusPlusSeeds`).
 */
import { createRng, deriveSeed, type Rng } from '../rng';
import {
  cellCostAt,
  cellCostOf,
  firstAbove,
  firstAtLeast,
  lowerBound,
  lowerBoundNear,
  type PointSet,
} from '../pointset';
import { midpoints, type Quantizer } from '../quantizer';
import { wasmLloyd } from '../wasm/lloydKernel';

/** Lloyd iterations stop after this many updates at the latest (docs/definitions.md, Quantizers). */
export const MAX_ITERATIONS = 1000;

/**
 * Weighted mean of the non-empty cell [a, b), clamped to the cell's value extent:
 * rounding in the prefix sums can otherwise put a one-point cell's mean an ulp
 * off its value, or a mean an ulp past a threshold and out of order.
 */
export function cellLevel(ps: PointSet, a: number, b: number): number {
  const mean = ps.shift + (ps.cs[b] - ps.cs[a]) / (ps.cw[b] - ps.cw[a]);
  const lo = ps.x[a],
    hi = ps.x[b - 1];
  return mean < lo ? lo : mean > hi ? hi : mean;
}

export interface LloydOptions {
  /** At most this many level updates. */
  maxIterations: number;
  /**
   * `null`: K-means — stop when an assignment equals the previous one.
   * A number: Lloyd-Max — stop after the first update in which no level moves more than this.
   */
  tolerance: number | null;
  /** `fixed[j] = 1`: level j never moves (BS-KMQ's pinned boundaries) but still takes part in the assignment. */
  fixed?: Uint8Array | null;
  /**
   * Observer of every level update (the step-through's trace): called after update `iteration`
   * (1-based) with the live levels, which it must copy and not change. Absent when not recording.
   */
  onUpdate?: ((levels: Float64Array, iteration: number) => void) | null;
}

/**
 * Weighted Lloyd iteration on sorted `levels` (updated in place; they stay sorted).
 *
 * One iteration: thresholds at the midpoints `c_{j−1} + (c_j − c_{j−1})/2`, cell j
 * = the points in `[t_j, t_{j+1})` (a point on a threshold goes up), then every
 * free level becomes its cell's weighted mean; an empty cell keeps its level.
 * Returns the number of updates done.
 *
 * Runs the WebAssembly build of `weightedLloydJs` (src/core/wasm) when it can: the same
 * arithmetic in the same order, so the same levels to the last bit, in about 60 % of the time.
 * An observer of every update (`onUpdate`) always gets the TypeScript.
 */
export function weightedLloyd(ps: PointSet, levels: Float64Array, options: LloydOptions): number {
  if (options.onUpdate == null) {
    const done = wasmLloyd()?.run(ps, levels, options.fixed ?? null, options.maxIterations, options.tolerance) ?? null;
    if (done !== null) return done;
  }
  return weightedLloydJs(ps, levels, options);
}

/** `weightedLloyd` in TypeScript: the reference the WebAssembly kernel (wasm/lloyd.ts) mirrors. */
export function weightedLloydJs(ps: PointSet, levels: Float64Array, options: LloydOptions): number {
  const k = levels.length;
  const { x, cw, cs, shift } = ps;
  const m = x.length;
  const fixed = options.fixed ?? null;
  const tolerance = options.tolerance;
  const onUpdate = options.onUpdate ?? null;
  const bounds = new Int32Array(k + 1);
  bounds[k] = m;
  for (let j = 1; j < k; j++) bounds[j] = lowerBound(ps, levels[j - 1] + (levels[j] - levels[j - 1]) / 2);
  // Only thresholds next to a level that moved can move, and only cells with a moved boundary get a
  // new mean: the same result as recomputing everything, at a fraction of the cost late in a run.
  // `moved[j]`: level j moved in the last update; `shifted[j]`: boundary j moved in this one.
  const moved = new Uint8Array(k);
  const shifted = new Uint8Array(k + 1);
  shifted.fill(1);
  let iterations = 0;
  for (;;) {
    if (iterations > 0) {
      // The outer boundaries (0 and m) never move.
      shifted[0] = shifted[k] = 0;
      let anyShifted = false;
      for (let th = 1; th < k; th++) {
        shifted[th] = 0;
        if (moved[th - 1] === 0 && moved[th] === 0) continue;
        const lo = levels[th - 1];
        const b = lowerBoundNear(x, bounds[th], lo + (levels[th] - lo) / 2);
        if (b !== bounds[th]) {
          bounds[th] = b;
          shifted[th] = 1;
          anyShifted = true;
        }
      }
      if (tolerance === null && !anyShifted) break;
    }
    if (iterations >= options.maxIterations) break;
    let maxMove = 0;
    for (let j = 0; j < k; j++) {
      moved[j] = 0;
      if (shifted[j] === 0 && shifted[j + 1] === 0) continue;
      if (fixed !== null && fixed[j] === 1) continue;
      const a = bounds[j],
        b = bounds[j + 1];
      const w = cw[b] - cw[a];
      if (!(w > 0)) continue;
      // cellLevel, inlined: the cell's weighted mean clamped to its value extent.
      const mean = shift + (cs[b] - cs[a]) / w;
      const v = mean < x[a] ? x[a] : mean > x[b - 1] ? x[b - 1] : mean;
      const d = v > levels[j] ? v - levels[j] : levels[j] - v;
      if (d > 0) {
        moved[j] = 1;
        if (d > maxMove) maxMove = d;
        levels[j] = v;
      }
    }
    iterations++;
    if (onUpdate !== null) onUpdate(levels, iterations);
    if (tolerance !== null && maxMove <= tolerance) break;
  }
  return iterations;
}

/**
 * Σ weight·(x − Q(x))² of the quantizer with these sorted levels and thresholds
 * at their midpoints, on the samples of `ps` (within-point deviations included).
 */
export function levelsCost(ps: PointSet, levels: Float64Array): number {
  const k = levels.length;
  const m = ps.x.length;
  let cost = 0;
  let a = 0;
  for (let j = 0; j < k; j++) {
    const b = j < k - 1 ? lowerBound(ps, levels[j] + (levels[j + 1] - levels[j]) / 2) : m;
    cost += cellCostAt(ps, a, b, levels[j]);
    a = b;
  }
  return cost;
}

/** Index of the last point with positive weight (the fallback when a draw rounds past the end). */
function lastWeighted(ps: PointSet): number {
  let i = ps.x.length - 1;
  while (i > 0 && !(ps.w[i] > 0)) i--;
  return i;
}

/** The point a weight draw lands on: the first i with `cw[i+1] > u`. */
function pointAtWeight(ps: PointSet, u: number): number {
  const cw = ps.cw;
  let lo = 0,
    hi = ps.x.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cw[mid + 1] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo < ps.x.length ? lo : lastWeighted(ps);
}

/**
 * Forgy seeds: `count` samples drawn by weight with replacement (duplicates
 * allowed, so a spike can seed several levels), in draw order. Requires `ps.n > 0`.
 */
export function forgySeeds(ps: PointSet, count: number, rng: Rng): Float64Array {
  const seeds = new Float64Array(count);
  for (let i = 0; i < count; i++) seeds[i] = ps.x[pointAtWeight(ps, rng() * ps.n)];
  return seeds;
}

/** Segments of at most this many points have their potential summed point by point, not from the prefix sums. */
const DIRECT = 64;
/** A segment's sum from the prefix sums within this share of their magnitude of 0 is summed point by point. */
const ROUNDING = 2 ** -40;

/**
 * The potentials of k-means++ seeding held per cell rather than per point: the
 * centres, sorted, each with the run of points nearest to it and their summed
 * potential. In 1-D a point's potential is that of its cell's centre, so a
 * cell's sum comes from the prefix sums in O(1), and a draw by cumulative
 * potential is a walk over the cells plus a search inside one; adding a centre
 * re-cuts two cells. Nothing is O(m) per centre, so seeding costs about
 * O(k·(trials·log m + k)) however many points there are.
 *
 * Exactness where it matters: a segment of few points, and one whose sum from
 * the prefix sums is within their rounding of 0, is summed point by point, so the
 * potential is 0 exactly when every weighted point is a centre (the rule that
 * switches draws to weight), as in a point-by-point sum.
 */
class SeedCells {
  readonly centres: Float64Array;
  /** Cell j holds points [start[j], start[j + 1]); start[nc] = m. */
  private readonly start: Int32Array;
  private readonly pot: Float64Array;
  nc = 0;
  // The point set's arrays as fields of this one class: its loops then read them from one object
  // shape, not through whichever point set object (built, reweighted) reaches here.
  private readonly x: Float64Array;
  private readonly w: Float64Array;
  private readonly s2: Float64Array;
  private readonly cw: Float64Array;
  private readonly cs: Float64Array;
  private readonly css: Float64Array;
  private readonly shift: number;
  /** findAll's scratch: which draws have found their point. */
  private found = new Uint8Array(0);

  constructor(ps: PointSet, initial: Float64Array, capacity: number) {
    this.x = ps.x;
    this.w = ps.w;
    this.s2 = ps.s2;
    this.cw = ps.cw;
    this.cs = ps.cs;
    this.css = ps.css;
    this.shift = ps.shift;
    this.centres = new Float64Array(capacity);
    this.start = new Int32Array(capacity + 1);
    this.pot = new Float64Array(capacity);
    const sorted = initial.slice().sort();
    this.centres.set(sorted);
    this.nc = sorted.length;
    const m = this.x.length;
    for (let j = 1; j < this.nc; j++) {
      const lo = sorted[j - 1];
      this.start[j] = Math.max(this.start[j - 1], firstAbove(this.x, lo + (sorted[j] - lo) / 2));
    }
    this.start[this.nc] = m;
    for (let j = 0; j < this.nc; j++) this.pot[j] = this.segment(this.start[j], this.start[j + 1], sorted[j]);
  }

  /** Σ over points [a, b) of `w·(x − c)² + s2`. */
  segment(a: number, b: number, c: number): number {
    if (a >= b) return 0;
    if (b - a > DIRECT) {
      const { cw, cs, css, shift } = this;
      // A run of weight 0 (a band suppressed entirely) adds exactly nothing to the prefix sums.
      if (cw[b] === cw[a] && css[b] === css[a]) return 0;
      const v = cellCostOf(cw, cs, css, shift, a, b, c);
      const d = Math.abs(c - shift);
      const scale = css[a] + css[b] + 2 * d * (Math.abs(cs[a]) + Math.abs(cs[b])) + d * d * (cw[a] + cw[b]);
      if (v > ROUNDING * scale) return v;
    }
    const { x, w, s2 } = this;
    let s = 0;
    for (let i = a; i < b; i++) {
      const d = x[i] - c;
      s += w[i] * d * d + s2[i];
    }
    return s;
  }

  get total(): number {
    let s = 0;
    for (let j = 0; j < this.nc; j++) s += this.pot[j];
    return s;
  }

  /**
   * For each draw `u[t]` (t < n), the first point whose cumulative potential (cells in order)
   * exceeds it, into `out[t]`; when rounding carries a draw past the end, the last weighted point of
   * the last cell with potential. The draws walk the cells together, each subtracting the cells'
   * potentials in order as a walk of its own would: one pass over the cells instead of one per draw,
   * the same point for every draw.
   */
  findAll(u: Float64Array, n: number, out: Int32Array): void {
    const pot = this.pot;
    const nc = this.nc;
    if (this.found.length < n) this.found = new Uint8Array(n);
    const found = this.found;
    found.fill(0, 0, n);
    let lastCell = -1;
    let left = n;
    for (let j = 0; j < nc && left > 0; j++) {
      const p = pot[j];
      if (p > 0) lastCell = j;
      for (let t = 0; t < n; t++) {
        if (found[t] !== 0) continue;
        const ut = u[t];
        if (ut < p) {
          out[t] = this.findIn(j, ut);
          found[t] = 1;
          left--;
        } else u[t] = ut - p;
      }
    }
    if (left > 0) {
      const last = this.lastWeightedIn(lastCell < 0 ? nc - 1 : lastCell);
      for (let t = 0; t < n; t++) if (found[t] === 0) out[t] = last;
    }
  }

  private findIn(j: number, u: number): number {
    const { x, w, s2 } = this;
    const a = this.start[j],
      b = this.start[j + 1],
      c = this.centres[j];
    // Narrow [lo, hi) by the prefix sums, then walk the last few points.
    let lo = a,
      hi = b;
    while (hi - lo > DIRECT) {
      const mid = (lo + hi) >>> 1;
      if (this.segment(a, mid, c) > u) hi = mid;
      else lo = mid;
    }
    let acc = this.segment(a, lo, c);
    for (let i = lo; i < hi; i++) {
      const d = x[i] - c;
      acc += w[i] * d * d + s2[i];
      if (acc > u) return i;
    }
    return this.lastWeightedIn(j);
  }

  private lastWeightedIn(j: number): number {
    const a = this.start[j];
    let i = this.start[j + 1] - 1;
    while (i > a && !(this.w[i] > 0)) i--;
    return i;
  }

  /** Position v would take among the centres: the first centre ≥ v. */
  private position(v: number): number {
    const centres = this.centres;
    let lo = 0,
      hi = this.nc;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (centres[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * What adding centre v would do: the points that would become its cell,
   * [a, b) (those strictly closer to v than to its neighbouring centres; empty
   * when v already is a centre), and the total potential afterwards.
   */
  evaluate(v: number, total: number): { pos: number; a: number; b: number; after: number } {
    const pos = this.position(v);
    const nc = this.nc;
    if (pos < nc && this.centres[pos] === v) return { pos, a: 0, b: 0, after: total };
    const cut = this.start[pos]; // the boundary between the neighbours' cells
    const left = pos > 0 ? this.centres[pos - 1] : NaN;
    const right = pos < nc ? this.centres[pos] : NaN;
    // The new cell's edges may not leave the neighbours' cells (against rounding in the midpoints), so
    // they are searched there alone: a cell's points are read, not the whole set's.
    const a = pos > 0 ? firstAbove(this.x, left + (v - left) / 2, this.start[pos - 1], cut) : 0;
    const b = pos < nc ? firstAtLeast(this.x, v + (right - v) / 2, cut, this.start[pos + 1]) : this.x.length;
    if (a >= b) return { pos, a, b: a, after: total };
    const before = (pos > 0 ? this.segment(a, cut, left) : 0) + (pos < nc ? this.segment(cut, b, right) : 0);
    return { pos, a, b, after: total - before + this.segment(a, b, v) };
  }

  /** Adds centre v with the cell [a, b) from `evaluate`. */
  insert(v: number, pos: number, a: number, b: number): void {
    const { centres, start, pot } = this;
    const nc = this.nc;
    for (let j = nc; j > pos; j--) {
      centres[j] = centres[j - 1];
      pot[j] = pot[j - 1];
      start[j + 1] = start[j];
    }
    centres[pos] = v;
    if (a >= b) {
      // Already a centre (or a cell rounding left empty): an empty cell at the boundary.
      start[pos + 1] = start[pos];
      pot[pos] = 0;
      this.nc = nc + 1;
      return;
    }
    start[pos] = a;
    start[pos + 1] = b;
    pot[pos] = this.segment(a, b, v);
    if (pos > 0) pot[pos - 1] = this.segment(start[pos - 1], a, centres[pos - 1]);
    if (pos < nc) pot[pos + 1] = this.segment(b, start[pos + 2], centres[pos + 1]);
    this.nc = nc + 1;
  }
}

/** Number of candidates k-means++ tries per centre (scikit-learn's `2 + ⌊ln k⌋`). */
export function localTrials(k: number): number {
  return 2 + Math.floor(Math.log(k));
}

/**
 * Greedy weighted k-means++ (as scikit-learn's `_kmeans_plusplus`), adding
 * `count` centres to the sorted `fixedCentres` (BS-KMQ's pinned levels; may be
 * empty). Returns the new centres in the order chosen. Requires `ps.n > 0`.
 *
 * A point's potential is the squared distance of its samples to the nearest
 * centre, `w·(x − c)² + s2` (s2 = 0 on exact sets), and P is their sum. Without
 * fixed centres the first centre is drawn by weight. Each further centre: draw
 * `localTrials(totalK)` candidates, candidate t being the first point with
 * cumulative potential > `rng()·P` (when P = 0 — every weighted point already
 * is a centre — the candidate is drawn by weight, `rng()·W`, instead); keep the
 * candidate whose addition leaves the smallest P (the first on ties).
 *
 * In 1-D a candidate v only lowers the potential of the points between the
 * midpoints to its neighbouring centres, where v becomes the nearest centre; so
 * its new P is `P − Σ_old + Σ_new` over that interval, an O(log m)
 * evaluation from the prefix sums; `SeedCells` keeps the potentials per cell.
 *
 * `onCentre` (the step-through's recorder) sees each centre as it is chosen with the values of
 * the candidates drawn for it (null for the first centre, drawn by weight).
 */
export function plusPlusSeeds(
  ps: PointSet,
  fixedCentres: Float64Array,
  count: number,
  totalK: number,
  rng: Rng,
  onCentre: ((value: number, candidates: Float64Array | null) => void) | null = null,
): Float64Array {
  const x = ps.x;
  const chosen = new Float64Array(count);
  if (count === 0) return chosen;
  let next = 0;
  let initial = fixedCentres;
  if (fixedCentres.length === 0) {
    const first = x[pointAtWeight(ps, rng() * ps.n)];
    initial = new Float64Array([first]);
    chosen[next++] = first;
    if (onCentre !== null) onCentre(first, null);
  }
  const cells = new SeedCells(ps, initial, initial.length + count - next);
  const trials = localTrials(totalK);
  const candidates = new Int32Array(trials);
  const draws = new Float64Array(trials);
  const last = lastWeighted(ps);
  while (next < count) {
    const total = cells.total;
    if (total > 0) {
      for (let t = 0; t < trials; t++) draws[t] = rng() * total;
      cells.findAll(draws, trials, candidates);
    } else {
      for (let t = 0; t < trials; t++) candidates[t] = pointAtWeight(ps, rng() * ps.n);
    }
    for (let t = 0; t < trials; t++) if (candidates[t] > last) candidates[t] = last;
    let best = cells.evaluate(x[candidates[0]], total),
      bestValue = x[candidates[0]];
    for (let t = 1; t < trials; t++) {
      const v = x[candidates[t]];
      const e = cells.evaluate(v, total);
      if (e.after < best.after) {
        best = e;
        bestValue = v;
      }
    }
    cells.insert(bestValue, best.pos, best.a, best.b);
    chosen[next++] = bestValue;
    if (onCentre !== null)
      onCentre(
        bestValue,
        Float64Array.from(candidates, (i) => x[i]),
      );
  }
  return chosen;
}

/** BS-KMQ's pinned levels: fixed values taking part in the assignment. */
export interface Pins {
  /** Pinned low boundary (placed below any free level of equal value), or null. */
  low: number | null;
  /** Pinned high boundary (placed above any free level of equal value), or null. */
  high: number | null;
}

export const NO_PINS: Readonly<Pins> = Object.freeze({ low: null, high: null });

/**
 * Sorted free values and pins merged into one sorted level array with its
 * `fixed` flags. A free level equal to a pinned low boundary sits above it, one
 * equal to a pinned high boundary below it, so the free level is the one the
 * tie rule hands the spike to and it can move off it.
 */
export function mergePins(free: Float64Array, pins: Pins): { levels: Float64Array; fixed: Uint8Array } {
  const k = free.length + (pins.low !== null ? 1 : 0) + (pins.high !== null ? 1 : 0);
  const levels = new Float64Array(k);
  const fixed = new Uint8Array(k);
  let lowPending = pins.low !== null,
    highPending = pins.high !== null;
  let j = 0;
  for (let i = 0; i < free.length; i++) {
    const f = free[i];
    if (lowPending && f >= (pins.low as number)) {
      levels[j] = pins.low as number;
      fixed[j++] = 1;
      lowPending = false;
    }
    if (highPending && f > (pins.high as number)) {
      levels[j] = pins.high as number;
      fixed[j++] = 1;
      highPending = false;
    }
    levels[j++] = f;
  }
  if (lowPending) {
    levels[j] = pins.low as number;
    fixed[j++] = 1;
  }
  if (highPending) {
    levels[j] = pins.high as number;
    fixed[j++] = 1;
  }
  return { levels, fixed };
}

export type Seeding = 'random' | 'plusplus';

export interface ClusterResult {
  /** Sorted levels of the kept run. */
  levels: Float64Array;
  /** Lloyd updates of the kept run. */
  iterations: number;
  /** Σ weight·(x − Q(x))² of the kept run on the clustered set. */
  cost: number;
  /** Index of the kept run. */
  run: number;
}

/**
 * Observer of `clusterLevels` for the step-through (src/core/trace.ts). Every call hands over
 * live arrays the observer must copy and not change. Recording changes no result: the same
 * draws and the same arithmetic run with or without it.
 */
export interface ClusterRecorder {
  /** Run `run` starts on the clustered point set `ps`, with `freeCount` levels to seed around `pins`. */
  startRun(run: number, ps: PointSet, pins: Pins, freeCount: number): void;
  /** A free level chosen by seeding, in draw order; for k-means++ the candidate values it beat (null for a draw by weight). */
  seed(value: number, candidates: Float64Array | null): void;
  /** The sorted levels (pins merged) Lloyd starts from. */
  seeded(levels: Float64Array): void;
  /** The levels after Lloyd update `iteration` (1-based). */
  update(levels: Float64Array, iteration: number): void;
  /** Run `run` ended with this cost on `ps`; `kept` when it is the best run so far (the one returned if no later run beats it). */
  endRun(run: number, cost: number, kept: boolean): void;
}

/**
 * Weighted K-means with `k` levels (pinned ones included) on `ps`, `restarts`
 * runs, run r drawing from `createRng(deriveSeed(seed, r))`; each run is seeded,
 * sorted, merged with the pins and iterated to convergence (an assignment equal
 * to the previous one) or `MAX_ITERATIONS`. Keeps the run with the lowest cost
 * on `ps` (the earliest on ties). Requires `ps.n > 0` and `k ≥` the pin count.
 */
export function clusterLevels(
  ps: PointSet,
  k: number,
  seeding: Seeding,
  seed: number,
  restarts: number,
  pins: Pins = NO_PINS,
  recorder: ClusterRecorder | null = null,
): ClusterResult {
  const pinned = new Float64Array([pins.low, pins.high].filter((v): v is number => v !== null));
  const freeCount = k - pinned.length;
  let best: ClusterResult | null = null;
  const runs = Math.max(1, restarts);
  for (let r = 0; r < runs; r++) {
    const rng = createRng(deriveSeed(seed, r));
    if (recorder !== null) recorder.startRun(r, ps, pins, freeCount);
    const onCentre = recorder !== null ? (v: number, c: Float64Array | null) => recorder.seed(v, c) : null;
    const free =
      seeding === 'random' ? forgySeeds(ps, freeCount, rng) : plusPlusSeeds(ps, pinned, freeCount, k, rng, onCentre);
    if (recorder !== null && seeding === 'random') for (const v of free) recorder.seed(v, null);
    free.sort();
    const { levels, fixed } = mergePins(free, pins);
    if (recorder !== null) recorder.seeded(levels);
    const onUpdate = recorder !== null ? (l: Float64Array, i: number) => recorder.update(l, i) : null;
    const iterations = weightedLloyd(ps, levels, { maxIterations: MAX_ITERATIONS, tolerance: null, fixed, onUpdate });
    const cost = levelsCost(ps, levels);
    const kept = best === null || cost < best.cost;
    if (kept) best = { levels, iterations, cost, run: r };
    if (recorder !== null) recorder.endRun(r, cost, kept);
  }
  return best as ClusterResult;
}

/**
 * The `kmeans` (Forgy seeds) and `kmeanspp` (greedy k-means++ seeds) baselines:
 * `clusterLevels` with `2^bits` levels on the original point set, thresholds at
 * midpoints. Requires `ps.n > 0`.
 */
export function designKmeans(
  ps: PointSet,
  bits: number,
  seeding: Seeding,
  options: { seed: number; restarts: number },
  recorder: ClusterRecorder | null = null,
): Quantizer {
  const result = clusterLevels(ps, 2 ** bits, seeding, options.seed, options.restarts, NO_PINS, recorder);
  return {
    method: seeding === 'random' ? 'kmeans' : 'kmeanspp',
    bits,
    levels: result.levels,
    thresholds: midpoints(result.levels),
    iterations: result.iterations,
  };
}
