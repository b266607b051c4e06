/**
 * `bskmq design FILE`: every requested quantizer at every requested bit-width,
 * printed as the one JSON report of docs/definitions.md, The report (the same schema as the app's export).
 */
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildPointSet, type PointSet } from '../src/core/pointset';
import { magnitudeIssue } from '../src/core/params';
import { freshDesigns } from '../src/core/curves';
import { designReport, inputInfo, type AllTensorsReport, type Report, type TensorFailure } from '../src/core/report';
import type { OpenedFile, TensorInfo } from '../src/core/formats';
import { withAdc, type ReportWithAdc } from './adcOptions';
import { escapeControls } from '../src/core/formats/errors';
import { formatError } from './errors';
import { CliError, formatFlags, parseArgs } from './args';
import { DESIGN_FLAGS, designOptionsFrom, type DesignOptions } from './designOptions';
import { STREAM_THRESHOLD_ENV, checkTensor, withInput } from './input';
import { formatJson } from './json';
import { withProgress } from './progress';

export const DESIGN_HELP = `Usage: bskmq design FILE [options]

Designs every quantizer (linear, cdf, lloydmax, kmeans, kmeanspp, bskmq, optimal) at bits 1–8 on one tensor of FILE
and prints one JSON report to stdout: {"input", "pointSet", "params", "results": [{method, bits, levels, thresholds,
mse, rmse, nmse, sqnrDb, mseInterior, mseBoundary, vsOptimal, levelsUsed, entropyBits, bitsEquivalent, seconds}]}.
Tensors above the streaming threshold (256 MiB; environment variable ${STREAM_THRESHOLD_ENV} in bytes) are read
in chunks into a binned point set. With several --bits, the report's params.bits is the first of them.
input.file is FILE's base name (as the app's export names an uploaded file), so the two compare key by key.
When stderr is a terminal, a progress line (bit-width, method, step, elapsed time) is shown there, with a note when
the exact optimum is the slow part (--binned avoids it); in a pipe or a file stderr gets only problems.

--all-tensors designs for every tensor of FILE, one at a time, and prints one object instead:
  {"file": NAME, "format": "npz", "tensors": [REPORT, REPORT, …]}
where each REPORT is exactly the single-tensor report above (--tensor NAME gives the same). A tensor that cannot be
designed (unsupported dtype, empty, no finite values) appears as {"input": {file, tensor, shape, dtype, count},
"error": "why"} and the others are still designed; the exit code is 0 once FILE opens.

--grid, --sigma and --min-spacing add the ADC view (references on a grid, reference variation, spacing): the report
gets a top-level "adc": {grid, sigma, sigmaOf, trials, seed, minSpacing} (null where not asked for; the Monte Carlo
is seeded by --seed) after "params", and every result an "adc": {grid?: {resolution, unitStep, thresholds,
referenceSteps, mseBefore, mseAfter, mergedCodes}, variation?: {sigma, sigmaOf, sigmaAbs, trials, seed, nominalMse,
meanMse, q05Mse, q95Mse}, spacing?: {minSpacing, warnings: [{lower, upper, code, gap}]}} with the parts asked for.

Options:
${formatFlags(DESIGN_FLAGS)}

Example:
  bskmq design acts.npy --bits 2-4 --methods kmeanspp,bskmq,optimal --band-low 0.05 > report.json`;

/** Runs `design` on its arguments; returns the JSON report. */
export async function runDesign(argv: readonly string[]): Promise<string> {
  const args = parseArgs(argv, DESIGN_FLAGS, 'design');
  if (args.help) return DESIGN_HELP;
  const options = designOptionsFrom(args);
  if (options.allTensors) return formatJson(await withInput(options.file, options.raw, (o) => designAll(o, options)));
  const { pointSet, info, file } = await withInput(options.file, options.raw, async (opened) => {
    checkTensor(opened, options.tensor);
    return { ...(await loadPointSet(opened, options)), file: opened.file };
  });
  requireFiniteSamples(file, info, pointSet);
  return formatJson(tensorReport(pointSet, info, file, options));
}

