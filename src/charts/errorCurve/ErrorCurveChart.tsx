/** chart.errorCurve: MSE (log) or SQNR against bits for every method, current bits marked. */
import { memo, useMemo } from 'react';
import { format } from 'd3';
import { BG, FG, MUTED } from '../colors';
import { AxisBottom, AxisLeft, Grid } from '../common/Axis';
import { ChartSvg } from '../common/ChartSvg';
import { chartPropsEqual, memoByValue } from '../common/memoChart';
import { useContainerWidth } from '../useContainerWidth';
import type { ErrorCurveChartProps } from '../types';
import { layoutErrorCurve, type ErrorCurve } from './layout';

const formatValue = format('.4~g');

/** One method's curve and points (by value: a BS-KMQ change leaves the other methods' series as they were). */
const Series = memoByValue(function Series({
  curve: c,
  scale,
}: {
  curve: ErrorCurve;
  scale: ErrorCurveChartProps['scale'];
}) {
  const unit = scale === 'mse' ? 'MSE' : 'SQNR';
  return (
    <g className="series" data-method={c.method}>
      <path className="curve" d={c.path} fill="none" stroke={c.color} strokeWidth={2} strokeLinejoin="round" />
      {c.points.map((p) => (
        <circle
          key={p.bits}
          className={p.current ? 'point current' : 'point'}
          cx={p.x}
          cy={p.y}
          r={p.current ? 5 : 3}
          fill={p.current ? c.color : BG}
          stroke={c.color}
          strokeWidth={p.current ? 2 : 1.5}
        >
          <title>{`${c.label}, ${p.bits} b: ${unit} ${formatValue(p.value)}${scale === 'sqnr' ? ' dB' : ''}`}</title>
        </circle>
      ))}
    </g>
  );
});

function ErrorCurveChartView(props: ErrorCurveChartProps) {
  const { curves, bits, scale, readout, height = 300, svgRef } = props;
  const [containerRef, measured] = useContainerWidth();
  const width = props.width ?? measured;
  const layout = useMemo(
    () => layoutErrorCurve({ curves, bits, scale, readout }, width, height),
    [curves, bits, scale, readout, width, height],
  );
  const { margin, plotWidth, plotHeight } = layout;
  const unit = scale === 'mse' ? 'MSE' : 'SQNR';

  return (
    <ChartSvg
      testId="chart.errorCurve"
      containerRef={containerRef}
      svgRef={svgRef}
      width={layout.width}
      height={layout.height}
      title={`${unit} against bits for every method`}
    >
      <g transform={`translate(${margin.left},${margin.top})`}>
        <Grid x={layout.xTicks} y={layout.yTicks} width={plotWidth} height={plotHeight} />
        {layout.current && (
          <g className="current-bits">
            <rect x={layout.current.x - 10} y={0} width={20} height={plotHeight} fill={FG} fillOpacity={0.06} />
            <line
              x1={layout.current.x}
              x2={layout.current.x}
              y1={0}
              y2={plotHeight}
              stroke={MUTED}
              strokeDasharray="3 3"
            />
          </g>
        )}
        {layout.curves.map((c) => (
          <Series key={c.method} curve={c} scale={scale} />
        ))}
        <g transform={`translate(0,${plotHeight})`}>
          <AxisBottom
            ticks={layout.xTicks}
            length={plotWidth}
            label={layout.xLabel}
            labelOffset={layout.xLabelOffset}
          />
        </g>
        <AxisLeft ticks={layout.yTicks} length={plotHeight} label={layout.yLabel} labelOffset={layout.yLabelOffset} />
        <g className="legend">
          {layout.legend.map((l) => (
            <g key={l.method} className="legend-item" data-method={l.method} transform={`translate(${l.x},${l.y})`}>
              <line x1={0} x2={18} y1={0} y2={0} stroke={l.color} strokeWidth={2} />
              <circle cx={9} cy={0} r={3} fill={BG} stroke={l.color} strokeWidth={1.5} />
              <text x={24} dy="0.32em" fill={FG}>
                {l.label}
              </text>
            </g>
          ))}
        </g>
        {layout.readout && (
          <text className="readout" x={layout.readout.x} y={layout.readout.y} fontSize={13} fontWeight={600} fill={FG}>
            {layout.readout.text}
          </text>
        )}
      </g>
    </ChartSvg>
  );
}

/** Re-renders only when an input changed. */
export const ErrorCurveChart = memo(ErrorCurveChartView, chartPropsEqual<ErrorCurveChartProps>());
