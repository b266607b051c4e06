/**
 * The quantizer's boundaries L and U (docs/definitions.md, Vocabulary): the data's finite min and max
 * unless the user sets them (a known clamp value, for example).
 */
import type { Params } from './params';
import type { PointSet } from './pointset';

/**
 * `L = params.low ?? ps.min`, `U = params.high ?? ps.max` (docs/definitions.md, Vocabulary).
 *
 * When a user-set boundary crosses the other one (`low` above the data's max,
 * say) the two are swapped, so that `R = U − L ≥ 0` for every method. On a point
 * set with no finite samples and no user boundaries both are NaN.
 */
export function resolveBoundaries(ps: PointSet, params: Pick<Params, 'low' | 'high'>): { L: number; U: number } {
  const L = params.low ?? ps.min;
  const U = params.high ?? ps.max;
  return L > U ? { L: U, U: L } : { L, U };
}
