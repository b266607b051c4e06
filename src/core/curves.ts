/**
 * The two sweeps of docs/definitions.md, Curves and statistics: error against bits (1–8) for every method, and
 * BS-KMQ's error against the width of its suppression bands.
 */
import { resolveBoundaries } from './boundaries';
import { designQuantizer } from './design';
import { bitsEquivalent, evaluate, linearMseByBits, mseOf, sqnrDbOf } from './metrics';
import { designOptimal, optimalDesigner } from './methods/optimal';
import { MAX_BITS, MIN_BITS, type Method, type Params } from './params';
import type { PointSet } from './pointset';
import { sumOfSquares } from './pointset';
import type { Quantizer } from './quantizer';
import { computeBands } from './suppression';

/** A millisecond clock (Date.now, performance.now). */
export type Clock = () => number;

/** A design and the seconds it took (when it ran; a cached design keeps its first time). */
export interface TimedDesign {
  quantizer: Quantizer;
  seconds: number;
}

/**
 * Where designReport, errorCurves and suppressionSweep take their designs from. `freshDesigns`
 * designs on every call; the app's workers pass their design cache (src/worker/cachedReport.ts),
 * so a slider redesigns only what its parameter changes and every view shares one design.
 * Each design must equal `designQuantizer(ps, method, bits, params)` for the same inputs.
 */
export interface DesignSource {
  /** `method` at `bits` for `params` (the optimum only on an empty point set; see `optimum`). */
  design(method: Method, bits: number, params: Params): TimedDesign;
  /** The minimum-MSE quantizer at `bits` and its MSE (the reference of vsOptimal and of the sweep). */
  optimum(bits: number): TimedDesign & { mse: number };
  /** `linearMseByBits(ps, L, U)`. */
  linearMseByBits(L: number, U: number): Float64Array;
  /** Σx² of the samples (the SQNR's numerator). */
  energy(): number;
}

/** A DesignSource that designs on every call, timed by `now`. */
export function freshDesigns(ps: PointSet, now: Clock = Date.now): DesignSource {
  const timed = <T>(work: () => T): [T, number] => {
    const t0 = now();
    const out = work();
    return [out, (now() - t0) / 1000];
  };
  // One designer for every width: the widths share the positive point set and the solvers' buffers.
  let optimum: ((bits: number) => Quantizer) | null = null;
  return {
    design(method, bits, params) {
      const [quantizer, seconds] = timed(() => designQuantizer(ps, method, bits, params));
      return { quantizer, seconds };
    },
    optimum(bits) {
      const [quantizer, seconds] = timed(() => (optimum ??= optimalDesigner(ps))(bits));
      return { quantizer, mse: mseOf(ps, quantizer), seconds };
    },
    linearMseByBits: (L, U) => linearMseByBits(ps, L, U),
    energy: () => sumOfSquares(ps),
  };
}

/** `source` as a DesignSource: a clock means designs made on the spot, timed by it. */
export function designSourceOf(ps: PointSet, source: Clock | DesignSource): DesignSource {
  return typeof source === 'function' ? freshDesigns(ps, source) : source;
}

const ALL_BITS: readonly number[] = Array.from({ length: MAX_BITS - MIN_BITS + 1 }, (_, i) => MIN_BITS + i);

/** One method's values at bits 1..8: index b − 1. */
export interface MethodCurve {
  method: Method;
  mse: number[];
  /** 10·log10(Σx² / Σ(x − Q(x))²); +Infinity where the error is 0. */
  sqnrDb: number[];
  /** The linear bit-width reaching the same MSE (iso-error bit savings = bitsEquivalent − bits). */
  bitsEquivalent: number[];
  /** Design time in seconds (the evaluation is not included). */
  seconds: number[];
}

export interface ErrorCurves {
  /** The bit widths of every curve: 1..8. */
  bits: number[];
  curves: MethodCurve[];
}

/**
 * Every method of `methods` (default `params.methods`) designed and evaluated at `bitsList`
 * (default bits 1–8) with `params` (its `bits` is ignored). Evaluation is on `ps`; the designs
 * come from `source` (a clock: designed here).
 */
export function errorCurves(
  ps: PointSet,
  params: Params,
  methods: readonly Method[] = params.methods,
  source: Clock | DesignSource = Date.now,
  bitsList: readonly number[] = ALL_BITS,
): ErrorCurves {
  const designs = designSourceOf(ps, source);
  const bits = [...bitsList];
  const { L, U } = resolveBoundaries(ps, params);
  const linear = designs.linearMseByBits(L, U);
  const energy = designs.energy();
  const curves = methods.map((method) => {
    const curve: MethodCurve = { method, mse: [], sqnrDb: [], bitsEquivalent: [], seconds: [] };
    for (const b of bits) {
      const d = method === 'optimal' ? designs.optimum(b) : designs.design(method, b, params);
      const mse = mseOf(ps, d.quantizer);
      curve.mse.push(mse);
      curve.sqnrDb.push(sqnrDbOf(energy, ps.n, mse));
      curve.bitsEquivalent.push(bitsEquivalent(mse, linear));
      curve.seconds.push(d.seconds);
    }
    return curve;
  });
  return { bits, curves };
}

/** One design of the suppression sweep. */
export interface SweepPoint {
  /** Band width as a fraction of the range (band mode) or the percentage per side (percentile mode). */
  x: number;
  mse: number;
  /** MSE outside this point's own bands (NaN when they cover every sample). */
  mseInterior: number;
  entropyBits: number;
}

