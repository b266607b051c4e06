/**
 * The ADC side of a designed quantizer: the reference table, the
 * ramp staircase that realizes the references, reference-grid snapping, reference
 * variation by Monte Carlo, and a minimum-spacing check.
 *
 * An ADC's references are the quantizer's thresholds; its digital levels are what
 * each code stands for downstream. Snapping and variation move the references
 * only: the levels stay exactly as designed, so after either one the thresholds
 * are no longer the midpoints of the levels, and the MSE is that of the moved
 * references with the designed levels, always on the original point set
 * (`mseOf` of metrics.ts, which takes any sorted thresholds: code(x) = number of
 * thresholds ≤ x, docs/definitions.md, Vocabulary).
 */
import { cellBounds, cellBoundsNear, mseOf, squaredErrorOfCells } from './metrics';
import { METHODS, type Method } from './params';
import type { PointSet } from './pointset';
import type { Quantizer } from './quantizer';
import { createNormal, createRng, deriveSeed } from './rng';

/** The value range of the ADC's input, `R = U − L` (docs/definitions.md). */
export interface AdcBounds {
  L: number;
  U: number;
}

// ---------------------------------------------------------------------------
// (a) Reference table
// ---------------------------------------------------------------------------

/** One row of the reference table: code j, its lower reference t_j, its level c_j. */
export interface ReferenceRow {
  code: number;
  /** The reference t_j at which code j starts (= threshold); `null` for code 0, which has none. */
  threshold: number | null;
  /** The level c_j that code j stands for. */
  level: number;
  /**
   * t_j − t_{j−1}, the step from the previous reference. Code 1 steps from `origin`
   * (the ramp's start L) when one is given, else `null`; code 0 has no step.
   */
  step: number | null;
}

/** The quantizer as a table of codes, references, levels and reference steps. */
export function referenceTable(q: Quantizer, origin?: number): ReferenceRow[] {
  const k = q.levels.length;
  const rows: ReferenceRow[] = [];
  for (let j = 0; j < k; j++) {
    const threshold = j === 0 ? null : q.thresholds[j - 1];
    let step: number | null = null;
    if (j >= 2) step = q.thresholds[j - 1] - q.thresholds[j - 2];
    else if (j === 1 && origin !== undefined) step = q.thresholds[0] - origin;
    rows.push({ code: j, threshold, level: q.levels[j], step });
  }
  return rows;
}

// ---------------------------------------------------------------------------
// (b) Ramp realization and (c) grid snapping
// ---------------------------------------------------------------------------

/** Smallest and largest accepted grid resolution R (2^R unit steps over [L, U]). */
export const MIN_GRID_BITS = 1;
export const MAX_GRID_BITS = 24;

/**
 * The ramp's unit step: either a resolution R (2^R unit steps span [L, U] exactly),
 * or an absolute step size (the grid then runs from L in whole steps until it
 * reaches U, so its top may lie just above U).
 */
export type RampGrid = { resolution: number } | { unitStep: number };

/** One code of the ramp staircase: the unit steps the ramp spends at that output code. */
export interface RampCode {
  code: number;
  /** Cumulative unit steps from L at which the ramp enters this code (0 for code 0). */
  startStep: number;
  /** Cumulative unit steps at which the ramp leaves it (the top of the grid for the last code). */
  endStep: number;
  /** endStep − startStep: 0 for a code whose two references fall on one grid value (a merged code). */
  unitSteps: number;
  /** Ramp values at startStep and endStep: L + step · unitStep. */
  startValue: number;
  endValue: number;
}

/**
 * How a ramp ADC built from equal unit steps realizes the references: the ramp
 * starts at L and climbs one unit step per clock; reference t_j is the step count
 * `n_j = round((t_j − L) / unitStep)` (clamped to the grid), so the output code is
 * the number of references the ramp has passed. Data for drawing the staircase.
 */
