/**
 * Exports: the report as JSON (exactly `window.bskmq.getReport()`, the
 * command line's schema), the focused quantizer's references and levels as CSV and as a
 * NumPy snippet, and every chart as SVG and PNG. File names carry the tensor, method and
 * bits. Everything is made in the page and saved through a blob: URL.
 */
import { useState } from 'react';
import { quantizerFromLists } from '../core/adc';
import { exportFileName, numpySnippet, referencesCsv } from '../core/exports';
import { focusedAmong, type Method } from '../core/params';
import type { MethodResult, Report } from '../core/report';
import { pointSetFromArrays } from '../core/pointset';
import { recommend } from '../core/recommend';
import { withAdc } from '../core/reportAdc';
import { METHOD_LABELS, serializeChartSvg } from '../charts';
import { downloadBlob, downloadText, svgToPng } from '../lib/download';
import { useApp, useServices } from '../state/context';
import { messageOf } from '../compute/pipeline';
import { WithTip } from './fields';

/** Charts that can be exported, by test id suffix (`chart.<name>`), in page order. */
export const EXPORT_CHARTS = [
  { name: 'histogram', label: 'Histogram' },
  { name: 'transfer', label: 'Transfer' },
  { name: 'occupancy', label: 'Occupancy' },
  { name: 'errorCurve', label: 'Error vs bits' },
  { name: 'sweep', label: 'Sweep' },
  { name: 'adcStaircase', label: 'Ramp staircase' },
  { name: 'variation', label: 'Variation' },
] as const;

/** The focused method's result, as the charts and the ADC view pick it. */
export function focusedResult(report: Report | null, focus: Method): MethodResult | undefined {
  return focusedAmong(report?.results ?? [], focus);
}

function quantizerOf(r: MethodResult) {
  return quantizerFromLists({
    method: r.method as Method,
    bits: r.bits,
    levels: r.levels.map((v) => v ?? NaN),
    thresholds: r.thresholds.map((v) => v ?? NaN),
  });
}

/** The recommendation as a leading `# ` line (pandas: `read_csv(f, comment='#')`; a comment in Python). */
function csvComment(line: string | null): string {
  return line ? `# ${line.replace(/[\r\n]+/g, ' ')}\n` : '';
}

