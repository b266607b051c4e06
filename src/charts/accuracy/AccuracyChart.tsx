/** chart.accuracy: a network's PTQ accuracy against bits for every method, the float accuracy as a line. */
import { memo, useMemo } from 'react';
import { BG, FG, MUTED } from '../colors';
import { AxisBottom, AxisLeft, Grid } from '../common/Axis';
import { ChartSvg } from '../common/ChartSvg';
import { useContainerWidth } from '../useContainerWidth';
import { layoutAccuracy, type AccuracyInput } from './layout';

export interface AccuracyChartProps extends AccuracyInput {
  height?: number;
}

function AccuracyChartView(props: AccuracyChartProps) {
  const { series, floatAccuracy, tolerance, bits, metric, height = 300 } = props;
  const [containerRef, width] = useContainerWidth();
  const layout = useMemo(
    () => layoutAccuracy({ series, floatAccuracy, tolerance, bits, metric }, width, height),
    [series, floatAccuracy, tolerance, bits, metric, width, height],
  );
  const { margin, plotWidth, plotHeight } = layout;
  return (
    <ChartSvg
      testId="chart.accuracy"
      containerRef={containerRef}
      width={layout.width}
      height={layout.height}
      title="Network accuracy against bits for every method"
    >
      <g transform={`translate(${margin.left},${margin.top})`}>
        <Grid x={layout.xTicks} y={layout.yTicks} width={plotWidth} height={plotHeight} />
        {layout.float && (
          <g className="float-accuracy">
            <rect
              x={0}
              y={layout.float.y}
              width={plotWidth}
              height={Math.max(0, layout.float.bandY - layout.float.y)}
              fill={FG}
              fillOpacity={0.07}
            />
            <line
              x1={0}
              x2={plotWidth}
              y1={layout.float.y}
              y2={layout.float.y}
              stroke={FG}
              strokeWidth={1.5}
              strokeDasharray="6 3"
            />
            <text x={4} y={layout.float.y - 5} fill={FG} fontSize={12}>
              {layout.float.label} (shaded: within {Math.round(tolerance * 100)} %)
            </text>
          </g>
        )}
        {layout.current && (
          <line
            className="current-bits"
            x1={layout.current.x}
            x2={layout.current.x}
            y1={0}
            y2={plotHeight}
            stroke={MUTED}
            strokeDasharray="3 3"
          />
        )}
        {layout.curves.map((c) => (
          <g key={c.method} className="series" data-method={c.method}>
            <path className="curve" d={c.path} fill="none" stroke={c.color} strokeWidth={2} strokeLinejoin="round" />
            {c.points.map((p) => (
              <g key={p.bits}>
                {p.needed && (
                  <circle className="needed" cx={p.x} cy={p.y} r={8} fill="none" stroke={c.color} strokeWidth={1.5} />
                )}
                <circle
                  className={p.current ? 'point current' : 'point'}
                  cx={p.x}
                  cy={p.y}
                  r={p.current ? 5 : 3}
                  fill={p.current ? c.color : BG}
                  stroke={c.color}
                  strokeWidth={1.5}
                  data-bits={p.bits}
                >
                  <title>{`${c.label}, ${p.bits} b: ${(p.value * 100).toFixed(2)} %`}</title>
                </circle>
              </g>
            ))}
          </g>
        ))}
        <g transform={`translate(0,${plotHeight})`}>
          <AxisBottom ticks={layout.xTicks} length={plotWidth} label={layout.xLabel} labelOffset={38} />
        </g>
        <AxisLeft ticks={layout.yTicks} length={plotHeight} label={layout.yLabel} labelOffset={44} />
        <g className="legend">
          {layout.legend.map((l) => (
            <g key={l.method} className="legend-item" data-method={l.method} transform={`translate(${l.x},${l.y})`}>
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

export const AccuracyChart = memo(AccuracyChartView);
