/**
 * The per-layer batch view: for a multi-tensor file, one row per
 * tensor (`data-tensor`) with its shape, spike shares at L and U, every method's MSE at
 * the current bits and BS-KMQ's linear bits-equivalent. Headers sort; a row focuses
 * its tensor, as the tensor picker does. Rows arrive tensor by tensor from the worker
 * (`layers.progress` while they do). Each cell carries its full-precision number in
 * `data-value` (the text is rounded for reading). Nothing is shown for single-tensor data.
 */
import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { Method } from '../core/params';
import { METHOD_COLORS, METHOD_LABELS } from '../charts/colors';
import { layerMethods, type LayerRow } from '../worker/layersEngine';
import { useApp, useServices } from '../state/context';
import { formatCount, formatShare, formatValue } from './format';

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

function columnsFor(methods: readonly Method[]): Column[] {
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
    ...methods.map(
      (m): Column => ({
        key: `mse.${m}`,
        label: METHOD_LABELS[m] ?? m,
        help: `MSE of ${METHOD_LABELS[m] ?? m} at the current bits`,
        value: (r) => r.mse[m] ?? null,
        text: (r) => formatValue(r.mse[m], 3),
        method: m,
      }),
    ),
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
  const { pipeline } = useServices();
  const tensors = useApp((s) => s.data.tensors);
  const current = useApp((s) => s.data.input?.tensor ?? null);
  const methodsShown = useApp((s) => s.params.methods);
  const bits = useApp((s) => s.params.bits);
  const { rows, done, total, status, error, params } = useStore(pipeline.layers.store);
  const [sort, setSort] = useState<Sort | null>(null);

  const methods = useMemo(() => layerMethods(params?.methods ?? methodsShown), [params, methodsShown]);
  const columns = useMemo(() => columnsFor(methods), [methods]);
  const fresh = useMemo(() => new Set(rows.slice(0, done).map((r) => r.tensor)), [rows, done]);
  const sorted = useMemo(() => {
    const col = sort && (sort.key === 'tensor' ? null : columns.find((c) => c.key === sort.key) ?? null);
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
  };
  const running = status === 'running';

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
          · {tensors.length} tensors at {params?.bits ?? bits} bits · MSE per method; click a row to focus its tensor
        </span>
      </h2>
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
              <th scope="colgroup">BS-KMQ</th>
            </tr>
            <tr>
              <th scope="col" aria-sort={ariaSort('tensor')} className="sortable">
                <button type="button" className="sort-button" data-sort="tensor" onClick={() => toggle('tensor')}>
                  tensor{sortMark(sort, 'tensor')}
                </button>
              </th>
              {columns.map((c) => (
                <th scope="col" key={c.key} title={c.help} aria-sort={ariaSort(c.key)} className="sortable">
                  <button type="button" className="sort-button" data-sort={c.key} onClick={() => toggle(c.key)}>
                    {c.method && (
                      <span className="swatch" style={{ background: METHOD_COLORS[c.method] }} aria-hidden="true" />
                    )}
                    {c.label}
                    {sortMark(sort, c.key)}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => {
              const isCurrent = r.tensor === current;
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
                      type="button"
                      className="method-button mono"
                      aria-pressed={isCurrent}
                      title="Focus this tensor"
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
                      return (
                        <td key={c.key} data-col={c.key} data-value={v === null ? '' : String(v)}>
                          {c.text(r)}
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
          {formatCount(rows.reduce((n, r) => n + r.count, 0))} samples in {rows.length} tensors; each tensor is
          decoded on its own, in the batch's own worker, so the sliders never wait for it. The numbers equal{' '}
          <span className="mono">bskmq design FILE --all-tensors</span>.
        </p>
      )}
    </section>
  );
}

function sortMark(sort: Sort | null, key: SortKey): string {
  if (sort?.key !== key) return '';
  return sort.dir === 'ascending' ? ' ▲' : ' ▼';
}
