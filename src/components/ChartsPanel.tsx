/**
 * Renders the charts of src/charts from the results slice. A chart whose data is not
 * computed yet renders nothing in its slot (never a placeholder chart).
 */
import { memo, useCallback, useMemo, type ReactNode, type RefObject } from 'react';
import { ErrorCurveChart, HistogramChart, OccupancyChart, SweepChart, TransferChart, METHOD_LABELS } from '../charts';
import type { LevelSet } from '../charts';
import type { Method } from '../core/params';
import type { MethodResult } from '../core/report';
import { useApp, useServices } from '../state/context';
import { CheckboxField, NumberField, SelectField } from './fields';
import { allowedText } from './format';
import { MAX_BIN_COUNT, MIN_BIN_COUNT, type Display } from '../state/types';
import { useElementHeight, useMediaQuery } from './useRowHeight';
import { designLinear } from '../core/methods/linear';
import type { StageName } from '../compute/stages';

/** Chart heights, px. On wide screens (app.css: three columns from 1800 px) the transfer function sits beside
 *  the histogram and takes the histogram's height plus its toolbar's, so neither card has empty space. */
const HISTOGRAM_HEIGHT = 330;
const CARD_CHART_HEIGHT = 260;
const WIDE_GRID_QUERY = '(min-width: 1800px)';

function levelSet(r: MethodResult): LevelSet {
  return { method: r.method, levels: r.levels.map(num), thresholds: r.thresholds.map(num) };
}

/** The report writes non-finite numbers as null (JSON); the charts take NaN. */
function num(v: number | null): number {
  return v ?? NaN;
}

/** Core's linear quantizer on [L, U], for the transfer chart when `linear` is not among the shown methods. */
function linearLevelSet(L: number, U: number, bits: number): LevelSet {
  const q = designLinear(bits, L, U);
  return { method: 'linear', levels: Array.from(q.levels), thresholds: Array.from(q.thresholds) };
}

function Card({
  title,
  subtitle,
  children,
  wide,
  tools,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  wide?: boolean;
  tools?: ReactNode;
}) {
  return (
    <figure className={wide ? 'card wide' : 'card'}>
      <figcaption>
        <span>
          <span className="card-title">{title}</span>
          {subtitle ? <span className="muted"> {subtitle}</span> : null}
        </span>
        {tools ? <span className="card-tools">{tools}</span> : null}
      </figcaption>
      {children}
    </figure>
  );
}

/** Options of the error chart's scale select (a constant, so the select's props stay the same between renders). */
const ERROR_SCALE_OPTIONS: readonly { value: Display['errorScale']; label: string }[] = [
  { value: 'mse', label: 'MSE (log)' },
  { value: 'sqnr', label: 'SQNR (dB)' },
];

/**
 * The histogram's display options. Its own component reading only the display options it shows, so a
 * worker result that redraws the charts does not re-render (and React re-write) these inputs.
 */
const HistogramToolbar = memo(function HistogramToolbar({
  toolbarRef,
}: {
  toolbarRef: RefObject<HTMLDivElement | null>;
}) {
  const { store } = useServices();
  const log = useApp((s) => s.display.log);
  const binCount = useApp((s) => s.display.binCount);
  const zoom = useApp((s) => s.display.zoom);
  const dataMin = useApp((s) => s.data.input?.min ?? null);
  const dataMax = useApp((s) => s.data.input?.max ?? null);
  const setDisplay = store.getState().setDisplay;
  const dataDomain: [number, number] | null = dataMin !== null && dataMax !== null ? [dataMin, dataMax] : null;

  function commitZoom(end: 0 | 1, v: number | null): boolean {
    const base = zoom ?? dataDomain;
    if (!base) return false;
    if (v === null) {
      setDisplay({ zoom: null });
      return true;
    }
    const next: [number, number] = end === 0 ? [v, base[1]] : [base[0], v];
    if (!(next[0] < next[1])) return false;
    setDisplay({ zoom: next });
    return true;
  }

  return (
    <div className="chart-toolbar" ref={toolbarRef}>
      <CheckboxField label="log counts" testId="display.log" checked={log} onChange={(v) => setDisplay({ log: v })} />
      <NumberField
        label="bins"
        testId="display.binCount"
        help={`Histogram bins over the shown range (${MIN_BIN_COUNT}–${MAX_BIN_COUNT}).`}
        allowed={allowedText({ min: MIN_BIN_COUNT, max: MAX_BIN_COUNT, integer: true })}
        value={binCount}
        onCommit={(v) => {
          if (v === null || !Number.isInteger(v) || v < MIN_BIN_COUNT || v > MAX_BIN_COUNT) return false;
          setDisplay({ binCount: v });
          return true;
        }}
      />
      <NumberField
        label="zoom from"
        testId="display.zoomLow"
        help="Lower end of the shown value range (empty = data minimum). Drag over the plot to zoom."
        value={zoom?.[0] ?? null}
        nullable
        placeholder={dataDomain ? String(dataDomain[0]) : ''}
        onCommit={(v) => commitZoom(0, v)}
      />
      <NumberField
        label="to"
        testId="display.zoomHigh"
        help="Upper end of the shown value range (empty = data maximum)."
        value={zoom?.[1] ?? null}
        nullable
        placeholder={dataDomain ? String(dataDomain[1]) : ''}
        onCommit={(v) => commitZoom(1, v)}
      />
      {zoom && (
        <button type="button" data-testid="display.zoomReset" onClick={() => setDisplay({ zoom: null })}>
          Reset zoom
        </button>
      )}
    </div>
  );
});

