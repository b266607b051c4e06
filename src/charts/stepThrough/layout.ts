/**
 * Pure geometry of the K-means step-through: one frame's levels and thresholds over the histogram
 * (chart.step), and the MSE of every frame (chart.stepMse).
 *
 * The histogram underneath — bars, spikes, bands, axes, the value scale — is `layoutHistogram`'s,
 * so the step-through and the main histogram draw the same data the same way. On top come the
 * frame's levels one mark per level index (a level keeps its key from frame to frame, so it can be
 * seen moving), the seeds chosen in the frame, k-means++'s candidates and BS-KMQ's pinned levels.
 */
import { line, scaleLinear, scaleLog, scaleSqrt } from 'd3';
import type { Method } from '../../core/params';
import { METHOD_COLORS } from '../colors';
import { linearTicks, logTicks, px, safeSize, widestLabel, type Frame, type Tick } from '../common/geometry';
import { layoutHistogram, type HistogramLayout } from '../histogram/layout';
import type { HistogramChartProps } from '../types';

/** The frame drawn: its levels and thresholds, plus what seeding picked in it. */
export interface StepFrameView {
  levels: ArrayLike<number>;
  thresholds: ArrayLike<number>;
  chosen?: ArrayLike<number>;
  candidates?: ArrayLike<number>;
}

export interface StepInput extends Pick<HistogramChartProps, 'data' | 'log' | 'domain' | 'bands'> {
  method: Method;
  frame: StepFrameView;
  /** Values of pinned levels (drawn heavier, labelled). */
  pinned: readonly number[];
}

/** Level j of the frame; `stack` > 0 when earlier levels share its value (drawn as ×n). */
export interface StepLevelMark {
  index: number;
  value: number;
  x: number;
  pinned: boolean;
  stack: number;
}

export interface StepLayout {
  histogram: HistogramLayout;
  color: string;
  levels: StepLevelMark[];
  /** Values equal to several levels: a marker with the count, at the top. */
  coincident: { x: number; value: number; count: number }[];
  thresholds: { index: number; value: number; x: number }[];
  chosen: { x: number; value: number }[];
  candidates: { x: number; value: number; chosen: boolean }[];
}

function inDomain(v: number, [d0, d1]: [number, number]): boolean {
  const eps = (d1 - d0) * 1e-9;
  return Number.isFinite(v) && v >= d0 - eps && v <= d1 + eps;
}

/** Lays out one frame over the histogram, `width` × `height` px. Never throws on empty or non-finite data. */
export function layoutStep(input: StepInput, width: number, height: number): StepLayout {
  const levelsIn = Array.from(input.frame.levels);
  const histogram = layoutHistogram(
    {
      data: input.data,
      log: input.log,
      domain: input.domain,
      bands: input.bands,
      rugs: [],
      focus: { method: input.method, levels: levelsIn, thresholds: Array.from(input.frame.thresholds) },
    },
    width,
    height,
  );
  const xs = scaleLinear().domain(histogram.xDomain).range(histogram.xRange);
  const dom = histogram.xDomain;
  const pinned = new Set(input.pinned);
  const seen = new Map<number, number>();
  const levels: StepLevelMark[] = [];
  levelsIn.forEach((value, index) => {
    if (!inDomain(value, dom)) return;
    const stack = seen.get(value) ?? 0;
    seen.set(value, stack + 1);
    levels.push({ index, value, x: px(xs(value)), pinned: pinned.has(value) && stack === 0, stack });
  });
  const coincident = [...seen].filter(([, n]) => n > 1).map(([value, count]) => ({ x: px(xs(value)), value, count }));
  const thresholds = Array.from(input.frame.thresholds)
    .map((value, index) => ({ index, value, x: 0 }))
    .filter((t) => inDomain(t.value, dom))
    .map((t) => ({ ...t, x: px(xs(t.value)) }));
  const chosenValues = Array.from(input.frame.chosen ?? []);
  const chosen = chosenValues.filter((v) => inDomain(v, dom)).map((value) => ({ x: px(xs(value)), value }));
  const last = chosenValues[chosenValues.length - 1];
  const candidates = Array.from(input.frame.candidates ?? [])
    .filter((v) => inDomain(v, dom))
    .map((value) => ({ x: px(xs(value)), value, chosen: value === last }));
  // A spike's label sits in the top margin when the spike is tall, where the seed markers (▼) and the
  // k-means++ candidates are drawn: one that would be overprinted moves above them.
  const markers = [...chosen.map((c) => c.x), ...candidates.map((c) => c.x)];
  const spikes = histogram.spikes.map((s) => {
    if (s.labelY >= 0 || markers.length === 0) return s;
    const w = s.label.length * SPIKE_LABEL_CHAR_PX;
    const x0 = s.labelAnchor === 'start' ? s.labelX : s.labelAnchor === 'end' ? s.labelX - w : s.labelX - w / 2;
    const hit = markers.some((x) => x >= x0 - MARKER_HALF_PX && x <= x0 + w + MARKER_HALF_PX);
    return hit ? { ...s, labelY: ABOVE_MARKERS_Y } : s;
  });
  return {
    histogram: { ...histogram, spikes },
    color: METHOD_COLORS[input.method],
    levels,
    coincident,
    thresholds,
    chosen,
    candidates,
  };
}

