/**
 * One entry point for every quantizer of docs/definitions.md, Quantizers.
 */
import type { Method, Params } from './params';
import type { PointSet } from './pointset';
import type { Quantizer } from './quantizer';
import { resolveBoundaries } from './boundaries';
import { designBskmq } from './methods/bskmq';
import { designCdf } from './methods/cdf';
import { designKmeans, type ClusterRecorder } from './methods/kmeans';
import { designLinear } from './methods/linear';
import { designLloydMax } from './methods/lloydmax';
import { designOptimal } from './methods/optimal';

/** Largest bit width accepted (the metrics compare against linear up to 16 bits). */
export const MAX_DESIGN_BITS = 16;

/**
 * Designs `method`'s quantizer with `2^bits` codes on `ps`, with boundaries from
 * `resolveBoundaries(ps, params)` and the seeds, restarts and BS-KMQ settings of
 * `params`. Deterministic for given inputs.
 *
 * A point set without samples (`ps.n = 0`, e.g. all values non-finite) but with
 * user-set boundaries gets every method's quantizer as `linear` levels over
 * [L, U] (labelled with the method asked for); without boundaries it throws a
 * RangeError, as does a `bits` that is not an integer in 1–16.
 *
 * `recorder` (K-means family only) observes the seeding and Lloyd updates of
 * every restart for the step-through (src/core/trace.ts); it changes no result.
 */
export function designQuantizer(
  ps: PointSet,
  method: Method,
  bits: number,
  params: Params,
  recorder: ClusterRecorder | null = null,
): Quantizer {
  if (!Number.isInteger(bits) || bits < 1 || bits > MAX_DESIGN_BITS) {
    throw new RangeError(`bits must be an integer in 1–${MAX_DESIGN_BITS}; got ${bits}`);
  }
  const { L, U } = resolveBoundaries(ps, params);
  if (!Number.isFinite(L) || !Number.isFinite(U)) {
    throw new RangeError('cannot design a quantizer: the data has no finite samples and no boundaries are set');
  }
  if (method === 'linear' || !(ps.n > 0)) return { ...designLinear(bits, L, U), method };
  switch (method) {
    case 'cdf':
      return designCdf(ps, bits, L);
    case 'lloydmax':
      return designLloydMax(ps, bits, L, U);
    case 'kmeans':
      return designKmeans(ps, bits, 'random', params, recorder);
    case 'kmeanspp':
      return designKmeans(ps, bits, 'plusplus', params, recorder);
    case 'bskmq':
      return designBskmq(ps, bits, params, L, U, undefined, recorder);
    case 'optimal':
      return designOptimal(ps, bits);
  }
}
