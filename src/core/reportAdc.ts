/**
 * A report's ADC summaries (what `bskmq design --grid/--sigma/--min-spacing` adds and the app's JSON
 * export carries): the top-level `adc` settings and each result's `adc` from src/core/adc.ts.
 */
import { adcSummary, quantizerFromLists, type AdcOptions, type AdcSummary, type SigmaUnit } from './adc';
import { resolveBoundaries } from './boundaries';
import type { Params } from './params';
import type { PointSet } from './pointset';
import type { MethodResult, Report } from './report';

/** What the ADC analysis asks for (the CLI's flags, the app's ADC view); null fields were not asked for. */
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
