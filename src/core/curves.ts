/**
 * The two sweeps of SPEC §6: error against bits (1–8) for every method, and
 * BS-KMQ's error against the width of its suppression bands.
 */
import { resolveBoundaries } from './boundaries';
import { designQuantizer } from './design';
import { bitsEquivalent, evaluate, linearMseByBits, mseOf } from './metrics';
import { designOptimal } from './methods/optimal';
import { MAX_BITS, MIN_BITS, type Method, type Params } from './params';
import type { PointSet } from './pointset';
import { sumOfSquares } from './pointset';
import type { Quantizer } from './quantizer';
import { computeBands } from './suppression';

/** A millisecond clock (Date.now, performance.now). */
export type Clock = () => number;

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
 * Every method of `methods` (default `params.methods`) designed and evaluated at
 * bits 1–8 with `params` (its `bits` is ignored). Evaluation is on `ps`.
 */
export function errorCurves(ps: PointSet, params: Params, methods: readonly Method[] = params.methods, now: Clock = Date.now): ErrorCurves {
  const bits: number[] = [];
  for (let b = MIN_BITS; b <= MAX_BITS; b++) bits.push(b);
  const { L, U } = resolveBoundaries(ps, params);
  const linear = linearMseByBits(ps, L, U);
  const energy = sumOfSquares(ps);
  const curves = methods.map((method) => {
    const curve: MethodCurve = { method, mse: [], sqnrDb: [], bitsEquivalent: [], seconds: [] };
    for (const b of bits) {
      const t0 = now();
      const q = designQuantizer(ps, method, b, params);
      const seconds = (now() - t0) / 1000;
      const mse = mseOf(ps, q);
      curve.mse.push(mse);
      curve.sqnrDb.push(mse === 0 ? Infinity : 10 * Math.log10(energy / (mse * ps.n)));
      curve.bitsEquivalent.push(bitsEquivalent(mse, linear));
      curve.seconds.push(seconds);
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
  /**
   * The reference MSEs when the caller already has them (the app's design cache): `kmeans` with
   * params' seed and restarts, and `optimal`, both at `bits`. Default: designed here.
   */
  references?: { kmeansMse: number; optimalMse: number };
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
export function suppressionSweep(ps: PointSet, params: Params, bits: number, options: SweepOptions = {}): SuppressionSweep {
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
    kmeansMse: options.references?.kmeansMse ?? mseOf(ps, designQuantizer(ps, 'kmeans', bits, params)),
    optimalMse: options.references?.optimalMse ?? optimalReference(ps, bits).mse,
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
