/**
 * chart.step: one frame of the K-means step-through over the histogram. Levels are keyed by their
 * index and placed with a CSS transform, so with animations on (`html[data-anim='on']`) they glide
 * from frame to frame; with animations off they jump. `data-levels` on the levels group carries the
 * frame's exact levels (shortest round-trip text) for tests.
 */
import { memo, useMemo, type Ref } from 'react';
import { BG, FG, MUTED } from '../colors';
import { AxisBottom, AxisLeft, Grid } from '../common/Axis';
import { ChartSvg } from '../common/ChartSvg';
import { chartPropsEqual } from '../common/memoChart';
import { HALO } from '../common/Halo';
import { useContainerWidth } from '../useContainerWidth';
import { layoutStep, type StepInput } from './layout';

export interface StepChartProps extends StepInput {
  height?: number;
  width?: number;
  svgRef?: Ref<SVGSVGElement>;
  /** Root test id: `chart.step` for the main panel, another for a companion panel. */
  testId?: string;
  /** Accessible name. */
  title?: string;
  /** Font size of the marks' labels (presentation mode enlarges them). */
  fontSize?: number;
}

function StepChartView(props: StepChartProps) {
  const {
    data,
    log,
    domain,
    bands,
    method,
    frame,
    pinned,
    height = 300,
    svgRef,
    testId = 'chart.step',
    fontSize = 11,
  } = props;
  const [containerRef, measured] = useContainerWidth();
  const width = props.width ?? measured;
  const layout = useMemo(
    () => layoutStep({ data, log, domain, bands, method, frame, pinned }, width, height),
    [data, log, domain, bands, method, frame, pinned, width, height],
  );
  const h = layout.histogram;
  const { margin, plotWidth, plotHeight } = h;
  const color = layout.color;
  const title = props.title ?? 'K-means step-through: the frame’s levels and thresholds over the histogram';
  return (
    <ChartSvg
      testId={testId}
      containerRef={containerRef}
      svgRef={svgRef}
      width={h.width}
      height={h.height}
      title={title}
    >
      <g transform={`translate(${margin.left},${margin.top})`}>
        <Grid y={h.yTicks} width={plotWidth} height={plotHeight} />
        <g className="bands">
          {h.bands.map((b) => (
            <rect key={b.side} x={b.x} y={0} width={b.width} height={plotHeight} fill={color} fillOpacity={0.14} />
          ))}
        </g>
        <g className="bars" fill={MUTED} fillOpacity={0.5}>
          {h.bars.map((b) => (
            <rect key={b.x0} x={b.x} y={b.y} width={b.width} height={b.height} />
          ))}
        </g>
        <g className="spikes">
          {h.spikes.map((s) => (
            <g key={s.value}>
              <rect x={s.x} y={s.y} width={s.width} height={s.height} fill={FG} fillOpacity={0.85} />
              {s.clipped && (
                <path
                  d={`M${s.x - 3},${s.y + 12}l${s.width + 6},-4M${s.x - 3},${s.y + 17}l${s.width + 6},-4`}
                  stroke={BG}
                  strokeWidth={2}
                />
              )}
            </g>
          ))}
        </g>
        <g className="thresholds" stroke={color} strokeDasharray="5 4" strokeWidth={1.2}>
          {layout.thresholds.map((t) => (
            <line
              key={t.index}
              className="step-mark threshold"
              x1={0}
              x2={0}
              y1={0}
              y2={plotHeight}
              style={{ transform: `translateX(${t.x}px)` }}
            />
          ))}
        </g>
        <g className="levels" stroke={color} data-levels={Array.from(frame.levels, String).join(',')}>
          {layout.levels.map((m) => (
            <line
              key={m.index}
              className={m.pinned ? 'step-mark level pinned' : 'step-mark level'}
              x1={0}
              x2={0}
              y1={m.pinned ? -4 : 0}
              y2={plotHeight}
              strokeWidth={m.pinned ? 3.5 : 2}
              style={{ transform: `translateX(${m.x}px)` }}
            />
          ))}
        </g>
        <g className="candidates">
          {layout.candidates.map((c, i) => (
            <circle
              key={i}
              cx={c.x}
              cy={-9}
              r={4}
              fill={c.chosen ? color : BG}
              stroke={c.chosen ? color : MUTED}
              strokeWidth={1.5}
            />
          ))}
        </g>
        <g className="chosen" fill={color}>
          {layout.chosen.map((c, i) => (
            <path key={i} className="seed" d={`M${c.x - 6},-18h12l-6,9z`} />
          ))}
        </g>
        <g className="labels" fontSize={fontSize} fontWeight={600}>
          {layout.levels
            .filter((m) => m.pinned)
            .map((m) => (
              <text
                key={m.index}
                x={m.x + (m.x > plotWidth / 2 ? -5 : 5)}
                y={plotHeight - 6}
                textAnchor={m.x > plotWidth / 2 ? 'end' : 'start'}
                fill={color}
                {...HALO}
              >
                pinned
              </text>
            ))}
          {layout.coincident.map((c) => (
            <text key={c.value} x={c.x + 7} y={14} fill={color} {...HALO}>{`×${c.count}`}</text>
          ))}
          {h.spikes.map((s) => (
            <text
              key={s.value}
              x={s.labelX}
              y={s.labelY}
              textAnchor={s.labelAnchor}
              fill={FG}
              fontWeight={400}
              {...HALO}
            >
              {s.label}
            </text>
          ))}
        </g>
        <g transform={`translate(0,${plotHeight})`}>
          <AxisBottom ticks={h.xTicks} length={plotWidth} label={h.xLabel} labelOffset={h.xLabelOffset} />
        </g>
        <AxisLeft ticks={h.yTicks} length={plotHeight} label={h.yLabel} labelOffset={h.yLabelOffset} />
      </g>
    </ChartSvg>
  );
}

/** Re-renders only when an input changed (domain, bands compared by value). */
export const StepChart = memo(StepChartView, chartPropsEqual<StepChartProps>('domain', 'bands'));
