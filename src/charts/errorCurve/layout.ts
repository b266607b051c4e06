/**
 * Pure geometry of error against bits (chart.errorCurve): one polyline per method over b = 1..8,
 * log-scaled MSE or SQNR in dB, the current bits marked, a legend on the right.
 */
import { line, scaleLinear, scaleLog } from 'd3';
import type { Method } from '../../core/params';
import { METHOD_COLORS, METHOD_LABELS } from '../colors';
import { linearTicks, logTicks, px, safeSize, textWidth, widestLabel, type Frame, type Tick } from '../common/geometry';
import type { ErrorCurveChartProps } from '../types';

export type ErrorCurveInput = Pick<ErrorCurveChartProps, 'curves' | 'bits' | 'scale' | 'readout'>;

/** A drawable value: finite, and positive on the log MSE scale. */
export interface CurvePoint {
  bits: number;
  value: number;
  x: number;
  y: number;
  current: boolean;
}

export interface ErrorCurve {
  method: Method;
  label: string;
  color: string;
  path: string;
  points: CurvePoint[];
}

export interface ErrorCurveLayout extends Frame {
  xTicks: Tick[];
  yTicks: Tick[];
  xLabel: string;
  yLabel: string;
  xLabelOffset: number;
  yLabelOffset: number;
  curves: ErrorCurve[];
  /** The current bits' vertical marker, null when outside the axis. */
  current: { x: number; bits: number } | null;
  /** Legend entries, px relative to the plot's origin: a column right of the plot, or rows under it when narrow. */
  legend: { method: Method; label: string; color: string; x: number; y: number }[];
  readout: { text: string; x: number; y: number } | null;
}

const LEGEND_ROW = 18;

/** Lays out the error curves for `width` × `height` px; non-finite (and, for log MSE, non-positive) values are gaps. */
export function layoutErrorCurve(input: ErrorCurveInput, width: number, height: number): ErrorCurveLayout {
  const size = safeSize(width, height);
  const { curves, bits, scale, readout } = input;
  const isLog = scale === 'mse';
  const valuesOf = (c: ErrorCurveInput['curves'][number]) => (isLog ? c.mse : c.sqnrDb) ?? [];
  const drawable = (v: number) => Number.isFinite(v) && (!isLog || v > 0);
  const all = curves.flatMap((c) => valuesOf(c).filter(drawable));
  const maxBits = Math.max(8, ...curves.map((c) => valuesOf(c).length));

  const legendWidth = Math.ceil(curves.reduce((w, c) => Math.max(w, textWidth(METHOD_LABELS[c.method], 12)), 0));
  // A right-hand legend column would leave a narrow chart too little plot: lay the legend out in rows below.
  const legendBelow = curves.length > 0 && size.width - legendWidth - 44 - 70 < 340;
  const rowWidth = size.width - 70 - 16;
  const legendCells: { x: number; row: number }[] = [];
  let cellX = 0,
    row = 0;
  for (const c of curves) {
    const w = 24 + textWidth(METHOD_LABELS[c.method], 12) + 14;
    if (cellX > 0 && cellX + w > rowWidth) {
      cellX = 0;
      row++;
    }
    legendCells.push({ x: cellX, row });
    cellX += w;
  }
  const legendRows = curves.length > 0 ? row + 1 : 0;
  const margin = {
    top: readout ? 34 : 16,
    right: legendBelow || curves.length === 0 ? 16 : legendWidth + 44,
    bottom: legendBelow ? 48 + legendRows * LEGEND_ROW : 44,
    left: 0,
  };
  const plotHeight = Math.max(40, size.height - margin.top - margin.bottom);

  let y: (v: number) => number;
  let yTicks: Tick[];
  if (isLog) {
    let lo = all.length ? Math.min(...all) : 1e-3,
      hi = all.length ? Math.max(...all) : 1;
    // Half a decade of headroom either side; a single value still gets a readable span.
    lo /= 1.5;
    hi *= 1.5;
    const ys = scaleLog().domain([lo, hi]).range([plotHeight, 0]);
    y = (v) => ys(v);
    yTicks = logTicks(ys, '~e', Math.max(3, Math.floor(plotHeight / 32)));
  } else {
    let lo = all.length ? Math.min(...all) : 0,
      hi = all.length ? Math.max(...all) : 50;
    if (hi - lo < 1) {
      lo -= 1;
      hi += 1;
    }
    const ys = scaleLinear().domain([lo, hi]).range([plotHeight, 0]).nice();
    y = (v) => ys(v);
    yTicks = linearTicks(ys, Math.max(3, Math.round(plotHeight / 45)), '~f');
  }
  const yTickWidth = widestLabel(yTicks);
  margin.left = Math.ceil(Math.max(48, yTickWidth + 30));
  const plotWidth = Math.max(40, size.width - margin.left - margin.right);
  const xs = scaleLinear()
    .domain([0.6, maxBits + 0.4])
    .range([0, plotWidth]);
  const xTicks = Array.from({ length: maxBits }, (_, i) => i + 1).map((b) => ({
    pos: px(xs(b)),
    value: b,
    label: String(b),
  }));

  const path = line<CurvePoint>()
    .x((p) => p.x)
    .y((p) => p.y);
  const laid: ErrorCurve[] = curves.map((c) => {
    const values = valuesOf(c);
    const points: CurvePoint[] = [];
    values.forEach((value, i) => {
      if (!drawable(value)) return;
      points.push({ bits: i + 1, value, x: px(xs(i + 1)), y: px(y(value)), current: i + 1 === bits });
    });
    // Split at gaps so a missing bit count is not bridged by a straight segment.
    const runs: CurvePoint[][] = [];
    for (const p of points) {
      const run = runs[runs.length - 1];
      if (run && run[run.length - 1].bits === p.bits - 1) run.push(p);
      else runs.push([p]);
    }
    return {
      method: c.method,
      label: METHOD_LABELS[c.method],
      color: METHOD_COLORS[c.method],
      path: runs.map((r) => path(r) ?? '').join(''),
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
    yLabel: isLog ? 'MSE (log scale)' : 'SQNR (dB)',
    xLabelOffset: 38,
    yLabelOffset: Math.ceil(yTickWidth + 16),
    curves: laid,
    current: Number.isFinite(bits) && bits >= 1 && bits <= maxBits ? { x: px(xs(bits)), bits } : null,
    legend: laid.map((c, i) => ({
      method: c.method,
      label: c.label,
      color: c.color,
      x: px(legendBelow ? legendCells[i].x : plotWidth + 16),
      y: legendBelow ? plotHeight + 58 + legendCells[i].row * LEGEND_ROW : 6 + i * LEGEND_ROW,
    })),
    readout: readout ? { text: readout, x: 0, y: -14 } : null,
  };
}