/** Rough width of a spike label's character at 11 px, for the overlap test with the markers. */
const SPIKE_LABEL_CHAR_PX = 6.5;
/** Half the width of a seed marker (▼ is 12 px wide) plus a gap. */
const MARKER_HALF_PX = 8;
/** Baseline of a spike label lifted above the seed markers (they reach up to y = −18). */
const ABOVE_MARKERS_Y = -22;

/** One MSE series of the plot: a value per frame (NaN where there is none). */
export interface StepMseSeries {
  key: string;
  label: string;
  color: string;
  dashed: boolean;
  values: ArrayLike<number>;
}

export interface StepMseInput {
  series: StepMseSeries[];
  /** Frames drawn along x: 0 … frames − 1. */
  frames: number;
  /** Seeding frames at the start (shaded). */
  seedFrames: number;
  /** The frame shown. */
  current: number;
  /** The first frame from which the levels no longer change visibly (0-based); marked when before the last frame. */
  settledFrame?: number;
}

/** From this many frames on, the frame axis is a square-root scale, so the early, moving frames get most of the width. */
export const SQRT_FRAME_AXIS_FROM = 25;
/** Frame numbers (1-based) a square-root frame axis may label, as many as fit. */
const SQRT_TICK_STEPS = [1, 2, 5];

export interface StepMseLayout extends Frame {
  xTicks: Tick[];
  yTicks: Tick[];
  log: boolean;
  xLabel: string;
  yLabel: string;
  xLabelOffset: number;
  yLabelOffset: number;
  paths: {
    key: string;
    label: string;
    color: string;
    dashed: boolean;
    d: string;
    current: { x: number; y: number } | null;
  }[];
  seedBand: { x: number; width: number } | null;
  cursor: number;
  /** Where the levels stop changing visibly: a line at `x`, the rest of the plot shaded, and a label. */
  settled: { x: number; frame: number; label: string } | null;
  legend: { key: string; label: string; color: string; dashed: boolean; x: number }[];
}

/**
 * MSE per frame: log y when every value is positive and they span more than a decade (seeding's
 * first frames have far higher MSE than the converged ones), linear otherwise.
 */
