/**
 * The ADC view of the focused method: its reference table, the
 * references as the staircase of a ramp ADC built from unit steps with grid snapping
 * (MSE before and after, merged codes), reference-variation Monte Carlo of every
 * method against bits, and warnings for references closer than a minimum spacing.
 *
 * The table, the staircase geometry and the spacing check are pure functions of the
 * report's levels and thresholds (computed here); the snapping MSE and the Monte Carlo
 * need the samples and come from the workers (results.adcSnap, results.variation).
 */
import { memo, useMemo } from 'react';
import { rampStaircase, referenceTable, spacingWarnings, quantizerFromLists, type ReferenceRow } from '../core/adc';
import type { Method } from '../core/params';
import { AdcStaircaseChart, METHOD_LABELS, VariationChart } from '../charts';
import { useApp, useServices } from '../state/context';
import { ADC_DISPLAY_KEYS, type AdcSigmaOf } from '../state/types';
import { SIGMA_UNITS } from '../core/adc';
import { ADC_OPTION_HELP, ADC_OPTION_SPECS, adcOptionAccepts, type NumericAdcOptionKey } from '../core/adcOptions';
import { NumberField, SelectField, Tip } from './fields';
import { allowedText, formatValue } from './format';
import { focusedResult } from './ExportMenu';
import { recommend } from '../core/recommend';
import './adc.css';

/** Full-precision text for `data-value` (tests and copy-paste read it; the cell shows a rounded value). */
function exact(v: number | null): string {
  return v === null ? '' : String(v);
}

