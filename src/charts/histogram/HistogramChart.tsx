/** chart.histogram: renders layoutHistogram's geometry; hover tooltip and optional drag-to-zoom. */
import { memo, useMemo, useState, type PointerEvent } from 'react';
import { format } from 'd3';
import { BG, FG, METHOD_COLORS, METHOD_LABELS, MUTED } from '../colors';
import { AxisBottom, AxisLeft, Grid } from '../common/Axis';
import { ChartSvg } from '../common/ChartSvg';
import { chartPropsEqual, memoByValue } from '../common/memoChart';
import { textWidth } from '../common/geometry';
import { HALO } from '../common/Halo';
import { useContainerWidth } from '../useContainerWidth';
import type { HistogramChartProps } from '../types';
import {
  hoverAt,
  layoutHistogram,
  RUG_FONT,
  valueAt,
  type HistogramBar,
  type HistogramHover,
  type RugRow,
} from './layout';

const formatValue = format('.5~g');
const formatCount = (c: number) => (Number.isInteger(c) ? format(',')(c) : format(',.3~f')(c));

/** The bars (by value: a level or band change leaves them as they were). */
const Bars = memoByValue(function Bars({ bars }: { bars: HistogramBar[] }) {
  return (
    <g className="bars" fill={MUTED} fillOpacity={0.55}>
      {bars.map((b) => (
        <rect key={b.x0} className="bar" x={b.x} y={b.y} width={b.width} height={b.height} />
      ))}
    </g>
  );
});

/** One method's rug of levels (by value: a BS-KMQ change leaves the other rows as they were). */
const Rug = memoByValue(function Rug({ row: r }: { row: RugRow }) {
  return (
    <g className="rug-row" data-method={r.method} transform={`translate(0,${r.y})`}>
      <text x={-6} y={r.height / 2} dy="0.35em" textAnchor="end" fontSize={RUG_FONT} fill={MUTED}>
        {r.label}
      </text>
      {/* One path per row, not a line per tick: at 8 bits six rows are 1 536 marks to lay out and paint. */}
      <path
        className="rug"
        d={r.ticks.map((t) => `M${t.x},0v${r.height}`).join('')}
        stroke={r.color}
        strokeWidth={1.5}
      />
    </g>
  );
});

