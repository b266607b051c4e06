/**
 * Types of the app's state slices that are not core contracts: where the data
 * came from, the display options, and user-visible notices.
 */
import type { SigmaUnit } from '../core/adc';
import { APP_ADC_OPTIONS, type AdcOptionKey } from '../core/adcOptions';

/** One numeric option of a data generator, as the data panel and the URL codec need it. */
export interface GeneratorParamSpec {
  name: string;
  label: string;
  help: string;
  default: number;
  min: number;
  max: number;
  integer: boolean;
}

/** A built-in generator as the app lists it (adapted from core's GENERATORS registry). */
export interface GeneratorSpec {
  name: string;
  label: string;
  help: string;
  params: GeneratorParamSpec[];
}

/** Where the loaded samples came from; enough to reload them (a link, a restarted worker). */
export type DataSource =
  | { kind: 'generator'; name: string; options: Record<string, number> }
  | { kind: 'url'; url: string; tensor: string | null }
  | { kind: 'file'; name: string; sha256: string | null; tensor: string | null };

export type Theme = 'auto' | 'light' | 'dark';
export const THEMES = ['auto', 'light', 'dark'] as const;
export type ErrorScale = 'mse' | 'sqnr';
export const ERROR_SCALES = ['mse', 'sqnr'] as const;

/** The display slice: how results are drawn, never what is computed. */
export interface Display {
  /** Log-scaled histogram counts. */
  log: boolean;
  /** Histogram bins across the shown range. */
  binCount: number;
  /** Shown value range of the histogram; `null` = the data's [L, U]. */
  zoom: [number, number] | null;
  theme: Theme;
  /** Error-vs-bits y axis: log MSE or SQNR in dB. */
  errorScale: ErrorScale;
  /** ADC view: grid resolution R of reference snapping (2^R unit steps over [L, U]). Never changes the report. */
  adcGridBits: number;
  /** ADC view: σ of each reference's Gaussian offset, as a fraction of `adcSigmaOf`. */
  adcSigma: number;
  /** ADC view: σ is a fraction of the range R = U − L, or of the smallest reference step. */
  adcSigmaOf: AdcSigmaOf;
  /** ADC view: Monte Carlo trials N (seeded by the parameters' `seed`). */
  adcTrials: number;
  /** ADC view: minimum spacing of adjacent references, as a fraction of the range; closer pairs are warned about. */
  adcMinSpacing: number;
}

export type AdcSigmaOf = SigmaUnit;

/** The display fields holding the ADC options, whose limits, defaults and help are core/adcOptions'. */
export const ADC_DISPLAY_KEYS = {
  gridBits: 'adcGridBits',
  sigma: 'adcSigma',
  sigmaOf: 'adcSigmaOf',
  trials: 'adcTrials',
  minSpacing: 'adcMinSpacing',
} as const satisfies Record<AdcOptionKey, keyof Display>;

export const MIN_BIN_COUNT = 8;
export const MAX_BIN_COUNT = 1000;

export const DEFAULT_DISPLAY: Readonly<Display> = Object.freeze({
  log: false,
  binCount: 120,
  zoom: null,
  theme: 'auto',
  errorScale: 'mse',
  adcGridBits: APP_ADC_OPTIONS.gridBits,
  adcSigma: APP_ADC_OPTIONS.sigma,
  adcSigmaOf: APP_ADC_OPTIONS.sigmaOf,
  adcTrials: APP_ADC_OPTIONS.trials,
  adcMinSpacing: APP_ADC_OPTIONS.minSpacing,
}) as Readonly<Display>;

export type NoticeLevel = 'info' | 'warning' | 'error';

/** A message shown in the notice area (`data-testid="notice"`). */
export interface Notice {
  id: number;
  level: NoticeLevel;
  text: string;
}
