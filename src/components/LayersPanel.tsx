/**
 * The per-layer batch view: for a multi-tensor file, one row per tensor (`data-tensor`)
 * with its shape, spike shares at L and U, every method's MSE at the current bits (the
 * lowest heuristic's cell marked, `data-best`), the focused method's ratio to the optimum
 * and BS-KMQ's linear bits-equivalent. Headers sort; a row focuses its tensor, as the
 * tensor picker does, and scrolls the charts into view. Rows arrive tensor by tensor from
 * the worker (`layers.progress` while they do). Each cell carries its full-precision
 * number in `data-value` (the text is rounded for reading). Every tensor's references
 * export at once: JSON in the schema of `bskmq design FILE --all-tensors`, CSV and a NumPy
 * dict. Nothing is shown for single-tensor data.
 */
import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { focusedAmong, type Method } from '../core/params';
import type { AllTensorsReport, Report, TensorFailure } from '../core/report';
import { layersCsv, layersExportFileName, layersNumpySnippet } from '../core/exports';
import { recommend, sameMse } from '../core/recommend';
import { METHOD_COLORS, METHOD_LABELS } from '../charts/colors';
import { layerMethods, type LayerRow } from '../worker/layersEngine';
import type { LayersState } from '../compute/layersJob';
import { messageOf } from '../compute/pipeline';
import { downloadText } from '../lib/download';
import { useApp, useServices } from '../state/context';
import { formatCount, formatShare, formatValue } from './format';
import { WithTip } from './fields';

interface Column {
  key: string;
  label: string;
  help: string;
  /** The number the column sorts by and puts in `data-value`; null sorts last. */
  value: (r: LayerRow) => number | null;
  text: (r: LayerRow) => string;
  method?: Method;
}

type SortKey = string;
interface Sort {
  key: SortKey;
  dir: 'ascending' | 'descending';
}

const label = (m: Method) => METHOD_LABELS[m] ?? m;

/** The focused method's result in a row's report (BS-KMQ's when the focus was not designed). */
function focusedOf(r: LayerRow, focus: Method) {
  return r.report ? focusedAmong(r.report.results, focus) : undefined;
}

/**
 * The heuristics with the lowest MSE in a row (all that tie it; the optimum is the floor, not a design
 * to pick), the method the recommendation line would name first.
 */
function bestOf(r: LayerRow): Set<string> {
  const heuristics = Object.entries(r.mse)
    .filter(([m]) => m !== 'optimal')
    .map(([method, mse]) => ({ method, mse: mse ?? null }));
  const best = recommend(heuristics, 'bskmq')?.best;
  const lowest = best === undefined ? null : r.mse[best];
  if (lowest === null || lowest === undefined) return new Set();
  return new Set(heuristics.filter((h) => h.mse !== null && sameMse(h.mse, lowest)).map((h) => h.method));
}

function columnsFor(methods: readonly Method[], focus: Method): Column[] {
  return [
    {
      key: 'count',
      label: 'shape',
      help: 'Shape and dtype of the tensor; sorts by sample count',
      value: (r) => r.count,
      text: (r) => `[${r.shape.join('×')}] ${r.dtype}`,
    },
    {
      key: 'spikeLow',
      label: 'spike L',
      help: 'Share of the finite samples exactly at the low boundary L',
      value: (r) => r.spikeLow,
      text: (r) => formatShare(r.spikeLow),
    },
    {
      key: 'spikeHigh',
      label: 'spike U',
      help: 'Share of the finite samples exactly at the high boundary U',
      value: (r) => r.spikeHigh,
      text: (r) => formatShare(r.spikeHigh),
    },
    ...methods.map((m): Column => ({
      key: `mse.${m}`,
      label: label(m),
      help: `MSE of ${label(m)} at the current bits`,
      value: (r) => r.mse[m] ?? null,
      text: (r) => formatValue(r.mse[m], 3),
      method: m,
    })),
    {
      key: 'vsOptimal',
      label: '× optimal',
      help: `The focused method's MSE divided by the optimum's (1 = optimal)`,
      value: (r) => focusedOf(r, focus)?.vsOptimal ?? null,
      text: (r) => {
        const v = focusedOf(r, focus)?.vsOptimal;
        return v === null || v === undefined ? '—' : `${formatValue(v, 4)}×`;
      },
    },
    {
      key: 'bitsEquivalent',
      label: '≈ linear b',
      help: "BS-KMQ's linear bit-width equivalent: the linear bits that reach its MSE",
      value: (r) => r.bitsEquivalent,
      text: (r) => formatValue(r.bitsEquivalent, 3),
    },
  ];
}

function compareRows(a: LayerRow, b: LayerRow, col: Column | null, dir: Sort['dir']): number {
  if (!col) return 0;
  const va = col.value(a);
  const vb = col.value(b);
  // Missing values (failed tensors, non-finite MSE) go last in either direction.
  if (va === null || vb === null) return va === null ? (vb === null ? 0 : 1) : -1;
  return dir === 'ascending' ? va - vb : vb - va;
}

