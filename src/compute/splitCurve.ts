/**
 * How the two compute workers share a method's curves over bits 1–8 (the BS-KMQ error curve
 * and its ADC variation curve, which a BS-KMQ setting change recomputes): which widths each
 * worker takes, and the merge of the variation parts; and the parameters of the suppression
 * sweep, whose grid points the workers share. Pure module.
 */
import { MAX_BITS, MIN_BITS } from '../core/params';
import type { VariationCurveResult } from '../worker/adcEngine';

/**
 * What one width of the BS-KMQ curve costs a worker, relative (design with its restarts plus the
 * reference-variation Monte Carlo at the default 100 trials), indexed by bits − 1. Measured in Node
 * with the WebAssembly Lloyd kernel on the 16 M-sample ReLU6 generator (ms): the top widths dominate
 * because Lloyd runs to its iteration cap there, and the cost does not follow a simple power of 2^bits.
 * (The suppressed point set, about 1 ms, is built once per worker whatever its widths.)
 */
const WIDTH_COST = [0.05, 0.3, 0.2, 0.65, 1.7, 3.95, 6.25, 9.4];
/**
 * What the interactive worker does first on a BS-KMQ change, in the same units: the report at the
 * current width (about 1 ms in Node) and the ADC snap, plus what its replies cost it in Chromium
 * (a tenth of the curve's cost, which evened the two workers' per-thread CPU there).
 */
const REPORT_COST = 2.2;

/**
 * Bit widths 1–8 split between the workers by their estimated cost (WIDTH_COST), the largest first,
 * each to the less loaded worker. `current` (designed by the report already) costs the interactive
 * worker nothing, which starts with the report's cost instead. Each list is ascending but the
 * interactive one starts with `current`.
 */
export function splitWidths(current: number): { interactive: number[]; background: number[] } {
  const interactive: number[] = [];
  const background: number[] = [];
  let loadI = REPORT_COST;
  let loadB = 0;
  for (let b = MAX_BITS; b >= MIN_BITS; b--) {
    if (b === current) continue;
    const cost = WIDTH_COST[b - MIN_BITS];
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