export function ExportMenu() {
  const { store, pipeline } = useServices();
  const hasReport = useApp((s) => s.results.report !== null);
  const [working, setWorking] = useState<string | null>(null);

  /** The report for the current parameters (waits for it, as getReport() does), its focused result and names. */
  async function current() {
    const report = await pipeline.settledReport();
    if (!report) throw new Error('no data is loaded');
    const copy = JSON.parse(JSON.stringify(report)) as Report;
    const focus = focusedResult(copy, store.getState().params.focus);
    if (!focus) throw new Error('the report has no method');
    const name = (ext: string, kind?: string) =>
      exportFileName({ tensor: copy.input.tensor, method: focus.method as Method, bits: focus.bits, ext, kind });
    const line = recommend(copy.results, store.getState().params.focus, (m) => METHOD_LABELS[m])?.text ?? null;
    return { report: copy, focus, name, line };
  }

  async function run(id: string, work: () => Promise<void>) {
    setWorking(id);
    try {
      await work();
    } catch (e) {
      store.getState().notify('error', `Export failed: ${messageOf(e)}`);
    } finally {
      setWorking(null);
    }
  }

  const exportJson = () =>
    run('json', async () => {
      const { report, name, line } = await current();
      // The ADC analysis the page shows (grid, σ, trials, minimum spacing of the ADC view), as the CLI's
      // `design --grid R --sigma S --sigma-of U --trials N --min-spacing F` adds it, over the same point set.
      const t = await pipeline.client.pointSetCopy();
      const ps = pointSetFromArrays(t.mode, t.x, t.w, t.s2, { nonFinite: t.nonFinite, min: t.min, max: t.max });
      const { display, params } = store.getState();
      const request = {
        grid: display.adcGridBits,
        sigma: display.adcSigma,
        sigmaOf: display.adcSigmaOf,
        trials: display.adcTrials,
        minSpacing: display.adcMinSpacing,
      };
      const withAnalysis = { ...withAdc(report, ps, params, request), recommendation: line };
      downloadText(JSON.stringify(withAnalysis, null, 2) + '\n', name('json', 'report'), 'application/json');
    });
  const exportCsv = () =>
    run('csv', async () => {
      const { focus, name, line } = await current();
      downloadText(csvComment(line) + referencesCsv(quantizerOf(focus)), name('csv', 'references'), 'text/csv');
    });
  const exportNumpy = () =>
    run('numpy', async () => {
      const { report, focus, name } = await current();
      const { line } = await current();
      const text =
        csvComment(line) + numpySnippet(quantizerOf(focus), { tensor: report.input.tensor, file: report.input.file });
      downloadText(text, name('py', 'numpy'), 'text/x-python');
    });
  const exportChart = (chart: string, kind: 'svg' | 'png') =>
    run(`${kind}.${chart}`, async () => {
      const { name } = await current();
      const svg = document.querySelector<SVGSVGElement>(`[data-testid="chart.${chart}"] svg`);
      if (!svg) throw new Error(`the ${chart} chart is not drawn yet`);
      const text = serializeChartSvg(svg);
      if (kind === 'svg') {
        downloadBlob(new Blob([text], { type: 'image/svg+xml;charset=utf-8' }), name('svg', chart));
        return;
      }
      const background = getComputedStyle(svg).getPropertyValue('--bg').trim() || '#ffffff';
      const png = await svgToPng(text, svg.width.baseVal.value, svg.height.baseVal.value, background);
      downloadBlob(png, name('png', chart));
    });

  const disabled = !hasReport || working !== null;
  return (
    <section className="panel export-panel" aria-labelledby="export-title" data-testid="export">
      <h2 id="export-title">
        Export <span className="muted">· files carry the tensor, focused method and bits</span>
      </h2>
      <div className="export-row">
        <WithTip text="The report in the command line's JSON schema (what window.bskmq.getReport() returns)">
          {(tip) => (
            <button
              aria-describedby={tip}
              type="button"
              data-testid="export.json"
              disabled={disabled}
              onClick={() => void exportJson()}
            >
              JSON report
            </button>
          )}
        </WithTip>
        <WithTip text="code, reference (threshold) and level of the focused method, one row per code">
          {(tip) => (
            <button
              aria-describedby={tip}
              type="button"
              data-testid="export.csv"
              disabled={disabled}
              onClick={() => void exportCsv()}
            >
              CSV references
            </button>
          )}
        </WithTip>
        <WithTip text="Python: thresholds and levels as float64 arrays and quantize(x) with np.searchsorted">
          {(tip) => (
            <button
              aria-describedby={tip}
              type="button"
              data-testid="export.numpy"
              disabled={disabled}
              onClick={() => void exportNumpy()}
            >
              NumPy snippet
            </button>
          )}
        </WithTip>
      </div>
      <div className="export-charts" role="group" aria-label="Charts as SVG or PNG">
        {EXPORT_CHARTS.map((c) => (
          <span key={c.name} className="export-chart">
            <span className="export-chart-name">{c.label}</span>
            <button
              type="button"
              data-testid={`export.svg.${c.name}`}
              disabled={disabled}
              aria-label={`${c.label} chart as SVG`}
              onClick={() => void exportChart(c.name, 'svg')}
            >
              SVG
            </button>
            <button
              type="button"
              data-testid={`export.png.${c.name}`}
              disabled={disabled}
              aria-label={`${c.label} chart as PNG`}
              onClick={() => void exportChart(c.name, 'png')}
            >
              PNG
            </button>
          </span>
        ))}
      </div>
    </section>
  );
}
