/** chart.adcStaircase: the references as the staircase of a ramp ADC built from unit steps. */
import { memo, useMemo } from 'react';
import { BG, FG, MUTED } from '../colors';
import { AxisBottom, AxisLeft, Grid } from '../common/Axis';
import { ChartSvg } from '../common/ChartSvg';
import { chartPropsEqual } from '../common/memoChart';
import { useContainerWidth } from '../useContainerWidth';
import { layoutAdcStaircase, type AdcStaircaseChartProps } from './layout';

const MERGE_COLOR = '#E0453A';

function AdcStaircaseChartView(props: AdcStaircaseChartProps) {
  const { method, L, U, designed, snapped, unitStep, totalSteps, mergedCodes, height = 280, svgRef } = props;
  const [containerRef, measured] = useContainerWidth();
  const width = props.width ?? measured;
  const layout = useMemo(
    () => layoutAdcStaircase({ method, L, U, designed, snapped, unitStep, totalSteps, mergedCodes }, width, height),
    [method, L, U, designed, snapped, unitStep, totalSteps, mergedCodes, width, height],
  );
  const { margin, plotWidth, plotHeight } = layout;

  return (
    <ChartSvg
      testId="chart.adcStaircase"
      containerRef={containerRef}
      svgRef={svgRef}
      width={layout.width}
      height={layout.height}
      title={`Ramp ADC staircase of ${layout.label}: designed and grid-snapped references`}
    >
      <g transform={`translate(${margin.left},${margin.top})`}>
        <Grid x={layout.xTicks} y={layout.yTicks} width={plotWidth} height={plotHeight} />
        <g className="unit-steps" stroke={MUTED} strokeOpacity={0.7}>
          {/* One path, not a line per step: up to ~200 ticks that all move when the code axis's labels widen. */}
          {layout.gridTicks.length > 0 && <path d={layout.gridTicks.map((gx) => `M${gx},${plotHeight}v-4`).join('')} />}
        </g>
        <path
          className="staircase designed"
          d={layout.designedPath}
          fill="none"
          stroke={MUTED}
          strokeWidth={1.25}
          strokeDasharray="4 3"
        />
        <path
          className="staircase snapped"
          data-method={method}
          d={layout.snappedPath}
          fill="none"
          stroke={layout.color}
          strokeWidth={2}
        />
        <g className="merges">
          {layout.merges.map((m) => (
            <g key={m.code} className="merge" data-code={m.code}>
              <circle cx={m.x} cy={m.y} r={5} fill="none" stroke={MERGE_COLOR} strokeWidth={2} />
              <title>{`code ${m.code} merged: its two references both snap to ${m.value}`}</title>
            </g>
          ))}
        </g>
        <g transform={`translate(0,${plotHeight})`}>
          <AxisBottom
            ticks={layout.xTicks}
            length={plotWidth}
            label={layout.xLabel}
            labelOffset={layout.xLabelOffset}
          />
        </g>
        <AxisLeft ticks={layout.yTicks} length={plotHeight} label={layout.yLabel} labelOffset={layout.yLabelOffset} />
        <g className="legend" transform={`translate(${plotWidth - 118},${plotHeight - 50})`} fontSize={11} fill={FG}>
          <rect x={-6} y={-10} width={120} height={layout.merges.length > 0 ? 50 : 34} fill={BG} fillOpacity={0.85} />
          <line x1={0} x2={18} y1={0} y2={0} stroke={layout.color} strokeWidth={2} />
          <text x={24} dy="0.32em">
            on the grid
          </text>
          <line x1={0} x2={18} y1={15} y2={15} stroke={MUTED} strokeWidth={1.25} strokeDasharray="4 3" />
          <text x={24} y={15} dy="0.32em">
            as designed
          </text>
          {layout.merges.length > 0 && (
            <>
              <circle cx={9} cy={30} r={5} fill="none" stroke={MERGE_COLOR} strokeWidth={2} />
              <text x={24} y={30} dy="0.32em">
                merged code
              </text>
            </>
          )}
        </g>
      </g>
    </ChartSvg>
  );
}

/** Re-renders only when an input changed (mergedCodes compared by value). */
export const AdcStaircaseChart = memo(AdcStaircaseChartView, chartPropsEqual<AdcStaircaseChartProps>('mergedCodes'));
