/**
 * The ADC flags of `bskmq design` (issue 5, item 1): reference-grid snapping
 * (`--grid R`), reference variation by Monte Carlo (`--sigma S`, `--sigma-of`,
 * `--trials N`) and the minimum-spacing check (`--min-spacing F`), and how a
 * report's results get their `adc` summaries from src/core/adc.ts.
 */
import {
  MAX_GRID_BITS,
  MIN_GRID_BITS,
  SIGMA_UNITS,
  adcSummary,
  quantizerFromLists,
  type AdcOptions,
  type AdcSummary,
  type SigmaUnit,
} from '../src/core/adc';
import { resolveBoundaries } from '../src/core/boundaries';
import type { Params } from '../src/core/params';
import type { PointSet } from '../src/core/pointset';
import type { MethodResult, Report } from '../src/core/report';
import { CliError, type FlagSpec, type ParsedArgs } from './args';

export const DEFAULT_TRIALS = 1000;
export const MIN_TRIALS = 1;
export const MAX_TRIALS = 100000;
/** `--min-spacing` is a fraction of the range R = U − L, so at most 1. */
export const MAX_MIN_SPACING = 1;

export const ADC_FLAGS: Readonly<Record<string, FlagSpec>> = {
  grid: {
    kind: 'value',
    metavar: 'R',
    help:
      `Snap each result's references to 2^R unit steps over [L, U] (integer ${MIN_GRID_BITS}–${MAX_GRID_BITS}); ` +
      'adds adc.grid: MSE before/after, merged codes.',
  },
  sigma: {
    kind: 'value',
    metavar: 'S',
    help:
      'Perturb the references by Gaussian noise of σ = S (≥ 0, see --sigma-of) in --trials seeded trials; ' +
      'adds adc.variation.',
  },
  'sigma-of': {
    kind: 'value',
    metavar: SIGMA_UNITS.join('|'),
    help: "What --sigma is a fraction of: the range R or the quantizer's smallest reference step. Default range.",
  },
  trials: {
    kind: 'value',
    metavar: 'N',
    help:
      `Monte Carlo trials of --sigma (integer ${MIN_TRIALS}–${MAX_TRIALS}, seeded by --seed). ` +
      `Default ${DEFAULT_TRIALS}.`,
  },
  'min-spacing': {
    kind: 'value',
    metavar: 'F',
    help: `Warn about adjacent references closer than F·R (0–${MAX_MIN_SPACING}); adds adc.spacing.`,
  },
};

/** What the ADC flags asked for; null fields were not asked for. */
export interface AdcRequest {
  grid: number | null;
  sigma: number | null;
  sigmaOf: SigmaUnit;
  trials: number;
  minSpacing: number | null;
}

/** The report's top-level `adc`: the ADC settings every result's `adc` was computed with. */
export interface AdcSettings {
  grid: number | null;
  sigma: number | null;
  sigmaOf: SigmaUnit | null;
  trials: number | null;
  seed: number | null;
  minSpacing: number | null;
}

/** A report with the ADC summaries: top-level `adc` after `params`, and `adc` on each result. */
export type ReportWithAdc = Omit<Report, 'results'> & {
  adc: AdcSettings;
  results: (MethodResult & { adc: AdcSummary })[];
};

/** The ADC flags' request, or null when none was given; throws CliError naming a bad value and its range. */
export function adcRequestFrom(args: ParsedArgs): AdcRequest | null {
  const v = (name: string) => args.values.get(name);
  if (Object.keys(ADC_FLAGS).every((name) => v(name) === undefined)) return null;
  const grid = optionalNumber(args, 'grid', (x) => Number.isInteger(x) && x >= MIN_GRID_BITS && x <= MAX_GRID_BITS,
    `an integer in ${MIN_GRID_BITS}–${MAX_GRID_BITS}`);
  const sigma = optionalNumber(args, 'sigma', (x) => x >= 0, 'a number ≥ 0');
  const trials = optionalNumber(args, 'trials', (x) => Number.isInteger(x) && x >= MIN_TRIALS && x <= MAX_TRIALS,
    `an integer in ${MIN_TRIALS}–${MAX_TRIALS}`);
  const minSpacing = optionalNumber(args, 'min-spacing', (x) => x >= 0 && x <= MAX_MIN_SPACING,
    `a fraction of the range in 0–${MAX_MIN_SPACING}`);
  const sigmaOfRaw = v('sigma-of');
  if (sigmaOfRaw !== undefined && !(SIGMA_UNITS as readonly string[]).includes(sigmaOfRaw)) {
    throw new CliError(`--sigma-of ${sigmaOfRaw}: must be one of ${SIGMA_UNITS.join(', ')}`);
  }
  if (sigma === null && (trials !== null || sigmaOfRaw !== undefined)) {
    throw new CliError(`--${trials !== null ? 'trials' : 'sigma-of'} only applies with --sigma S`);
  }
  return {
    grid,
    sigma,
    sigmaOf: (sigmaOfRaw ?? 'range') as SigmaUnit,
    trials: trials ?? DEFAULT_TRIALS,
    minSpacing,
  };
}

function optionalNumber(args: ParsedArgs, flag: string, ok: (x: number) => boolean, allowed: string): number | null {
  const raw = args.values.get(flag);
  if (raw === undefined) return null;
  const x = raw.trim() === '' ? NaN : Number(raw);
  if (!(Number.isFinite(x) && ok(x))) throw new CliError(`--${flag} ${raw}: must be ${allowed}`);
  return x;
}

/** The top-level `adc` object for a request and the report's seed. */
export function adcSettings(request: AdcRequest, seed: number): AdcSettings {
  const mc = request.sigma !== null;
  return {
    grid: request.grid,
    sigma: request.sigma,
    sigmaOf: mc ? request.sigmaOf : null,
    trials: mc ? request.trials : null,
    seed: mc ? seed : null,
    minSpacing: request.minSpacing,
  };
}

/**
 * Adds the ADC summaries to a report designed on `ps`: each result's references are
 * taken from its lists (`quantizerFromLists`), with the ADC bounds [L, U] of `params`.
 * A result whose levels or thresholds hold a null (non-finite) is summarised as `{}`.
 */
export function withAdc(report: Report, ps: PointSet, params: Params, request: AdcRequest): ReportWithAdc {
  const bounds = resolveBoundaries(ps, params);
  const options: AdcOptions = {};
  if (request.grid !== null) options.grid = request.grid;
  if (request.sigma !== null) {
    options.variation = { sigma: request.sigma, sigmaOf: request.sigmaOf, trials: request.trials, seed: params.seed };
  }
  if (request.minSpacing !== null) options.minSpacing = { fractionOfRange: request.minSpacing };
  const results = report.results.map((r) => {
    const levels = r.levels;
    const thresholds = r.thresholds;
    if (levels.some((x) => x === null) || thresholds.some((x) => x === null)) return { ...r, adc: {} };
    const q = quantizerFromLists({ ...r, levels: levels as number[], thresholds: thresholds as number[] });
    return { ...r, adc: adcSummary(ps, q, bounds, options) };
  });
  return {
    input: report.input,
    pointSet: report.pointSet,
    params: report.params,
    adc: adcSettings(request, params.seed),
    results,
  };
}
