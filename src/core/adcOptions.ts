/**
 * The ADC options, declared once: what each accepts, its default and one help sentence. The app's ADC
 * view (fields and link keys) and `bskmq design`'s ADC flags derive their checks, messages and help
 * from here, so the two can never accept different values.
 */
import { MAX_GRID_BITS, MAX_TRIALS, MIN_GRID_BITS, SIGMA_UNITS, type SigmaUnit } from './adc';
import type { EnumSpec, NumericSpec } from './params';

export interface AdcOptions {
  /** Grid resolution R of reference snapping: 2^R unit steps over [L, U]. */
  gridBits: number;
  /** σ of each reference's Gaussian offset, as a fraction of `sigmaOf`. */
  sigma: number;
  sigmaOf: SigmaUnit;
  /** Monte Carlo trials N (seeded by the parameters' seed). */
  trials: number;
  /** Adjacent references closer than this fraction of the range are warned about. */
  minSpacing: number;
}

export type AdcOptionKey = keyof AdcOptions;
export type NumericAdcOptionKey = Exclude<AdcOptionKey, 'sigmaOf'>;

export const ADC_OPTION_SPECS: Readonly<Record<NumericAdcOptionKey, NumericSpec> & { sigmaOf: EnumSpec }> = {
  gridBits: { kind: 'number', min: MIN_GRID_BITS, max: MAX_GRID_BITS, integer: true },
  // σ beyond 10 ranges (or steps) only measures noise, never the references.
  sigma: { kind: 'number', min: 0, max: 10, integer: false },
  sigmaOf: { kind: 'enum', values: SIGMA_UNITS },
  trials: { kind: 'number', min: 1, max: MAX_TRIALS, integer: true },
  minSpacing: { kind: 'number', min: 0, max: 1, integer: false },
};

/** The command line's defaults (its ADC flags are opt-in; these apply once one asks for the summary). */
export const DEFAULT_ADC_OPTIONS: Readonly<AdcOptions> = Object.freeze({
  gridBits: 8,
  sigma: 0.002,
  sigmaOf: 'range',
  trials: 1000,
  minSpacing: 0.005,
});

/**
 * The app's ADC view starts with fewer trials: its variation chart redraws every method at every
 * width on each change, where the command line runs once.
 */
export const APP_ADC_OPTIONS: Readonly<AdcOptions> = Object.freeze({ ...DEFAULT_ADC_OPTIONS, trials: 100 });

/** What each option is called in messages. */
export const ADC_OPTION_LABELS: Readonly<Record<AdcOptionKey, string>> = {
  gridBits: 'ADC grid bits',
  sigma: 'reference σ',
  sigmaOf: 'σ unit',
  trials: 'Monte Carlo trials',
  minSpacing: 'minimum reference spacing',
};

/** One sentence per option: the app's tooltips and the command line's help. */
export const ADC_OPTION_HELP: Readonly<Record<AdcOptionKey, string>> = {
  gridBits: `Resolution of the reference grid: 2^R unit steps over [L, U] (${MIN_GRID_BITS}–${MAX_GRID_BITS}).`,
  sigma: `Standard deviation of each reference's Gaussian offset, as a fraction of the range or of the smallest step (0–${ADC_OPTION_SPECS.sigma.max}).`,
  sigmaOf: 'σ as a fraction of the range U − L, or of the smallest reference step of each quantizer.',
  trials: `Monte Carlo trials, seeded by the seed parameter (${ADC_OPTION_SPECS.trials.min}–${ADC_OPTION_SPECS.trials.max}).`,
  minSpacing: `Warn when two adjacent references are closer than this fraction of the range R = U − L (0–${ADC_OPTION_SPECS.minSpacing.max}; 0 = never).`,
};

/** Whether a number is allowed for a numeric option. */
export function adcOptionAccepts(key: NumericAdcOptionKey, v: number): boolean {
  const s = ADC_OPTION_SPECS[key];
  return Number.isFinite(v) && v >= s.min && v <= s.max && (!s.integer || Number.isInteger(v));
}

/** What an option accepts, for messages ("an integer in 1–100000"). */
export function adcOptionAllowed(key: AdcOptionKey): string {
  if (key === 'sigmaOf') return `one of ${SIGMA_UNITS.join(', ')}`;
  const s = ADC_OPTION_SPECS[key];
  if (key === 'minSpacing') return `a fraction of the range in ${s.min}–${s.max}`;
  return `${s.integer ? 'an integer' : 'a number'} in ${s.min}–${s.max}`;
}
