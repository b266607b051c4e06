/** The charts of BS-KMQ Explorer: React components over pure layouts (see each `<name>/layout.ts`). */
export type {
  CommonChartProps,
  ErrorCurveChartProps,
  HistogramChartProps,
  HistogramData,
  LevelSet,
  OccupancyChartProps,
  SweepChartProps,
  TransferChartProps,
} from './types';
export { BG, FG, FONT_FAMILY, GRID, METHOD_COLORS, METHOD_LABELS, MUTED } from './colors';
export { useContainerWidth } from './useContainerWidth';
export { resolveCssVariables, serializeChartSvg } from './exportSvg';
export { HistogramChart } from './histogram/HistogramChart';
export { TransferChart } from './transfer/TransferChart';
export { ErrorCurveChart } from './errorCurve/ErrorCurveChart';
export { SweepChart } from './sweep/SweepChart';
export { OccupancyChart } from './occupancy/OccupancyChart';
export { StepChart, type StepChartProps } from './stepThrough/StepChart';
export { StepMseChart, type StepMseChartProps } from './stepThrough/StepMseChart';
export type { AdcStaircaseChartProps } from './adcStaircase/layout';
export { AdcStaircaseChart } from './adcStaircase/AdcStaircaseChart';
export type { VariationChartProps, VariationSeries } from './variation/layout';
export { VariationChart } from './variation/VariationChart';
