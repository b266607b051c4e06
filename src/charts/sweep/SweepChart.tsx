/** chart.sweep: BS-KMQ's MSE against the band setting, with K-means and optimal reference lines. */
import { memo, useMemo } from 'react';
import { format } from 'd3';
import { BG, FG, MUTED } from '../colors';
import { AxisBottom, AxisLeft, Grid } from '../common/Axis';
import { ChartSvg } from '../common/ChartSvg';
import { chartPropsEqual, memoByValue } from '../common/memoChart';
import { HALO } from '../common/Halo';
import { useContainerWidth } from '../useContainerWidth';
import type { SweepChartProps } from '../types';
import { layoutSweep, type SweepLayout } from './layout';

const formatMse = format('.4~g');
/** The swept setting: a band as a share of the range, a percentile as a number. */
const formatterOfAxis = (axis: SweepChartProps['axis']) => format(axis === 'band' ? '.3~%' : '~g');

type CurveProps = Pick<SweepLayout, 'references' | 'path' | 'points' | 'color'> &
  Pick<SweepChartProps, 'axis'> & { plotWidth: number };

/** The reference lines, the curve and its points (by value: dragging the band moves only the current marker). */
const Curve = memoByValue(function Curve({ references, path, points, color, axis, plotWidth }: CurveProps) {
  const formatX = formatterOfAxis(axis);
  return (
    <>
      {references.map((r) => (
        <g key={r.kind} className="reference" data-ref={r.kind}>
          <line x1={0} x2={plotWidth} y1={r.y} y2={r.y} stroke={r.color} strokeWidth={1.5} strokeDasharray="6 4" />
          <text x={plotWidth + 6} y={r.labelY} dy="0.32em" fill={r.color} fontSize={11} fontWeight={600}>
            {r.label}
          </text>
          <title>{`${r.label}: MSE ${formatMse(r.value)}`}</title>
        </g>
      ))}
      <path className="curve" d={path} fill="none" stroke={color} strokeWidth={2} />
      {points.map((p) => (
        <circle key={p.xValue} className="point" cx={p.x} cy={p.y} r={2.5} fill={color}>
          <title>{`${formatX(p.xValue)}: MSE ${formatMse(p.mse)}`}</title>
        </circle>
      ))}
    </>
  );
});

function SweepChartView(props: SweepChartProps) {
  const { axis, x, mse, kmeansMse, optimalMse, current, height = 280, svgRef } = props;
  const [containerRef, measured] = useContainerWidth();
  const width = props.width ?? measured;
  const layout = useMemo(
    () => layoutSweep({ axis, x, mse, kmeansMse, optimalMse, current }, width, height),
    [axis, x, mse, kmeansMse, optimalMse, current, width, height],
  );
  const { margin, plotWidth, plotHeight } = layout;
  const formatX = formatterOfAxis(axis);

  const rightHalf = layout.current !== null && layout.current.x > plotWidth / 2;

  return (
    <ChartSvg
      testId="chart.sweep"
      containerRef={containerRef}
      svgRef={svgRef}
      width={layout.width}
      height={layout.height}
      title="BS-KMQ MSE against the suppression band"
    >
      <g transform={`translate(${margin.left},${margin.top})`}>
        <Grid x={layout.xTicks} y={layout.yTicks} width={plotWidth} height={plotHeight} />
        <Curve
          references={layout.references}
          path={layout.path}
          points={layout.points}
          color={layout.color}
          axis={axis}
          plotWidth={plotWidth}
        />
        {layout.current && (
          <g className="current">
            <line
              x1={layout.current.x}
              x2={layout.current.x}
              y1={0}
              y2={plotHeight}
              stroke={MUTED}
              strokeDasharray="3 3"
            />
            <circle
              cx={layout.current.x}
              cy={layout.current.y}
              r={5.5}
              fill={BG}
              stroke={layout.color}
              strokeWidth={2.5}
            />
            <text
              x={layout.current.x + (rightHalf ? -8 : 8)}
              y={layout.current.y - 9}
              fontSize={11}
              fill={FG}
              textAnchor={rightHalf ? 'end' : 'start'}
              {...HALO}
            >
              {`current ${formatX(layout.current.xValue)}: ${formatMse(layout.current.mse)}`}
            </text>
          </g>
        )}
        <g transform={`translate(0,${plotHeight})`}>
          <AxisBottom
            ticks={layout.xTicks}
            length={plotWidth}
            label={layout.xLabel}
            labelOffset={layout.xLabelOffset}
          />
        </g>
        <AxisLeft ticks={layout.yTicks} length={plotHeight} label={layout.yLabel} labelOffset={layout.yLabelOffset} />
      </g>
    </ChartSvg>
  );
}

/** Re-renders only when an input changed (current compared by value). */
export const SweepChart = memo(SweepChartView, chartPropsEqual<SweepChartProps>('current'));
