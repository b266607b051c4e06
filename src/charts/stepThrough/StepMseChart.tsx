/** chart.stepMse: MSE of every frame of the step-through, seeding shaded, the shown frame marked. */
import { memo, useMemo, type Ref } from 'react';
import { FG, MUTED } from '../colors';
import { AxisBottom, AxisLeft, Grid } from '../common/Axis';
import { ChartSvg } from '../common/ChartSvg';
import { chartPropsEqual } from '../common/memoChart';
import { HALO } from '../common/Halo';
import { useContainerWidth } from '../useContainerWidth';
import { layoutStepMse, type StepMseInput } from './layout';

export interface StepMseChartProps extends StepMseInput {
  height?: number;
  width?: number;
  svgRef?: Ref<SVGSVGElement>;
}

function StepMseChartView(props: StepMseChartProps) {
  const { series, frames, seedFrames, current, settledFrame, height = 200, svgRef } = props;
  const [containerRef, measured] = useContainerWidth();
  const width = props.width ?? measured;
  const layout = useMemo(
    () => layoutStepMse({ series, frames, seedFrames, current, settledFrame }, width, height),
    [series, frames, seedFrames, current, settledFrame, width, height],
  );
  const { margin, plotWidth, plotHeight } = layout;
  return (
    <ChartSvg
      testId="chart.stepMse"
      containerRef={containerRef}
      svgRef={svgRef}
      width={layout.width}
      height={layout.height}
      title="MSE of every step-through frame"
    >
      <g transform={`translate(${margin.left},${margin.top})`}>
        <Grid y={layout.yTicks} width={plotWidth} height={plotHeight} />
        {layout.seedBand && (
          <g className="seed-band">
            <rect
              x={layout.seedBand.x}
              y={0}
              width={layout.seedBand.width}
              height={plotHeight}
              fill={MUTED}
              fillOpacity={0.12}
            />
            {/* Bottom-left: seeding's MSE starts high, so the curves leave that corner free. */}
            <text x={4} y={plotHeight - 4} fontSize={11} fill={MUTED} {...HALO}>
              seeding
            </text>
          </g>
        )}
        {layout.settled && (
          <g className="settled" data-frame={layout.settled.frame + 1}>
            <rect
              x={layout.settled.x}
              y={0}
              width={Math.max(0, plotWidth - layout.settled.x)}
              height={plotHeight}
              fill={MUTED}
              fillOpacity={0.06}
            />
            <line
              x1={layout.settled.x}
              x2={layout.settled.x}
              y1={0}
              y2={plotHeight}
              stroke={MUTED}
              strokeDasharray="2 3"
            />
            <text x={plotWidth - 4} y={12} textAnchor="end" fontSize={11} fill={MUTED} {...HALO}>
              {layout.settled.label}
            </text>
          </g>
        )}
        {layout.paths.map((p) => (
          <g key={p.key} className="series" data-series={p.key}>
            <path d={p.d} fill="none" stroke={p.color} strokeWidth={2} strokeDasharray={p.dashed ? '6 4' : undefined} />
            {p.current && <circle cx={p.current.x} cy={p.current.y} r={4} fill={p.color} />}
          </g>
        ))}
        <line
          className="cursor"
          x1={layout.cursor}
          x2={layout.cursor}
          y1={0}
          y2={plotHeight}
          stroke={FG}
          strokeOpacity={0.5}
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
        <g className="legend" transform="translate(0,-12)" fontSize={11}>
          {layout.legend.map((l) => (
            <g key={l.key} transform={`translate(${l.x},0)`}>
              <line
                x1={0}
                x2={20}
                y1={-4}
                y2={-4}
                stroke={l.color}
                strokeWidth={2}
                strokeDasharray={l.dashed ? '6 4' : undefined}
              />
              <text x={26}>{l.label}</text>
            </g>
          ))}
        </g>
      </g>
    </ChartSvg>
  );
}

/** Re-renders only when an input changed. */
export const StepMseChart = memo(StepMseChartView, chartPropsEqual<StepMseChartProps>());
