/** chart.transfer: the focused quantizer's staircase against linear's. */
import { memo, useMemo } from 'react';
import { FG, MUTED } from '../colors';
import { AxisBottom, AxisLeft, Grid } from '../common/Axis';
import { ChartSvg } from '../common/ChartSvg';
import { chartPropsEqual } from '../common/memoChart';
import { textWidth } from '../common/geometry';
import { useContainerWidth } from '../useContainerWidth';
import type { TransferChartProps } from '../types';
import { layoutTransfer } from './layout';

function TransferChartView(props: TransferChartProps) {
  const { focus, linear, domain, height = 300, svgRef } = props;
  const [containerRef, measured] = useContainerWidth();
  const width = props.width ?? measured;
  const [d0, d1] = domain;
  const layout = useMemo(
    () => layoutTransfer({ focus, linear, domain: [d0, d1] }, width, height),
    [focus, linear, d0, d1, width, height],
  );
  const { margin, plotWidth, plotHeight } = layout;
  const sameMethod = layout.focus.method === layout.linear.method;
  const entries = sameMethod ? [layout.focus] : [layout.focus, layout.linear];
  let legendX = 0;
  const legend = entries.map((s) => {
    const at = legendX;
    legendX += 26 + textWidth(s.label, 11) + 16;
    return { ...s, at };
  });

  return (
    <ChartSvg
      testId="chart.transfer"
      containerRef={containerRef}
      svgRef={svgRef}
      width={layout.width}
      height={layout.height}
      title={`Transfer function of ${layout.focus.label} against linear`}
    >
      <g transform={`translate(${margin.left},${margin.top})`}>
        <Grid x={layout.xTicks} y={layout.yTicks} width={plotWidth} height={plotHeight} />
        <line
          className="identity"
          x1={layout.identity.x1}
          y1={layout.identity.y1}
          x2={layout.identity.x2}
          y2={layout.identity.y2}
          stroke={MUTED}
          strokeDasharray="2 3"
        />
        {!sameMethod && (
          <path
            className="staircase linear"
            data-method={layout.linear.method}
            d={layout.linear.path}
            fill="none"
            stroke={layout.linear.color}
            strokeWidth={1.5}
            strokeDasharray="6 3"
          />
        )}
        <path
          className="staircase focus"
          data-method={layout.focus.method}
          d={layout.focus.path}
          fill="none"
          stroke={layout.focus.color}
          strokeWidth={2.25}
        />
        <g transform={`translate(0,${plotHeight})`}>
          <AxisBottom
            ticks={layout.xTicks}
            length={plotWidth}
            label={layout.xLabel}
            labelOffset={layout.xLabelOffset}
          />
        </g>
        <AxisLeft ticks={layout.yTicks} length={plotHeight} label={layout.yLabel} labelOffset={layout.yLabelOffset} />
        <g className="legend" transform="translate(0,-12)" fontSize={11} fill={FG}>
          {legend.map((s) => (
            <g key={s.method} transform={`translate(${s.at},0)`}>
              <line
                x1={0}
                x2={20}
                y1={-4}
                y2={-4}
                stroke={s.color}
                strokeWidth={s === legend[0] ? 2.25 : 1.5}
                strokeDasharray={s === legend[0] ? undefined : '6 3'}
              />
              <text x={26}>{s.label}</text>
            </g>
          ))}
        </g>
      </g>
    </ChartSvg>
  );
}

/** Re-renders only when an input changed (domain compared by value). */
export const TransferChart = memo(TransferChartView, chartPropsEqual<TransferChartProps>('domain'));