export interface RampStaircase {
  L: number;
  U: number;
  unitStep: number;
  /** Unit steps of the whole grid (2^R for a resolution). */
  totalSteps: number;
  /** n_j for each reference t_1 … t_{k−1} (index j − 1), non-decreasing. */
  referenceSteps: Float64Array;
  /** The realized references L + n_j · unitStep. */
  realized: Float64Array;
  /** realized − designed reference, per reference. */
  error: Float64Array;
  /** The staircase, one entry per code 0 … k−1. */
  codes: RampCode[];
}

function resolveGrid(bounds: AdcBounds, grid: RampGrid): { unitStep: number; totalSteps: number } {
  const range = bounds.U - bounds.L;
  if (!(Number.isFinite(bounds.L) && Number.isFinite(bounds.U) && range >= 0)) {
    throw new RangeError(`ADC bounds must be finite with L ≤ U, got L = ${bounds.L}, U = ${bounds.U}`);
  }
  if ('resolution' in grid) {
    const r = grid.resolution;
    if (!(Number.isInteger(r) && r >= MIN_GRID_BITS && r <= MAX_GRID_BITS)) {
      throw new RangeError(`grid resolution must be an integer in ${MIN_GRID_BITS}–${MAX_GRID_BITS}, got ${r}`);
    }
    const totalSteps = 2 ** r;
    return { unitStep: range / totalSteps, totalSteps };
  }
  const s = grid.unitStep;
  if (!(Number.isFinite(s) && s > 0)) throw new RangeError(`unit step must be a positive number, got ${s}`);
  const steps = Math.ceil(range / s);
  if (steps > 2 ** 30) throw new RangeError(`unit step ${s} gives more than 2^30 steps over the range ${range}`);
  return { unitStep: s, totalSteps: Math.max(1, steps) };
}

/** The ramp staircase that realizes the quantizer's references on a grid of unit steps. */
export function rampStaircase(q: Quantizer, bounds: AdcBounds, grid: RampGrid): RampStaircase {
  const { L, U } = bounds;
  const { unitStep, totalSteps } = resolveGrid(bounds, grid);
  const t = q.thresholds;
  const refs = t.length;
  const referenceSteps = new Float64Array(refs);
  const realized = new Float64Array(refs);
  const error = new Float64Array(refs);
  for (let j = 0; j < refs; j++) {
    // A zero range (constant data) puts every reference at L.
    let n = unitStep > 0 ? Math.round((t[j] - L) / unitStep) : 0;
    if (n < 0) n = 0;
    if (n > totalSteps) n = totalSteps;
    referenceSteps[j] = n;
    realized[j] = L + n * unitStep;
    error[j] = realized[j] - t[j];
  }
  const codes: RampCode[] = [];
  for (let j = 0; j <= refs; j++) {
    const startStep = j === 0 ? 0 : referenceSteps[j - 1];
    const endStep = j === refs ? totalSteps : referenceSteps[j];
    codes.push({
      code: j,
      startStep,
      endStep,
      unitSteps: endStep - startStep,
      startValue: L + startStep * unitStep,
      endValue: L + endStep * unitStep,
    });
  }
  return { L, U, unitStep, totalSteps, referenceSteps, realized, error, codes };
}

/** References that snapping put on one grid value: the codes between them vanish. */
export interface ReferenceMerge {
  /** The shared grid value and its step count from L. */
  value: number;
  step: number;
  /** Indices j of the references t_j (1-based, as codes) that share it. */
  references: number[];
  /** Codes left with zero width: every code between the first and last of these references. */
  codes: number[];
}

export interface SnapResult {
  /** The designed quantizer with its references on the grid; levels, method, bits unchanged. */
  quantizer: Quantizer;
  staircase: RampStaircase;
  /** MSE of the designed quantizer and of the snapped one, both on the original point set. */
  mseBefore: number;
  mseAfter: number;
  /** Groups of references that snapping made coincide (groups that already coincided are not listed). */
  merges: ReferenceMerge[];
  /** Codes whose width snapping made zero (they had a positive width before), sorted. */
  mergedCodes: number[];
}

