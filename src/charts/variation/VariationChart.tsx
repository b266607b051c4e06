/** chart.variation: mean MSE and its 5–95 % band under reference variation, against bits, for every method. */
import { memo, useMemo } from 'react';
import { format } from 'd3';
import { BG, FG, MUTED } from '../colors';
import { AxisBottom, AxisLeft, Grid } from '../common/Axis';
import { ChartSvg } from '../common/ChartSvg';
import { chartPropsEqual, memoByValue } from '../common/memoChart';
import { useContainerWidth } from '../useContainerWidth';
import { layoutVariation, type VariationChartProps, type VariationCurve } from './layout';

const formatMse = format('.4~g');

/** One method's mean and nominal curves and points (by value: a BS-KMQ change leaves the others as they were). */
const Series = memoByValue(function Series({
  curve: c,
  currentBits,
}: {
  curve: VariationCurve;
  currentBits: number | null;
}) {
  return (
    <g className="series" data-method={c.method}>
      <path className="nominal" d={c.nominalPath} fill="none" stroke={c.color} strokeWidth={1} strokeDasharray="2 3" />
      <path className="mean" d={c.meanPath} fill="none" stroke={c.color} strokeWidth={2} strokeLinejoin="round" />
      {c.points.map((p) => (
        <circle
          key={p.bits}
          className="point"
          cx={p.x}
          cy={p.y}
          r={p.bits === currentBits ? 4.5 : 3}
          fill={p.bits === currentBits ? c.color : BG}
          stroke={c.color}
          strokeWidth={1.5}
        >
          <title>
            {`${c.label}, ${p.bits} b: mean MSE ${formatMse(p.mean)} (5–95 %: ${formatMse(p.q05)}–${formatMse(p.q95)}),` +
              ` unperturbed ${formatMse(p.nominal)}`}
          </title>
        </circle>
      ))}
    </g>
  );
});

function VariationChartView(props: VariationChartProps) {
  const { curves, bits, height = 300, svgRef } = props;
  const [containerRef, measured] = useContainerWidth();
  const width = props.width ?? measured;
  const layout = useMemo(() => layoutVariation({ curves, bits }, width, height), [curves, bits, width, height]);
  const { margin, plotWidth, plotHeight } = layout;

  return (
    <ChartSvg
      testId="chart.variation"
      containerRef={containerRef}
      svgRef={svgRef}
      width={layout.width}
      height={layout.height}
      title="Mean MSE and its 5–95 % band under reference variation, against bits"
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
          <path
            key={c.method}
            className="band"
            data-method={c.method}
            d={c.bandPath}
            fill={c.color}
            fillOpacity={0.16}
            stroke="none"
          />
        ))}
        {layout.curves.map((c) => (
          <Series key={c.method} curve={c} currentBits={layout.current?.bits ?? null} />
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
              <rect x={0} y={-5} width={18} height={10} fill={l.color} fillOpacity={0.16} />
              <line x1={0} x2={18} y1={0} y2={0} stroke={l.color} strokeWidth={2} />
              <text x={24} dy="0.32em" fill={FG}>
                {l.label}
              </text>
            </g>
          ))}
        </g>
      </g>
    </ChartSvg>
  );
}

/** Re-renders only when an input changed. */
export const VariationChart = memo(VariationChartView, chartPropsEqual<VariationChartProps>());
