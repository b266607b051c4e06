/**
 * The statistics strip of docs/definitions.md, Curves and statistics (n, non-finite count, min, max, mean, std,
 * spike shares at the boundaries), read off a point set in O(log m).
 */
import { lowerBound, moments, type PointSet } from './pointset';

export interface InputStats {
  /** Finite samples. */
  n: number;
  /** NaN and ±Inf samples, left out of everything else. */
  nonFinite: number;
  /** Finite minimum and maximum (NaN without finite samples). */
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation. */
  std: number;
  /** Share of the finite samples exactly equal to L (0 when none is). */
  spikeLow: number;
  /** Share of the finite samples exactly equal to U. */
  spikeHigh: number;
}

/**
 * Statistics of a point set. `L` and `U` default to the data's min and max
 * (pass the resolved boundaries when the user set them). A spike share counts
 * the point whose value is exactly the boundary; in a binned set the samples at
 * the data's min and max are exact points, but a user boundary that falls
 * inside a bin of several values has share 0 there. Without finite samples
 * every value is NaN except `n`, `nonFinite` and the spike shares (0).
 */
export function inputStats(ps: PointSet, L: number = ps.min, U: number = ps.max): InputStats {
  const { mean, variance } = moments(ps);
  return {
    n: ps.n,
    nonFinite: ps.nonFinite,
    min: ps.min,
    max: ps.max,
    mean,
    std: Math.sqrt(variance),
    spikeLow: shareAt(ps, L),
    spikeHigh: shareAt(ps, U),
  };
}

/** Share of the weight at exactly `v` (a point with s2 = 0 at that value). */
export function shareAt(ps: PointSet, v: number): number {
  if (!(ps.n > 0) || !Number.isFinite(v)) return 0;
  const i = lowerBound(ps, v);
  // A binned point standing for several different values only has its mean at v.
  if (i >= ps.x.length || ps.x[i] !== v || ps.s2[i] > 0) return 0;
  return ps.w[i] / ps.n;
}
