/**
 * Pure geometry of the histogram (chart.histogram): bins as bars, exact spikes as annotated bars,
 * BS-KMQ's suppression bands, the focused method's levels and thresholds, and the other methods'
 * levels as rugs under the axis. All coordinates are px relative to the plot's top-left corner.
 */
import { bisectRight, format, scaleLinear, scaleLog } from 'd3';
import type { Method } from '../../core/params';
import { METHOD_COLORS, METHOD_LABELS } from '../colors';
import {
  finiteSorted,
  linearTicks,
  logTicks,
  px,
  safeDomain,
  safeSize,
  textWidth,
  widestLabel,
  type Frame,
  type Tick,
} from '../common/geometry';
import type { HistogramChartProps } from '../types';

export type HistogramInput = Pick<HistogramChartProps, 'data' | 'log' | 'domain' | 'bands' | 'focus' | 'rugs'>;

/** One bin: [x0, x1) in value terms, drawn at x … x + width. */
export interface HistogramBar {
  x: number;
  y: number;
  width: number;
  height: number;
  x0: number;
  x1: number;
  count: number;
}

/** An exact point mass. `clipped`: taller than the count axis (linear scale), drawn to the top with a break. */
export interface HistogramSpike {
  x: number;
  y: number;
  width: number;
  height: number;
  value: number;
  count: number;
  share: number;
  clipped: boolean;
  /** Its share as text (the hover readout shows it always). */
  label: string;
  /** False when the label would overlap a larger spike's: then only the readout shows it. */
  labelShown: boolean;
  labelX: number;
  labelY: number;
  labelAnchor: 'start' | 'middle' | 'end';
}

/** A suppression band, shaded across the plot's height. */
export interface HistogramBand {
  side: 'low' | 'high';
  x: number;
  width: number;
  range: [number, number];
  label: string;
  labelX: number;
  labelY: number;
  labelAnchor: 'start' | 'end';
}

/** A level or threshold position; `count` > 1 when several coincide (e.g. cdf's wasted codes). */
export interface LevelMark {
  x: number;
  value: number;
  count: number;
  firstIndex: number;
}

/** One row of rug ticks: another method's levels. */
export interface RugRow {
  method: Method;
  label: string;
  color: string;
  y: number;
  height: number;
  ticks: { x: number; value: number }[];
}

export interface HistogramLayout extends Frame {
  xDomain: [number, number];
  /** Pixel range of the value axis (inset from the plot edges so edge spikes fit). */
  xRange: [number, number];
  xTicks: Tick[];
  yTicks: Tick[];
  xLabel: string;
  yLabel: string;
  /** Offsets of the axis titles from their axis lines, px. */
  xLabelOffset: number;
  yLabelOffset: number;
  bars: HistogramBar[];
  spikes: HistogramSpike[];
  bands: HistogramBand[];
  levels: LevelMark[];
  thresholds: LevelMark[];
  rugs: RugRow[];
  focusMethod: Method;
  focusColor: string;
  /** The focus quantizer's finite thresholds, sorted, for code look-up on hover. */
  focusThresholds: number[];
  /** The focus quantizer's levels indexed by code; null where not finite. */
  focusLevels: (number | null)[];
}

/** What the tooltip shows at a pointer position. */
export interface HistogramHover {
  x: number;
  value: number;
  count: number;
  code: number;
  level: number | null;
  /** The spike under the pointer, when there is one. */
  spike: HistogramSpike | null;
  /** The bin under the pointer, when there is one. */
  bin: HistogramBar | null;
}

const SPIKE_WIDTH = 5;
const EDGE_INSET = 6;
const TOP = 36;
const RUG_ROW = 14;
const RUG_TICK = 10;
const AXIS_TICKS = 24;
const LOG_FLOOR = 0.8;
/** Rug labels: the smallest legible size; RUG_ROW leaves a line's height per label, so they never overlap. */
export const RUG_FONT = 11;

const formatShare = (share: number) => `${format('.3~r')(share * 100)} %`;

/** Groups equal finite values of a sorted list (within `eps`), keeping those inside `domain`. */
function groupMarks(
  values: readonly number[],
  domain: [number, number],
  eps: number,
  x: (v: number) => number,
): LevelMark[] {
  const marks: LevelMark[] = [];
  values.forEach((value, index) => {
    if (!Number.isFinite(value)) return;
    const last = marks[marks.length - 1];
    if (last && Math.abs(value - last.value) <= eps) {
      last.count++;
      return;
    }
    marks.push({ x: 0, value, count: 1, firstIndex: index });
  });
  return marks
    .filter((m) => m.value >= domain[0] - eps && m.value <= domain[1] + eps)
    .map((m) => ({ ...m, x: px(x(m.value)) }));
}