/**
 * Rounds each reference to the nearest of 2^R unit steps over [L, U] (clamped to
 * [L, U]) and reports what it costs: MSE before and after with the designed levels,
 * and the codes that merge because two references landed on one grid value.
 *
 * As R grows the MSE converges to the designed one, except where a reference sits
 * exactly on a data value (cdf's quantile thresholds, spikes): the samples there
 * change code when the reference rounds to just above them, however fine the grid.
 */
export function snapReferences(ps: PointSet, q: Quantizer, bounds: AdcBounds, resolution: number): SnapResult {
  const staircase = rampStaircase(q, bounds, { resolution });
  const snapped: Quantizer = {
    method: q.method,
    bits: q.bits,
    thresholds: staircase.realized,
    levels: q.levels,
    iterations: q.iterations,
  };
  const t = q.thresholds;
  const steps = staircase.referenceSteps;
  const merges: ReferenceMerge[] = [];
  const mergedCodes: number[] = [];
  for (let a = 0; a < steps.length;) {
    let b = a + 1;
    while (b < steps.length && steps[b] === steps[a]) b++;
    if (b - a > 1 && t[b - 1] !== t[a]) {
      const references: number[] = [];
      const codes: number[] = [];
      for (let j = a; j < b; j++) references.push(j + 1);
      for (let c = a + 1; c < b; c++) {
        codes.push(c);
        if (t[c] !== t[c - 1]) mergedCodes.push(c);
      }
      merges.push({ value: staircase.realized[a], step: steps[a], references, codes });
    }
    a = b;
  }
  return {
    quantizer: snapped,
    staircase,
    mseBefore: mseOf(ps, q),
    mseAfter: mseOf(ps, snapped),
    merges,
    mergedCodes,
  };
}

// ---------------------------------------------------------------------------
// (d) Reference variation Monte Carlo
// ---------------------------------------------------------------------------

/** What σ is a fraction of: the range R = U − L, or the smallest reference step. */
export const SIGMA_UNITS = ['range', 'step'] as const;
/** Most Monte Carlo trials of one variation run. */
export const MAX_TRIALS = 100_000;
export type SigmaUnit = (typeof SIGMA_UNITS)[number];

export interface VariationOptions {
  /** Standard deviation of each reference's Gaussian offset, as a fraction of `sigmaOf`; ≥ 0. */
  sigma: number;
  /** `range`: σ·R. `step`: σ times the smallest positive step of the reference table (see `smallestStep`). */
  sigmaOf: SigmaUnit;
  /** Number of trials N, 1–MAX_TRIALS. */
  trials: number;
  /** Seed; trial i draws from `createRng(deriveSeed(seed, i))`. */
  seed: number;
}

export interface VariationResult {
  /** σ in the data's units. */
  sigmaAbs: number;
  trials: number;
  seed: number;
  /** MSE of the unperturbed references: `mseOf(ps, q)`, which equals `evaluate(…).mse`. */
  nominalMse: number;
  /** Mean of the trials' MSE. */
  meanMse: number;
  /** 5 % and 95 % quantiles of the trials' MSE (`quantileSorted`, R-7). */
  q05Mse: number;
  q95Mse: number;
  /** Each trial's MSE in trial order. */
  mses: Float64Array;
}

/**
 * The smallest positive step t_j − t_{j−1} of the reference table, with t_0 = L (the
 * ramp's start). Falls back to the range R when no step is positive (all references
 * coincide with L), and NaN never arises for finite input.
 */
export function smallestStep(thresholds: Float64Array, L: number, U: number): number {
  let best = Infinity;
  let prev = L;
  for (let j = 0; j < thresholds.length; j++) {
    const d = thresholds[j] - prev;
    if (d > 0 && d < best) best = d;
    prev = thresholds[j];
  }
  return Number.isFinite(best) ? best : U - L;
}

/** σ in data units for a quantizer and the ADC bounds. */
export function absoluteSigma(q: Quantizer, bounds: AdcBounds, sigma: number, sigmaOf: SigmaUnit): number {
  const unit = sigmaOf === 'range' ? bounds.U - bounds.L : smallestStep(q.thresholds, bounds.L, bounds.U);
  return sigma * unit;
}

