/**
 * The parameter controls: bits, methods shown, focus, every BS-KMQ setting (labelled as
 * our reading of the paper), seed and restarts, and the boundaries L and U (defined on
 * screen beside the settings that use them). Each writes the long parameter name to the
 * store; a number field refused says the range its parameter's contract allows.
 */
import { memo, useCallback, useMemo, type ReactNode } from 'react';
import {
  BS_INITS,
  METHODS,
  MAX_BITS,
  MIN_BITS,
  PARAM_HELP,
  PARAM_SPECS,
  PIN_MODES,
  SUPPRESS_MODES,
  type Method,
  type ParamKey,
  type Params,
  focusedAmong,
} from '../core/params';
import { METHOD_COLORS, METHOD_LABELS } from '../charts/colors';
import { useApp, useServices } from '../state/context';
import { CheckboxField, NumberField, RangeField, SelectField, Tip } from './fields';
import { allowedText } from './format';

const PIN_LABELS: Record<(typeof PIN_MODES)[number], string> = {
  auto: 'auto (spikes only)',
  both: 'both L and U',
  low: 'low (L)',
  high: 'high (U)',
  none: 'none',
};

/*
 * Every prop a field gets is a constant or a stable callback, so a change of one parameter re-renders
 * (and React re-writes the <input> of) that parameter's field only (fields.tsx memoises the fields).
 */
const FOCUS_OPTIONS = METHODS.map((m) => ({ value: m, label: METHOD_LABELS[m] }));
/** What each typed parameter accepts, from its contract (PARAM_SPECS). */
function allowedOf(key: 'seed' | 'restarts' | 'low' | 'high'): string {
  const spec = PARAM_SPECS[key];
  if (spec.kind !== 'number') throw new Error(`${key} is not numeric`);
  return allowedText(spec, key === 'low' ? "the data's minimum" : key === 'high' ? "the data's maximum" : undefined);
}
const ALLOWED = {
  seed: allowedOf('seed'),
  restarts: allowedOf('restarts'),
  low: allowedOf('low'),
  high: allowedOf('high'),
};
const SUPPRESS_OPTIONS = SUPPRESS_MODES.map((m) => ({
  value: m,
  label: m === 'band' ? 'band (% of range)' : 'percentile (by rank)',
}));
const PIN_OPTIONS = PIN_MODES.map((m) => ({ value: m, label: PIN_LABELS[m] }));
const BS_INIT_OPTIONS = BS_INITS.map((m) => ({ value: m, label: m === 'random' ? 'random (Forgy)' : 'k-means++' }));
const METHOD_CHECK_LABELS = Object.fromEntries(
  METHODS.map((m) => [
    m,
    <>
      <span className="swatch" style={{ background: METHOD_COLORS[m] }} aria-hidden="true" />
      {METHOD_LABELS[m]}
    </>,
  ]),
) as Record<Method, ReactNode>;
const formatBits = (v: number) => `${v} b (${2 ** v} codes)`;
const formatBand = (v: number) => `${(v * 100).toFixed(1)} % of R`;
const formatPercentile = (v: number) => `${v.toFixed(1)} %`;
const formatWeight = (v: number) => (v === 0 ? '0 (removed)' : v.toFixed(2));
const formatShare = (v: number) => `${(v * 100).toFixed(1)} %`;

/** A slider's bounds are the parameter's allowed range from the one options contract (src/core/params.ts). */
function rangeOf(key: ParamKey): { min: number; max: number } {
  const spec = PARAM_SPECS[key];
  if (spec.kind !== 'number') throw new Error(`${key} is not numeric`);
  return { min: spec.min, max: spec.max };
}

/** A stable setter of one parameter: the store's validating setParams; returns its issues. */
function useSetParam<K extends keyof Params>(key: K): (v: Params[K]) => string[] {
  const { store } = useServices();
  return useCallback((v: Params[K]) => store.getState().setParams({ [key]: v }), [store, key]);
}

/** A stable commit handler of a typed-in number: true when the store took it without issues. */
function useCommitParam<K extends 'seed' | 'restarts' | 'low' | 'high'>(key: K): (v: number | null) => boolean {
  const set = useSetParam(key);
  return useCallback((v: number | null) => set(v as Params[K]).length === 0, [set]);
}

/**
 * A slider of one numeric BS-KMQ setting: its test id (`controls.<param>`), help text and bounds come from
 * the options contract, its setter from the store; re-rendered only when its value changes.
 */
const ParamSlider = memo(function ParamSlider(props: {
  param: 'bandLow' | 'bandHigh' | 'pctLow' | 'pctHigh' | 'suppressWeight';
  label: string;
  value: number;
  step: number;
  format: (v: number) => string;
}) {
  const { param, label, value, step, format } = props;
  const set = useSetParam(param);
  return (
    <RangeField
      label={label}
      testId={`controls.${param}`}
      help={PARAM_HELP[param]}
      value={value}
      {...rangeOf(param)}
      step={step}
      format={format}
      onChange={set}
    />
  );
});

