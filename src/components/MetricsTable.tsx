/**
 * The metrics table (docs/definitions.md, Metrics): one row per method with `data-method`, the focused
 * one highlighted; a row's method button focuses it.
 */
import { Tip } from './fields';
import type { Method } from '../core/params';
import type { MethodResult } from '../core/report';
import { METHOD_COLORS, METHOD_LABELS } from '../charts/colors';
import { useApp, useServices } from '../state/context';
import { formatSeconds, formatValue } from './format';

interface Column {
  key: string;
  label: string;
  help: string;
  value: (r: MethodResult) => string;
}

const COLUMNS: Column[] = [
  { key: 'mse', label: 'MSE', help: 'Σ(x − Q(x))² / n over all finite samples', value: (r) => formatValue(r.mse) },
  { key: 'rmse', label: 'RMSE', help: '√MSE', value: (r) => formatValue(r.rmse) },
  { key: 'nmse', label: 'NMSE', help: 'MSE / variance', value: (r) => formatValue(r.nmse) },
  { key: 'sqnrDb', label: 'SQNR dB', help: '10·log10(Σx² / Σ(x − Q(x))²)', value: (r) => formatDb(r.sqnrDb) },
  {
    key: 'mseInterior',
    label: 'MSE interior',
    help: 'MSE over samples outside the BS-KMQ bands',
    value: (r) => formatValue(r.mseInterior),
  },
  {
    key: 'mseBoundary',
    label: 'MSE boundary',
    help: 'MSE over samples inside the BS-KMQ bands',
    value: (r) => formatValue(r.mseBoundary),
  },
  {
    key: 'vsOptimal',
    label: '× optimal',
    help: 'MSE / optimal MSE at the same bits',
    value: (r) => formatValue(r.vsOptimal, 4),
  },
  {
    key: 'levelsUsed',
    label: 'codes used',
    help: 'Codes that receive at least one sample',
    value: (r) => String(r.levelsUsed),
  },
  {
    key: 'entropyBits',
    label: 'entropy b',
    help: '−Σ p log2 p over codes',
    value: (r) => formatValue(r.entropyBits, 3),
  },
  {
    key: 'bitsEquivalent',
    label: '≈ linear b',
    help: 'The linear bit-width that reaches the same MSE (interpolated in log MSE)',
    value: (r) => formatValue(r.bitsEquivalent, 3),
  },
  {
    key: 'seconds',
    label: 'time',
    help: 'Time this method took to design, in the background',
    value: (r) => formatSeconds(r.seconds),
  },
];

/** The time column's tooltip names where the iterations ran: both give the same levels, only the times differ. */
function kernelHelp(kernel: 'wasm' | 'js' | null): string {
  if (kernel === null) return '';
  return kernel === 'wasm'
    ? ' (iterations compiled for speed, as WebAssembly)'
    : ' (iterations in plain JavaScript: this browser refuses WebAssembly; same levels, slower)';
}

function formatDb(v: number | null): string {
  if (v === null) return '∞';
  return Number.isFinite(v) ? v.toFixed(2) : formatValue(v);
}

export function MetricsTable() {
  const { store } = useServices();
  const report = useApp((s) => s.results.report);
  const focus = useApp((s) => s.params.focus);
  const kernel = useApp((s) => s.data.lloydKernel);
  const rows = report?.results ?? [];
  return (
    <section
      id="metrics"
      className="panel table-panel"
      aria-labelledby="metrics-title"
      data-kernel={kernel ?? undefined}
      data-testid="table.kernel"
    >
      <h2 id="metrics-title">
        Metrics
        {report ? (
          <span className="muted">
            {' '}
            at {rows[0]?.bits ?? ''} bits · {report.pointSet.mode} point set
          </span>
        ) : null}
      </h2>
      <div className="table-scroll">
        <table className="metrics" data-testid="table.metrics">
          <thead>
            <tr>
              <th scope="col">method</th>
              {COLUMNS.map((c) => (
                <th scope="col" key={c.key}>
                  <Tip text={c.key === 'seconds' ? c.help + kernelHelp(kernel) : c.help}>{c.label}</Tip>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.method} data-method={r.method} className={r.method === focus ? 'focused' : undefined}>
                <th scope="row">
                  <button
                    type="button"
                    className="method-button"
                    aria-pressed={r.method === focus}
                    title="Focus this method"
                    onClick={() => store.getState().setParams({ focus: r.method as Method })}
                  >
                    <span
                      className="swatch"
                      style={{ background: METHOD_COLORS[r.method as Method] }}
                      aria-hidden="true"
                    />
                    {METHOD_LABELS[r.method as Method] ?? r.method}
                  </button>
                </th>
                {COLUMNS.map((c) => (
                  <td key={c.key}>{c.value(r)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