function checkVariationOptions(o: VariationOptions): void {
  if (!(Number.isFinite(o.sigma) && o.sigma >= 0)) throw new RangeError(`sigma must be a number ≥ 0, got ${o.sigma}`);
  if (!SIGMA_UNITS.includes(o.sigmaOf)) {
    throw new RangeError(`sigmaOf must be one of ${SIGMA_UNITS.join(', ')}, got ${o.sigmaOf}`);
  }
  if (!(Number.isInteger(o.trials) && o.trials >= 1 && o.trials <= MAX_TRIALS)) {
    throw new RangeError(`trials must be an integer in 1–${MAX_TRIALS}, got ${o.trials}`);
  }
  if (!(Number.isInteger(o.seed) && o.seed >= 0 && o.seed <= 2 ** 32 - 1)) {
    throw new RangeError(`seed must be an integer in 0–${2 ** 32 - 1}, got ${o.seed}`);
  }
}

/**
 * The standard normal draws of Monte Carlo trials, made once and shared (common random numbers):
 * trial i draws `createNormal(createRng(deriveSeed(seed, i)))` in order, so the offsets of a design
 * with fewer references are a prefix of those of one with more. A variation curve reuses one
 * trial's row for every method and width, and a compute worker keeps one across calls, so a band
 * change redraws the Monte Carlo without drawing its random numbers again. Rows are kept up to
 * `maxKept` draws in all (a few MiB); beyond that they are drawn for each use, as before.
 */
export class TrialNormals {
  private readonly rows: Float64Array[] = [];
  private kept = 0;

  constructor(
    readonly seed: number,
    private readonly maxKept = 1 << 20,
  ) {}

  /** At least the first `count` draws of trial `trial` (read-only; only the first `count` are meant). */
  row(trial: number, count: number): Float64Array {
    const have = this.rows[trial];
    if (have !== undefined && have.length >= count) return have;
    const normal = createNormal(createRng(deriveSeed(this.seed, trial)));
    const row = new Float64Array(count);
    for (let j = 0; j < count; j++) row[j] = normal();
    const added = count - (have?.length ?? 0);
    if (this.kept + added <= this.maxKept) {
      this.rows[trial] = row;
      this.kept += added;
    }
    return row;
  }
}

/**
 * Monte Carlo of reference variation: in each trial every reference gets an
 * independent N(0, σ²) offset, the levels stay as designed, and the MSE is taken
 * on the original point set. The perturbed references are re-sorted: a bank of
 * comparators whose references crossed still outputs the number of references
 * below the input (a thermometer count), which is exactly the code of the sorted
 * references. Perturbed references are not clamped to [L, U].
 *
 * σ = 0 gives exactly the nominal MSE in every trial, in the mean and in the
 * quantiles. The same seed repeats exactly; trial i uses `createRng(deriveSeed(seed, i))`.
 */
export function referenceVariation(
  ps: PointSet,
  q: Quantizer,
  bounds: AdcBounds,
  options: VariationOptions,
  normals: TrialNormals = new TrialNormals(options.seed),
): VariationResult {
  checkVariationOptions(options);
  if (normals.seed !== options.seed)
    throw new RangeError(`normals drawn for seed ${normals.seed}, not ${options.seed}`);
  const sigmaAbs = absoluteSigma(q, bounds, options.sigma, options.sigmaOf);
  const nominalMse = mseOf(ps, q);
  const refs = q.thresholds.length;
  const mses = new Float64Array(options.trials);
  const t = new Float64Array(refs);
  // The perturbed references lie near the nominal ones: their cells are searched from the nominal cells.
  const nominalBounds = cellBounds(ps, q.thresholds);
  const cells = new Int32Array(refs + 2);
  for (let trial = 0; trial < options.trials; trial++) {
    const z = normals.row(trial, refs);
    for (let j = 0; j < refs; j++) t[j] = q.thresholds[j] + sigmaAbs * z[j];
    t.sort();
    cellBoundsNear(ps, t, nominalBounds, cells);
    mses[trial] = ps.n > 0 ? squaredErrorOfCells(ps, q.levels, cells) / ps.n : NaN;
  }
  const sorted = Float64Array.from(mses).sort();
  return {
    sigmaAbs,
    trials: options.trials,
    seed: options.seed,
    nominalMse,
    meanMse: shiftedMean(mses),
    q05Mse: quantileSorted(sorted, 0.05),
    q95Mse: quantileSorted(sorted, 0.95),
    mses,
  };
}

