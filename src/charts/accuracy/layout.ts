/**
 * Pure geometry of network accuracy against bits (chart.accuracy): one polyline per method over b = 1..8,
 * the float accuracy as a horizontal line, the tolerance band below it, the current bits marked, and per
 * method the bits it needs to stay within the tolerance (a ring on that point, listed in the legend).
 */
import { line, scaleLinear } from 'd3';
import { METHOD_COLORS, METHOD_LABELS, MUTED } from '../colors';
import { linearTicks, px, safeSize, textWidth, type Frame, type Tick } from '../common/geometry';
import type { Method } from '../../core/params';

export interface AccuracySeries {
  method: string;
  /** accuracy[b] for b = 1..maxBits (index 0 unused); undefined while not computed. */
  accuracy: ReadonlyArray<number | undefined>;
  /** Smallest bits within the tolerance of the float accuracy, null when none (yet). */
  needed: number | null;
}

export interface AccuracyInput {
  series: readonly AccuracySeries[];
  floatAccuracy: number | null;
  tolerance: number;
  bits: number;
  maxBits?: number;
  metric: 'top1' | 'agreement';
}

export interface AccuracyPoint {
  bits: number;
  value: number;
  x: number;
  y: number;
  current: boolean;
  needed: boolean;
}
export interface AccuracyCurve {
  method: string;
  label: string;
  color: string;
  path: string;
  points: AccuracyPoint[];
}

export interface AccuracyLayout extends Frame {
  xTicks: Tick[];
  yTicks: Tick[];
  xLabel: string;
  yLabel: string;
  curves: AccuracyCurve[];
  float: { y: number; bandY: number; label: string } | null;
  current: { x: number } | null;
  legend: { method: string; label: string; color: string; x: number; y: number }[];
}

const LEGEND_ROW = 18;

export function labelOf(method: string): string {
  return METHOD_LABELS[method as Method] ?? method;
}

export function colorOf(method: string): string {
  return METHOD_COLORS[method as Method] ?? MUTED;
}

/** Lays out the accuracy chart for `width` × `height` px. The y axis is accuracy in %, 0–100 zoomed to the data. */
export function layoutAccuracy(input: AccuracyInput, width: number, height: number): AccuracyLayout {
  const size = safeSize(width, height);
  const maxBits = input.maxBits ?? 8;
  const legendTexts = input.series.map((s) => `${labelOf(s.method)}${s.needed !== null ? ` · ${s.needed} b` : ''}`);
  const legendWidth = Math.ceil(Math.max(0, ...legendTexts.map((t) => textWidth(t, 12))));
  const margin = { top: 16, right: input.series.length ? legendWidth + 44 : 16, bottom: 44, left: 56 };
  const plotWidth = Math.max(40, size.width - margin.left - margin.right);
  const plotHeight = Math.max(40, size.height - margin.top - margin.bottom);
  const values = input.series.flatMap((s) =>
    s.accuracy.filter((a): a is number => a !== undefined && Number.isFinite(a)),
  );
  if (input.floatAccuracy !== null) values.push(input.floatAccuracy);
  const lo = values.length ? Math.min(...values) : 0;
  const ys = scaleLinear()
    .domain([Math.max(0, Math.floor(lo * 10) / 10 - 0.02), 1])
    .range([plotHeight, 0]);
  const xs = scaleLinear()
    .domain([0.6, maxBits + 0.4])
    .range([0, plotWidth]);
  const xTicks = Array.from({ length: maxBits }, (_, i) => ({
    pos: px(xs(i + 1)),
    value: i + 1,
    label: String(i + 1),
  }));
  const yTicks = linearTicks(ys, Math.max(3, Math.round(plotHeight / 40)), '.0%');
  const path = line<AccuracyPoint>()
    .x((p) => p.x)
    .y((p) => p.y);
  const curves = input.series.map((s) => {
    const points: AccuracyPoint[] = [];
    for (let b = 1; b <= maxBits; b++) {
      const v = s.accuracy[b];
      if (v === undefined || !Number.isFinite(v)) continue;
      points.push({ bits: b, value: v, x: px(xs(b)), y: px(ys(v)), current: b === input.bits, needed: b === s.needed });
    }
    const runs: AccuracyPoint[][] = [];
    for (const p of points) {
      const run = runs[runs.length - 1];
      if (run && run[run.length - 1].bits === p.bits - 1) run.push(p);
      else runs.push([p]);
    }
    return {
      method: s.method,
      label: labelOf(s.method),
      color: colorOf(s.method),
      path: runs.map((r) => path(r) ?? '').join(''),
      points,
    };
  });
  const fa = input.floatAccuracy;
  return {
    width: size.width,
    height: size.height,
    margin,
    plotWidth,
    plotHeight,
    xTicks,
    yTicks,
    xLabel: 'bits',
    yLabel: input.metric === 'top1' ? 'top-1 accuracy' : 'top-1 agreement with float',
    curves,
    float:
      fa === null
        ? null
        : {
            y: px(ys(fa)),
            bandY: px(ys(Math.max(ys.domain()[0], fa - input.tolerance))),
            label: `float ${(fa * 100).toFixed(1)} %`,
          },
    current: input.bits >= 1 && input.bits <= maxBits ? { x: px(xs(input.bits)) } : null,
    legend: curves.map((c, i) => ({
      method: c.method,
      label: legendTexts[i],
      color: c.color,
      x: px(plotWidth + 16),
      y: 6 + i * LEGEND_ROW,
    })),
  };
}
