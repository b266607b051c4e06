/**
 * The K-means step-through: seeding and every Lloyd iteration of `kmeans`,
 * `kmeanspp` or `bskmq` over the histogram, with play, pause, step and scrub; an MSE-per-frame plot;
 * for BS-KMQ a side-by-side run without suppression in sync; and a presentation mode (`present=step`:
 * large type, controls hidden, keyboard stepping).
 *
 * The trace is computed in the worker (core's traceDesign via the compute client, latest wins); its
 * last frame is the designed quantizer. It is asked for only while the panel is on screen or within a
 * screen of it: at high bits on a large exact set a trace keeps the interactive worker busy for long
 * enough that a slider change made elsewhere on the page would otherwise wait for it.
 * Stepping is plain state, so it is deterministic; playing is a timer that only advances the step, and
 * with animations off (`anim=0`, prefers-reduced-motion) levels jump instead of gliding.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { StepChart, StepMseChart, METHOD_LABELS } from '../charts';
import { isTraceMethod, PLAIN_RUN_CAPTION, TRACE_METHODS, type TraceMethod } from '../core/trace';
import type { Params } from '../core/params';
import type { StepTraceResult } from '../worker/traceEngine';
import { useApp, useServices } from '../state/context';
import { encodeUrlState } from '../state/urlCodec';
import {
  commandOfKey,
  frameAt,
  mseSeries,
  playStep,
  PLAY_SPEEDS,
  seedFrameCount,
  settledStep,
  stepAfter,
  stepCount,
  VISIBLE_CHANGE,
  type StepCommand,
} from './stepModel';
import { useElementHeight } from './useElementHeight';
import { useNearViewport } from './useNearViewport';
import { useTip } from './fields';
import './StepThrough.css';

/** The address fragment of the panel: *Exit presentation* and Esc land here. */
const PANEL_HASH = '#step-through';
/** Read once at start: the address bar is rewritten (without the fragment) once the views are drawn. */
const openedAtPanel = typeof window !== 'undefined' && window.location.hash === PANEL_HASH;
/** Quiet time after a parameter change before the trace is asked for. */
const TRACE_DEBOUNCE_MS = 150;

/** Everything but `focus` and `methods`, which do not change a design. */
function designKey(p: Params, method: TraceMethod, dataVersion: number): string {
  const { focus: _f, methods: _m, ...rest } = p;
  return JSON.stringify([dataVersion, method, rest]);
}

/** What the panel says before its first trace: why there is none yet. */
function waitingText(hasData: boolean, near: boolean): string {
  if (!hasData) return 'No data is loaded.';
  return near ? 'Computing the steps…' : 'The steps are computed once this panel is on screen.';
}

