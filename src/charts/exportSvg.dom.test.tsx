// @vitest-environment jsdom
import { act, createRef } from 'react';
import { createRoot } from 'react-dom/client';
import { describe, expect, it } from 'vitest';
import { HistogramChart, serializeChartSvg } from './index';
import { HIST_PROPS } from './testFixtures';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

describe('svgRef and serializeChartSvg', () => {
  it('hands the chart <svg> to svgRef and serialises it with theme variables resolved', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    const ref = createRef<SVGSVGElement>();
    const root = createRoot(host);
    await act(async () => root.render(<HistogramChart {...HIST_PROPS} width={640} svgRef={ref} />));
    expect(ref.current?.tagName.toLowerCase()).toBe('svg');
    ref.current!.style.setProperty('--fg', '#abcdef');
    const text = serializeChartSvg(ref.current!);
    expect(text.startsWith('<?xml')).toBe(true);
    expect(text).not.toContain('var(');
    expect(text).toContain('#abcdef');
    // Unset variables fall back to the light theme's values written in the attributes.
    expect(text).toContain('#e3e5e8');
    expect(text.match(/class="bar"/g)).toHaveLength(8);
    await act(async () => root.unmount());
    host.remove();
  });
});
