/**
 * The `bskmq` quantizer (docs/definitions.md, Quantizers): boundary-suppressed K-means with pinned
 * boundary levels. The paper's exact rule is not public; the settings (bands,
 * suppression weight, pins, seeding) cover its plausible readings.
 */
import type { Params } from '../params';
import { lowerBound, type PointSet } from '../pointset';
import { midpoints, type Quantizer } from '../quantizer';
import { computeBands, suppressedPointSet, type Bands } from '../suppression';
import { clusterLevels, type ClusterRecorder, type Pins } from './kmeans';

/** Share of the samples lying exactly at value v (0 when no exact point sits there). */
export function spikeShare(ps: PointSet, v: number): number {
  const i = lowerBound(ps, v);
  // A binned point whose mean happens to equal v is not a spike: its samples spread (s2 > 0).
  if (i < ps.x.length && ps.x[i] === v && ps.s2[i] === 0 && ps.n > 0) return ps.w[i] / ps.n;
  return 0;
}

/**
 * The boundaries BS-KMQ pins as fixed levels: `both`, `low`, `high`, `none`, or
 * `auto` — a boundary whose exact value holds at least `spikeMin` of the samples
 * of the original point set.
 */
export function bskmqPins(ps: PointSet, params: Pick<Params, 'pin' | 'spikeMin'>, L: number, U: number): Pins {
  const { pin, spikeMin } = params;
  const low = pin === 'both' || pin === 'low' || (pin === 'auto' && spikeShare(ps, L) >= spikeMin);
  const high = pin === 'both' || pin === 'high' || (pin === 'auto' && spikeShare(ps, U) >= spikeMin);
  return { low: low ? L : null, high: high ? U : null };
}

/**
 * BS-KMQ at `2^bits` levels (requires `ps.n > 0`):
 * 1. the suppressed set: in-band weight × `suppressWeight` (bands from `computeBands` unless given);
 * 2. pinned levels per `bskmqPins`;
 * 3. weighted K-means for the `k − pinned` free levels on the suppressed set, seeded per `bsInit`
 *    (`random`: Forgy, exactly the `kmeans` baseline's seeding; `plusplus`: greedy k-means++ around the pins),
 *    the pinned levels fixed but taking part in the nearest-level assignment; `restarts` runs;
 * 4. sorted levels, thresholds at midpoints.
 *
 * Choices where docs/definitions.md, Quantizers leaves room:
 * - Restarts are compared by their cost on the suppressed set — the objective the clustering minimises —
 *   not on the original data, so restarts do not quietly optimise what suppression deliberately ignores.
 * - When suppression leaves no weight (every sample in a band with `suppressWeight = 0`), the free levels
 *   are clustered on the original point set instead.
 * - When the pins use up every level (k = 2 with both pinned) the levels are exactly L and U, no draws made.
 */
export function designBskmq(
  ps: PointSet,
  bits: number,
  params: Params,
  L: number,
  U: number,
  bands?: Bands,
  recorder: ClusterRecorder | null = null,
): Quantizer {
  const k = 2 ** bits;
  const pins = bskmqPins(ps, params, L, U);
  const pinned = (pins.low !== null ? 1 : 0) + (pins.high !== null ? 1 : 0);
  if (pinned >= k) {
    const levels = new Float64Array([L, U]);
    return { method: 'bskmq', bits, levels, thresholds: midpoints(levels), iterations: 0 };
  }
  const suppressed = suppressedPointSet(ps, bands ?? computeBands(ps, params, L, U), params.suppressWeight);
  const clustered = suppressed.n > 0 ? suppressed : ps;
  const seeding = params.bsInit === 'plusplus' ? 'plusplus' : 'random';
  const result = clusterLevels(clustered, k, seeding, params.seed, params.restarts, pins, recorder);
  return {
    method: 'bskmq',
    bits,
    levels: result.levels,
    thresholds: midpoints(result.levels),
    iterations: result.iterations,
  };
}
