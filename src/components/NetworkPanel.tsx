/**
 * The Network panel: a model (ONNX) and its inputs, the activations it captures on the calibration part
 * (each becomes a tensor of the app), and the PTQ accuracy of every shown method on the evaluation part:
 * a table at the current bits with the bits each method needs and their first-order ADC cost, and the
 * accuracy-vs-bits chart. A PTQ table opened from a file is drawn by the same chart.
 */
import { useId, useMemo, type ChangeEvent } from 'react';
import type { Method } from '../core/params';
import { ACCURACY_TOLERANCE, bitsNeeded, costSentence, rampSteps, sarCycles } from '../core/network/adcCost';
import { tableMethods } from '../core/network/ptqTable';
import { AccuracyChart } from '../charts/accuracy/AccuracyChart';
import { colorOf, labelOf, type AccuracySeries } from '../charts/accuracy/layout';
import { MAX_BITS } from '../core/params';
import { useApp } from '../state/context';
import { useNetwork, useNetworkController } from '../network/context';

const pct = (v: number | undefined) => (v === undefined ? '…' : `${(v * 100).toFixed(1)} %`);

/** Accuracy by bits (index = bits) for each method, from live results or a PTQ table. */
function seriesOf(
  results: readonly { method: string; bits: number; accuracy: number }[],
  methods: string[],
  floatAccuracy: number | null,
): AccuracySeries[] {
  return methods.map((method) => {
    const accuracy: (number | undefined)[] = Array.from({ length: MAX_BITS + 1 }, () => undefined);
    for (const r of results) if (r.method === method && r.bits <= MAX_BITS) accuracy[r.bits] = r.accuracy;
    return {
      method,
      accuracy,
      needed: floatAccuracy === null ? null : bitsNeeded(accuracy, floatAccuracy, ACCURACY_TOLERANCE),
    };
  });
}

