/**
 * The ADC view's computations that need the point set, for the
 * compute engine to run inside a worker: reference-grid snapping of the focused
 * quantizer, and reference-variation Monte Carlo of every method at bits 1–8.
 *
 * Pure module (no Comlink, no DOM) over core's adc.ts. Inputs and outputs are plain,
 * structured-clone friendly data.
 */
import {
  quantizerFromLists,
  referenceVariationCurves,
  snapReferences,
  TrialNormals,
  type SigmaUnit,
  type VariationCurve,
} from '../core/adc';
import { MAX_BITS, MIN_BITS, type Method, type Params } from '../core/params';
import type { PointSet } from '../core/pointset';
import type { Quantizer } from '../core/quantizer';

/** The focused quantizer as the report lists it, and the grid to snap its references to. */
export interface AdcSnapRequest {
  quantizer: { method: Method; bits: number; levels: number[]; thresholds: number[] };
  /** The ramp's [L, U] (the report's boundaries). */
  L: number;
  U: number;
  /** Grid resolution R: 2^R unit steps over [L, U]. */
  gridBits: number;
}

/** What snapping the focused quantizer's references to the grid costs. */
export interface AdcSnapResult {
  method: Method;
  bits: number;
  gridBits: number;
  unitStep: number;
  /** The snapped references, t'_j = L + n_j · unitStep. */
  thresholds: number[];
  /** n_j, the unit-step count of each snapped reference. */
  referenceSteps: number[];
  /** MSE with the designed references and with the snapped ones (levels as designed), on the original data. */
  mseBefore: number;
  mseAfter: number;
  /** Codes left with zero width by snapping, ascending. */
  mergedCodes: number[];
  /** Groups of references that landed on one grid value. */
  merges: { value: number; step: number; references: number[]; codes: number[] }[];
}

/** Snaps the focused quantizer's references to a grid of 2^R unit steps over [L, U]. */
export function adcSnap(ps: PointSet, req: AdcSnapRequest): AdcSnapResult {
  const q = quantizerFromLists(req.quantizer);
  const s = snapReferences(ps, q, { L: req.L, U: req.U }, req.gridBits);
  return {
    method: req.quantizer.method,
    bits: req.quantizer.bits,
    gridBits: req.gridBits,
    unitStep: s.staircase.unitStep,
    thresholds: Array.from(s.quantizer.thresholds),
    referenceSteps: Array.from(s.staircase.referenceSteps),
    mseBefore: s.mseBefore,
    mseAfter: s.mseAfter,
    mergedCodes: s.mergedCodes,
    merges: s.merges.map((m) => ({ value: m.value, step: m.step, references: m.references, codes: m.codes })),
  };
}

/** Monte Carlo settings of the variation chart; the seed is the parameters' `seed`. */
export interface VariationRequest {
  sigma: number;
  sigmaOf: SigmaUnit;
  trials: number;
}

/** One method's reference variation at bits 1–8 (arrays aligned with `bits`): core's curve as it crosses the worker boundary. */
export type VariationCurveResult = VariationCurve;

/** All bit widths the variation chart spans. */
export const VARIATION_BITS: readonly number[] = Array.from(
  { length: MAX_BITS - MIN_BITS + 1 },
  (_, i) => MIN_BITS + i,
);

/**
 * Reference variation of the given designs (e.g. every method of `params.methods` at bits 1–8, from
 * the engine's design cache: the report's own designs, so the nominal MSE at the current bits is
 * the report's MSE exactly). A design with a non-finite level or reference cannot be perturbed
 * meaningfully and is left out. Trials are seeded by `params.seed`; `normals` (for that seed) can
 * be kept by the caller across calls, so their draws are made once.
 */
export function variationCurves(
  ps: PointSet,
  params: Params,
  bounds: { L: number; U: number },
  req: VariationRequest,
  designs: readonly Quantizer[],
  normals: TrialNormals = new TrialNormals(params.seed),
): VariationCurveResult[] {
  const finite = (a: Float64Array) => a.every(Number.isFinite);
  const quantizers = designs.filter((q) => finite(q.levels) && finite(q.thresholds));
  const curves = referenceVariationCurves(
    ps,
    quantizers,
    bounds,
    { sigma: req.sigma, sigmaOf: req.sigmaOf, trials: req.trials, seed: params.seed },
    normals,
  );
  return curves.map((c) => ({ ...c }));
}
