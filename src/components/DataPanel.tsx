/**
 * Where the samples come from: the built-in generators with their
 * options, a file picker (drag and drop works over the whole page, see DropZone), the
 * tensor picker of a multi-tensor file, and a progress bar while a file loads.
 * File and tensor names are rendered as text only.
 */
import { useId, type ChangeEvent } from 'react';
import { BYTE_ORDERS, DTYPE_NAMES } from '../core/formats';
import type { RawRead } from '../state/store';
import { useApp, useServices } from '../state/context';
import { generatorDefaults } from '../state/urlCodec';
import { CheckboxField, NumberField, SelectField } from './fields';
import { allowedText, formatCount } from './format';
import { PersistControl } from './PersistControl';

export function DataPanel() {
  const { pipeline, generators, store } = useServices();
  const source = useApp((s) => s.data.source);
  const status = useApp((s) => s.data.status);
  const progress = useApp((s) => s.data.progress);
  const tensors = useApp((s) => s.data.tensors);
  const input = useApp((s) => s.data.input);
  const fileId = useId();
  const raw = useApp((s) => s.data.rawRead);
  const setRaw = (rawRead: RawRead) => store.getState().setData({ rawRead });

  const genName = source.kind === 'generator' ? source.name : '';
  const spec = generators.find((g) => g.name === genName);
  const chooseGenerator = (name: string) => {
    const g = generators.find((x) => x.name === name);
    if (g) void pipeline.loadSource({ kind: 'generator', name, options: generatorDefaults(g) });
  };
  const setOption = (name: string, v: number | null): boolean => {
    if (source.kind !== 'generator' || !spec || v === null) return false;
    const p = spec.params.find((x) => x.name === name);
    if (!p || v < p.min || v > p.max || (p.integer && !Number.isInteger(v))) return false;
    void pipeline.loadSource({ ...source, options: { ...source.options, [name]: v } });
    return true;
  };
  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.currentTarget.files?.[0];
    if (file) void pipeline.loadFile(file);
    e.currentTarget.value = '';
  };

  return (
    <section className="panel data" aria-labelledby="data-title">
      <h2 id="data-title">Data</h2>
      <SelectField
        label="Generator"
        testId="data.generator"
        help="Built-in seeded data sets that show the ReLU and clamping spikes."
        value={genName}
        options={[
          ...(source.kind !== 'generator' ? [{ value: '', label: '— choose a generator —' }] : []),
          ...generators.map((g) => ({ value: g.name, label: g.label })),
        ]}
        onChange={chooseGenerator}
      />
      {spec && source.kind === 'generator' && (
        <div className="gen-options">
          {spec.params.map((p) => (
            <NumberField
              key={`${spec.name}.${p.name}`}
              label={p.label}
              help={p.help}
              testId={`data.generator.${p.name}`}
              allowed={allowedText(p)}
              value={source.options[p.name] ?? p.default}
              onCommit={(v) => setOption(p.name, v)}
            />
          ))}
        </div>
      )}
      <div className="field file-field">
        <label htmlFor={fileId}>Or open a file</label>
        <input
          id={fileId}
          type="file"
          data-testid="data.file"
          accept=".npy,.npz,.safetensors,.pt,.pth,.csv,.tsv,.txt,.json,.bin,.raw"
          onChange={onFile}
        />
        <p className="hint">
          .npy .npz .safetensors .pt .csv .json — or drop it anywhere on the page. It never leaves your browser.
        </p>
        <CheckboxField
          label="Read files as raw binary"
          testId="data.raw"
          help="Headerless binary: choose the element type and byte order; the whole file is one tensor."
          checked={raw.on}
          onChange={(on) => setRaw({ ...raw, on })}
        />
        {raw.on && (
          <div className="grid2">
            <SelectField
              label="dtype"
              testId="data.rawDtype"
              value={raw.dtype}
              options={DTYPE_NAMES.map((d) => ({ value: d, label: d }))}
              onChange={(dtype) => setRaw({ ...raw, dtype })}
            />
            <SelectField
              label="byte order"
              testId="data.rawByteOrder"
              value={raw.byteOrder}
              options={BYTE_ORDERS.map((o) => ({ value: o, label: `${o}-endian` }))}
              onChange={(byteOrder) => setRaw({ ...raw, byteOrder })}
            />
          </div>
        )}
      </div>
      {source.kind !== 'generator' && (
        <p className="source-name" data-testid="data.source">
          {source.kind === 'url' ? 'Remote: ' : 'File: '}
          <span className="mono">{source.kind === 'url' ? source.url : source.name}</span>
          {input?.tensor ? <span className="muted"> · {input.tensor}</span> : null}
        </p>
      )}
      {status === 'awaiting-file' && source.kind === 'file' && (
        <p className="awaiting" role="status">
          Waiting for <span className="mono">{source.name}</span>
          {source.sha256 ? <span className="muted"> (SHA-256 {source.sha256}…)</span> : null}
        </p>
      )}
      {tensors.length > 1 && (
        <SelectField
          label="Tensor"
          testId="data.tensor"
          help="The tensor of the file to analyse."
          value={input?.tensor ?? tensors[0].name}
          options={tensors.map((t) => ({
            value: t.name,
            label: `${t.name} [${t.shape.join('×')}] ${t.dtype} · ${formatCount(t.count)}`,
          }))}
          onChange={(name) => void pipeline.selectTensor(name)}
        />
      )}
      {status === 'loading' && (
        <div className="progress" role="status" aria-live="polite">
          <progress
            data-testid="data.progress"
            max={progress && progress.total > 0 ? progress.total : undefined}
            value={progress && progress.total > 0 ? progress.done : undefined}
          />
          <span className="muted">
            {progress && progress.total > 0
              ? `Loading… ${Math.round((100 * progress.done) / progress.total)} %`
              : 'Loading…'}
          </span>
        </div>
      )}
      <PersistControl />
    </section>
  );
}