export function layoutStepMse(input: StepMseInput, width: number, height: number): StepMseLayout {
  const size = safeSize(width, height);
  const frames = Math.max(1, input.frames);
  const all: number[] = [];
  for (const s of input.series)
    for (let i = 0; i < s.values.length; i++) if (Number.isFinite(s.values[i])) all.push(s.values[i]);
  const lo = all.length ? Math.min(...all) : 0,
    hi = all.length ? Math.max(...all) : 1;
  const log = lo > 0 && hi / lo > 10;
  const margin = { top: 26, right: 14, bottom: 40, left: 0 };
  const plotHeight = Math.max(40, size.height - margin.top - margin.bottom);
  let y: (v: number) => number;
  let yTicks: Tick[];
  if (log) {
    const ys = scaleLog()
      .domain([lo / 1.2, hi * 1.2])
      .range([plotHeight, 0]);
    y = (v) => ys(v);
    yTicks = logTicks(ys, '.2~e', Math.max(2, Math.floor(plotHeight / 26)));
  } else {
    const top = hi > lo ? hi + (hi - lo) * 0.08 : hi > 0 ? hi * 1.1 : 1;
    const bottom = hi > lo ? Math.max(0, lo - (hi - lo) * 0.08) : 0;
    const ys = scaleLinear().domain([bottom, top]).range([plotHeight, 0]).nice();
    y = (v) => ys(v);
    yTicks = linearTicks(ys, Math.max(2, Math.round(plotHeight / 40)), '.3~g');
  }
  const yTickWidth = widestLabel(yTicks);
  margin.left = Math.ceil(Math.max(48, yTickWidth + 30));
  const plotWidth = Math.max(40, size.width - margin.left - margin.right);
  const sqrtAxis = frames >= SQRT_FRAME_AXIS_FROM;
  const xs = (sqrtAxis ? scaleSqrt() : scaleLinear()).domain([0, Math.max(1, frames - 1)]).range([0, plotWidth]);
  const xTicks = sqrtAxis
    ? sqrtFrameTicks(xs, frames)
    : linearTicks(xs, Math.max(2, Math.min(frames, Math.round(plotWidth / 70))), 'd')
        .filter((t) => Number.isInteger(t.value))
        .map((t) => ({ ...t, label: String(t.value + 1) }));
  const current = Math.min(frames - 1, Math.max(0, input.current));
  const paths = input.series.map((s) => {
    const pts: [number, number][] = [];
    for (let i = 0; i < Math.min(frames, s.values.length); i++) {
      const v = s.values[i];
      if (Number.isFinite(v) && (!log || v > 0)) pts.push([px(xs(i)), px(y(v))]);
    }
    const v = s.values[Math.min(current, s.values.length - 1)];
    const cur =
      Number.isFinite(v) && (!log || v > 0) ? { x: px(xs(Math.min(current, s.values.length - 1))), y: px(y(v)) } : null;
    return { key: s.key, label: s.label, color: s.color, dashed: s.dashed, d: line()(pts) ?? '', current: cur };
  });
  const seedBand =
    input.seedFrames > 0 ? { x: 0, width: px(xs(Math.min(frames - 1, input.seedFrames - 0.5)) - xs(0)) } : null;
  let lx = 0;
  const legend = input.series.map((s) => {
    const item = { key: s.key, label: s.label, color: s.color, dashed: s.dashed, x: lx };
    lx += 26 + Math.ceil(s.label.length * 11 * 0.62) + 14;
    return item;
  });
  return {
    width: size.width,
    height: size.height,
    margin,
    plotWidth,
    plotHeight,
    xTicks,
    yTicks,
    log,
    xLabel: `frame${sqrtAxis ? ' (√ scale)' : ''}: seeding shaded, then one Lloyd iteration per frame`,
    yLabel: log ? 'MSE (log)' : 'MSE',
    xLabelOffset: 34,
    yLabelOffset: Math.ceil(yTickWidth + 16),
    paths,
    seedBand: seedBand && seedBand.width > 0 ? seedBand : null,
    cursor: px(xs(current)),
    legend,
    settled: settledMark(input.settledFrame, frames, xs),
  };
}

/** Labels frame numbers 1, 2, 5, 10, 20, 50, … (and the last frame) on a square-root axis, at least 26 px apart. */
function sqrtFrameTicks(xs: (v: number) => number, frames: number): Tick[] {
  const numbers: number[] = [];
  for (let decade = 1; decade <= frames; decade *= 10) {
    for (const step of SQRT_TICK_STEPS) if (step * decade <= frames) numbers.push(step * decade);
  }
  if (numbers[numbers.length - 1] !== frames) numbers.push(frames);
  const ticks: Tick[] = [];
  for (const n of numbers) {
    const position = px(xs(n - 1));
    const previous = ticks[ticks.length - 1];
    if (previous && position - previous.pos < 26) {
      // The last frame's label wins over a crowded round number before it.
      if (n !== frames) continue;
      ticks.pop();
    }
    ticks.push({ value: n - 1, pos: position, label: String(n) });
  }
  return ticks;
}

function settledMark(settled: number | undefined, frames: number, xs: (v: number) => number): StepMseLayout['settled'] {
  if (settled === undefined || !Number.isInteger(settled) || settled < 0 || settled >= frames - 1) return null;
  return { x: px(xs(settled)), frame: settled, label: `no visible change after frame ${settled + 1}` };
}
