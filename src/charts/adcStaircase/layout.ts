/**
 * Pure geometry of the ramp-ADC staircase (chart.adcStaircase): output code against the ramp's
 * input, for the references as designed (dashed) and as a ramp of equal unit steps realizes them
 * (solid), with the unit-step grid along the bottom and the codes that snapping merged marked.
 */
import { scaleLinear } from 'd3';
import type { Method } from '../../core/params';
import { METHOD_COLORS, METHOD_LABELS } from '../colors';
import { linearTicks, px, safeDomain, safeSize, widestLabel, type Frame, type Tick } from '../common/geometry';
import type { CommonChartProps } from '../types';

/** chart.adcStaircase: a quantizer's references on a ramp ADC's grid of 2^R unit steps over [L, U]. */
export interface AdcStaircaseChartProps extends CommonChartProps {
  method: Method;
  /** The ramp's start and end. */
  L: number;
  U: number;
  /** The designed references t_1 … t_{k−1}, ascending. */
  designed: number[];
  /** The references on the grid, L + n_j · unitStep (same length), ascending. */
  snapped: number[];
  /** Width of one unit step and the number of steps over [L, U] (2^R). */
  unitStep: number;
  totalSteps: number;
  /** Codes whose width snapping made zero. */
  mergedCodes: number[];
}

export type AdcStaircaseInput = Omit<AdcStaircaseChartProps, keyof CommonChartProps>;

/** A merged code's marker: at the grid value where its two references coincide. */
export interface MergeMarker {
  code: number;
  value: number;
  x: number;
  y: number;
}

export interface AdcStaircaseLayout extends Frame {
  xTicks: Tick[];
  yTicks: Tick[];
  xLabel: string;
  yLabel: string;
  xLabelOffset: number;
  yLabelOffset: number;
  label: string;
  color: string;
  /** Staircase of the designed references (code against input). */
  designedPath: string;
  /** Staircase of the references on the grid. */
  snappedPath: string;
  /** x of the unit-step ticks drawn along the plot's bottom (every `gridStride`-th step when dense). */
  gridTicks: number[];
  gridStride: number;
  merges: MergeMarker[];
}

/** Unit-step ticks closer than this (px) are thinned to every 2nd, 4th, … step. */
const MIN_GRID_SPACING = 4;

/** Code against input: a riser at each reference, flat between; coinciding references rise at once. */
function codePath(
  refs: readonly number[],
  L: number,
  U: number,
  x: (v: number) => number,
  y: (v: number) => number,
): string {
  let d = `M${px(x(L))},${px(y(0))}`;
  refs.forEach((t, j) => {
    if (!Number.isFinite(t)) return;
    const at = Math.min(U, Math.max(L, t));
    d += `H${px(x(at))}V${px(y(j + 1))}`;
  });
  return d + `H${px(x(U))}`;
}

/** Lays out the ramp staircase for `width` × `height` px. */
export function layoutAdcStaircase(input: AdcStaircaseInput, width: number, height: number): AdcStaircaseLayout {
  const size = safeSize(width, height);
  const { method, designed, snapped, unitStep, totalSteps, mergedCodes } = input;
  const [L, U] = safeDomain([input.L, input.U], [...designed, ...snapped]);
  const k = designed.length + 1;
  const margin = { top: 16, right: 16, bottom: 44, left: 0 };
  const plotHeight = Math.max(40, size.height - margin.top - margin.bottom);
  const ys = scaleLinear()
    .domain([0, Math.max(1, k - 1)])
    .range([plotHeight, 0]);
  const yTicks = linearTicks(ys, Math.min(k, Math.max(2, Math.round(plotHeight / 30))), 'd').filter((t) =>
    Number.isInteger(t.value),
  );
  const yTickWidth = widestLabel(yTicks);
  margin.left = Math.ceil(Math.max(44, yTickWidth + 30));
  const plotWidth = Math.max(40, size.width - margin.left - margin.right);
  const xs = scaleLinear().domain([L, U]).range([0, plotWidth]);
  const xTicks = linearTicks(xs, Math.max(2, Math.round(plotWidth / 90)));
  const x = (v: number) => xs(v),
    y = (v: number) => ys(v);

  const steps = Number.isFinite(totalSteps) && totalSteps > 0 ? Math.floor(totalSteps) : 0;
  let gridStride = 1;
  while (steps > 0 && (plotWidth / steps) * gridStride < MIN_GRID_SPACING) gridStride *= 2;
  const gridTicks: number[] = [];
  if (steps > 0 && unitStep > 0) {
    for (let s = 0; s <= steps; s += gridStride) gridTicks.push(px(x(Math.min(U, L + s * unitStep))));
  }

  const merges: MergeMarker[] = [];
  for (const code of mergedCodes) {
    // Code c lies between references t_c and t_{c+1} (indices c − 1 and c); snapped, they coincide.
    const value = snapped[code - 1];
    if (value === undefined || !Number.isFinite(value)) continue;
    merges.push({ code, value, x: px(x(value)), y: px(y(code)) });
  }

  const unit = `${steps} unit steps of ${formatStep(unitStep)}`;
  return {
    width: size.width,
    height: size.height,
    margin,
    plotWidth,
    plotHeight,
    xTicks,
    yTicks,
    xLabel: `ramp input (${unit})`,
    yLabel: 'output code',
    xLabelOffset: 38,
    yLabelOffset: Math.ceil(yTickWidth + 16),
    label: METHOD_LABELS[method],
    color: METHOD_COLORS[method],
    designedPath: codePath(designed, L, U, x, y),
    snappedPath: codePath(snapped, L, U, x, y),
    gridTicks,
    gridStride,
    merges,
  };
}

function formatStep(v: number): string {
  if (!Number.isFinite(v)) return '—';
  return Number(v.toPrecision(4)).toString();
}