function useViewportHeight(): number {
  const [h, setH] = useState(() => (typeof window === 'undefined' ? 800 : window.innerHeight));
  useEffect(() => {
    const on = () => setH(window.innerHeight);
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, []);
  return h;
}

export function StepThrough({ presentation = false }: { presentation?: boolean }) {
  const { store, pipeline, codec } = useServices();
  const params = useApp((s) => s.params);
  const dataVersion = useApp((s) => s.data.dataVersion);
  const status = useApp((s) => s.data.status);
  const input = useApp((s) => s.data.input);
  const histogram = useApp((s) => s.results.histogram);
  const bands = useApp((s) => s.results.bands);
  const display = useApp((s) => s.display);
  const source = useApp((s) => s.data.source);

  const [chosenMethod, setChosenMethod] = useState<TraceMethod>('bskmq');
  const method: TraceMethod = isTraceMethod(params.focus) ? params.focus : chosenMethod;
  const key = designKey(params, method, dataVersion);
  const [result, setResult] = useState<{ key: string; value: StepTraceResult } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [compare, setCompare] = useState(true);
  const [speed, setSpeed] = useState<number>(PLAY_SPEEDS[0]);
  const [skip, setSkip] = useState(true);
  const skipTip = useTip('While playing, jump to the final frame once no step moves the levels visibly');
  const viewport = useViewportHeight();
  const latest = useRef({ result, step, compare });
  latest.current = { result, step, compare };
  const panelRef = useRef<HTMLElement | null>(null);
  const near = useNearViewport(panelRef, presentation);

  useEffect(() => {
    if (status !== 'ready' || dataVersion === 0 || !near) return;
    if (latest.current.result?.key === key) return; // back on screen with the trace still current
    let alive = true;
    // Debounced: while a slider is dragged the report (the live feedback) gets the worker first.
    const timer = setTimeout(() => requestTrace(), TRACE_DEBOUNCE_MS);
    const requestTrace = () =>
      pipeline.client.trace({ params: store.getState().params, method }).then(
        (value) => {
          if (!alive || value === null) return;
          setError(null);
          // Stay at the end if the reader was there (e.g. watching the final levels while dragging a band).
          const prev = latest.current;
          const atEnd = prev.result !== null && prev.step >= stepCount(prev.result.value, prev.compare) - 1;
          setResult({ key, value });
          setStep(atEnd ? stepCount(value, prev.compare) - 1 : 0);
          setPlaying(false);
        },
        (e: unknown) => alive && setError(e instanceof Error ? e.message : String(e)),
      );
    return () => {
      alive = false;
      clearTimeout(timer);
    };
    // A new trace is asked for when the design inputs change (the key, which holds the method and the
    // data version) or the panel comes near the screen; store and client are stable services.
  }, [key, status, near, dataVersion, method, pipeline.client, store]);

  const trace = result?.value ?? null;
  const comparing = compare && trace?.unsuppressed != null;
  const count = trace ? stepCount(trace, comparing) : 0;
  const current = Math.min(step, Math.max(0, count - 1));

  const go = useCallback((command: StepCommand) => setStep((s) => stepAfter(s, count, command)), [count]);

  const onKey = useCallback(
    (e: { key: string; preventDefault(): void; target: EventTarget | null }) => {
      if (presentation && e.key === 'Escape') {
        e.preventDefault();
        window.location.assign(exitHrefRef.current);
        return;
      }
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA'))
        return;
      if (e.key === ' ') {
        e.preventDefault();
        setPlaying((p) => !p);
        return;
      }
      const command = commandOfKey(e.key);
      if (command) {
        e.preventDefault();
        setPlaying(false);
        go(command);
      }
    },
    [go, presentation],
  );
  const exitHrefRef = useRef('?');
  useEffect(() => {
    if (!presentation) return;
    const on = (e: globalThis.KeyboardEvent) => onKey(e);
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, [presentation, onKey]);

  const series = useMemo(() => (trace ? mseSeries(trace, comparing) : []), [trace, comparing]);
  const presentHref = useMemo(() => {
    const q = encodeUrlState({ params, source, display }, codec);
    const anim = new URLSearchParams(window.location.search).get('anim');
    return `?${[q, anim !== null ? `anim=${encodeURIComponent(anim)}` : '', 'present=step'].filter(Boolean).join('&')}`;
  }, [params, source, display, codec]);
  const exitHref = (presentHref.replace(/&?present=step$/, '').replace(/^\?$/, '') || '?') + PANEL_HASH;
  exitHrefRef.current = exitHref;

  const domain: [number, number] | null =
    display.zoom ?? (input && input.min !== null && input.max !== null ? [input.min, input.max] : null);
  const stale = result !== null && result.key !== key;
  const domainWidth = domain ? domain[1] - domain[0] : 0;
  // Frames after this one each move the levels by under a pixel: Lloyd's long, slow tail.
  const settled = useMemo(
    () =>
      trace && domainWidth > 0 ? settledStep(trace, comparing, domainWidth * VISIBLE_CHANGE) : Math.max(0, count - 1),
    [trace, comparing, domainWidth, count],
  );
  const settlesEarly = trace !== null && settled < count - 1;

  useEffect(() => {
    if (!playing) return;
    if (current >= count - 1) {
      setPlaying(false);
      return;
    }
    const t = setTimeout(() => setStep((s) => playStep(s, count, settled, skip)), speed * 1000);
    return () => clearTimeout(t);
  }, [playing, current, count, settled, skip, speed]);
  const scrubMarks = useId();
  const label = METHOD_LABELS[method];
  const main = trace ? frameAt(trace.main, current) : null;
  const other = trace && comparing && trace.unsuppressed ? frameAt(trace.unsuppressed, current) : null;
  // In presentation mode the charts fill what the header and captions leave of the screen (flex boxes).
  // Both plots get the height of the shorter one: the comparison's column also holds its caption.
  const pair = comparing && trace?.unsuppressed != null;
  const [plotRef, plotBox] = useElementHeight(Math.round(viewport * 0.4), presentation, `${pair} ${trace !== null}`);
  const [mseRef, mseBox] = useElementHeight(Math.round(viewport * 0.2), presentation, trace !== null);
  const chartHeight = presentation ? Math.max(120, plotBox) : 280;
  const mseHeight = presentation ? Math.max(90, mseBox) : 190;
  const bandView = useMemo(() => ({ low: bands?.low ?? null, high: bands?.high ?? null }), [bands]);
  const noBands = useMemo(() => ({ low: null, high: null }), []);
  const pinned = useMemo(() => trace?.main.pinned ?? [], [trace]);
  const pinnedOther = useMemo(() => trace?.unsuppressed?.pinned ?? [], [trace]);

  const ready = trace !== null && !stale && error === null;
  // Back from presentation mode (#step-through): the panel, not the top of the page. Once on mount and
  // once more when the trace is drawn, as the charts above it change height while they fill in.
  const landed = useRef(!openedAtPanel || presentation);
  useEffect(() => {
    if (landed.current) return;
    panelRef.current?.scrollIntoView({ block: 'start' });
    if (ready) landed.current = true;
  }, [ready]);
  // Presentation mode has its own small toolbar (its ids differ: the step-through's controls are hidden there).
  const ids = presentation ? 'present' : 'step';
  const playButton = (testId: string) => (
    <button
      type="button"
      data-testid={testId}
      onClick={() => setPlaying((p) => !p)}
      disabled={!trace || count < 2}
      aria-label={playing ? 'Pause' : 'Play'}
      aria-pressed={playing}
    >
      {playing ? '❚❚ Pause' : '▶ Play'}
    </button>
  );
  const playback = (
    <>
      <label className="step-speed">
        <select
          data-testid={`${ids}.speed`}
          aria-label="Time per frame"
          value={speed}
          onChange={(e) => setSpeed(Number(e.target.value))}
        >
          {[...PLAY_SPEEDS]
            .sort((a, b) => a - b)
            .map((v) => (
              <option key={v} value={v}>
                {v} s / frame
              </option>
            ))}
        </select>
      </label>
      <label className="step-skip tip-host">
        <input
          type="checkbox"
          data-testid={`${ids}.skip`}
          checked={skip}
          aria-describedby={skipTip.id}
          onChange={(e) => setSkip(e.target.checked)}
        />{' '}
        skip unchanged frames
        {skipTip.node}
      </label>
    </>
  );
  return (
    <section
      ref={panelRef}
      id="step-through"
      className={presentation ? 'step-panel step-present' : 'step-panel panel'}
      data-testid="step.panel"
      data-state={error ? 'error' : ready ? 'ready' : 'busy'}
      data-method={method}
      aria-label={`${label} step-through`}
      tabIndex={presentation ? undefined : 0}
      onKeyDown={presentation ? undefined : (e: KeyboardEvent<HTMLElement>) => onKey(e)}
    >
      <header className="step-head">
        <h2>
          Step-through · {label}
          {trace && (
            <span className="muted">
              {' '}
              at {trace.main.bits} b
              {trace.main.restarts > 1 ? `, run ${trace.main.run + 1} of ${trace.main.restarts} (the kept one)` : ''}
            </span>
          )}
        </h2>
        {!presentation && (
          <a className="step-present-link" data-testid="step.present" href={presentHref}>
            Presentation mode
          </a>
        )}
        {presentation && (
          <a className="step-exit" data-testid="step.exit" href={exitHref}>
            Exit presentation
          </a>
        )}
      </header>
      {!presentation && (
        <div className="step-controls" role="group" aria-label="Step-through playback">
          {!isTraceMethod(params.focus) && (
            <label className="step-method">
              method{' '}
              <select
                data-testid="step.method"
                value={chosenMethod}
                onChange={(e) => setChosenMethod(e.target.value as TraceMethod)}
              >
                {TRACE_METHODS.map((m) => (
                  <option key={m} value={m}>
                    {METHOD_LABELS[m]}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button
            type="button"
            data-testid="step.first"
            onClick={() => {
              setPlaying(false);
              go('first');
            }}
            disabled={!trace || current === 0}
            aria-label="First frame"
          >
            « First
          </button>
          <button
            type="button"
            data-testid="step.prev"
            onClick={() => {
              setPlaying(false);
              go('prev');
            }}
            disabled={!trace || current === 0}
            aria-label="Previous frame"
          >
            ‹ Back
          </button>
          {playButton('step.play')}
          <button
            type="button"
            data-testid="step.next"
            onClick={() => {
              setPlaying(false);
              go('next');
            }}
            disabled={!trace || current >= count - 1}
            aria-label="Next frame"
          >
            Next ›
          </button>
          <button
            type="button"
            data-testid="step.last"
            onClick={() => {
              setPlaying(false);
              go('last');
            }}
            disabled={!trace || current >= count - 1}
            aria-label="Last frame"
          >
            Last »
          </button>
          {playback}
          <input
            type="range"
            className="step-scrub"
            data-testid="step.scrub"
            aria-label="Frame"
            min={0}
            max={Math.max(0, count - 1)}
            step={1}
            value={current}
            disabled={!trace}
            onChange={(e) => {
              setPlaying(false);
              setStep(Number(e.target.value));
            }}
            list={settlesEarly ? scrubMarks : undefined}
            title={
              settlesEarly
                ? `No visible change from one frame to the next after frame ${settled + 1} of ${count}`
                : undefined
            }
          />
          {settlesEarly && (
            <datalist id={scrubMarks}>
              <option value={settled} label={`frame ${settled + 1}`} />
            </datalist>
          )}
          {trace?.unsuppressed && (
            <label className="step-compare">
              <input
                type="checkbox"
                data-testid="step.compare"
                checked={compare}
                onChange={(e) => setCompare(e.target.checked)}
              />{' '}
              side by side without suppression
            </label>
          )}
        </div>
      )}
      <p className="step-status">
        <span className="step-frame" data-testid="step.frame">
          {trace ? `frame ${current + 1} / ${count}` : 'frame – / –'}
        </span>
        {main && (
          <span className="step-phase muted">
            {' '}
            · {main.phase === 'seed' ? 'seeding' : main.phase === 'iterate' ? `iteration ${main.iteration}` : 'final'}
          </span>
        )}
        {settlesEarly && (
          <span className="step-settled muted" data-testid="step.settled">
            {current > settled
              ? ` · no visible change since frame ${settled + 1} (each step moves the levels by under ${VISIBLE_CHANGE * 100} % of the range)`
              : ` · no visible change after frame ${settled + 1}`}
          </span>
        )}
        {stale && <span className="muted">{near ? ' · updating…' : ' · updated once on screen'}</span>}
        {presentation && <span className="muted step-keys"> · ← → step · space play/pause · Home/End · Esc exit</span>}
      </p>
      {presentation && (
        <div className="step-controls step-present-controls" role="group" aria-label="Playback">
          {playButton('present.play')}
          {playback}
        </div>
      )}
      {error && (
        <p className="step-error" role="alert">
          Could not compute the step-through: {error}
        </p>
      )}
      <p className="step-caption" data-testid="step.caption" aria-live="polite">
        {main?.caption ?? (trace ? '' : waitingText(dataVersion > 0, near))}
      </p>
      {trace && main && histogram && domain && (
        <div className={other ? 'step-charts step-pair' : 'step-charts'}>
          <div className="step-chart">
            {other && (
              <h3 className="step-sub">With suppression{trace.main.suppressed ? '' : ' (nothing suppressed)'}</h3>
            )}
            <div className="step-plot" ref={other ? undefined : plotRef}>
              <StepChart
                data={histogram}
                log={display.log}
                domain={domain}
                bands={method === 'bskmq' ? bandView : noBands}
                method={method}
                frame={main}
                pinned={pinned}
                height={chartHeight}
                fontSize={presentation ? 14 : 11}
              />
            </div>
          </div>
          {other && trace.unsuppressed && (
            <div className="step-chart">
              <h3 className="step-sub">Without suppression or pins (the plain run, same seed)</h3>
              <div className="step-plot" ref={plotRef}>
                <StepChart
                  testId="chart.stepCompare"
                  data={histogram}
                  log={display.log}
                  domain={domain}
                  bands={noBands}
                  method="kmeans"
                  frame={other}
                  pinned={pinnedOther}
                  height={chartHeight}
                  fontSize={presentation ? 14 : 11}
                  title="The same BS-KMQ run without suppression or pins"
                />
              </div>
              <p className="step-caption step-caption-other muted">
                {other.caption?.replace(`${PLAIN_RUN_CAPTION} · `, '')}
              </p>
            </div>
          )}
        </div>
      )}
      {trace && (
        <div className="step-mse" ref={mseRef}>
          <StepMseChart
            series={series}
            frames={count}
            seedFrames={seedFrameCount(trace.main)}
            current={current}
            settledFrame={settlesEarly ? settled : undefined}
            height={mseHeight}
          />
        </div>
      )}
    </section>
  );
}