function change(before: number, after: number): string {
  if (!(before > 0) || !Number.isFinite(after)) return '';
  const pct = ((after - before) / before) * 100;
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toPrecision(3)} %`;
}

const SIGMA_OF_OPTIONS = SIGMA_UNITS.map((v) => ({ value: v, label: v === 'range' ? 'range' : 'smallest step' }));

/*
 * The panel's option fields and its table are components of their own that read only what they show,
 * so a worker result (the report, the grid snapping, the variation) does not re-render them unchanged.
 */

/** A numeric ADC option's field: help, limits and check from core/adcOptions, the value in the display slice. */
const AdcNumberField = memo(function AdcNumberField(props: {
  option: NumericAdcOptionKey;
  label: string;
  testId: string;
}) {
  const { store } = useServices();
  const field = ADC_DISPLAY_KEYS[props.option];
  const value = useApp((s) => s.display[field]);
  return (
    <NumberField
      label={props.label}
      testId={props.testId}
      help={ADC_OPTION_HELP[props.option]}
      allowed={allowedText(ADC_OPTION_SPECS[props.option])}
      value={value}
      onCommit={(v) => {
        if (v === null || !adcOptionAccepts(props.option, v)) return false;
        store.getState().setDisplay({ [field]: v });
        return true;
      }}
    />
  );
});

const VariationFields = memo(function VariationFields() {
  const { store } = useServices();
  const adcSigmaOf = useApp((s) => s.display.adcSigmaOf);
  return (
    <div className="chart-toolbar">
      <AdcNumberField option="sigma" label="σ" testId="adc.sigma" />
      <SelectField<AdcSigmaOf>
        label="of"
        testId="adc.sigmaOf"
        help={ADC_OPTION_HELP.sigmaOf}
        value={adcSigmaOf}
        options={SIGMA_OF_OPTIONS}
        onChange={(v) => store.getState().setDisplay({ adcSigmaOf: v })}
      />
      <AdcNumberField option="trials" label="trials N" testId="adc.trials" />
    </div>
  );
});

const ReferenceRows = memo(function ReferenceRows({
  rows,
  warnedCodes,
}: {
  rows: ReferenceRow[];
  warnedCodes: Set<number>;
}) {
  return (
    <tbody>
      {rows.map((r) => (
        <tr key={r.code} data-code={r.code} className={warnedCodes.has(r.code) ? 'warned' : undefined}>
          <th scope="row">{r.code}</th>
          <td data-col="reference" data-value={exact(r.threshold)}>
            {r.threshold === null ? '—' : formatValue(r.threshold, 6)}
          </td>
          <td data-col="level" data-value={exact(r.level)}>
            {formatValue(r.level, 6)}
          </td>
          <td data-col="step" data-value={exact(r.step)}>
            {r.step === null ? '—' : formatValue(r.step, 4)}
          </td>
        </tr>
      ))}
    </tbody>
  );
});

export function AdcPanel() {
  const report = useApp((s) => s.results.report);
  const bands = useApp((s) => s.results.bands);
  const snap = useApp((s) => s.results.adcSnap);
  const variation = useApp((s) => s.results.variation);
  const focusParam = useApp((s) => s.params.focus);
  const adcGridBits = useApp((s) => s.display.adcGridBits);
  const adcMinSpacing = useApp((s) => s.display.adcMinSpacing);

  const focus = focusedResult(report, focusParam);
  const q = useMemo(
    () =>
      focus &&
      quantizerFromLists({
        method: focus.method as Method,
        bits: focus.bits,
        levels: focus.levels.map((v) => v ?? NaN),
        thresholds: focus.thresholds.map((v) => v ?? NaN),
      }),
    [focus],
  );
  const L = bands?.L ?? NaN;
  const U = bands?.U ?? NaN;
  const boundsOk = Number.isFinite(L) && Number.isFinite(U) && U >= L;
  const rows = useMemo(() => (q && boundsOk ? referenceTable(q, L) : []), [q, boundsOk, L]);
  const staircase = useMemo(() => {
    if (!q || !boundsOk) return null;
    try {
      return rampStaircase(q, { L, U }, { resolution: adcGridBits });
    } catch {
      return null;
    }
  }, [q, boundsOk, L, U, adcGridBits]);
  const warnings = useMemo(
    () => (q && boundsOk ? spacingWarnings(q.thresholds, { L, U }, { fractionOfRange: adcMinSpacing }) : []),
    [q, boundsOk, L, U, adcMinSpacing],
  );
  const warnedCodes = useMemo(() => new Set(warnings.map((w) => w.code)), [warnings]);
  // The worker's snapping result belongs to the quantizer on screen only if it matches it.
  const snapCurrent =
    snap && focus && snap.method === focus.method && snap.bits === focus.bits && snap.gridBits === adcGridBits
      ? snap
      : null;
  const designed = useMemo(() => (q ? Array.from(q.thresholds) : []), [q]);
  const snappedRefs = useMemo(() => (staircase ? Array.from(staircase.realized) : []), [staircase]);
  const mergedCodes = useMemo(() => snapCurrent?.mergedCodes ?? [], [snapCurrent]);

  if (!report || !focus || !q) return null;
  const label = METHOD_LABELS[focus.method as Method] ?? focus.method;
  const curve = variation?.find((c) => c.method === focus.method);
  const at = curve ? curve.bits.indexOf(focus.bits) : -1;
  const minSpacingAbs = adcMinSpacing * (U - L);

  const recommendation = recommend(report.results, focusParam, (m) => METHOD_LABELS[m]);

  return (
    <section id="adc" className="panel adc-panel" aria-labelledby="adc-title" data-testid="adc">
      <h2 id="adc-title">
        ADC references{' '}
        <span className="muted">
          · {label} at {focus.bits} b · ramp from L = {formatValue(L)} to U = {formatValue(U)}
        </span>
      </h2>
      {recommendation && (
        <p
          className="recommendation"
          data-testid="recommendation"
          data-best={recommendation.best}
          data-ratio={recommendation.ratio}
        >
          {recommendation.text}
        </p>
      )}
      <div className="adc-grid">
        <figure className="card adc-table-card">
          <figcaption>
            <span className="card-title">Reference table</span>
            <span className="muted"> · code j starts at reference t_j</span>
          </figcaption>
          <div className="chart-toolbar">
            <AdcNumberField option="minSpacing" label="min spacing" testId="adc.minSpacing" />
            <span className="muted">× range = {formatValue(minSpacingAbs)}</span>
          </div>
          <div className="adc-table-scroll">
            <table className="metrics adc-table" data-testid="adc.table">
              <thead>
                <tr>
                  <th scope="col">
                    <Tip text="Output code j">code</Tip>
                  </th>
                  <th scope="col">
                    <Tip text="Reference t_j: the input at which code j starts (the threshold)">reference</Tip>
                  </th>
                  <th scope="col">
                    <Tip text="Level c_j: the value code j stands for">level</Tip>
                  </th>
                  <th scope="col">
                    <Tip text="t_j − t_(j−1): the step from the previous reference (code 1: from L, the low boundary)">
                      step
                    </Tip>
                  </th>
                </tr>
              </thead>
              <ReferenceRows rows={rows} warnedCodes={warnedCodes} />
            </table>
          </div>
          <div className="adc-warnings" data-testid="adc.warnings" data-count={warnings.length} role="status">
            {warnings.length === 0 ? (
              <p className="muted">No adjacent references closer than {formatValue(minSpacingAbs)}.</p>
            ) : (
              <>
                <p className="adc-warn-head">
                  {warnings.length} pair{warnings.length === 1 ? '' : 's'} of references closer than{' '}
                  {formatValue(minSpacingAbs)}:
                </p>
                <ul>
                  {warnings.slice(0, 50).map((w) => (
                    <li key={w.code} data-code={w.code}>
                      t{w.lower} and t{w.upper} are {formatValue(w.gap)} apart (code {w.code})
                    </li>
                  ))}
                  {warnings.length > 50 && <li>… and {warnings.length - 50} more</li>}
                </ul>
              </>
            )}
          </div>
        </figure>
        <figure className="card adc-ramp-card">
          <figcaption>
            <span className="card-title">Ramp ADC staircase</span>
            <span className="muted"> · references on a grid of 2^R unit steps over [L, U]</span>
          </figcaption>
          <div className="chart-toolbar">
            <AdcNumberField option="gridBits" label="grid bits R" testId="adc.gridBits" />
            {snapCurrent ? (
              <span className="adc-snap-summary">
                MSE designed{' '}
                <b data-testid="adc.mseBefore" data-value={snapCurrent.mseBefore}>
                  {formatValue(snapCurrent.mseBefore)}
                </b>
                {' → on the grid '}
                <b data-testid="adc.mseAfter" data-value={snapCurrent.mseAfter}>
                  {formatValue(snapCurrent.mseAfter)}
                </b>{' '}
                <span className="muted">{change(snapCurrent.mseBefore, snapCurrent.mseAfter)}</span>
              </span>
            ) : (
              <span className="muted">computing…</span>
            )}
          </div>
          <p
            className="adc-merged"
            data-testid="adc.merged"
            data-codes={snapCurrent ? snapCurrent.mergedCodes.join(',') : ''}
          >
            {!snapCurrent
              ? '\u00a0'
              : snapCurrent.mergedCodes.length === 0
                ? 'No codes merge on this grid.'
                : `Merged codes (zero width on the grid): ${snapCurrent.mergedCodes.join(', ')}`}
          </p>
          {staircase && (
            <AdcStaircaseChart
              method={focus.method as Method}
              L={L}
              U={U}
              designed={designed}
              snapped={snappedRefs}
              unitStep={staircase.unitStep}
              totalSteps={staircase.totalSteps}
              mergedCodes={mergedCodes}
              height={280}
            />
          )}
        </figure>
        <figure className="card adc-variation-card">
          <figcaption>
            <span className="card-title">Reference variation</span>
            <span className="muted">
              {' '}
              · each reference + N(0, σ²), levels as designed; mean MSE (line), 5–95 % band (shaded), unperturbed
              (dotted)
            </span>
          </figcaption>
          <VariationFields />
          <p className="adc-variation-summary" data-testid="adc.variation">
            {curve && at >= 0 ? (
              <>
                {label} at {focus.bits} b: unperturbed MSE{' '}
                <b data-testid="adc.variation.nominal" data-value={curve.nominalMse[at]}>
                  {formatValue(curve.nominalMse[at])}
                </b>
                , mean{' '}
                <b data-testid="adc.variation.mean" data-value={curve.meanMse[at]}>
                  {formatValue(curve.meanMse[at])}
                </b>
                , 5–95 %{' '}
                <span data-testid="adc.variation.band" data-q05={curve.q05Mse[at]} data-q95={curve.q95Mse[at]}>
                  {formatValue(curve.q05Mse[at])}–{formatValue(curve.q95Mse[at])}
                </span>{' '}
                <span className="muted">(σ = {formatValue(curve.sigmaAbs[at])} in data units)</span>
              </>
            ) : (
              <span className="muted">computing…</span>
            )}
          </p>
          {variation && variation.length > 0 && <VariationChart curves={variation} bits={focus.bits} height={300} />}
        </figure>
      </div>
    </section>
  );
}
