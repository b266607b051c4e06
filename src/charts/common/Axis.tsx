/** Renders the tick arrays of a layout as SVG axes and grid lines (no D3 DOM calls). */
import { FG, GRID, MUTED } from '../colors';
import { memoByValue } from './memoChart';
import type { Tick } from './geometry';

interface AxisProps {
  ticks: readonly Tick[];
  /** Length of the axis line, px. */
  length: number;
  /** Axis title with units. */
  label?: string;
  /** Distance of the title from the axis line, px. */
  labelOffset: number;
}

/** A horizontal axis along y = 0 of its parent group, labels below. */
export const AxisBottom = memoByValue(function AxisBottom({ ticks, length, label, labelOffset }: AxisProps) {
  return (
    <g className="axis axis-x">
      <line x1={0} x2={length} y1={0} y2={0} stroke={MUTED} />
      {ticks.map((t) => (
        <g key={`${t.value}`} className="tick" transform={`translate(${t.pos},0)`}>
          <line y2={5} stroke={MUTED} />
          <text y={17} textAnchor="middle" fill={FG}>
            {t.label}
          </text>
        </g>
      ))}
      {label && (
        <text className="axis-label" x={length / 2} y={labelOffset} textAnchor="middle" fill={FG}>
          {label}
        </text>
      )}
    </g>
  );
});

/** A vertical axis along x = 0 of its parent group, labels to the left, title rotated. */
export const AxisLeft = memoByValue(function AxisLeft({ ticks, length, label, labelOffset }: AxisProps) {
  return (
    <g className="axis axis-y">
      <line x1={0} x2={0} y1={0} y2={length} stroke={MUTED} />
      {ticks.map((t) => (
        <g key={`${t.value}`} className="tick" transform={`translate(0,${t.pos})`}>
          <line x2={-5} stroke={MUTED} />
          <text x={-8} dy="0.32em" textAnchor="end" fill={FG}>
            {t.label}
          </text>
        </g>
      ))}
      {label && (
        <text
          className="axis-label"
          transform={`translate(${-labelOffset},${length / 2}) rotate(-90)`}
          textAnchor="middle"
          fill={FG}
        >
          {label}
        </text>
      )}
    </g>
  );
});

/** Grid lines across the plot at the given ticks. */
export const Grid = memoByValue(function Grid({
  x,
  y,
  width,
  height,
}: {
  x?: readonly Tick[];
  y?: readonly Tick[];
  width: number;
  height: number;
}) {
  return (
    <g className="grid" stroke={GRID}>
      {x?.map((t) => (
        <line key={`x${t.value}`} x1={t.pos} x2={t.pos} y1={0} y2={height} />
      ))}
      {y?.map((t) => (
        <line key={`y${t.value}`} x1={0} x2={width} y1={t.pos} y2={t.pos} />
      ))}
    </g>
  );
});
