/**
 * Weighted point sets (docs/definitions.md, Point sets): the one data abstraction every quantizer runs on.
 *
 * A point set is the sorted distinct values `x`, their weights `w` (sample
 * counts), the squared deviations of the samples each point stands for `s2`
 * (0 for exact values), and prefix sums that make the count, mean and squared
 * error of any contiguous cell O(1). A quantizer's cells are contiguous runs of
 * points, so one Lloyd iteration costs O(k log m) whatever the sample count.
 */

/** Anything numeric a parser or generator hands over. */
export type NumericArray =
  | Float64Array
  | Float32Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | readonly number[];

export type PointSetMode = 'exact' | 'binned';

export interface PointSet {
  readonly mode: PointSetMode;
  /** Sorted point values (strictly increasing in exact mode). */
  readonly x: Float64Array;
  /** Weight of each point: the number of samples it stands for (or a suppressed weight). */
  readonly w: Float64Array;
  /** Σ (sample − x[i])² over the samples of point i: 0 for exact points. */
  readonly s2: Float64Array;
  /**
   * The prefix sums below are over `x − shift`. Shifting by a central value
   * keeps `Σw(x−c)² = S2 − 2cS1 + c²W` from cancelling catastrophically when the
   * data sit far from zero (the Ckmeans.1d.dp trick).
   */
  readonly shift: number;
  /** cw[i] = Σ_{j<i} w[j]; length m + 1. */
  readonly cw: Float64Array;
  /** cs[i] = Σ_{j<i} w[j]·(x[j] − shift). */
  readonly cs: Float64Array;
  /** css[i] = Σ_{j<i} w[j]·(x[j] − shift)² + s2[j]. */
  readonly css: Float64Array;
  /** Total weight (finite samples for an unsuppressed set). */
  readonly n: number;
  /** Samples that were NaN or ±Inf and so were left out. */
  readonly nonFinite: number;
  /** Smallest and largest finite sample (exact even in binned mode). */
  readonly min: number;
  readonly max: number;
}

/** Default sample count up to which `buildPointSet` keeps every distinct value. */
export const EXACT_LIMIT = 2 ** 22;
/** Default number of bins of a binned point set. */
export const DEFAULT_BINS = 2 ** 16;

/**
 * Builds the prefix sums of a point set from its sorted points, into the prefix arrays of `into`
 * (a set of the same size that its owner gives up) when given.
 */
export function pointSetFromArrays(
  mode: PointSetMode,
  x: Float64Array,
  w: Float64Array,
  s2: Float64Array,
  meta: { nonFinite: number; min: number; max: number },
  into: Pick<PointSet, 'cw' | 'cs' | 'css'> | null = null,
): PointSet {
  const m = x.length;
  const shift = m === 0 ? 0 : x[m >> 1];
  const fits = into !== null && into.cw.length === m + 1;
  const cw = fits ? into.cw : new Float64Array(m + 1);
  const cs = fits ? into.cs : new Float64Array(m + 1);
  const css = fits ? into.css : new Float64Array(m + 1);
  let aw = 0,
    as = 0,
    ass = 0;
  for (let i = 0; i < m; i++) {
    const wi = w[i];
    const d = x[i] - shift;
    aw += wi;
    as += wi * d;
    ass += wi * d * d + s2[i];
    cw[i + 1] = aw;
    cs[i + 1] = as;
    css[i + 1] = ass;
  }
  return { mode, x, w, s2, shift, cw, cs, css, n: aw, nonFinite: meta.nonFinite, min: meta.min, max: meta.max };
}

/** Number of points. */
export function size(ps: PointSet): number {
  return ps.x.length;
}

/** Index of the first point with `x ≥ t`: a value equal to a threshold goes to the upper code (docs/definitions.md, Vocabulary). */
export function lowerBound(ps: PointSet, t: number): number {
  return firstAtLeast(ps.x, t);
}

