/**
 * Pure geometry of the transfer function (chart.transfer): output level against input value, as a
 * staircase, for the focused quantizer and for linear, over the identity line.
 */
import { bisectRight, scaleLinear } from 'd3';
import type { Method } from '../../core/params';
import { METHOD_COLORS, METHOD_LABELS } from '../colors';
import {
  finiteSorted,
  linearTicks,
  px,
  safeDomain,
  safeSize,
  widestLabel,
  type Frame,
  type Tick,
} from '../common/geometry';
import type { LevelSet, TransferChartProps } from '../types';

export type TransferInput = Pick<TransferChartProps, 'focus' | 'linear' | 'domain'>;

/** One staircase: an SVG path and its steps (the code's input range and output level). */
export interface Staircase {
  method: Method;
  label: string;
  color: string;
  path: string;
  steps: { code: number; from: number; to: number; level: number }[];
}

export interface TransferLayout extends Frame {
  xDomain: [number, number];
  yDomain: [number, number];
  xTicks: Tick[];
  yTicks: Tick[];
  xLabel: string;
  yLabel: string;
  xLabelOffset: number;
  yLabelOffset: number;
  /** The y = x line from the domain's start to its end (clipped to the y domain). */
  identity: { x1: number; y1: number; x2: number; y2: number };
  focus: Staircase;
  linear: Staircase;
}

/**
 * The steps of `set` over `domain`: for each run of input values with one code, the code's level.
 * Codes whose level is not finite are skipped; coinciding thresholds produce no zero-width step.
 */
export function staircaseSteps(set: LevelSet, domain: [number, number]): Staircase['steps'] {
  const thresholds = finiteSorted(set.thresholds);
  const [d0, d1] = domain;
  const cuts = [d0, ...thresholds.filter((t) => t > d0 && t < d1), d1];
  const steps: Staircase['steps'] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const from = cuts[i],
      to = cuts[i + 1];
    if (to <= from) continue;
    const code = bisectRight(thresholds, from);
    const level = set.levels[code];
    if (level === undefined || !Number.isFinite(level)) continue;
    steps.push({ code, from, to, level });
  }
  return steps;
}

function staircase(
  set: LevelSet,
  domain: [number, number],
  x: (v: number) => number,
  y: (v: number) => number,
  method: Method,
): Staircase {
  const steps = staircaseSteps(set, domain);
  let path = '';
  let prevTo = NaN;
  for (const s of steps) {
    // Continuous risers between adjacent steps; a gap (skipped code) starts a new sub-path.
    path +=
      s.from === prevTo ? `V${px(y(s.level))}H${px(x(s.to))}` : `M${px(x(s.from))},${px(y(s.level))}H${px(x(s.to))}`;
    prevTo = s.to;
  }
  return { method, label: METHOD_LABELS[method], color: METHOD_COLORS[method], path, steps };
}

/** Lays out the transfer chart for `width` × `height` px. */
export function layoutTransfer(input: TransferInput, width: number, height: number): TransferLayout {
  const size = safeSize(width, height);
  const { focus, linear } = input;
  const xDomain = safeDomain(input.domain, [...focus.levels, ...linear.levels]);
  // Only the levels reachable inside the shown input range, so a zoomed view is not squashed.
  const reachable = [...staircaseSteps(focus, xDomain), ...staircaseSteps(linear, xDomain)].map((s) => s.level);
  const yDomain = safeDomain(null, [...xDomain, ...reachable]);
  const margin = { top: 30, right: 16, bottom: 44, left: 0 };
  const plotHeight = Math.max(40, size.height - margin.top - margin.bottom);
  const ys = scaleLinear().domain(yDomain).range([plotHeight, 0]);
  const yTicks = linearTicks(ys, Math.max(2, Math.round(plotHeight / 45)));
  const yTickWidth = widestLabel(yTicks);
  margin.left = Math.ceil(Math.max(48, yTickWidth + 30));
  const plotWidth = Math.max(40, size.width - margin.left - margin.right);
  const xs = scaleLinear().domain(xDomain).range([0, plotWidth]);
  const xTicks = linearTicks(xs, Math.max(2, Math.round(plotWidth / 90)));
  const x = (v: number) => xs(v),
    y = (v: number) => ys(v);

  const i0 = Math.max(xDomain[0], yDomain[0]),
    i1 = Math.min(xDomain[1], yDomain[1]);
  const identity =
    i1 > i0 ? { x1: px(x(i0)), y1: px(y(i0)), x2: px(x(i1)), y2: px(y(i1)) } : { x1: 0, y1: 0, x2: 0, y2: 0 };

  return {
    width: size.width,
    height: size.height,
    margin,
    plotWidth,
    plotHeight,
    xDomain,
    yDomain,
    xTicks,
    yTicks,
    xLabel: 'input value',
    yLabel: 'output level',
    xLabelOffset: 38,
    yLabelOffset: Math.ceil(yTickWidth + 16),
    identity,
    focus: staircase(focus, xDomain, x, y, focus.method),
    linear: staircase(linear, xDomain, x, y, linear.method),
  };
}
