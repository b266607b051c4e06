/** chart.occupancy: share of samples per code of the focused method; empty codes flagged. */
import { memo, useMemo } from 'react';
import { format } from 'd3';
import { FG, MUTED } from '../colors';
import { AxisBottom, AxisLeft, Grid } from '../common/Axis';
import { ChartSvg } from '../common/ChartSvg';
import { chartPropsEqual } from '../common/memoChart';
import { useContainerWidth } from '../useContainerWidth';
import type { OccupancyChartProps } from '../types';
import { layoutOccupancy } from './layout';

const formatShare = format('.2~%');
const formatLevel = format('.5~g');
const EMPTY_FLAG = '#E0453A';

function OccupancyChartView(props: OccupancyChartProps) {
  const { method, occupancy, levels, height = 240, svgRef } = props;
  const [containerRef, measured] = useContainerWidth();
  const width = props.width ?? measured;
  const layout = useMemo(
    () => layoutOccupancy({ method, occupancy, levels }, width, height),
    [method, occupancy, levels, width, height],
  );
  const { margin, plotWidth, plotHeight } = layout;
  // Half-width of the empty-code triangle: narrower than the code's slot so neighbours stay apart.
  const marker = Math.min(5, Math.max(1.5, (layout.bars[0]?.width ?? 10) / 2));

  return (
    <ChartSvg
      testId="chart.occupancy"
      containerRef={containerRef}
      svgRef={svgRef}
      width={layout.width}
      height={layout.height}
      title={`Share of samples per code of ${layout.label}`}
    >
      <g transform={`translate(${margin.left},${margin.top})`}>
        <Grid y={layout.yTicks} width={plotWidth} height={plotHeight} />
        <g className="bars" fill={layout.color}>
          {layout.bars
            .filter((b) => !b.empty)
            .map((b) => (
              <rect key={b.code} className="bar" x={b.x} y={b.y} width={b.width} height={b.height}>
                <title>{`code ${b.code}${b.level !== null ? ` (level ${formatLevel(b.level)})` : ''}: ${formatShare(b.share)}`}</title>
              </rect>
            ))}
        </g>
        <g className="empty-codes">
          {layout.bars
            .filter((b) => b.empty)
            .map((b) => (
              <g key={b.code} className="empty" data-code={b.code}>
                <title>{`code ${b.code}${b.level !== null ? ` (level ${formatLevel(b.level)})` : ''}: empty`}</title>
                {b.width >= 6 && (
                  <rect
                    x={b.x}
                    y={0}
                    width={b.width}
                    height={plotHeight}
                    fill="none"
                    stroke={EMPTY_FLAG}
                    strokeOpacity={0.6}
                    strokeDasharray="3 3"
                  />
                )}
                <path d={`M${b.x + b.width / 2},${plotHeight - 9}l${-marker},8h${2 * marker}z`} fill={EMPTY_FLAG} />
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
        <text
          className="summary"
          x={plotWidth}
          y={-10}
          textAnchor="end"
          fontSize={12}
          fill={layout.empty.length > 0 ? EMPTY_FLAG : MUTED}
          fontWeight={layout.empty.length > 0 ? 600 : 400}
        >
          {layout.summary}
        </text>
        <text x={0} y={-10} fontSize={12} fill={FG}>{`${layout.label}: occupancy per code`}</text>
      </g>
    </ChartSvg>
  );
}

/** Re-renders only when an input changed. */
export const OccupancyChart = memo(OccupancyChartView, chartPropsEqual<OccupancyChartProps>());
