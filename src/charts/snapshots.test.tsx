/**
 * SVG snapshots of the charts rendered on the server with fixed sizes and deterministic data
 * (testFixtures.ts). Attribute numbers are rounded to 2 decimals and each element sits on its own line, so a
 * chart regression shows up as a readable diff of src/charts/__snapshots__/*.svg, which also open
 * in a browser as pictures.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import type { ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import { ErrorCurveChart, HistogramChart, OccupancyChart, SweepChart, TransferChart } from './index';
import { BSKMQ_2B, CDF_2B, ERROR_CURVES, HIST_PROPS, LINEAR_2B } from './testFixtures';

/** The <svg> of a rendered chart, numbers rounded, one element per line. */
function svgOf(element: ReactElement): string {
  const html = renderToStaticMarkup(element);
  const svg = html.slice(html.indexOf('<svg'), html.lastIndexOf('</svg>') + 6);
  const round = (text: string) => text.replace(/-?\d+\.\d{3,}/g, (n) => String(Math.round(Number(n) * 100) / 100));
  // Only coordinates in attributes are rounded; text (tooltips, labels) stays as the user sees it.
  return `${svg.replace(/="([^"]*)"/g, (_, value: string) => `="${round(value)}"`).replace(/><(?!\/(?:line|rect|path|circle|text|title)>)/g, '>\n<')}\n`;
}

/** Number of elements whose class list contains `name`. */
function count(svg: string, name: string): number {
  return [...svg.matchAll(/class="([^"]*)"/g)].filter((m) => m[1].split(' ').includes(name)).length;
}

describe('chart SVG snapshots', () => {
  it('histogram: 8 bars, 2 annotated spikes, 2 bands, 4 levels, 3 thresholds, rugs of linear and cdf', async () => {
    const svg = svgOf(<HistogramChart {...HIST_PROPS} width={720} height={320} />);
    expect(count(svg, 'bar')).toBe(8);
    expect(count(svg, 'spike')).toBe(2);
    expect(svg).toContain('>40 %</text>');
    expect(svg).toContain('>7 %</text>');
    expect(count(svg, 'band')).toBe(2);
    expect(count(svg, 'level')).toBe(4);
    expect(count(svg, 'threshold')).toBe(3);
    // One path per rug row, one move-to per tick: linear's 4 levels; cdf's distinct levels 0, 0.9, 3.
    expect(count(svg, 'rug')).toBe(2);
    expect([...svg.matchAll(/class="rug" d="([^"]*)"/g)].map((m) => m[1].split('M').length - 1)).toEqual([4, 3]);
    expect(svg).not.toMatch(/NaN|Infinity/);
    await expect(svg).toMatchFileSnapshot('./__snapshots__/histogram.svg');
  });

  it('histogram with cdf focused: coinciding thresholds get a ×2 marker', async () => {
    const svg = svgOf(<HistogramChart {...HIST_PROPS} log focus={CDF_2B} rugs={[BSKMQ_2B]} width={720} height={320} />);
    expect(count(svg, 'coincident')).toBe(1);
    expect(count(svg, 'coincident-marker')).toBe(1);
    expect(svg).toContain('>×2</text>');
    await expect(svg).toMatchFileSnapshot('./__snapshots__/histogram-cdf-log.svg');
  });

  it('error curve: one curve and 8 points per method, current bits marked, readout shown', async () => {
    const svg = svgOf(
      <ErrorCurveChart
        curves={ERROR_CURVES}
        bits={3}
        scale="mse"
        readout="BS-KMQ at 3 b ≈ linear at 4.6 b"
        width={720}
        height={300}
      />,
    );
    expect(count(svg, 'curve')).toBe(4);
    expect(count(svg, 'point')).toBe(32);
    expect(count(svg, 'current')).toBe(4);
    expect(count(svg, 'legend-item')).toBe(4);
    expect(svg).toContain('BS-KMQ at 3 b ≈ linear at 4.6 b');
    await expect(svg).toMatchFileSnapshot('./__snapshots__/errorCurve.svg');
  });

  it('transfer, sweep and occupancy render their marks', async () => {
    const transfer = svgOf(
      <TransferChart focus={BSKMQ_2B} linear={LINEAR_2B} domain={[0, 6]} width={600} height={300} />,
    );
    expect(count(transfer, 'staircase')).toBe(2);
    await expect(transfer).toMatchFileSnapshot('./__snapshots__/transfer.svg');

    const sweep = svgOf(
      <SweepChart
        axis="band"
        x={[0, 0.02, 0.05, 0.1]}
        mse={[0.05, 0.03, 0.025, 0.03]}
        kmeansMse={0.045}
        optimalMse={0.02}
        current={{ x: 0.02, mse: 0.03 }}
        width={600}
        height={280}
      />,
    );
    expect(count(sweep, 'point')).toBe(4);
    expect(count(sweep, 'reference')).toBe(2);
    expect(count(sweep, 'current')).toBe(1);
    await expect(sweep).toMatchFileSnapshot('./__snapshots__/sweep.svg');

    const occupancy = svgOf(
      <OccupancyChart method="cdf" occupancy={[0.4, 0, 0.35, 0.25]} levels={CDF_2B.levels} width={600} height={240} />,
    );
    expect(count(occupancy, 'bar')).toBe(3);
    expect(count(occupancy, 'empty')).toBe(1);
    expect(occupancy).toContain('1 of 4 codes empty');
    await expect(occupancy).toMatchFileSnapshot('./__snapshots__/occupancy.svg');
  });

  it('every chart root carries its test id', () => {
    const ids = [
      renderToStaticMarkup(<HistogramChart {...HIST_PROPS} />),
      renderToStaticMarkup(<TransferChart focus={BSKMQ_2B} linear={LINEAR_2B} domain={[0, 6]} />),
      renderToStaticMarkup(<ErrorCurveChart curves={ERROR_CURVES} bits={3} scale="sqnr" readout={null} />),
      renderToStaticMarkup(
        <SweepChart
          axis="percentile"
          x={[0, 1]}
          mse={[1, 2]}
          kmeansMse={1}
          optimalMse={0.5}
          current={{ x: 0, mse: 1 }}
        />,
      ),
      renderToStaticMarkup(<OccupancyChart method="bskmq" occupancy={[1]} levels={[0]} />),
    ].map((html) => /data-testid="([^"]+)"/.exec(html)?.[1]);
    expect(ids).toEqual(['chart.histogram', 'chart.transfer', 'chart.errorCurve', 'chart.sweep', 'chart.occupancy']);
  });
});
