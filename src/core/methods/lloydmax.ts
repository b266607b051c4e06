/**
 * The `lloydmax` quantizer (docs/definitions.md, Quantizers): Lloyd's iteration from the linear levels.
 * Deterministic: no random draws.
 */
import type { PointSet } from '../pointset';
import { midpoints, type Quantizer } from '../quantizer';
import { MAX_ITERATIONS, weightedLloyd } from './kmeans';
import { linearLevels } from './linear';

/**
 * Starts from `linearLevels(2^bits, L, U)` and alternates thresholds = midpoints,
 * levels = cell means (an empty cell keeps its level) until no level moves more
 * than `1e-9·R` in an update, or `MAX_ITERATIONS` updates. Requires `ps.n > 0`.
 */
export function designLloydMax(ps: PointSet, bits: number, L: number, U: number): Quantizer {
  const levels = linearLevels(2 ** bits, L, U);
  const iterations = weightedLloyd(ps, levels, { maxIterations: MAX_ITERATIONS, tolerance: 1e-9 * (U - L) });
  return { method: 'lloydmax', bits, levels, thresholds: midpoints(levels), iterations };
}
