/**
 * The parameter controls (issue 4, item 2): bits, methods shown, focus, every BS-KMQ
 * setting of SPEC §4 (labelled as our reading of the paper), seed and restarts,
 * and the boundaries. Each writes the long parameter name to the store.
 */
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
} from '../core/params';
import { METHOD_COLORS, METHOD_LABELS } from '../charts/colors';
import { useApp, useServices } from '../state/context';
import { CheckboxField, NumberField, RangeField, SelectField } from './fields';

const PIN_LABELS: Record<(typeof PIN_MODES)[number], string> = {
  auto: 'auto (spikes only)',
  both: 'both L and U',
  low: 'low (L)',
  high: 'high (U)',
  none: 'none',
};

/** A slider's bounds are the parameter's allowed range from the one options contract (src/core/params.ts). */
function rangeOf(key: ParamKey): { min: number; max: number } {
  const spec = PARAM_SPECS[key];
  if (spec.kind !== 'number') throw new Error(`${key} is not numeric`);
  return { min: spec.min, max: spec.max };
}

export function Controls() {
  const { store } = useServices();
  const p = useApp((s) => s.params);
  const set = (partial: Partial<Params>) => store.getState().setParams(partial);
  const setChecked = (m: Method, on: boolean) => {
    const next = on ? METHODS.filter((x) => x === m || p.methods.includes(x)) : p.methods.filter((x) => x !== m);
    if (next.length > 0) set({ methods: next });
  };
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
        format={(v) => `${v} b (${2 ** v} codes)`}
        onChange={(bits) => set({ bits })}
      />
      <SelectField
        label="Focused method"
        testId="controls.focus"
        help={PARAM_HELP.focus}
        value={p.focus}
        options={METHODS.map((m) => ({ value: m, label: METHOD_LABELS[m] }))}
        onChange={(focus) => set({ focus })}
      />
      <fieldset className="methods" title={PARAM_HELP.methods}>
        <legend>Methods shown</legend>
        {METHODS.map((m) => (
          <CheckboxField
            key={m}
            testId={`controls.method.${m}`}
            label={
              <>
                <span className="swatch" style={{ background: METHOD_COLORS[m] }} aria-hidden="true" />
                {METHOD_LABELS[m]}
              </>
            }
            checked={p.methods.includes(m)}
            disabled={p.methods.length === 1 && p.methods[0] === m}
            onChange={(on) => setChecked(m, on)}
          />
        ))}
      </fieldset>

      <fieldset className="bs-settings">
        <legend title="The paper's exact suppression rule is not public; these settings cover its plausible readings (SPEC §4).">
          BS-KMQ settings <span className="muted">(our reading of the paper)</span>
        </legend>
        <SelectField
          label="Suppression by"
          testId="controls.suppressMode"
          help={PARAM_HELP.suppressMode}
          value={p.suppressMode}
          options={SUPPRESS_MODES.map((m) => ({ value: m, label: m === 'band' ? 'band (% of range)' : 'percentile (by rank)' }))}
          onChange={(suppressMode) => set({ suppressMode })}
        />
        {band ? (
          <>
            <RangeField
              label="Low band"
              testId="controls.bandLow"
              help={PARAM_HELP.bandLow}
              value={p.bandLow}
              {...rangeOf('bandLow')}
              step={0.001}
              format={(v) => `${(v * 100).toFixed(1)} % of R`}
              onChange={(bandLow) => set({ bandLow })}
            />
            <RangeField
              label="High band"
              testId="controls.bandHigh"
              help={PARAM_HELP.bandHigh}
              value={p.bandHigh}
              {...rangeOf('bandHigh')}
              step={0.001}
              format={(v) => `${(v * 100).toFixed(1)} % of R`}
              onChange={(bandHigh) => set({ bandHigh })}
            />
          </>
        ) : (
          <>
            <RangeField
              label="Low percentile"
              testId="controls.pctLow"
              help={PARAM_HELP.pctLow}
              value={p.pctLow}
              {...rangeOf('pctLow')}
              step={0.1}
              format={(v) => `${v.toFixed(1)} %`}
              onChange={(pctLow) => set({ pctLow })}
            />
            <RangeField
              label="High percentile"
              testId="controls.pctHigh"
              help={PARAM_HELP.pctHigh}
              value={p.pctHigh}
              {...rangeOf('pctHigh')}
              step={0.1}
              format={(v) => `${v.toFixed(1)} %`}
              onChange={(pctHigh) => set({ pctHigh })}
            />
          </>
        )}
        <RangeField
          label="In-band weight"
          testId="controls.suppressWeight"
          help={PARAM_HELP.suppressWeight}
          value={p.suppressWeight}
          {...rangeOf('suppressWeight')}
          step={0.01}
          format={(v) => (v === 0 ? '0 (removed)' : v.toFixed(2))}
          onChange={(suppressWeight) => set({ suppressWeight })}
        />
        <SelectField
          label="Pinned levels"
          testId="controls.pin"
          help={PARAM_HELP.pin}
          value={p.pin}
          options={PIN_MODES.map((m) => ({ value: m, label: PIN_LABELS[m] }))}
          onChange={(pin) => set({ pin })}
        />
        <RangeField
          label="Spike share for auto pin"
          testId="controls.spikeMin"
          help={PARAM_HELP.spikeMin}
          value={p.spikeMin}
          min={0}
          max={Math.max(0.2, p.spikeMin)}
          step={0.001}
          format={(v) => `${(v * 100).toFixed(1)} %`}
          onChange={(spikeMin) => set({ spikeMin })}
        />
        <SelectField
          label="Seeding of free levels"
          testId="controls.bsInit"
          help={PARAM_HELP.bsInit}
          value={p.bsInit}
          options={BS_INITS.map((m) => ({ value: m, label: m === 'random' ? 'random (Forgy)' : 'k-means++' }))}
          onChange={(bsInit) => set({ bsInit })}
        />
      </fieldset>

      <fieldset className="grid2">
        <legend>Randomness and boundaries</legend>
        <NumberField
          label="Seed"
          testId="controls.seed"
          help={PARAM_HELP.seed}
          value={p.seed}
          onCommit={(v) => set({ seed: v as number }).length === 0}
        />
        <NumberField
          label="Restarts"
          testId="controls.restarts"
          help={PARAM_HELP.restarts}
          value={p.restarts}
          onCommit={(v) => set({ restarts: v as number }).length === 0}
        />
        <NumberField
          label="Low L"
          testId="controls.low"
          help={PARAM_HELP.low}
          value={p.low}
          nullable
          placeholder="data min"
          onCommit={(v) => set({ low: v }).length === 0}
        />
        <NumberField
          label="High U"
          testId="controls.high"
          help={PARAM_HELP.high}
          value={p.high}
          nullable
          placeholder="data max"
          onCommit={(v) => set({ high: v }).length === 0}
        />
      </fieldset>
    </section>
  );
}