function HistogramChartView(props: HistogramChartProps) {
  const { data, log, domain, bands, focus, rugs, height = 320, onZoom, svgRef } = props;
  const [containerRef, measured] = useContainerWidth();
  const width = props.width ?? measured;
  // Domain and bands are keyed by value: callers often pass fresh literals, which must not redo the layout.
  const [d0, d1] = domain;
  const [bl0, bl1] = bands.low ?? [NaN, NaN];
  const [bh0, bh1] = bands.high ?? [NaN, NaN];
  const layout = useMemo(
    () =>
      layoutHistogram(
        {
          data,
          log,
          domain: [d0, d1],
          focus,
          rugs,
          bands: { low: Number.isNaN(bl0) ? null : [bl0, bl1], high: Number.isNaN(bh0) ? null : [bh0, bh1] },
        },
        width,
        height,
      ),
    [data, log, d0, d1, bl0, bl1, bh0, bh1, focus, rugs, width, height],
  );
  const [hover, setHover] = useState<HistogramHover | null>(null);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const { margin, plotWidth, plotHeight, focusColor } = layout;

  const plotX = (e: PointerEvent<SVGRectElement>) => e.clientX - e.currentTarget.getBoundingClientRect().left;
  const onPointerMove = (e: PointerEvent<SVGRectElement>) => {
    const x = plotX(e);
    setHover(hoverAt(layout, x));
    if (drag) setDrag({ from: drag.from, to: Math.min(plotWidth, Math.max(0, x)) });
  };
  const onPointerDown = (e: PointerEvent<SVGRectElement>) => {
    if (!onZoom || e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    const x = plotX(e);
    setDrag({ from: x, to: x });
  };
  const onPointerUp = () => {
    if (drag && onZoom && Math.abs(drag.to - drag.from) >= 5) {
      const a = valueAt(layout, Math.min(drag.from, drag.to)),
        b = valueAt(layout, Math.max(drag.from, drag.to));
      if (b > a) onZoom([a, b]);
    }
    setDrag(null);
  };

  const legendSplit = Math.ceil(22 + textWidth(`${METHOD_LABELS[layout.focusMethod]} levels`, 11) + 14);
  const legendWidth = legendSplit + 22 + Math.ceil(textWidth('thresholds', 11));
  const title = `Histogram of the samples with ${METHOD_LABELS[layout.focusMethod]} levels and thresholds`;
  const focusLabel = METHOD_LABELS[layout.focusMethod];
  const tooltip = hover && (
    <div
      className="tooltip"
      role="status"
      style={{
        position: 'absolute',
        pointerEvents: 'none',
        top: margin.top + 8,
        left: margin.left + hover.x + (hover.x > plotWidth / 2 ? -12 : 12),
        transform: hover.x > plotWidth / 2 ? 'translateX(-100%)' : undefined,
        background: BG,
        color: FG,
        border: `1px solid ${MUTED}`,
        borderRadius: 4,
        padding: '4px 8px',
        fontSize: 12,
        lineHeight: 1.4,
        whiteSpace: 'nowrap',
      }}
    >
      <div>
        value <b>{formatValue(hover.value)}</b>
        {hover.spike ? ' (exact spike)' : ''}
      </div>
      <div>
        count <b>{formatCount(hover.count)}</b>
        {hover.spike ? ` · ${hover.spike.label}` : ''}
      </div>
      <div>
        {focusLabel} code <b>{hover.code}</b>
        {hover.level !== null ? ` → ${formatValue(hover.level)}` : ''}
      </div>
    </div>
  );

  return (
    <ChartSvg
      testId="chart.histogram"
      containerRef={containerRef}
      svgRef={svgRef}
      width={layout.width}
      height={layout.height}
      title={title}
      overlay={tooltip}
    >
      <g transform={`translate(${margin.left},${margin.top})`}>
        <Grid y={layout.yTicks} width={plotWidth} height={plotHeight} />
        <g className="bands">
          {layout.bands.map((b) => (
            <g key={b.side} className={`band band-${b.side}`}>
              <rect x={b.x} y={0} width={b.width} height={plotHeight} fill={METHOD_COLORS.bskmq} fillOpacity={0.16} />
            </g>
          ))}
        </g>
        <Bars bars={layout.bars} />
        <g className="spikes">
          {layout.spikes.map((s) => (
            <g key={s.value} className="spike">
              <rect x={s.x} y={s.y} width={s.width} height={s.height} fill={FG} fillOpacity={0.85} />
              {s.clipped && (
                <path
                  className="break"
                  d={`M${s.x - 3},${s.y + 12}l${s.width + 6},-4M${s.x - 3},${s.y + 17}l${s.width + 6},-4`}
                  stroke={BG}
                  strokeWidth={2}
                />
              )}
            </g>
          ))}
        </g>
        <g className="levels" stroke={focusColor} strokeWidth={1.75}>
          {layout.levels.map((m) => (
            <line key={m.value} className="level" x1={m.x} x2={m.x} y1={0} y2={plotHeight} />
          ))}
        </g>
        <g className="thresholds" stroke={focusColor} strokeDasharray="5 4">
          {layout.thresholds.map((m) => (
            <line
              key={m.value}
              className={m.count > 1 ? 'threshold coincident' : 'threshold'}
              x1={m.x}
              x2={m.x}
              y1={0}
              y2={plotHeight}
              strokeWidth={m.count > 1 ? 2.5 : 1.2}
            />
          ))}
        </g>
        {/* Labels after every mark, so bars and lines never paint over them. */}
        <g className="labels">
          {layout.bands.map((b) => (
            <text
              key={b.side}
              className="band-label"
              x={b.labelX}
              y={b.labelY}
              textAnchor={b.labelAnchor}
              fill={METHOD_COLORS.bskmq}
              fontSize={11}
              fontWeight={600}
              {...HALO}
            >
              {b.label}
            </text>
          ))}
          {layout.spikes
            .filter((s) => s.labelShown)
            .map((s) => (
              <text
                key={s.value}
                className="spike-label"
                x={s.labelX}
                y={s.labelY}
                textAnchor={s.labelAnchor}
                fontWeight={600}
                fill={FG}
                {...HALO}
              >
                {s.label}
              </text>
            ))}
        </g>
        <g className="coincident-markers">
          {layout.thresholds
            .filter((m) => m.count > 1)
            .map((m) => (
              <g key={m.value} className="coincident-marker" transform={`translate(${m.x},0)`}>
                <title>{`${m.count} thresholds at ${formatValue(m.value)}: ${m.count - 1} empty code(s)`}</title>
                <path d="M-6,0h12l-6,8z" fill={focusColor} />
                <text x={8} y={9} fill={focusColor} fontWeight={700} {...HALO}>{`×${m.count}`}</text>
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
        <g className="rugs">
          {layout.rugs.map((r) => (
            <Rug key={r.method} row={r} />
          ))}
        </g>
        <g className="legend" transform={`translate(${plotWidth - legendWidth},-22)`} fontSize={11}>
          <line x1={0} x2={18} y1={-4} y2={-4} stroke={focusColor} strokeWidth={1.75} />
          <text x={22}>{`${focusLabel} levels`}</text>
          <line x1={legendSplit} x2={legendSplit + 18} y1={-4} y2={-4} stroke={focusColor} strokeDasharray="5 4" />
          <text x={legendSplit + 22}>thresholds</text>
        </g>
        {hover && (
          <line className="hover" x1={hover.x} x2={hover.x} y1={0} y2={plotHeight} stroke={FG} strokeOpacity={0.5} />
        )}
        {drag && (
          <rect
            className="zoom-selection"
            x={Math.min(drag.from, drag.to)}
            y={0}
            width={Math.abs(drag.to - drag.from)}
            height={plotHeight}
            fill={FG}
            fillOpacity={0.08}
            stroke={MUTED}
          />
        )}
        <rect
          className="hit"
          width={plotWidth}
          height={plotHeight}
          fill="transparent"
          pointerEvents="all"
          style={{ cursor: onZoom ? 'crosshair' : 'default', touchAction: 'none' }}
          onPointerMove={onPointerMove}
          onPointerLeave={() => setHover(null)}
          onPointerDown={onPointerDown}
          onPointerUp={onPointerUp}
          onPointerCancel={() => setDrag(null)}
        />
      </g>
    </ChartSvg>
  );
}

/** Re-renders only when an input changed (domain, bands compared by value). */
export const HistogramChart = memo(HistogramChartView, chartPropsEqual<HistogramChartProps>('domain', 'bands'));