export function NetworkPanel() {
  const controller = useNetworkController();
  const model = useNetwork((s) => s.model);
  const inputs = useNetwork((s) => s.inputs);
  const capture = useNetwork((s) => s.capture);
  const status = useNetwork((s) => s.status);
  const progress = useNetwork((s) => s.progress);
  const results = useNetwork((s) => s.results);
  const table = useNetwork((s) => s.table);
  const selected = useNetwork((s) => s.selected);
  const bits = useApp((s) => s.params.bits);
  const methods = useApp((s) => s.params.methods);
  const currentTensor = useApp((s) => s.data.input?.tensor ?? null);
  const modelId = useId(),
    inputsId = useId(),
    calibId = useId();

  const live = capture !== null;
  const view = useMemo(() => {
    if (live) {
      const rs = Object.values(results);
      return {
        floatAccuracy: capture.floatAccuracy,
        metric: capture.labels ? ('top1' as const) : ('agreement' as const),
        series: seriesOf(rs, methods, capture.floatAccuracy),
        source: model?.name ?? '',
      };
    }
    if (table) {
      return {
        floatAccuracy: table.floatAccuracy,
        metric: table.metric,
        series: seriesOf(table.results, tableMethods(table.results), table.floatAccuracy),
        source: `${table.model.name} (PTQ table)`,
      };
    }
    return null;
  }, [live, results, capture, methods, table, model]);

  const onModel = (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    e.target.value = '';
    if (f) void controller.openModelFile(f);
  };
  const onInputs = (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    e.target.value = '';
    if (f) void controller.openInputsFile(f);
  };
  const allLayers = model?.activations.map((a) => a.name) ?? [];
  const isSelected = (n: string) => selected === null || selected.includes(n);
  const toggleLayer = (n: string) => {
    const cur = selected ?? allLayers;
    const next = cur.includes(n) ? cur.filter((x) => x !== n) : allLayers.filter((x) => x === n || cur.includes(x));
    controller.setSelected(next.length === allLayers.length ? null : next);
  };

  const linear = view?.series.find((s) => s.method === 'linear');
  const bs = view?.series.find((s) => s.method === 'bskmq');
  const comparison =
    bs?.needed != null && linear?.needed != null ? costSentence('BS-KMQ', bs.needed, 'linear', linear.needed) : null;
  const busy = status === 'capturing' || status === 'computing' || status === 'loading';

  return (
    <section
      id="network"
      className="panel table-panel network-panel"
      aria-labelledby="network-title"
      data-testid="network.panel"
      data-state={busy ? 'busy' : status}
    >
      <h2 id="network-title">
        Network
        <span className="muted"> · PTQ accuracy of a network with every activation quantized by each method</span>
      </h2>
      <div className="network-files">
        <button type="button" data-testid="network.demo" onClick={() => void controller.openDemo('digits')}>
          Open the demo network (digits CNN)
        </button>
        <div className="field file-field">
          <label htmlFor={modelId}>ONNX model (or a PTQ table .json)</label>
          <input id={modelId} type="file" data-testid="network.model" accept=".onnx,.json" onChange={onModel} />
        </div>
        <div className="field file-field">
          <label htmlFor={inputsId}>Inputs: .npz with x (and y labels) or .npy</label>
          <input id={inputsId} type="file" data-testid="network.inputs" accept=".npz,.npy" onChange={onInputs} />
        </div>
        {inputs && (
          <div className="field">
            <label htmlFor={calibId}>Calibration samples (the rest evaluate)</label>
            <input
              id={calibId}
              type="number"
              data-testid="network.calibration"
              min={1}
              max={inputs.samples - 1}
              defaultValue={capture?.calibration ?? Math.floor(inputs.samples / 2)}
              key={`${inputs.name}|${capture?.calibration}`}
              onBlur={(e) => {
                const v = Math.round(Number(e.target.value));
                if (Number.isFinite(v) && v >= 1 && v < inputs.samples && v !== capture?.calibration)
                  void controller.setCalibration(v);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
              }}
            />
          </div>
        )}
      </div>
      {model && (
        <p className="muted" data-testid="network.summary">
          {model.name}: opset {model.opset}, input {model.input.name} [{model.input.shape.join('×')}]
          {inputs && (
            <>
              {' '}
              · {inputs.name}: {inputs.samples} samples [{inputs.sampleShape.join('×')}]
              {inputs.labels ? ' with labels' : ', no labels (agreement with float)'}
            </>
          )}
          {capture && (
            <>
              {' '}
              · calibration {capture.calibration}, evaluation {capture.evaluation} · captured in{' '}
              {capture.seconds.toFixed(2)} s
            </>
          )}
        </p>
      )}
      {progress && (
        <div className="progress" role="status" aria-live="polite">
          <progress data-testid="network.progress" max={progress.total} value={progress.done} />
          <span className="muted">
            Capturing activations: sample {progress.done} of {progress.total}…
          </span>
        </div>
      )}
      {model && (
        <table className="metrics" data-testid="network.activations">
          <thead>
            <tr>
              <th scope="col">quantized</th>
              <th scope="col">activation</th>
              <th scope="col">op</th>
              <th scope="col">shape</th>
              <th scope="col">tensor</th>
            </tr>
          </thead>
          <tbody>
            {model.activations.map((a) => {
              const tensor = capture?.tensors[a.name];
              return (
                <tr
                  key={a.name}
                  data-activation={a.name}
                  className={tensor && tensor === currentTensor ? 'focused' : undefined}
                >
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`quantize ${a.name}`}
                      checked={isSelected(a.name)}
                      onChange={() => toggleLayer(a.name)}
                    />
                  </td>
                  <td className="name">{a.name}</td>
                  <td>{a.op}</td>
                  <td>
                    {capture?.shapes[a.name]
                      ? `[${capture.shapes[a.name].join('×')}]`
                      : a.shape
                        ? `[${a.shape.join('×')}]`
                        : '?'}
                  </td>
                  <td>{tensor ?? '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {view && (
        <>
          <table className="metrics" data-testid="network.table" data-source={live ? 'network' : 'table'}>
            <caption className="muted">
              {view.source}: {view.metric === 'top1' ? 'top-1 accuracy' : 'top-1 agreement with the float network'} at{' '}
              {bits} b; float{' '}
              <span data-testid="network.float" data-value={view.floatAccuracy}>
                {pct(view.floatAccuracy)}
              </span>
              ; bits needed = fewest bits within {Math.round(ACCURACY_TOLERANCE * 100)} % of float. ADC cost is
              first-order: ramp ADC 2^b steps per conversion (time and comparator energy ∝ 2^b), SAR ADC b cycles.
            </caption>
            <thead>
              <tr>
                <th scope="col">method</th>
                <th scope="col">accuracy at {bits} b</th>
                <th scope="col">Δ vs float</th>
                <th scope="col">bits needed</th>
                <th scope="col">ramp steps (2^b)</th>
                <th scope="col">SAR cycles (b)</th>
              </tr>
            </thead>
            <tbody>
              {view.series.map((s) => {
                const a = s.accuracy[bits];
                return (
                  <tr key={s.method} data-method={s.method}>
                    <th scope="row">
                      <span className="swatch" style={{ background: colorOf(s.method) }} aria-hidden="true" />
                      {labelOf(s.method as Method)}
                    </th>
                    <td className="num" data-value={a ?? ''}>
                      {pct(a)}
                    </td>
                    <td className="num">
                      {a === undefined ? '…' : `${((a - view.floatAccuracy) * 100).toFixed(1)} pp`}
                    </td>
                    <td className="num" data-needed={s.needed ?? ''}>
                      {s.needed === null
                        ? s.accuracy.filter((x) => x !== undefined).length === MAX_BITS
                          ? `> ${MAX_BITS}`
                          : '…'
                        : `${s.needed} b`}
                    </td>
                    <td className="num">{s.needed === null ? '—' : rampSteps(s.needed)}</td>
                    <td className="num">{s.needed === null ? '—' : sarCycles(s.needed)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {comparison && (
            <p data-testid="network.adc" className="readout">
              {comparison} (first-order).
            </p>
          )}
          <AccuracyChart
            series={view.series}
            floatAccuracy={view.floatAccuracy}
            tolerance={ACCURACY_TOLERANCE}
            bits={bits}
            metric={view.metric}
          />
        </>
      )}
      {!model && !table && (
        <p className="muted">
          Open the demo or an ONNX model with its inputs. The model runs in your browser and nothing is uploaded; each
          activation's captured values become a tensor in the tensor picker and the layers view.
        </p>
      )}
    </section>
  );
}