/** Index of the first element of the sorted `x` that is `≥ t` (x.length when none); within [lo, hi) when given. */
export function firstAtLeast(x: Float64Array, t: number, lo = 0, hi = x.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element of the sorted `x` that is `> t` (the number of elements `≤ t`); within [lo, hi) when given. */
export function firstAbove(x: Float64Array, t: number, lo = 0, hi = x.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * `lowerBound` searched outward from a nearby answer `p` (galloping): the first index i with
 * `x[i] ≥ t` in O(log |i − p|) steps, for thresholds that moved little (Lloyd's late iterations,
 * perturbed ADC references), which also keeps the reads near each other in memory.
 */
export function lowerBoundNear(x: Float64Array, p: number, t: number): number {
  const m = x.length;
  let lo: number, hi: number;
  if (p < m && x[p] < t) {
    let step = 1;
    lo = p + 1;
    hi = p + 1;
    while (hi < m && x[hi] < t) {
      lo = hi + 1;
      hi += step;
      step *= 2;
    }
    if (hi > m) hi = m;
  } else {
    let step = 1;
    hi = p;
    lo = p - 1;
    while (lo >= 0 && x[lo] >= t) {
      hi = lo;
      lo -= step;
      step *= 2;
    }
    lo = lo + 1 > 0 ? lo + 1 : 0;
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Weight of points [a, b). */
export function cellWeight(ps: PointSet, a: number, b: number): number {
  return ps.cw[b] - ps.cw[a];
}

/** Weighted mean of points [a, b); NaN for an empty cell. */
export function cellMean(ps: PointSet, a: number, b: number): number {
  const w = ps.cw[b] - ps.cw[a];
  if (!(w > 0)) return NaN;
  return ps.shift + (ps.cs[b] - ps.cs[a]) / w;
}

/** Σ w·(x − mean)² + s2 over points [a, b): the cost of the cell at its best level. */
export function cellCost(ps: PointSet, a: number, b: number): number {
  const w = ps.cw[b] - ps.cw[a];
  if (!(w > 0)) return 0;
  const s = ps.cs[b] - ps.cs[a];
  const c = ps.css[b] - ps.css[a] - (s * s) / w;
  // Rounding can leave a tiny negative residue for a cell of one value.
  return c > 0 ? c : 0;
}

/** Σ w·(x − level)² + s2 over points [a, b): the cost of the cell at a given level. */
export function cellCostAt(ps: PointSet, a: number, b: number, level: number): number {
  return cellCostOf(ps.cw, ps.cs, ps.css, ps.shift, a, b, level);
}

/** `cellCostAt` from the prefix arrays themselves (for loops that hold them). */
export function cellCostOf(
  cw: Float64Array,
  cs: Float64Array,
  css: Float64Array,
  shift: number,
  a: number,
  b: number,
  level: number,
): number {
  const w = cw[b] - cw[a];
  if (!(w > 0)) return 0;
  const c = level - shift;
  const v = css[b] - css[a] - 2 * c * (cs[b] - cs[a]) + c * c * w;
  return v > 0 ? v : 0;
}

/** Weighted mean and population variance of the whole set. */
export function moments(ps: PointSet): { mean: number; variance: number } {
  const m = ps.x.length;
  if (!(ps.n > 0)) return { mean: NaN, variance: NaN };
  const s = ps.cs[m] / ps.n;
  const v = ps.css[m] / ps.n - s * s;
  return { mean: ps.shift + s, variance: v > 0 ? v : 0 };
}

/** Σ x² over all samples (for SQNR), computed from the shifted sums. */
export function sumOfSquares(ps: PointSet): number {
  const m = ps.x.length;
  const sh = ps.shift;
  return ps.css[m] + 2 * sh * ps.cs[m] + sh * sh * ps.cw[m];
}

/** Finite minimum, maximum and count of non-finite values of a numeric array. */
export function scanRange(values: NumericArray): { min: number; max: number; finite: number; nonFinite: number } {
  let min = Infinity,
    max = -Infinity,
    nonFinite = 0;
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    // v - v is NaN exactly for NaN and ±Inf: one comparison filters both.
    if (v - v !== 0) {
      nonFinite++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max, finite: n - nonFinite, nonFinite };
}

/**
 * Exact point set: every distinct finite value with its count. Sorting a typed
 * copy keeps this O(n log n) with the engine's native numeric sort.
 */
export function buildExactPointSet(values: NumericArray): PointSet {
  const n = values.length;
  const sorted = values instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
  let f = 0,
    nonFinite = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v - v !== 0) nonFinite++;
    else sorted[f++] = v;
  }
  const finite = sorted.subarray(0, f);
  finite.sort();
  let m = 0;
  for (let i = 0; i < f; i++) if (i === 0 || finite[i] !== finite[i - 1]) m++;
  const x = new Float64Array(m);
  const w = new Float64Array(m);
  let j = -1;
  for (let i = 0; i < f; i++) {
    const v = finite[i];
    // -0 and +0 compare equal, so they share one point (stored as the first seen, then normalised).
    if (i === 0 || v !== finite[i - 1]) {
      j++;
      x[j] = v === 0 ? 0 : v;
    }
    w[j]++;
  }
  return pointSetFromArrays('exact', x, w, new Float64Array(m), {
    nonFinite,
    min: f > 0 ? x[0] : NaN,
    max: f > 0 ? x[m - 1] : NaN,
  });
}

/**
 * Accumulates samples into a fine histogram over a fixed range [min, max].
 *
 * Each bin keeps its count, the sum and the sum of squares of `x − leftEdge`
 * (deviations from the edge, not raw values, so a narrow bin far from zero keeps
 * its variance), and its own min and max. A bin whose samples are all one value
 * becomes an exact point, and the samples exactly at `min` and `max` (the ReLU
 * zero, the clamp value) are kept as exact spike points outside the bins.
 *
 * Chunks may arrive in any order and from several builders: `merge` adds
 * builders over the same range and bin count.
 */
export class BinnedAccumulator {
  readonly min: number;
  readonly max: number;
  readonly bins: number;
  readonly count: Float64Array;
  readonly sum: Float64Array;
  readonly sumSq: Float64Array;
  readonly binMin: Float64Array;
  readonly binMax: Float64Array;
  atMin = 0;
  atMax = 0;
  nonFinite = 0;
  /** Finite samples outside [min, max] are clamped into the end bins and counted here. */
  outOfRange = 0;
  private readonly scale: number;
  private readonly width: number;

  constructor(range: { min: number; max: number }, bins: number = DEFAULT_BINS) {
    if (!(Number.isInteger(bins) && bins >= 1)) throw new RangeError(`bins must be a positive integer, got ${bins}`);
    this.min = range.min;
    this.max = range.max;
    this.bins = bins;
    this.count = new Float64Array(bins);
    this.sum = new Float64Array(bins);
    this.sumSq = new Float64Array(bins);
    this.binMin = new Float64Array(bins).fill(Infinity);
    this.binMax = new Float64Array(bins).fill(-Infinity);
    const span = range.max - range.min;
    this.width = span > 0 ? span / bins : 0;
    this.scale = span > 0 ? bins / span : 0;
  }

  /** Left edge of bin `i`. */
  edge(i: number): number {
    return this.min + i * this.width;
  }

  /** Adds one chunk of samples; non-finite ones are only counted. */
  add(values: NumericArray): void {
    const { min, max, scale, width, bins, count, sum, sumSq, binMin, binMax } = this;
    const last = bins - 1;
    const n = values.length;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v - v !== 0) {
        this.nonFinite++;
        continue;
      }
      if (v <= min) {
        if (v === min) this.atMin++;
        else {
          this.outOfRange++;
          this.addToBin(0, v);
        }
        continue;
      }
      if (v >= max) {
        if (v === max) this.atMax++;
        else {
          this.outOfRange++;
          this.addToBin(last, v);
        }
        continue;
      }
      let b = ((v - min) * scale) | 0;
      if (b > last) b = last;
      const d = v - (min + b * width);
      count[b]++;
      sum[b] += d;
      sumSq[b] += d * d;
      if (v < binMin[b]) binMin[b] = v;
      if (v > binMax[b]) binMax[b] = v;
    }
  }

  private addToBin(b: number, v: number): void {
    const d = v - this.edge(b);
    this.count[b]++;
    this.sum[b] += d;
    this.sumSq[b] += d * d;
    if (v < this.binMin[b]) this.binMin[b] = v;
    if (v > this.binMax[b]) this.binMax[b] = v;
  }

  /** Adds another accumulator over the same range and bins (chunks from workers or files). */
  merge(other: BinnedAccumulator): void {
    if (other.min !== this.min || other.max !== this.max || other.bins !== this.bins) {
      throw new RangeError('cannot merge binned accumulators over different ranges or bin counts');
    }
    for (let b = 0; b < this.bins; b++) {
      this.count[b] += other.count[b];
      this.sum[b] += other.sum[b];
      this.sumSq[b] += other.sumSq[b];
      if (other.binMin[b] < this.binMin[b]) this.binMin[b] = other.binMin[b];
      if (other.binMax[b] > this.binMax[b]) this.binMax[b] = other.binMax[b];
    }
    this.atMin += other.atMin;
    this.atMax += other.atMax;
    this.nonFinite += other.nonFinite;
    this.outOfRange += other.outOfRange;
  }

  /** The binned point set: the min spike, one point per non-empty bin, the max spike. */
  finish(): PointSet {
    const { bins, count, sum, sumSq, binMin, binMax } = this;
    let m = (this.atMin > 0 ? 1 : 0) + (this.atMax > 0 && this.max !== this.min ? 1 : 0);
    for (let b = 0; b < bins; b++) if (count[b] > 0) m++;
    const x = new Float64Array(m);
    const w = new Float64Array(m);
    const s2 = new Float64Array(m);
    let j = 0;
    let seenMin = Infinity,
      seenMax = -Infinity;
    // A constant tensor has min === max: every sample is counted in atMin.
    const atMin = this.atMin + (this.max === this.min ? this.atMax : 0);
    if (atMin > 0) {
      x[j] = this.min;
      w[j] = atMin;
      j++;
      seenMin = this.min;
      seenMax = this.min;
    }
    for (let b = 0; b < bins; b++) {
      const c = count[b];
      if (c === 0) continue;
      if (binMin[b] === binMax[b]) {
        // Every sample of the bin is one value: keep it exact.
        x[j] = binMin[b];
        s2[j] = 0;
      } else {
        const mean = sum[b] / c;
        const v = sumSq[b] - sum[b] * mean;
        let xm = this.edge(b) + mean;
        // Keep the point inside its bin's observed extent so that points stay sorted.
        if (xm < binMin[b]) xm = binMin[b];
        if (xm > binMax[b]) xm = binMax[b];
        x[j] = xm;
        s2[j] = v > 0 ? v : 0;
      }
      w[j] = c;
      if (binMin[b] < seenMin) seenMin = binMin[b];
      if (binMax[b] > seenMax) seenMax = binMax[b];
      j++;
    }
    if (this.atMax > 0 && this.max !== this.min) {
      x[j] = this.max;
      w[j] = this.atMax;
      j++;
      if (this.max > seenMax) seenMax = this.max;
      if (this.max < seenMin) seenMin = this.max;
    }
    return pointSetFromArrays('binned', x, w, s2, {
      nonFinite: this.nonFinite,
      min: m > 0 ? seenMin : NaN,
      max: m > 0 ? seenMax : NaN,
    });
  }
}

