/** The root of every chart: a container div that carries the test id and an <svg> of a given size. */
import type { ReactNode, Ref, RefObject } from 'react';
import { FG, FONT_FAMILY, FONT_SIZE } from '../colors';

interface ChartSvgProps {
  testId: string;
  containerRef: RefObject<HTMLDivElement | null>;
  svgRef?: Ref<SVGSVGElement>;
  width: number;
  height: number;
  /** Accessible name of the figure. */
  title: string;
  children: ReactNode;
  /** HTML drawn over the SVG (tooltips); not part of an SVG export. */
  overlay?: ReactNode;
}

export function ChartSvg({ testId, containerRef, svgRef, width, height, title, children, overlay }: ChartSvgProps) {
  return (
    <div data-testid={testId} className="chart" ref={containerRef} style={{ position: 'relative', width: '100%' }}>
      <svg
        ref={svgRef}
        xmlns="http://www.w3.org/2000/svg"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={title}
        fontFamily={FONT_FAMILY}
        fontSize={FONT_SIZE}
        fill={FG}
        style={{ display: 'block', overflow: 'visible' }}
      >
        <title>{title}</title>
        {children}
      </svg>
      {overlay}
    </div>
  );
}