export function LayersPanel() {
  const { pipeline, store } = useServices();
  const tensors = useApp((s) => s.data.tensors);
  const focus = useApp((s) => s.params.focus);
  const current = useApp((s) => s.data.input?.tensor ?? null);
  const methodsShown = useApp((s) => s.params.methods);
  const bits = useApp((s) => s.params.bits);
  const { rows, done, total, status, error, params } = useStore(pipeline.layers.store);
  const [sort, setSort] = useState<Sort | null>(null);

  const methods = useMemo(() => layerMethods(params?.methods ?? methodsShown), [params, methodsShown]);
  const columns = useMemo(() => columnsFor(methods, focus), [methods, focus]);
  const [exporting, setExporting] = useState<string | null>(null);
  const fresh = useMemo(() => new Set(rows.slice(0, done).map((r) => r.tensor)), [rows, done]);
  const sorted = useMemo(() => {
    const col = sort && (sort.key === 'tensor' ? null : (columns.find((c) => c.key === sort.key) ?? null));
    if (sort?.key === 'tensor') {
      const sign = sort.dir === 'ascending' ? 1 : -1;
      return [...rows].sort((a, b) => sign * a.tensor.localeCompare(b.tensor, 'en', { numeric: true }));
    }
    return sort ? [...rows].sort((a, b) => compareRows(a, b, col, sort.dir)) : rows;
  }, [rows, sort, columns]);

  if (tensors.length < 2) return null;

  const toggle = (key: SortKey) =>
    setSort((s) => ({ key, dir: s?.key === key && s.dir === 'ascending' ? 'descending' : 'ascending' }));
  const ariaSort = (key: SortKey) => (sort?.key === key ? sort.dir : undefined);
  const focusTensor = (name: string) => {
    if (name !== current) void pipeline.selectTensor(name);
    document.getElementById('levels')?.scrollIntoView({ block: 'start' });
  };
  const running = status === 'running';
  const focusDesigned = rows.find((r) => r.report)?.report;
  const focusLabel = label((focusDesigned && focusedAmong(focusDesigned.results, focus)?.method) || focus);

  /** Every tensor's report once the batch is done, in file order; the batch's params with the current focus. */
  async function batch(): Promise<{ all: AllTensorsReport; state: LayersState; file: string }> {
    await pipeline.layers.settled();
    const state = pipeline.layers.store.getState();
    if (state.status !== 'done') throw new Error(state.error ?? 'the layers are still being designed');
    const data = store.getState().data;
    const file = data.input?.file ?? state.rows.find((r) => r.report)?.report?.input.file ?? 'data';
    const now = store.getState().params.focus;
    const entries = state.rows.map((r): Report | TensorFailure =>
      r.report
        ? { ...r.report, params: { ...r.report.params, focus: now } }
        : {
            input: { file, tensor: r.tensor, shape: r.shape, dtype: r.dtype, count: r.count },
            error: r.error ?? 'not designed',
          },
    );
    return { all: { file, format: data.format ?? '', tensors: entries }, state, file };
  }

  const bits0 = params?.bits ?? bits;
  async function runExport(kind: 'json' | 'csv' | 'numpy') {
    setExporting(kind);
    try {
      const { all, state, file } = await batch();
      const bits = state.params?.bits ?? bits0;
      const designed = state.rows.flatMap((r) => (r.report ? [{ tensor: r.tensor, results: r.report.results }] : []));
      if (kind === 'json') {
        downloadText(JSON.stringify(all, null, 2) + '\n', layersExportFileName(file, bits, 'json'), 'application/json');
      } else if (kind === 'csv') {
        downloadText(layersCsv(designed), layersExportFileName(file, bits, 'csv'), 'text/csv');
      } else {
        const failures = state.rows.flatMap((r) =>
          r.report ? [] : [{ tensor: r.tensor, error: r.error ?? 'not designed' }],
        );
        const method = focusedAmong(designed[0]?.results ?? [], store.getState().params.focus)?.method ?? 'bskmq';
        const text = layersNumpySnippet(designed, { file, bits, method, failures });
        downloadText(text, layersExportFileName(file, bits, 'py'), 'text/x-python');
      }
    } catch (e) {
      store.getState().notify('error', `Export failed: ${messageOf(e)}`);
    } finally {
      setExporting(null);
    }
  }
  const exportDisabled = status !== 'done' || exporting !== null;

  return (
    <section
      id="layers"
      className="panel table-panel layers"
      aria-labelledby="layers-title"
      data-testid="layers.panel"
      data-state={status}
    >
      <h2 id="layers-title">
        Layers
        <span className="muted">
          {' '}
          · {tensors.length} tensors at {params?.bits ?? bits} bits · MSE per method, the lowest heuristic ★; click a
          row to focus its tensor and see its charts
        </span>
      </h2>
      <div className="export-row" role="group" aria-label="Export every tensor">
        <span className="muted">Every tensor, every method:</span>
        <WithTip text="One JSON report per tensor (levels, references and every metric), as the command-line tool writes for every tensor">
          {(tip) => (
            <button
              aria-describedby={tip}
              type="button"
              data-testid="layers.export.json"
              disabled={exportDisabled}
              onClick={() => void runExport('json')}
            >
              JSON
            </button>
          )}
        </WithTip>
        <WithTip text="One row per tensor, method and code: tensor, method, code, reference (threshold), level">
          {(tip) => (
            <button
              aria-describedby={tip}
              type="button"
              data-testid="layers.export.csv"
              disabled={exportDisabled}
              onClick={() => void runExport('csv')}
            >
              CSV
            </button>
          )}
        </WithTip>
        <WithTip text="Python: QUANTIZERS[tensor][method] with thresholds and levels as float64 arrays, and quantize(x, tensor)">
          {(tip) => (
            <button
              aria-describedby={tip}
              type="button"
              data-testid="layers.export.numpy"
              disabled={exportDisabled}
              onClick={() => void runExport('numpy')}
            >
              NumPy
            </button>
          )}
        </WithTip>
      </div>
      {running && (
        <div className="progress" role="status" aria-live="polite">
          <progress data-testid="layers.progress" max={total} value={done} />
          <span className="muted">
            Designing tensor {Math.min(done + 1, total)} of {total}…
          </span>
        </div>
      )}
      {status === 'error' && (
        <p className="error" role="alert">
          The layers could not be computed: {error}
        </p>
      )}
      <div className="table-scroll">
        <table className="metrics layers-table" data-testid="layers.table">
          <thead>
            <tr className="group">
              <td colSpan={4} />
              <th scope="colgroup" colSpan={methods.length}>
                MSE at {params?.bits ?? bits} bits
              </th>
              {focusLabel === label('bskmq') ? (
                <th scope="colgroup" colSpan={2}>
                  {focusLabel}
                </th>
              ) : (
                <>
                  <th scope="colgroup">{focusLabel}</th>
                  <th scope="colgroup">{label('bskmq')}</th>
                </>
              )}
            </tr>
            <tr>
              <th scope="col" aria-sort={ariaSort('tensor')} className="sortable">
                <button type="button" className="sort-button" data-sort="tensor" onClick={() => toggle('tensor')}>
                  tensor{sortMark(sort, 'tensor')}
                </button>
              </th>
              {columns.map((c) => (
                <th scope="col" key={c.key} aria-sort={ariaSort(c.key)} className="sortable" data-method={c.method}>
                  <WithTip text={c.help}>
                    {(tip) => (
                      <button
                        type="button"
                        className="sort-button"
                        data-sort={c.key}
                        aria-describedby={tip}
                        onClick={() => toggle(c.key)}
                      >
                        {c.method && (
                          <span className="swatch" style={{ background: METHOD_COLORS[c.method] }} aria-hidden="true" />
                        )}
                        {c.label}
                        {sortMark(sort, c.key)}
                      </button>
                    )}
                  </WithTip>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => {
              const isCurrent = r.tensor === current;
              const best = r.error === null ? bestOf(r) : new Set<string>();
              const classes = [isCurrent && 'focused', !fresh.has(r.tensor) && 'stale'].filter(Boolean).join(' ');
              return (
                <tr
                  key={r.tensor}
                  data-tensor={r.tensor}
                  className={classes || undefined}
                  aria-current={isCurrent ? 'true' : undefined}
                  onClick={() => focusTensor(r.tensor)}
                >
                  <th scope="row">
                    <button
                      title="Focus this tensor"
                      type="button"
                      className="method-button mono"
                      aria-pressed={isCurrent}
                      onClick={(e) => {
                        e.stopPropagation();
                        focusTensor(r.tensor);
                      }}
                    >
                      {r.tensor}
                    </button>
                  </th>
                  {r.error !== null ? (
                    <>
                      <td data-col="count" data-value={r.count}>
                        {columns[0].text(r)}
                      </td>
                      <td className="layer-error" colSpan={columns.length - 1} title={r.error}>
                        {r.error}
                      </td>
                    </>
                  ) : (
                    columns.map((c) => {
                      const v = c.value(r);
                      const isBest = c.method !== undefined && best.has(c.method);
                      return (
                        <td
                          key={c.key}
                          data-col={c.key}
                          data-value={v === null ? '' : String(v)}
                          data-best={isBest ? 'true' : undefined}
                          className={isBest ? 'best' : undefined}
                        >
                          {c.text(r)}
                          {isBest && (
                            <span className="best-mark" title={`Lowest MSE of the heuristics for ${r.tensor}`}>
                              {' '}
                              ★<span className="visually-hidden"> lowest</span>
                            </span>
                          )}
                        </td>
                      );
                    })
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {rows.length > 0 && (
        <p className="hint">
          {formatCount(rows.reduce((n, r) => n + r.count, 0))} samples in {rows.length} tensors, designed one at a time
          in the background, so the sliders never wait for it. The command-line tool gives the same numbers for the same
          file.
        </p>
      )}
    </section>
  );
}

function sortMark(sort: Sort | null, key: SortKey): string {
  if (sort?.key !== key) return '';
  return sort.dir === 'ascending' ? ' ▲' : ' ▼';
}
