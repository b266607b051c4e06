/**
 * The ADC flags of `bskmq design`: reference-grid snapping
 * (`--grid R`), reference variation by Monte Carlo (`--sigma S`, `--sigma-of`,
 * `--trials N`) and the minimum-spacing check (`--min-spacing F`), and how a
 * report's results get their `adc` summaries from src/core/adc.ts.
 */
import { SIGMA_UNITS, type SigmaUnit } from '../src/core/adc';
import {
  ADC_OPTION_HELP,
  DEFAULT_ADC_OPTIONS,
  adcOptionAccepts,
  adcOptionAllowed,
  type NumericAdcOptionKey,
} from '../src/core/adcOptions';
import type { AdcRequest } from '../src/core/reportAdc';
import { CliError, type FlagSpec, type ParsedArgs } from './args';

export { adcSettings, withAdc, type AdcRequest, type AdcSettings, type ReportWithAdc } from '../src/core/reportAdc';

export const ADC_FLAGS: Readonly<Record<string, FlagSpec>> = {
  grid: {
    kind: 'value',
    metavar: 'R',
    help: `Snap each result's references to the grid. ${ADC_OPTION_HELP.gridBits} Adds adc.grid: MSE before/after, merged codes.`,
  },
  sigma: {
    kind: 'value',
    metavar: 'S',
    help: `Perturb the references in --trials seeded trials. ${ADC_OPTION_HELP.sigma} Adds adc.variation.`,
  },
  'sigma-of': {
    kind: 'value',
    metavar: SIGMA_UNITS.join('|'),
    help: `${ADC_OPTION_HELP.sigmaOf} Default ${DEFAULT_ADC_OPTIONS.sigmaOf}.`,
  },
  trials: {
    kind: 'value',
    metavar: 'N',
    help: `${ADC_OPTION_HELP.trials} Default ${DEFAULT_ADC_OPTIONS.trials}.`,
  },
  'min-spacing': {
    kind: 'value',
    metavar: 'F',
    help: `${ADC_OPTION_HELP.minSpacing} Adds adc.spacing.`,
  },
};

/** The ADC flags' request, or null when none was given; throws CliError naming a bad value and its range. */
export function adcRequestFrom(args: ParsedArgs): AdcRequest | null {
  const v = (name: string) => args.values.get(name);
  if (Object.keys(ADC_FLAGS).every((name) => v(name) === undefined)) return null;
  const grid = optionalNumber(args, 'grid', 'gridBits');
  const sigma = optionalNumber(args, 'sigma', 'sigma');
  const trials = optionalNumber(args, 'trials', 'trials');
  const minSpacing = optionalNumber(args, 'min-spacing', 'minSpacing');
  const sigmaOfRaw = v('sigma-of');
  if (sigmaOfRaw !== undefined && !(SIGMA_UNITS as readonly string[]).includes(sigmaOfRaw)) {
    throw new CliError(`--sigma-of ${sigmaOfRaw}: must be ${adcOptionAllowed('sigmaOf')}`);
  }
  if (sigma === null && (trials !== null || sigmaOfRaw !== undefined)) {
    throw new CliError(`--${trials !== null ? 'trials' : 'sigma-of'} only applies with --sigma S`);
  }
  return {
    grid,
    sigma,
    sigmaOf: (sigmaOfRaw ?? DEFAULT_ADC_OPTIONS.sigmaOf) as SigmaUnit,
    trials: trials ?? DEFAULT_ADC_OPTIONS.trials,
    minSpacing,
  };
}

function optionalNumber(args: ParsedArgs, flag: string, key: NumericAdcOptionKey): number | null {
  const raw = args.values.get(flag);
  if (raw === undefined) return null;
  const x = raw.trim() === '' ? NaN : Number(raw);
  if (!adcOptionAccepts(key, x)) throw new CliError(`--${flag} ${raw}: must be ${adcOptionAllowed(key)}`);
  return x;
}
