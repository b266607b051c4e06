/**
 * Pure geometry of the suppression sweep (chart.sweep): BS-KMQ's MSE against band width (a fraction
 * of the range) or band percentile (%), K-means and the optimum as horizontal reference lines, the
 * current setting marked.
 */
import { line, scaleLinear } from 'd3';
import { METHOD_COLORS } from '../colors';
import { linearTicks, px, safeDomain, safeSize, widestLabel, type Frame, type Tick } from '../common/geometry';
import type { SweepChartProps } from '../types';

export type SweepInput = Pick<SweepChartProps, 'axis' | 'x' | 'mse' | 'kmeansMse' | 'optimalMse' | 'current'>;

/** A reference line at `y`; its label sits at `labelY` in the right margin, at least a line apart from the other's. */
export interface SweepReference {
  kind: 'kmeans' | 'optimal';
  label: string;
  color: string;
  value: number;
  y: number;
  labelY: number;
}

/** Vertical distance between two reference labels' centres, px (11 px type plus leading). */
export const REFERENCE_LABEL_GAP = 14;

/**
 * Label positions for lines at `ys`: each at its line unless closer than `gap` to the one above,
 * then pushed down; a run pushed past `bottom` is moved up as a block. Returned in the input order.
 */
export function spreadLabels(ys: readonly number[], gap: number, bottom: number): number[] {
  const order = ys.map((y, i) => ({ y, i })).sort((a, b) => a.y - b.y);
  const placed = order.map((o) => o.y);
  for (let k = 1; k < placed.length; k++) placed[k] = Math.max(placed[k], placed[k - 1] + gap);
  const overshoot = placed.length ? placed[placed.length - 1] - bottom : 0;
  if (overshoot > 0) {
    for (let k = placed.length - 1; k >= 0; k--) {
      const target = k === placed.length - 1 ? bottom : placed[k + 1] - gap;
      placed[k] = Math.min(placed[k], target);
    }
  }
  const out = new Array<number>(ys.length);
  order.forEach((o, k) => {
    out[o.i] = placed[k];
  });
  return out;
}

export interface SweepLayout extends Frame {
  xTicks: Tick[];
  yTicks: Tick[];
  xLabel: string;
  yLabel: string;
  xLabelOffset: number;
  yLabelOffset: number;
  color: string;
  path: string;
  points: { x: number; y: number; xValue: number; mse: number }[];
  references: SweepReference[];
  current: { x: number; y: number; xValue: number; mse: number } | null;
}

/** Lays out the sweep for `width` × `height` px; pairs with a non-finite coordinate are skipped. */
export function layoutSweep(input: SweepInput, width: number, height: number): SweepLayout {
  const size = safeSize(width, height);
  const pairs: [number, number][] = [];
  for (let i = 0; i < Math.min(input.x.length, input.mse.length); i++) {
    const xv = input.x[i],
      mv = input.mse[i];
    if (Number.isFinite(xv) && Number.isFinite(mv)) pairs.push([xv, mv]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const cur =
    input.current && Number.isFinite(input.current.x) && Number.isFinite(input.current.mse) ? input.current : null;
  const refs = [
    { kind: 'kmeans' as const, label: 'K-means', color: METHOD_COLORS.kmeans, value: input.kmeansMse },
    { kind: 'optimal' as const, label: 'optimal', color: METHOD_COLORS.optimal, value: input.optimalMse },
  ].filter((r) => Number.isFinite(r.value));

  const xDomain = safeDomain(null, [...pairs.map((p) => p[0]), ...(cur ? [cur.x] : [])]);
  const yValues = [...pairs.map((p) => p[1]), ...refs.map((r) => r.value), ...(cur ? [cur.mse] : [])];
  let [y0, y1] = safeDomain(null, yValues);
  // A little room below the optimum and above the worst point so the reference lines are not on the frame.
  const pad = (y1 - y0) * 0.08;
  y0 = Math.max(0, y0 - pad);
  y1 += pad;

  const margin = { top: 16, right: 74, bottom: 44, left: 0 };
  const plotHeight = Math.max(40, size.height - margin.top - margin.bottom);
  const ys = scaleLinear().domain([y0, y1]).range([plotHeight, 0]).nice();
  const yTicks = linearTicks(ys, Math.max(3, Math.round(plotHeight / 45)), '.3~g');
  const yTickWidth = widestLabel(yTicks);
  margin.left = Math.ceil(Math.max(48, yTickWidth + 30));
  const plotWidth = Math.max(40, size.width - margin.left - margin.right);
  const xs = scaleLinear().domain(xDomain).range([0, plotWidth]);
  const isBand = input.axis === 'band';
  const xTicks = linearTicks(xs, Math.max(2, Math.round(plotWidth / 80)), isBand ? '.3~%' : '~g');

  const points = pairs.map(([xv, mv]) => ({ x: px(xs(xv)), y: px(ys(mv)), xValue: xv, mse: mv }));
  const path =
    line<{ x: number; y: number }>()
      .x((p) => p.x)
      .y((p) => p.y)(points) ?? '';

  return {
    width: size.width,
    height: size.height,
    margin,
    plotWidth,
    plotHeight,
    xTicks,
    yTicks,
    xLabel: isBand ? 'band width (% of range, each side)' : 'band (percentile of samples, % each side)',
    yLabel: 'BS-KMQ MSE',
    xLabelOffset: 38,
    yLabelOffset: Math.ceil(yTickWidth + 16),
    color: METHOD_COLORS.bskmq,
    path,
    points,
    references: withLabels(
      refs.map((r) => ({ ...r, y: px(ys(r.value)), labelY: 0 })),
      plotHeight,
    ),
    current: cur ? { x: px(xs(cur.x)), y: px(ys(cur.mse)), xValue: cur.x, mse: cur.mse } : null,
  };
}

function withLabels(refs: SweepReference[], plotHeight: number): SweepReference[] {
  // The labels may go a little below the plot's bottom (the right margin is free there), not into the axis title.
  const labelYs = spreadLabels(
    refs.map((r) => r.y),
    REFERENCE_LABEL_GAP,
    plotHeight + 8,
  );
  return refs.map((r, i) => ({ ...r, labelY: px(labelYs[i]) }));
}
