/**
 * Pure geometry of level occupancy (chart.occupancy): one bar per code with the share of samples
 * it receives; empty codes (share 0 — wasted levels) are flagged with a marker under the axis.
 */
import { scaleBand, scaleLinear } from 'd3';
import type { Method } from '../../core/params';
import { METHOD_COLORS, METHOD_LABELS } from '../colors';
import { linearTicks, px, safeSize, widestLabel, type Frame, type Tick } from '../common/geometry';
import type { OccupancyChartProps } from '../types';

export type OccupancyInput = Pick<OccupancyChartProps, 'method' | 'occupancy' | 'levels'>;

export interface OccupancyBar {
  code: number;
  share: number;
  level: number | null;
  empty: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface OccupancyLayout extends Frame {
  method: Method;
  label: string;
  color: string;
  xTicks: Tick[];
  yTicks: Tick[];
  xLabel: string;
  yLabel: string;
  xLabelOffset: number;
  yLabelOffset: number;
  bars: OccupancyBar[];
  /** Centre x of each empty code (marker under the axis). */
  empty: { code: number; x: number }[];
  summary: string;
}

/** Lays out the occupancy bars for `width` × `height` px; a non-finite share counts as 0 (empty). */
export function layoutOccupancy(input: OccupancyInput, width: number, height: number): OccupancyLayout {
  const size = safeSize(width, height);
  const shares = input.occupancy.map((s) => (Number.isFinite(s) && s > 0 ? s : 0));
  const k = shares.length;
  const margin = { top: 26, right: 16, bottom: 50, left: 0 };
  const plotHeight = Math.max(40, size.height - margin.top - margin.bottom);
  const top = Math.max(0.01, ...shares);
  const ys = scaleLinear().domain([0, top]).range([plotHeight, 0]).nice();
  const yTicks = linearTicks(ys, Math.max(3, Math.round(plotHeight / 45)), '.0%');
  const yTickWidth = widestLabel(yTicks);
  margin.left = Math.ceil(Math.max(48, yTickWidth + 30));
  const plotWidth = Math.max(40, size.width - margin.left - margin.right);
  const codes = Array.from({ length: k }, (_, i) => i);
  const xs = scaleBand<number>()
    .domain(codes)
    .range([0, plotWidth])
    .paddingInner(k > 64 ? 0.1 : 0.2)
    .paddingOuter(0.1);
  const band = xs.bandwidth();
  // Label every code while the labels fit (~28 px each), else every 2nd, 4th, … code.
  const stride = 2 ** Math.max(0, Math.ceil(Math.log2((28 * k) / Math.max(1, plotWidth))));
  const xTicks = codes
    .filter((c) => c % stride === 0)
    .map((c) => ({ pos: px((xs(c) ?? 0) + band / 2), value: c, label: String(c) }));

  const bars = codes.map((code) => {
    const share = shares[code];
    const y = ys(share);
    const level = input.levels[code];
    return {
      code,
      share,
      level: level !== undefined && Number.isFinite(level) ? level : null,
      empty: share === 0,
      x: px(xs(code) ?? 0),
      y: px(y),
      width: px(band),
      height: px(plotHeight - y),
    };
  });
  const empty = bars.filter((b) => b.empty).map((b) => ({ code: b.code, x: px(b.x + b.width / 2) }));
  const summary =
    k === 0 ? 'no codes' : empty.length === 0 ? `all ${k} codes used` : `${empty.length} of ${k} codes empty`;

  return {
    width: size.width,
    height: size.height,
    margin,
    plotWidth,
    plotHeight,
    method: input.method,
    label: METHOD_LABELS[input.method],
    color: METHOD_COLORS[input.method],
    xTicks,
    yTicks,
    xLabel: 'code',
    yLabel: 'share of samples',
    xLabelOffset: 42,
    yLabelOffset: Math.ceil(yTickWidth + 16),
    bars,
    empty,
    summary,
  };
}