/**
 * Samples per call of the passes of `buildBinnedPointSet`. Why blocks: over a whole 16 M-sample array
 * each pass is one call with one long loop, and Chromium's V8 sometimes ran the third such load in
 * code several times slower. Short calls are
 * optimised the ordinary way and stay so. Same order of additions, so the same sums.
 */
const BUILD_BLOCK = 1 << 20;

/** `values[a, b)` as the same kind of array (a view for typed arrays). */
function block(values: NumericArray, a: number, b: number): NumericArray {
  return ArrayBuffer.isView(values) ? values.subarray(a, b) : values.slice(a, b);
}

/** Binned point set of an in-memory array (two passes: range, then bins). */
export function buildBinnedPointSet(values: NumericArray, bins: number = DEFAULT_BINS): PointSet {
  const n = values.length;
  let min = Infinity,
    max = -Infinity,
    finite = 0,
    nonFinite = 0;
  for (let a = 0; a < n; a += BUILD_BLOCK) {
    const r = scanRange(block(values, a, Math.min(n, a + BUILD_BLOCK)));
    if (r.min < min) min = r.min;
    if (r.max > max) max = r.max;
    finite += r.finite;
    nonFinite += r.nonFinite;
  }
  if (finite === 0) return emptyPointSet('binned', nonFinite);
  const acc = new BinnedAccumulator({ min, max }, bins);
  for (let a = 0; a < n; a += BUILD_BLOCK) acc.add(block(values, a, Math.min(n, a + BUILD_BLOCK)));
  return acc.finish();
}