export function Controls() {
  const { store } = useServices();
  const p = useApp((s) => s.params);
  const setBits = useSetParam('bits');
  const setFocus = useSetParam('focus');
  const setSuppressMode = useSetParam('suppressMode');
  const setPin = useSetParam('pin');
  const setSpikeMin = useSetParam('spikeMin');
  const setBsInit = useSetParam('bsInit');
  const commitSeed = useCommitParam('seed');
  const commitRestarts = useCommitParam('restarts');
  const commitLow = useCommitParam('low');
  const commitHigh = useCommitParam('high');
  // One toggle per method; it reads the methods shown at click time, so it never changes.
  const toggleMethod = useMemo(
    () =>
      Object.fromEntries(
        METHODS.map((m) => [
          m,
          (on: boolean) => {
            const { methods: shown, focus } = store.getState().params;
            const next = on ? METHODS.filter((x) => x === m || shown.includes(x)) : shown.filter((x) => x !== m);
            if (next.length === 0) return;
            // Hiding the focused method moves the focus to the one the charts then show.
            const nextFocus = next.includes(focus)
              ? focus
              : focusedAmong(
                  next.map((method) => ({ method })),
                  focus,
                )!.method;
            store.getState().setParams(nextFocus === focus ? { methods: next } : { methods: next, focus: nextFocus });
          },
        ]),
      ) as Record<Method, (on: boolean) => void>,
    [store],
  );
  const band = p.suppressMode === 'band';
  return (
    <section className="panel controls" aria-labelledby="controls-title">
      <h2 id="controls-title">Quantizer</h2>
      <RangeField
        label="Bits"
        testId="controls.bits"
        help={PARAM_HELP.bits}
        value={p.bits}
        min={MIN_BITS}
        max={MAX_BITS}
        step={1}
        format={formatBits}
        onChange={setBits}
      />
      <SelectField
        label="Focused method"
        testId="controls.focus"
        help={PARAM_HELP.focus}
        value={p.focus}
        options={FOCUS_OPTIONS}
        onChange={setFocus}
      />
      <fieldset className="methods">
        <legend>
          <Tip text={PARAM_HELP.methods}>Methods shown</Tip>
        </legend>
        {METHODS.map((m) => (
          <CheckboxField
            key={m}
            testId={`controls.method.${m}`}
            label={METHOD_CHECK_LABELS[m]}
            checked={p.methods.includes(m)}
            disabled={p.methods.length === 1 && p.methods[0] === m}
            onChange={toggleMethod[m]}
          />
        ))}
      </fieldset>

      <fieldset className="bs-settings">
        <legend>
          <Tip text="The paper's exact suppression rule is not public; these settings cover its plausible readings.">
            BS-KMQ settings <span className="muted">(our reading of the paper)</span>
          </Tip>
        </legend>
        <p className="hint" data-testid="controls.luDefinition">
          <strong>L</strong> and <strong>U</strong>: the lowest and highest input the ADC covers (the data's minimum and
          maximum unless set below); <strong>R</strong> = U − L, the range.
        </p>
        <SelectField
          label="Suppression by"
          testId="controls.suppressMode"
          help={PARAM_HELP.suppressMode}
          value={p.suppressMode}
          options={SUPPRESS_OPTIONS}
          onChange={setSuppressMode}
        />
        {band ? (
          <>
            <ParamSlider param="bandLow" label="Low band" value={p.bandLow} step={0.001} format={formatBand} />
            <ParamSlider param="bandHigh" label="High band" value={p.bandHigh} step={0.001} format={formatBand} />
          </>
        ) : (
          <>
            <ParamSlider param="pctLow" label="Low percentile" value={p.pctLow} step={0.1} format={formatPercentile} />
            <ParamSlider
              param="pctHigh"
              label="High percentile"
              value={p.pctHigh}
              step={0.1}
              format={formatPercentile}
            />
          </>
        )}
        <ParamSlider
          param="suppressWeight"
          label="In-band weight"
          value={p.suppressWeight}
          step={0.01}
          format={formatWeight}
        />
        <SelectField
          label="Pinned levels"
          testId="controls.pin"
          help={PARAM_HELP.pin}
          value={p.pin}
          options={PIN_OPTIONS}
          onChange={setPin}
        />
        <RangeField
          label="Spike share for auto pin"
          testId="controls.spikeMin"
          help={PARAM_HELP.spikeMin}
          value={p.spikeMin}
          min={0}
          max={Math.max(0.2, p.spikeMin)}
          step={0.001}
          format={formatShare}
          onChange={setSpikeMin}
        />
        <SelectField
          label="Seeding of free levels"
          testId="controls.bsInit"
          help={PARAM_HELP.bsInit}
          value={p.bsInit}
          options={BS_INIT_OPTIONS}
          onChange={setBsInit}
        />
      </fieldset>

      <fieldset className="grid2">
        <legend>Randomness and boundaries</legend>
        <NumberField
          label="Seed"
          testId="controls.seed"
          help={PARAM_HELP.seed}
          allowed={ALLOWED.seed}
          value={p.seed}
          onCommit={commitSeed}
        />
        <NumberField
          label="Restarts"
          testId="controls.restarts"
          help={PARAM_HELP.restarts}
          allowed={ALLOWED.restarts}
          value={p.restarts}
          onCommit={commitRestarts}
        />
        <NumberField
          label="Low L"
          testId="controls.low"
          help={PARAM_HELP.low}
          allowed={ALLOWED.low}
          value={p.low}
          nullable
          placeholder="data min"
          onCommit={commitLow}
        />
        <NumberField
          label="High U"
          testId="controls.high"
          help={PARAM_HELP.high}
          allowed={ALLOWED.high}
          value={p.high}
          nullable
          placeholder="data max"
          onCommit={commitHigh}
        />
      </fieldset>
    </section>
  );
}
