/**
 * How the two compute workers share a method's curves over bits 1–8 (the BS-KMQ error curve
 * and its ADC variation curve, which a BS-KMQ setting change recomputes): which widths each
 * worker takes, and the merge of the variation parts; and the parameters of the suppression
 * sweep, whose grid points the workers share. Pure module.
 */
import { MAX_BITS, MIN_BITS, type Params } from '../core/params';
import type { VariationCurveResult } from './adcEngine';

/**
 * Bit widths 1–8 split between the workers by an estimated design cost (about 2^(b/2): K-means
 * over 2^b clusters), the largest first, each to the less loaded worker. `current` (designed by
 * the report already) costs the interactive worker nothing. Each list is ascending but the
 * interactive one starts with `current`.
 */
export function splitWidths(current: number): { interactive: number[]; background: number[] } {
  const interactive: number[] = [];
  const background: number[] = [];
  let loadI = 0;
  let loadB = 0;
  for (let b = MAX_BITS; b >= MIN_BITS; b--) {
    if (b === current) continue;
    const cost = 2 ** (b / 2);
    if (loadB <= loadI) {
      background.push(b);
      loadB += cost;
    } else {
      interactive.push(b);
      loadI += cost;
    }
  }
  const asc = (x: number, y: number) => x - y;
  const withCurrent = current >= MIN_BITS && current <= MAX_BITS ? [current] : [];
  return { interactive: [...withCurrent, ...interactive.sort(asc)], background: background.sort(asc) };
}

/** One method's variation curve from parts over disjoint bit widths (null without parts), bits ascending. */
export function mergeVariation(parts: VariationCurveResult[]): VariationCurveResult | null {
  if (parts.length === 0) return null;
  const rows = parts.flatMap((c) => c.bits.map((b, i) => ({ b, c, i })));
  rows.sort((x, y) => x.b - y.b);
  const col = (key: 'nominalMse' | 'meanMse' | 'q05Mse' | 'q95Mse' | 'sigmaAbs') => rows.map((r) => r.c[key][r.i]);
  return {
    method: parts[0].method,
    bits: rows.map((r) => r.b),
    nominalMse: col('nominalMse'),
    meanMse: col('meanMse'),
    q05Mse: col('q05Mse'),
    q95Mse: col('q95Mse'),
    sigmaAbs: col('sigmaAbs'),
  };
}

/**
 * The sweep's parameters: symmetric bands at a grid point (0), so the swept curve does not depend on the
 * current band and dragging the band slider needs no new sweep (the marker comes from the report).
 */
export function sweptParams(params: Params): Params {
  return params.suppressMode === 'band' ? { ...params, bandLow: 0, bandHigh: 0 } : { ...params, pctLow: 0, pctHigh: 0 };
}