/**
 * The p-quantile of ascending values, R-7 (the default of R, NumPy and d3):
 * h = (N − 1)·p, linear interpolation between the order statistics ⌊h⌋ and ⌈h⌉.
 * NaN for an empty array.
 */
export function quantileSorted(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  if (n === 0 || !(p >= 0 && p <= 1)) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo];
  return a + (sorted[hi] - a) * (h - lo);
}

// Deviations from the first value: equal values give that value exactly, where Σv/N may not.
function shiftedMean(v: Float64Array): number {
  const n = v.length;
  if (n === 0) return NaN;
  const v0 = v[0];
  let s = 0;
  for (let i = 1; i < n; i++) s += v[i] - v0;
  return v0 + s / n;
}

/** Reference variation of one method at every designed bit-width, for the chart against bits. */
export interface VariationCurve {
  method: Method;
  /** Bit-widths present, ascending; the arrays below are aligned with it. */
  bits: number[];
  nominalMse: number[];
  meanMse: number[];
  q05Mse: number[];
  q95Mse: number[];
  sigmaAbs: number[];
}

/**
 * `referenceVariation` for every given quantizer (e.g. every method × bits 1–8),
 * grouped by method in METHODS order with bits ascending. Every quantizer uses the
 * same seed, so the trials share their random draws across methods and bits
 * (common random numbers): differences between curves are not differences of luck.
 */
export function referenceVariationCurves(
  ps: PointSet,
  quantizers: readonly Quantizer[],
  bounds: AdcBounds,
  options: VariationOptions,
  normals: TrialNormals = new TrialNormals(options.seed),
): VariationCurve[] {
  const curves: VariationCurve[] = [];
  for (const method of METHODS) {
    const list = quantizers.filter((q) => q.method === method).sort((a, b) => a.bits - b.bits);
    if (list.length === 0) continue;
    const curve: VariationCurve = {
      method,
      bits: [],
      nominalMse: [],
      meanMse: [],
      q05Mse: [],
      q95Mse: [],
      sigmaAbs: [],
    };
    for (const q of list) {
      const r = referenceVariation(ps, q, bounds, options, normals);
      curve.bits.push(q.bits);
      curve.nominalMse.push(r.nominalMse);
      curve.meanMse.push(r.meanMse);
      curve.q05Mse.push(r.q05Mse);
      curve.q95Mse.push(r.q95Mse);
      curve.sigmaAbs.push(r.sigmaAbs);
    }
    curves.push(curve);
  }
  return curves;
}

// ---------------------------------------------------------------------------
// (e) Minimum spacing
// ---------------------------------------------------------------------------

/** A minimum spacing between adjacent references: absolute, or as a fraction of R = U − L. */
export type MinSpacing = { absolute: number } | { fractionOfRange: number };

/** Two adjacent references closer than the minimum spacing: code `code` between them is that narrow. */
export interface SpacingWarning {
  /** Indices j and j + 1 of the references t_j, t_{j+1} (1-based, as in the reference table). */
  lower: number;
  upper: number;
  /** The code between them (= lower), whose width is `gap`. */
  code: number;
  gap: number;
  minSpacing: number;
  message: string;
}

/**
 * Adjacent references closer than the minimum spacing (references are sorted, so
 * any closer pair implies a closer adjacent pair). A gap equal to the minimum passes.
 */