/** The error chart's scale select, re-rendered only when the scale changes (see HistogramToolbar). */
const ErrorScaleSelect = memo(function ErrorScaleSelect() {
  const { store } = useServices();
  const errorScale = useApp((s) => s.display.errorScale);
  return (
    <SelectField
      label="scale"
      testId="display.errorScale"
      value={errorScale}
      options={ERROR_SCALE_OPTIONS}
      onChange={(v) => store.getState().setDisplay({ errorScale: v })}
    />
  );
});

/**
 * What an empty chart says: "computing…" while its stages (or the load) are at work, otherwise that
 * nothing could be drawn (a failed stage has its own notice).
 */
function Pending({ stages }: { stages: readonly StageName[] }) {
  const working = useApp((s) => s.data.status === 'loading' || stages.some((k) => s.results.busy[k]));
  return (
    <p className="chart-pending" data-testid="chart.pending" role="status">
      {working ? 'computing…' : 'nothing to draw for this data'}
    </p>
  );
}

export function ChartsPanel() {
  const { store } = useServices();
  const report = useApp((s) => s.results.report);
  const bands = useApp((s) => s.results.bands);
  const histogram = useApp((s) => s.results.histogram);
  const curves = useApp((s) => s.results.curves);
  const sweep = useApp((s) => s.results.sweep);
  const occupancy = useApp((s) => s.results.occupancy);
  const focusParam = useApp((s) => s.params.focus);
  const reportParams = useApp((s) => s.results.reportParams);
  const log = useApp((s) => s.display.log);
  const zoom = useApp((s) => s.display.zoom);
  const errorScale = useApp((s) => s.display.errorScale);
  const input = useApp((s) => s.data.input);
  const status = useApp((s) => s.data.status);
  const setDisplay = store.getState().setDisplay;
  const wideGrid = useMediaQuery(WIDE_GRID_QUERY);
  const [histToolbarRef, histToolbarHeight] = useElementHeight();
  const transferHeight = wideGrid && histToolbarHeight > 0 ? HISTOGRAM_HEIGHT + histToolbarHeight : CARD_CHART_HEIGHT;

  const results = useMemo(() => report?.results ?? [], [report]);
  const focusResult =
    results.find((r) => r.method === focusParam) ?? results.find((r) => r.method === 'bskmq') ?? results[0];
  // Memoised on the report's objects, so a result of another stage (curves, sweep) does not redo the
  // histogram's and the transfer chart's layouts (hundreds of marks at 8 bits).
  const focus = useMemo(() => (focusResult ? levelSet(focusResult) : null), [focusResult]);
  const rugs = useMemo(
    () => results.filter((r) => r.method !== focusResult?.method).map(levelSet),
    [results, focusResult],
  );
  const dataDomain: [number, number] | null =
    input && input.min !== null && input.max !== null ? [input.min, input.max] : null;
  const domain = zoom ?? dataDomain;
  const transferDomain: [number, number] | null = bands
    ? [Math.min(bands.L, input?.min ?? bands.L), Math.max(bands.U, input?.max ?? bands.U)]
    : dataDomain;
  const linearResult = results.find((r) => r.method === 'linear');
  const linear = useMemo(
    () =>
      linearResult
        ? levelSet(linearResult)
        : bands && focusResult
          ? linearLevelSet(bands.L, bands.U, focusResult.bits)
          : null,
    [linearResult, bands, focusResult],
  );
  // The charts are memoised: every array they get keeps its identity until its data changes.
  const focusLevels = useMemo(() => focusResult?.levels.map(num) ?? null, [focusResult]);
  const onZoom = useCallback((z: [number, number]) => setDisplay({ zoom: z }), [setDisplay]);
  const bits = focusResult?.bits ?? reportParams?.bits ?? 3;
  const readout =
    focusResult && focusResult.method !== 'linear' && focusResult.bitsEquivalent !== null
      ? `${METHOD_LABELS[focusResult.method as Method]} at ${bits} b ≈ linear at ${focusResult.bitsEquivalent.toFixed(1)} b`
      : null;
  // The optimal curve fills in bit by bit (a long DP per width on large exact sets): name the width in progress.
  const optimalCurve = curves?.find((c) => c.method === 'optimal');
  const optimalPending =
    optimalCurve && optimalCurve.mse.length < 8 ? (
      <span data-testid="errorCurve.pending">{`· optimal: computing ${optimalCurve.mse.length + 1} b…`}</span>
    ) : undefined;
  const bsResult = results.find((r) => r.method === 'bskmq');
  // As core's suppressionSweep defines the current setting: the mean of the two widths.
  const sweepCurrentX = reportParams
    ? sweep?.axis === 'percentile'
      ? (reportParams.pctLow + reportParams.pctHigh) / 2
      : (reportParams.bandLow + reportParams.bandHigh) / 2
    : 0;

  if (!input && status !== 'loading' && status !== 'idle') {
    return (
      <div className="empty-state" data-testid="empty">
        <p>No data is loaded. Pick a generator or open a file on the left, or drop a file anywhere on this page.</p>
      </div>
    );
  }

  return (
    <div className="charts" id="levels">
      <Card
        wide
        title="Histogram"
        subtitle={
          focusResult
            ? `· ${METHOD_LABELS[focusResult.method as Method]} levels (solid) and references (dashed)`
            : undefined
        }
      >
        <HistogramToolbar toolbarRef={histToolbarRef} />
        {!(histogram && focus && domain) && <Pending stages={['report', 'histogram']} />}
        {histogram && focus && domain && (
          <HistogramChart
            data={histogram}
            log={log}
            domain={domain}
            bands={{ low: bands?.low ?? null, high: bands?.high ?? null }}
            focus={focus}
            rugs={rugs}
            height={HISTOGRAM_HEIGHT}
            onZoom={onZoom}
          />
        )}
      </Card>
      <Card
        title="Transfer function"
        subtitle={focusResult ? `· ${METHOD_LABELS[focusResult.method as Method]} vs linear` : undefined}
      >
        {!(focus && linear && transferDomain) && <Pending stages={['report']} />}
        {focus && linear && transferDomain && (
          <TransferChart focus={focus} linear={linear} domain={transferDomain} height={transferHeight} />
        )}
      </Card>
      <Card
        title="Level occupancy"
        subtitle={focusResult ? `· ${METHOD_LABELS[focusResult.method as Method]}` : undefined}
      >
        {!(focusResult && focusLevels && occupancy[focusResult.method as Method]) && <Pending stages={['report']} />}
        {focusResult && focusLevels && occupancy[focusResult.method as Method] && (
          <OccupancyChart
            method={focusResult.method as Method}
            occupancy={occupancy[focusResult.method as Method] as number[]}
            levels={focusLevels}
            height={CARD_CHART_HEIGHT}
          />
        )}
      </Card>
      <Card title="Error vs bits" subtitle={optimalPending} tools={<ErrorScaleSelect />}>
        {!(curves && curves.length > 0) && <Pending stages={['baseCurves', 'optimal', 'bsCurve']} />}
        {curves && curves.length > 0 && (
          <ErrorCurveChart
            curves={curves}
            bits={bits}
            scale={errorScale}
            readout={readout}
            height={CARD_CHART_HEIGHT}
          />
        )}
      </Card>
      <Card title="Suppression sweep" subtitle={sweep ? `· BS-KMQ at ${sweep.bits} b` : undefined}>
        {!sweep && <Pending stages={['sweep']} />}
        {sweep && (
          <SweepChart
            axis={sweep.axis}
            x={sweep.x}
            mse={sweep.mse}
            kmeansMse={sweep.kmeansMse}
            optimalMse={sweep.optimalMse}
            current={{ x: sweepCurrentX, mse: bsResult && bsResult.bits === sweep.bits ? num(bsResult.mse) : NaN }}
            height={CARD_CHART_HEIGHT}
          />
        )}
      </Card>
    </div>
  );
}
