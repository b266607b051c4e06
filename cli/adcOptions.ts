/**
 * The ADC flags of `bskmq design`: reference-grid snapping
 * (`--grid R`), reference variation by Monte Carlo (`--sigma S`, `--sigma-of`,
 * `--trials N`) and the minimum-spacing check (`--min-spacing F`), and how a
 * report's results get their `adc` summaries from src/core/adc.ts.
 */
import { MAX_GRID_BITS, MIN_GRID_BITS, SIGMA_UNITS, type SigmaUnit } from '../src/core/adc';
import type { AdcRequest } from '../src/core/reportAdc';
import { CliError, type FlagSpec, type ParsedArgs } from './args';

export { adcSettings, withAdc, type AdcRequest, type AdcSettings, type ReportWithAdc } from '../src/core/reportAdc';

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

/** The ADC flags' request, or null when none was given; throws CliError naming a bad value and its range. */
export function adcRequestFrom(args: ParsedArgs): AdcRequest | null {
  const v = (name: string) => args.values.get(name);
  if (Object.keys(ADC_FLAGS).every((name) => v(name) === undefined)) return null;
  const grid = optionalNumber(
    args,
    'grid',
    (x) => Number.isInteger(x) && x >= MIN_GRID_BITS && x <= MAX_GRID_BITS,
    `an integer in ${MIN_GRID_BITS}–${MAX_GRID_BITS}`,
  );
  const sigma = optionalNumber(args, 'sigma', (x) => x >= 0, 'a number ≥ 0');
  const trials = optionalNumber(
    args,
    'trials',
    (x) => Number.isInteger(x) && x >= MIN_TRIALS && x <= MAX_TRIALS,
    `an integer in ${MIN_TRIALS}–${MAX_TRIALS}`,
  );
  const minSpacing = optionalNumber(
    args,
    'min-spacing',
    (x) => x >= 0 && x <= MAX_MIN_SPACING,
    `a fraction of the range in 0–${MAX_MIN_SPACING}`,
  );
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