export function spacingWarnings(thresholds: Float64Array, bounds: AdcBounds, min: MinSpacing): SpacingWarning[] {
  const minSpacing = 'absolute' in min ? min.absolute : min.fractionOfRange * (bounds.U - bounds.L);
  if (!(Number.isFinite(minSpacing) && minSpacing >= 0)) {
    throw new RangeError(`minimum spacing must be a number ≥ 0, got ${minSpacing}`);
  }
  const warnings: SpacingWarning[] = [];
  for (let j = 1; j < thresholds.length; j++) {
    const gap = thresholds[j] - thresholds[j - 1];
    if (gap < minSpacing) {
      warnings.push({
        lower: j,
        upper: j + 1,
        code: j,
        gap,
        minSpacing,
        message: `references t${j} and t${j + 1} are ${gap} apart, below the minimum spacing ${minSpacing} (code ${j})`,
      });
    }
  }
  return warnings;
}

// ---------------------------------------------------------------------------
// One JSON-ready summary for the command line and the app's export
// ---------------------------------------------------------------------------

export interface AdcOptions {
  /** Grid resolution R for snapping; omitted = no snapping. */
  grid?: number;
  /** Reference variation; omitted (or sigma omitted) = no Monte Carlo. */
  variation?: VariationOptions;
  /** Minimum spacing check; omitted = no check. */
  minSpacing?: MinSpacing;
}

/** Plain numbers and arrays (JSON-ready) describing a quantizer's ADC realization. */
export interface AdcSummary {
  grid?: {
    resolution: number;
    unitStep: number;
    thresholds: number[];
    referenceSteps: number[];
    mseBefore: number;
    mseAfter: number;
    mergedCodes: number[];
  };
  variation?: {
    sigma: number;
    sigmaOf: SigmaUnit;
    sigmaAbs: number;
    trials: number;
    seed: number;
    nominalMse: number;
    meanMse: number;
    q05Mse: number;
    q95Mse: number;
  };
  spacing?: {
    minSpacing: number;
    warnings: { lower: number; upper: number; code: number; gap: number }[];
  };
}

/** A quantizer rebuilt from a report result's plain lists (`MethodResult` of report.ts), for `adcSummary`. */
export function quantizerFromLists(r: {
  method: Method;
  bits: number;
  levels: readonly number[];
  thresholds: readonly number[];
}): Quantizer {
  return {
    method: r.method,
    bits: r.bits,
    levels: Float64Array.from(r.levels),
    thresholds: Float64Array.from(r.thresholds),
    iterations: 0,
  };
}

/** Snapping, variation and spacing of one quantizer as a plain object (the report's `adc` key). */
export function adcSummary(ps: PointSet, q: Quantizer, bounds: AdcBounds, options: AdcOptions): AdcSummary {
  const out: AdcSummary = {};
  if (options.grid !== undefined) {
    const s = snapReferences(ps, q, bounds, options.grid);
    out.grid = {
      resolution: options.grid,
      unitStep: s.staircase.unitStep,
      thresholds: Array.from(s.quantizer.thresholds),
      referenceSteps: Array.from(s.staircase.referenceSteps),
      mseBefore: s.mseBefore,
      mseAfter: s.mseAfter,
      mergedCodes: s.mergedCodes,
    };
  }
  if (options.variation !== undefined) {
    const v = referenceVariation(ps, q, bounds, options.variation);
    out.variation = {
      sigma: options.variation.sigma,
      sigmaOf: options.variation.sigmaOf,
      sigmaAbs: v.sigmaAbs,
      trials: v.trials,
      seed: v.seed,
      nominalMse: v.nominalMse,
      meanMse: v.meanMse,
      q05Mse: v.q05Mse,
      q95Mse: v.q95Mse,
    };
  }
  if (options.minSpacing !== undefined) {
    const w = spacingWarnings(q.thresholds, bounds, options.minSpacing);
    const minSpacing =
      'absolute' in options.minSpacing
        ? options.minSpacing.absolute
        : options.minSpacing.fractionOfRange * (bounds.U - bounds.L);
    out.spacing = { minSpacing, warnings: w.map(({ lower, upper, code, gap }) => ({ lower, upper, code, gap })) };
  }
  return out;
}