/** One tensor's report (with the ADC summaries when asked for); `input.file` is the file's base name. */
function tensorReport(
  pointSet: PointSet,
  info: TensorInfo,
  file: string,
  options: DesignOptions,
): Report | ReportWithAdc {
  const source = { file: basename(file), tensor: info.name, shape: info.shape, dtype: info.dtype };
  const input = inputInfo(pointSet, source, options.params);
  const now = () => performance.now();
  const label = escapeControls(`${basename(file)}${info.name ? ` ${JSON.stringify(info.name)}` : ''}`);
  const { methods } = options.params;
  const progress = withProgress(
    freshDesigns(pointSet, now),
    pointSet,
    label,
    options.bitsList,
    methods,
    process.stderr,
    now,
  );
  const report = designReport(pointSet, input, options.params, options.bitsList, progress.designs);
  progress.done();
  return options.adc ? withAdc(report, pointSet, options.params, options.adc) : report;
}

/** `--all-tensors`: every tensor's report in file order, each decoded (or streamed) and released in turn. */
async function designAll(
  opened: OpenedFile,
  options: DesignOptions,
): Promise<AllTensorsReport<Report | ReportWithAdc>> {
  checkTensor(opened, undefined);
  const tensors: (Report | ReportWithAdc | TensorFailure)[] = [];
  for (const t of opened.tensors) {
    try {
      const { pointSet, info } = await loadPointSet(opened, { ...options, tensor: t.name });
      requireFiniteSamples(opened.file, info, pointSet);
      tensors.push(tensorReport(pointSet, info, opened.file, options));
    } catch (e) {
      const file = basename(opened.file);
      const input = { file, tensor: t.name, shape: [...t.shape], dtype: t.dtype, count: t.count };
      tensors.push({ input, error: formatError(e).message });
    }
  }
  return { file: basename(opened.file), format: opened.format, tensors };
}

/** The tensor's point set: decoded and built in memory, or streamed into bins when the file is large. */
async function loadPointSet(
  opened: OpenedFile,
  options: DesignOptions,
): Promise<{ pointSet: PointSet; info: TensorInfo }> {
  if (opened.shouldStream(options.tensor)) {
    if (options.mode === 'exact') {
      throw new CliError(
        `--exact: ${opened.file} is over the streaming threshold, so it is streamed into a binned point set; ` +
          'drop --exact',
      );
    }
    return opened.stream(options.tensor, { onProgress: progressReporter(opened.file) });
  }
  const tensor = await opened.decode(options.tensor);
  const pointSet = buildPointSet(tensor.data, { mode: options.mode });
  return { pointSet, info: { name: tensor.name, shape: tensor.shape, dtype: tensor.dtype, count: tensor.count } };
}

/** An empty or all-non-finite tensor has nothing to quantize; a constant one is fine. */
function requireFiniteSamples(file: string, info: TensorInfo, ps: PointSet): void {
  const where = `${file}: tensor ${JSON.stringify(info.name)} (shape [${info.shape.join(', ')}], ${info.dtype})`;
  const big = ps.n > 0 ? magnitudeIssue(ps) : null;
  if (big) throw new CliError(`${where}: ${big}`, 1);
  if (ps.n > 0) return;
  if (info.count === 0 || ps.nonFinite === 0) throw new CliError(`${where} is empty; expected at least one value`, 1);
  throw new CliError(`${where} has no finite values: all ${ps.nonFinite} are NaN or ±Inf`, 1);
}

/** Progress on stderr for a person watching a terminal; silent in pipes so logs stay one line per error. */
function progressReporter(file: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = -1;
  return (done, total) => {
    const pct = total > 0 ? Math.floor((100 * done) / total) : 100;
    if (pct === last) return;
    last = pct;
    process.stderr.write(`\rreading ${file}: ${pct}%${pct >= 100 ? '\n' : ''}`);
  };
}
