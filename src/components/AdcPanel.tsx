/**
 * The ADC view of the focused method (issue 5, item 1): its reference table, the
 * references as the staircase of a ramp ADC built from unit steps with grid snapping
 * (MSE before and after, merged codes), reference-variation Monte Carlo of every
 * method against bits, and warnings for references closer than a minimum spacing.
 *
 * The table, the staircase geometry and the spacing check are pure functions of the
 * report's levels and thresholds (computed here); the snapping MSE and the Monte Carlo
 * need the samples and come from the workers (results.adcSnap, results.variation).
 */
import { useMemo } from 'react';
import { rampStaircase, referenceTable, spacingWarnings, quantizerFromLists } from '../core/adc';
import type { Method } from '../core/params';
import { AdcStaircaseChart, METHOD_LABELS, VariationChart } from '../charts';
import { useApp, useServices } from '../state/context';
import {
  ADC_SIGMA_OF,
  MAX_ADC_GRID_BITS,
  MAX_ADC_MIN_SPACING,
  MAX_ADC_SIGMA,
  MAX_ADC_TRIALS,
  MIN_ADC_GRID_BITS,
  MIN_ADC_TRIALS,
  type AdcSigmaOf,
} from '../state/types';
import { NumberField, SelectField } from './fields';
import { formatValue } from './format';
import { focusedResult } from './ExportMenu';
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

