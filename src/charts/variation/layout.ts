/**
 * Pure geometry of reference variation against bits (chart.variation): for every method, the
 * mean MSE over the Monte Carlo trials as a line, its 5–95 % band as a shaded area, and the
 * unperturbed MSE as a thin dashed line, on a log MSE axis over bits 1–8; the current bits marked.
 */
import { area, line, scaleLinear, scaleLog } from 'd3';
import type { Method } from '../../core/params';
import { METHOD_COLORS, METHOD_LABELS } from '../colors';
import { linearTicks, logTicks, px, safeSize, textWidth, widestLabel, type Frame, type Tick } from '../common/geometry';
import type { CommonChartProps } from '../types';

/** One method's Monte Carlo summary at each bit width of `bits` (arrays aligned with it). */
export interface VariationSeries {
  method: Method;
  bits: number[];
  nominalMse: number[];
  meanMse: number[];
  q05Mse: number[];
  q95Mse: number[];
}

/** chart.variation */
export interface VariationChartProps extends CommonChartProps {
  curves: VariationSeries[];
  /** The current bits, marked. */
  bits: number;
}

export type VariationInput = Pick<VariationChartProps, 'curves' | 'bits'>;

export interface VariationPoint {
  bits: number;
  mean: number;
  q05: number;
  q95: number;
  nominal: number;
  x: number;
  y: number;
}

export interface VariationCurve {
  method: Method;
  label: string;
  color: string;
  /** Mean MSE polyline, the 5–95 % band (closed area), and the unperturbed MSE polyline. */
  meanPath: string;
  bandPath: string;
  nominalPath: string;
  points: VariationPoint[];
}

export interface VariationLayout extends Frame {
  xTicks: Tick[];
  yTicks: Tick[];
  xLabel: string;
  yLabel: string;
  xLabelOffset: number;
  yLabelOffset: number;
  curves: VariationCurve[];
  current: { x: number; bits: number } | null;
  /** Legend entries, px relative to the plot's origin (a right column, or rows below when narrow). */
  legend: { method: Method; label: string; color: string; x: number; y: number }[];
}

const LEGEND_ROW = 18;
const positive = (v: number) => Number.isFinite(v) && v > 0;

/** Lays out the variation chart for `width` × `height` px; bit widths with a non-positive MSE are gaps. */
export function layoutVariation(input: VariationInput, width: number, height: number): VariationLayout {
  const size = safeSize(width, height);
  const { curves, bits } = input;
  const all = curves.flatMap((c) => [...c.q05Mse, ...c.q95Mse, ...c.meanMse, ...c.nominalMse].filter(positive));
  const maxBits = Math.max(8, ...curves.flatMap((c) => c.bits));

  const legendWidth = Math.ceil(curves.reduce((w, c) => Math.max(w, textWidth(METHOD_LABELS[c.method], 12)), 0));
  const legendBelow = curves.length > 0 && size.width - legendWidth - 44 - 70 < 340;
  const rowWidth = size.width - 70 - 16;
  const cells: { x: number; row: number }[] = [];
  let cellX = 0,
    row = 0;
  for (const c of curves) {
    const w = 24 + textWidth(METHOD_LABELS[c.method], 12) + 14;
    if (cellX > 0 && cellX + w > rowWidth) {
      cellX = 0;
      row++;
    }
    cells.push({ x: cellX, row });
    cellX += w;
  }
  const legendRows = curves.length > 0 ? row + 1 : 0;
  const margin = {
    top: 16,
    right: legendBelow || curves.length === 0 ? 16 : legendWidth + 44,
    bottom: legendBelow ? 48 + legendRows * LEGEND_ROW : 44,
    left: 0,
  };
  const plotHeight = Math.max(40, size.height - margin.top - margin.bottom);
  let lo = all.length ? Math.min(...all) : 1e-3,
    hi = all.length ? Math.max(...all) : 1;
  lo /= 1.5;
  hi *= 1.5;
  const ys = scaleLog().domain([lo, hi]).range([plotHeight, 0]);
  const yTicks = logTicks(ys, '~e', Math.max(3, Math.floor(plotHeight / 32)));
  const yTickWidth = widestLabel(yTicks);
  margin.left = Math.ceil(Math.max(48, yTickWidth + 30));
  const plotWidth = Math.max(40, size.width - margin.left - margin.right);
  const xs = scaleLinear()
    .domain([0.6, maxBits + 0.4])
    .range([0, plotWidth]);
  const xTicks = linearTicks(xs, maxBits, 'd').filter((t) => Number.isInteger(t.value) && t.value >= 1);

  const mean = line<VariationPoint>()
    .x((p) => p.x)
    .y((p) => p.y);
  const laid: VariationCurve[] = curves.map((c) => {
    const points: VariationPoint[] = [];
    c.bits.forEach((b, i) => {
      const p = { bits: b, mean: c.meanMse[i], q05: c.q05Mse[i], q95: c.q95Mse[i], nominal: c.nominalMse[i] };
      if (!(positive(p.mean) && positive(p.q05) && positive(p.q95))) return;
      points.push({ ...p, x: px(xs(b)), y: px(ys(p.mean)) });
    });
    const runs: VariationPoint[][] = [];
    for (const p of points) {
      const run = runs[runs.length - 1];
      if (run && run[run.length - 1].bits === p.bits - 1) run.push(p);
      else runs.push([p]);
    }
    const band = area<VariationPoint>()
      .x((p) => p.x)
      .y0((p) => px(ys(p.q05)))
      .y1((p) => px(ys(p.q95)));
    const nominal = line<VariationPoint>()
      .defined((p) => positive(p.nominal))
      .x((p) => p.x)
      .y((p) => px(ys(p.nominal)));
    return {
      method: c.method,
      label: METHOD_LABELS[c.method],
      color: METHOD_COLORS[c.method],
      meanPath: runs.map((r) => mean(r) ?? '').join(''),
      bandPath: runs.map((r) => band(r) ?? '').join(''),
      nominalPath: runs.map((r) => nominal(r) ?? '').join(''),
      points,
    };
  });

  return {
    width: size.width,
    height: size.height,
    margin,
    plotWidth,
    plotHeight,
    xTicks,
    yTicks,
    xLabel: 'bits',
    yLabel: 'MSE (log scale)',
    xLabelOffset: 38,
    yLabelOffset: Math.ceil(yTickWidth + 16),
    curves: laid,
    current: Number.isFinite(bits) && bits >= 1 && bits <= maxBits ? { x: px(xs(bits)), bits } : null,
    legend: laid.map((c, i) => ({
      method: c.method,
      label: c.label,
      color: c.color,
      x: px(legendBelow ? cells[i].x : plotWidth + 16),
      y: legendBelow ? plotHeight + 58 + cells[i].row * LEGEND_ROW : 6 + i * LEGEND_ROW,
    })),
  };
}