/** Lays out the histogram for a chart of `width` × `height` px. Never throws on empty or non-finite data. */
export function layoutHistogram(input: HistogramInput, width: number, height: number): HistogramLayout {
  const size = safeSize(width, height);
  const { data, log, focus, rugs } = input;
  const edges = data.edges ?? [];
  const counts = data.counts ?? [];
  const spikesIn = (data.spikes ?? []).filter(
    (s) => Number.isFinite(s.value) && Number.isFinite(s.count) && s.count > 0,
  );
  const xDomain = safeDomain(input.domain, [...edges, ...spikesIn.map((s) => s.value)]);
  const [d0, d1] = xDomain;
  const eps = (d1 - d0) * 1e-9;

  const bins: { x0: number; x1: number; count: number }[] = [];
  for (let i = 0; i + 1 < edges.length && i < counts.length; i++) {
    const a = edges[i],
      b = edges[i + 1],
      c = counts[i];
    if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c) || b <= a || c <= 0) continue;
    if (b <= d0 || a >= d1) continue;
    bins.push({ x0: a, x1: b, count: c });
  }
  const binMax = bins.reduce((m, b) => Math.max(m, b.count), 0);
  const spikeMax = spikesIn.reduce((m, s) => Math.max(m, s.count), 0);

  const rugRows = rugs.filter((r) => r.method !== focus.method);
  const rugBlock = rugRows.length > 0 ? 4 + rugRows.length * RUG_ROW : 0;
  const margin = { top: TOP, right: 14, bottom: AXIS_TICKS + rugBlock + 20, left: 0 };
  const plotHeight = Math.max(40, size.height - margin.top - margin.bottom);

  let yTicks: Tick[];
  let y: (count: number) => number;
  let yTop: number;
  if (log) {
    yTop = Math.max(binMax, spikeMax, 1) * 1.3;
    const ys = scaleLog().domain([LOG_FLOOR, yTop]).range([plotHeight, 0]);
    y = (c) => ys(Math.max(LOG_FLOOR, c));
    yTicks = logTicks(ys, '~s', Math.max(2, Math.floor(plotHeight / 28))).filter((t) => t.value >= 1);
  } else {
    // Spikes taller than the bins are clipped (and marked) rather than squashing every bin flat.
    const ys = scaleLinear()
      .domain([0, Math.max(binMax > 0 ? binMax : spikeMax, 1)])
      .range([plotHeight, 0])
      .nice();
    yTop = ys.domain()[1];
    y = (c) => ys(Math.min(c, yTop));
    yTicks = linearTicks(ys, Math.max(2, Math.round(plotHeight / 50)), '~s').filter((t) => Number.isInteger(t.value));
  }

  const rugLabelWidth = rugRows.reduce((w, r) => Math.max(w, textWidth(METHOD_LABELS[r.method], RUG_FONT)), 0);
  const yTickWidth = widestLabel(yTicks);
  margin.left = Math.ceil(Math.max(yTickWidth + 30, rugLabelWidth + 10, 48));
  const plotWidth = Math.max(40, size.width - margin.left - margin.right);
  const xRange: [number, number] = [EDGE_INSET, plotWidth - EDGE_INSET];
  const xs = scaleLinear().domain(xDomain).range(xRange);
  const x = (v: number) => xs(v);

  const xTicks = linearTicks(xs, Math.max(2, Math.round(plotWidth / 90)));

  const bars: HistogramBar[] = bins.map((b) => {
    const left = x(Math.max(b.x0, d0)),
      right = x(Math.min(b.x1, d1));
    // A hairline gap between wide bars; narrow bars stay solid so the shape reads.
    const gap = right - left >= 4 ? 1 : 0;
    const top = y(b.count);
    return {
      x: px(left),
      y: px(top),
      width: px(Math.max(0, right - left - gap)),
      height: px(plotHeight - top),
      x0: b.x0,
      x1: b.x1,
      count: b.count,
    };
  });

  const total = Number.isFinite(data.total) && data.total > 0 ? data.total : 0;
  const spikes: HistogramSpike[] = spikesIn
    .filter((s) => s.value >= d0 - eps && s.value <= d1 + eps)
    .map((s) => {
      const cx = x(s.value);
      const clipped = !log && s.count > yTop;
      const top = clipped ? 0 : y(s.count);
      const share = Number.isFinite(s.share) ? s.share : total > 0 ? s.count / total : 0;
      const label = formatShare(share);
      const half = textWidth(label) / 2;
      const labelAnchor = cx - half < 0 ? 'start' : cx + half > plotWidth ? 'end' : 'middle';
      const labelX = labelAnchor === 'start' ? cx - SPIKE_WIDTH / 2 : labelAnchor === 'end' ? cx + SPIKE_WIDTH / 2 : cx;
      return {
        x: px(cx - SPIKE_WIDTH / 2),
        y: px(top),
        width: SPIKE_WIDTH,
        height: px(plotHeight - top),
        value: s.value,
        count: s.count,
        share,
        clipped,
        // Near the top the label moves into the margin, clear of the coincident-threshold markers.
        label,
        labelShown: true,
        labelX: px(labelX),
        labelY: px(top >= 30 ? top - 5 : -6),
        labelAnchor,
      };
    });

  const extent = (x: number, anchor: 'start' | 'middle' | 'end', w: number) =>
    anchor === 'start' ? [x, x + w] : anchor === 'end' ? [x - w, x] : [x - w / 2, x + w / 2];
  const collide = (a: number[], b: number[], ya: number, yb: number) =>
    a[0] < b[1] + 2 && b[0] < a[1] + 2 && Math.abs(ya - yb) < 14;
  // Spike labels never overlap (several exact values close together): the largest shares keep theirs.
  const kept: HistogramSpike[] = [];
  for (const spike of [...spikes].sort((a, b) => b.share - a.share || a.value - b.value)) {
    const e = extent(spike.labelX, spike.labelAnchor, textWidth(spike.label));
    spike.labelShown = !kept.some((k) =>
      collide(e, extent(k.labelX, k.labelAnchor, textWidth(k.label)), spike.labelY, k.labelY),
    );
    if (spike.labelShown) kept.push(spike);
  }

  const bands: HistogramBand[] = [];
  for (const side of ['low', 'high'] as const) {
    const r = input.bands?.[side];
    if (!r || !Number.isFinite(r[0]) || !Number.isFinite(r[1]) || r[1] < r[0]) continue;
    const a = Math.max(r[0], d0),
      b = Math.min(r[1], d1);
    if (b < a) continue;
    // A zero-width band (bandLow = 0 means exactly the value L) is still shown, 2 px wide.
    let left = x(a),
      right = x(b);
    if (right - left < 2) {
      const c = (left + right) / 2;
      left = c - 1;
      right = c + 1;
    }
    bands.push({
      side,
      x: px(left),
      width: px(right - left),
      range: [r[0], r[1]],
      label: 'suppressed',
      labelX: px(side === 'low' ? right + 4 : left - 4),
      labelY: 34,
      labelAnchor: side === 'low' ? 'start' : 'end',
    });
  }

  // A band label moves below any spike label it would overlap (both sit near the plot's top corners).
  for (const band of bands) {
    const [b0, b1] = extent(band.labelX, band.labelAnchor, textWidth(band.label, 11));
    for (const spike of kept) {
      const [s0, s1] = extent(spike.labelX, spike.labelAnchor, textWidth(spike.label));
      if (s0 < b1 && b0 < s1 && Math.abs(spike.labelY - band.labelY) < 15) {
        band.labelY = px(Math.min(plotHeight - 4, spike.labelY + 16));
      }
    }
  }

  const focusLevels = focus.levels.map((v) => (Number.isFinite(v) ? v : null));
  const focusThresholds = finiteSorted(focus.thresholds);
  const levels = groupMarks(finiteSorted(focus.levels), xDomain, eps, x);
  const thresholds = groupMarks(focusThresholds, xDomain, eps, x);

  const rugTop = plotHeight + AXIS_TICKS + 4;
  const rugOut: RugRow[] = rugRows.map((r, i) => ({
    method: r.method,
    label: METHOD_LABELS[r.method],
    color: METHOD_COLORS[r.method],
    y: rugTop + i * RUG_ROW,
    height: RUG_TICK,
    ticks: groupMarks(finiteSorted(r.levels), xDomain, eps, x).map((m) => ({ x: m.x, value: m.value })),
  }));

  return {
    width: size.width,
    height: size.height,
    margin,
    plotWidth,
    plotHeight,
    xDomain,
    xRange,
    xTicks,
    yTicks,
    xLabel: 'value',
    yLabel: log ? 'count (log scale)' : 'count',
    xLabelOffset: AXIS_TICKS + rugBlock + 12,
    yLabelOffset: Math.ceil(yTickWidth + 16),
    bars,
    spikes,
    bands,
    levels,
    thresholds,
    rugs: rugOut,
    focusMethod: focus.method,
    focusColor: METHOD_COLORS[focus.method],
    focusThresholds,
    focusLevels,
  };
}

/** The value at horizontal plot position `x` (px), clamped to the domain. */
export function valueAt(layout: HistogramLayout, x: number): number {
  const [r0, r1] = layout.xRange,
    [d0, d1] = layout.xDomain;
  const v = d0 + ((x - r0) / (r1 - r0)) * (d1 - d0);
  return Math.min(d1, Math.max(d0, v));
}

/** What lies under horizontal plot position `x` (px): value, count of its bin or spike, focus code. */
export function hoverAt(layout: HistogramLayout, x: number): HistogramHover | null {
  if (!Number.isFinite(x) || x < 0 || x > layout.plotWidth) return null;
  const spike = layout.spikes.find((s) => x >= s.x - 2 && x <= s.x + s.width + 2) ?? null;
  const value = spike ? spike.value : valueAt(layout, x);
  const bin = spike ? null : (layout.bars.find((b) => value >= b.x0 && value < b.x1) ?? null);
  const code = bisectRight(layout.focusThresholds, value);
  return {
    x,
    value,
    count: spike ? spike.count : bin ? bin.count : 0,
    code,
    level: layout.focusLevels[code] ?? null,
    spike,
    bin,
  };
}