export function AdcPanel() {
  const { store } = useServices();
  const report = useApp((s) => s.results.report);
  const bands = useApp((s) => s.results.bands);
  const snap = useApp((s) => s.results.adcSnap);
  const variation = useApp((s) => s.results.variation);
  const focusParam = useApp((s) => s.params.focus);
  const display = useApp((s) => s.display);
  const setDisplay = store.getState().setDisplay;

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
      return rampStaircase(q, { L, U }, { resolution: display.adcGridBits });
    } catch {
      return null;
    }
  }, [q, boundsOk, L, U, display.adcGridBits]);
  const warnings = useMemo(
    () => (q && boundsOk ? spacingWarnings(q.thresholds, { L, U }, { fractionOfRange: display.adcMinSpacing }) : []),
    [q, boundsOk, L, U, display.adcMinSpacing],
  );
  const warnedCodes = useMemo(() => new Set(warnings.map((w) => w.code)), [warnings]);
  // The worker's snapping result belongs to the quantizer on screen only if it matches it.
  const snapCurrent = snap && focus && snap.method === focus.method && snap.bits === focus.bits && snap.gridBits === display.adcGridBits
    ? snap
    : null;
  const designed = useMemo(() => (q ? Array.from(q.thresholds) : []), [q]);
  const snappedRefs = useMemo(() => (staircase ? Array.from(staircase.realized) : []), [staircase]);
  const mergedCodes = useMemo(() => snapCurrent?.mergedCodes ?? [], [snapCurrent]);

  if (!report || !focus || !q) return null;
  const label = METHOD_LABELS[focus.method as Method] ?? focus.method;
  const curve = variation?.find((c) => c.method === focus.method);
  const at = curve ? curve.bits.indexOf(focus.bits) : -1;
  const minSpacingAbs = display.adcMinSpacing * (U - L);

  return (
    <section id="adc" className="panel adc-panel" aria-labelledby="adc-title" data-testid="adc">
      <h2 id="adc-title">
        ADC references{' '}
        <span className="muted">
          · {label} at {focus.bits} b · ramp from L = {formatValue(L)} to U = {formatValue(U)}
        </span>
      </h2>
      <div className="adc-grid">
        <figure className="card adc-table-card">
          <figcaption>
            <span className="card-title">Reference table</span>
            <span className="muted"> · code j starts at reference t_j</span>
          </figcaption>
          <div className="chart-toolbar">
            <NumberField
              label="min spacing"
              testId="adc.minSpacing"
              help={`Warn when two adjacent references are closer than this fraction of the range U − L (0–${MAX_ADC_MIN_SPACING}; 0 = never).`}
              value={display.adcMinSpacing}
              onCommit={(v) => {
                if (v === null || !(v >= 0 && v <= MAX_ADC_MIN_SPACING)) return false;
                setDisplay({ adcMinSpacing: v });
                return true;
              }}
            />
            <span className="muted">× range = {formatValue(minSpacingAbs)}</span>
          </div>
          <div className="adc-table-scroll">
            <table className="metrics adc-table" data-testid="adc.table">
              <thead>
                <tr>
                  <th scope="col" title="Output code j">code</th>
                  <th scope="col" title="Reference t_j: the input at which code j starts (the threshold)">reference</th>
                  <th scope="col" title="Level c_j: the value code j stands for">level</th>
                  <th scope="col" title="t_j − t_(j−1): the step from the previous reference (code 1: from L)">step</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.code} data-code={r.code} className={warnedCodes.has(r.code) ? 'warned' : undefined}>
                    <th scope="row">{r.code}</th>
                    <td data-col="reference" data-value={exact(r.threshold)}>{r.threshold === null ? '—' : formatValue(r.threshold, 6)}</td>
                    <td data-col="level" data-value={exact(r.level)}>{formatValue(r.level, 6)}</td>
                    <td data-col="step" data-value={exact(r.step)}>{r.step === null ? '—' : formatValue(r.step, 4)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="adc-warnings" data-testid="adc.warnings" data-count={warnings.length} role="status">
            {warnings.length === 0 ? (
              <p className="muted">No adjacent references closer than {formatValue(minSpacingAbs)}.</p>
            ) : (
              <>
                <p className="adc-warn-head">
                  {warnings.length} pair{warnings.length === 1 ? '' : 's'} of references closer than {formatValue(minSpacingAbs)}:
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
            <NumberField
              label="grid bits R"
              testId="adc.gridBits"
              help={`Resolution of the reference grid: 2^R unit steps over [L, U] (${MIN_ADC_GRID_BITS}–${MAX_ADC_GRID_BITS}).`}
              value={display.adcGridBits}
              onCommit={(v) => {
                if (v === null || !Number.isInteger(v) || v < MIN_ADC_GRID_BITS || v > MAX_ADC_GRID_BITS) return false;
                setDisplay({ adcGridBits: v });
                return true;
              }}
            />
            {snapCurrent ? (
              <span className="adc-snap-summary">
                MSE designed{' '}
                <b data-testid="adc.mseBefore" data-value={snapCurrent.mseBefore}>{formatValue(snapCurrent.mseBefore)}</b>
                {' → on the grid '}
                <b data-testid="adc.mseAfter" data-value={snapCurrent.mseAfter}>{formatValue(snapCurrent.mseAfter)}</b>{' '}
                <span className="muted">{change(snapCurrent.mseBefore, snapCurrent.mseAfter)}</span>
              </span>
            ) : (
              <span className="muted">computing…</span>
            )}
          </div>
          <p className="adc-merged" data-testid="adc.merged" data-codes={snapCurrent ? snapCurrent.mergedCodes.join(',') : ''}>
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
              · each reference + N(0, σ²), levels as designed; mean MSE (line), 5–95 % band (shaded), unperturbed (dotted)
            </span>
          </figcaption>
          <div className="chart-toolbar">
            <NumberField
              label="σ"
              testId="adc.sigma"
              help={`Standard deviation of each reference's offset, as a fraction of the range or of the smallest step (0–${MAX_ADC_SIGMA}).`}
              value={display.adcSigma}
              onCommit={(v) => {
                if (v === null || !(v >= 0 && v <= MAX_ADC_SIGMA)) return false;
                setDisplay({ adcSigma: v });
                return true;
              }}
            />
            <SelectField<AdcSigmaOf>
              label="of"
              testId="adc.sigmaOf"
              help="σ as a fraction of the range U − L, or of the smallest reference step of each quantizer."
              value={display.adcSigmaOf}
              options={ADC_SIGMA_OF.map((v) => ({ value: v, label: v === 'range' ? 'range' : 'smallest step' }))}
              onChange={(adcSigmaOf) => setDisplay({ adcSigmaOf })}
            />
            <NumberField
              label="trials N"
              testId="adc.trials"
              help={`Monte Carlo trials, seeded by the seed parameter (${MIN_ADC_TRIALS}–${MAX_ADC_TRIALS}).`}
              value={display.adcTrials}
              onCommit={(v) => {
                if (v === null || !Number.isInteger(v) || v < MIN_ADC_TRIALS || v > MAX_ADC_TRIALS) return false;
                setDisplay({ adcTrials: v });
                return true;
              }}
            />
          </div>
          <p className="adc-variation-summary" data-testid="adc.variation">
            {curve && at >= 0 ? (
              <>
                {label} at {focus.bits} b: unperturbed MSE{' '}
                <b data-testid="adc.variation.nominal" data-value={curve.nominalMse[at]}>{formatValue(curve.nominalMse[at])}</b>
                , mean <b data-testid="adc.variation.mean" data-value={curve.meanMse[at]}>{formatValue(curve.meanMse[at])}</b>
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