export interface SuppressionSweep {
  axis: 'band' | 'percentile';
  /** Grid values, ascending, one per point. */
  x: number[];
  mse: number[];
  mseInterior: number[];
  entropyBits: number[];
  /** References at the same bits: `kmeans` (with params' seed and restarts) and `optimal`. */
  kmeansMse: number;
  optimalMse: number;
  /**
   * The current setting. With symmetric bands (bandLow = bandHigh, or pctLow = pctHigh) it is the grid
   * point at that width; otherwise x is the mean of the two widths and the values are those of the
   * actual asymmetric setting, which the symmetric grid does not contain.
   */
  current: SweepPoint;
}

export interface SweepOptions {
  /** Widths to sweep; default 0 … 0.25 in steps of 0.01 (band) or 0 … 10 % in steps of 0.5 (percentile). */
  grid?: readonly number[];
  /** Where the reference designs (`kmeans`, `optimal`) come from; default: designed here. */
  designs?: DesignSource;
}

/** Default band-mode grid: 0 … 0.25 in steps of 0.01. */
export const BAND_GRID: readonly number[] = Array.from({ length: 26 }, (_, i) => i / 100);
/** Default percentile-mode grid: 0 … 10 % in steps of 0.5. */
export const PERCENTILE_GRID: readonly number[] = Array.from({ length: 21 }, (_, i) => i / 2);

/**
 * The widths `suppressionSweep` designs for `params`, ascending: the grid (default `BAND_GRID` or
 * `PERCENTILE_GRID`, as `params.suppressMode` says) plus the current width when the bands are symmetric.
 */
export function sweepWidths(params: Params, grid?: readonly number[]): number[] {
  const [lowKey, highKey] = sweptKeys(params);
  const widths = new Set(grid ?? (params.suppressMode === 'band' ? BAND_GRID : PERCENTILE_GRID));
  if (params[lowKey] === params[highKey]) widths.add(params[lowKey]);
  return [...widths].sort((a, b) => a - b);
}

/** BS-KMQ at `bits` with both bands at `width` (band fraction or percentile), every other setting from `params`. */
export function sweepPoint(ps: PointSet, params: Params, bits: number, width: number): SweepPoint {
  const [lowKey, highKey] = sweptKeys(params);
  return designSweepPoint(ps, { ...params, [lowKey]: width, [highKey]: width }, bits, width);
}

/** The two parameters the suppression sweep varies (both set to the grid width): by `params.suppressMode`. */
export function sweptKeys(params: Params): readonly ['bandLow', 'bandHigh'] | readonly ['pctLow', 'pctHigh'] {
  return params.suppressMode === 'band' ? (['bandLow', 'bandHigh'] as const) : (['pctLow', 'pctHigh'] as const);
}

/**
 * The sweep's parameters: symmetric bands at a grid point (0), so the swept curve does not depend on the
 * current band and dragging the band slider needs no new sweep (the marker comes from the report).
 */
export function sweptParams(params: Params): Params {
  const [lowKey, highKey] = sweptKeys(params);
  return { ...params, [lowKey]: 0, [highKey]: 0 };
}

function designSweepPoint(ps: PointSet, p: Params, bits: number, x: number): SweepPoint {
  const { L, U } = resolveBoundaries(ps, p);
  const q = designQuantizer(ps, 'bskmq', bits, p);
  const bands = computeBands(ps, p, L, U);
  const m = evaluate(ps, q, { bands, optimalMse: NaN, linearMseByBits: new Float64Array(2).fill(NaN) });
  return { x, mse: m.mse, mseInterior: m.mseInterior, entropyBits: m.entropyBits };
}

/**
 * BS-KMQ at `bits` with symmetric bands swept over a grid (`bandLow = bandHigh = g`
 * in band mode, `pctLow = pctHigh = g` in percentile mode, as `params.suppressMode`
 * says); every other setting from `params`. The current symmetric width is always
 * one of the grid points, designed with exactly `params`, so it equals
 * `designQuantizer(ps, 'bskmq', bits, params)`.
 */
/** The sweep's reference lines at `bits`: `kmeans` with params' seed and restarts, and the optimum. */
export function sweepReferences(
  ps: PointSet,
  params: Params,
  bits: number,
  designs: DesignSource,
): { kmeansMse: number; optimalMse: number } {
  return {
    kmeansMse: mseOf(ps, designs.design('kmeans', bits, params).quantizer),
    optimalMse: designs.optimum(bits).mse,
  };
}

export function suppressionSweep(
  ps: PointSet,
  params: Params,
  bits: number,
  options: SweepOptions = {},
): SuppressionSweep {
  const [lowKey, highKey] = sweptKeys(params);
  const symmetric = params[lowKey] === params[highKey];
  const xs = sweepWidths(params, options.grid);
  const points = xs.map((g) => sweepPoint(ps, params, bits, g));
  const current = symmetric
    ? points[xs.indexOf(params[lowKey])]
    : designSweepPoint(ps, params, bits, (params[lowKey] + params[highKey]) / 2);
  return {
    axis: params.suppressMode,
    x: xs,
    mse: points.map((p) => p.mse),
    mseInterior: points.map((p) => p.mseInterior),
    entropyBits: points.map((p) => p.entropyBits),
    ...sweepReferences(ps, params, bits, options.designs ?? freshDesigns(ps)),
    current,
  };
}

/**
 * The optimum at `bits` as the reference of `vsOptimal`: the optimal quantizer
 * and its MSE evaluated by the same code as every other method, so `optimal`'s
 * own vsOptimal is exactly 1.
 */
export function optimalReference(ps: PointSet, bits: number): { quantizer: Quantizer; mse: number } {
  const quantizer = designOptimal(ps, bits);
  return { quantizer, mse: mseOf(ps, quantizer) };
}
