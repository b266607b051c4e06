/**
 * Small deterministic inputs for the chart tests and snapshots: a ReLU6-like histogram on [0, 6] with
 * exact spikes at both boundaries, hand-written 2-bit quantizers, and error curves that fall 6 dB/bit.
 */
import type { ErrorCurveChartProps, HistogramChartProps, LevelSet } from './types';

export const HIST_DATA: HistogramChartProps['data'] = {
  edges: [0, 0.75, 1.5, 2.25, 3, 3.75, 4.5, 5.25, 6],
  counts: [400, 360, 300, 220, 150, 90, 50, 20],
  total: 3000,
  spikes: [
    { value: 0, count: 1200, share: 0.4 },
    { value: 6, count: 210, share: 0.07 },
  ],
};

export const BSKMQ_2B: LevelSet = { method: 'bskmq', levels: [0, 1, 2.5, 6], thresholds: [0.5, 1.75, 4.25] };
export const LINEAR_2B: LevelSet = { method: 'linear', levels: [0.75, 2.25, 3.75, 5.25], thresholds: [1.5, 3, 4.5] };
/** cdf with a 40 % spike at 0: two quantile thresholds fall on the spike, so code 1 is wasted. */
export const CDF_2B: LevelSet = { method: 'cdf', levels: [0, 0, 0.9, 3], thresholds: [0, 0, 1.6] };

export const HIST_PROPS: HistogramChartProps = {
  data: HIST_DATA,
  log: false,
  domain: [0, 6],
  bands: { low: [0, 0.12], high: [5.88, 6] },
  focus: BSKMQ_2B,
  rugs: [LINEAR_2B, CDF_2B],
};

const FACTORS = { linear: 3, cdf: 2.2, bskmq: 1.05, optimal: 1 } as const;
export const ERROR_CURVES: ErrorCurveChartProps['curves'] = (Object.keys(FACTORS) as (keyof typeof FACTORS)[]).map(
  (m) => {
    const mse = Array.from({ length: 8 }, (_, i) => FACTORS[m] * 4 ** -(i + 1));
    return { method: m, mse, sqnrDb: mse.map((v) => 10 * Math.log10(1 / v)) };
  },
);
