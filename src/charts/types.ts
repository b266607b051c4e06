/**
 * The data contracts of the charts: what the app hands each chart.
 * Every chart also takes optional `width` (fixed width instead of following its container; used by
 * tests and exports) and `svgRef` (the chart's <svg>, e.g. for SVG/PNG export).
 */
import type { Ref } from 'react';
import type { Method } from '../core/params';

/** A quantizer as the charts draw it: sorted levels (k) and thresholds (k − 1). */
export interface LevelSet {
  method: Method;
  levels: number[];
  thresholds: number[];
}

/**
 * A histogram of the samples. `counts[i]` counts samples in [edges[i], edges[i+1]) and should
 * exclude the spike samples, which are drawn as their own annotated bars. `share` is count / total.
 */
export interface HistogramData {
  edges: number[];
  counts: number[];
  total: number;
  spikes: { value: number; count: number; share: number }[];
}

/** Optional props common to every chart. */
export interface CommonChartProps {
  /** Height of the SVG, px (each chart has a default). */
  height?: number;
  /** Fixed width, px; by default the chart follows its container's width. */
  width?: number;
  /** Receives the chart's <svg> element (for SVG/PNG export). */
  svgRef?: Ref<SVGSVGElement>;
}

/** chart.histogram */
export interface HistogramChartProps extends CommonChartProps {
  data: HistogramData;
  /** Log count axis. */
  log: boolean;
  /** Value range shown (the zoom). */
  domain: [number, number];
  /** BS-KMQ's suppression bands as value ranges, null when empty. */
  bands: { low: [number, number] | null; high: [number, number] | null };
  /** The focused method: levels solid, thresholds dashed. */
  focus: LevelSet;
  /** Other methods, drawn as rugs of their levels under the axis. */
  rugs: LevelSet[];
  /** Called with the value range the user drags over the plot (zoom); omitted = no drag zoom. */
  onZoom?: (domain: [number, number]) => void;
}

/** chart.transfer: the focused quantizer's staircase against linear. */
export interface TransferChartProps extends CommonChartProps {
  focus: LevelSet;
  linear: LevelSet;
  domain: [number, number];
}

/** chart.errorCurve: `mse[b − 1]` and `sqnrDb[b − 1]` for b = 1..8. */
export interface ErrorCurveChartProps extends CommonChartProps {
  curves: { method: Method; mse: number[]; sqnrDb: number[] }[];
  /** The current bits, marked. */
  bits: number;
  /** `mse`: log MSE axis; `sqnr`: SQNR in dB. */
  scale: 'mse' | 'sqnr';
  /** The iso-error readout, e.g. "BS-KMQ at 3 b ≈ linear at 5.4 b". */
  readout: string | null;
}

/** chart.sweep: BS-KMQ's MSE against band width (fraction of the range) or percentile (%). */
export interface SweepChartProps extends CommonChartProps {
  axis: 'band' | 'percentile';
  x: number[];
  mse: number[];
  kmeansMse: number;
  optimalMse: number;
  current: { x: number; mse: number };
}

/** chart.occupancy: share of samples per code of the focused method. */
export interface OccupancyChartProps extends CommonChartProps {
  method: Method;
  occupancy: number[];
  levels: number[];
}