export interface BuildOptions {
  /** Force a mode; by default exact up to `exactLimit` samples, binned beyond. */
  mode?: PointSetMode | 'auto';
  exactLimit?: number;
  bins?: number;
}

/** The point set the product uses for an array of samples (docs/definitions.md, Point sets). */
export function buildPointSet(values: NumericArray, options: BuildOptions = {}): PointSet {
  const mode = options.mode ?? 'auto';
  const exact = mode === 'exact' || (mode === 'auto' && values.length <= (options.exactLimit ?? EXACT_LIMIT));
  return exact ? buildExactPointSet(values) : buildBinnedPointSet(values, options.bins ?? DEFAULT_BINS);
}

/** A point set with no finite samples (min and max are NaN). */
export function emptyPointSet(mode: PointSetMode, nonFinite: number): PointSet {
  const z = new Float64Array(0);
  return pointSetFromArrays(mode, z, z, z, { nonFinite, min: NaN, max: NaN });
}

/**
 * The same points with new weights: point i keeps `factor[i]` of its weight
 * (and of its within-point deviation, which scales with the samples kept).
 * Used for BS-KMQ's suppressed set; x, min and max are unchanged.
 */
export function reweightPointSet(ps: PointSet, factor: Float64Array): PointSet {
  const m = ps.x.length;
  const w = new Float64Array(m);
  const s2 = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    w[i] = ps.w[i] * factor[i];
    s2[i] = ps.s2[i] * factor[i];
  }
  return pointSetFromArrays(ps.mode, ps.x, w, s2, { nonFinite: ps.nonFinite, min: ps.min, max: ps.max });
}
