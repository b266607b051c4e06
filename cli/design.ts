/**
 * `bskmq design FILE`: every requested quantizer at every requested bit-width,
 * printed as the one JSON report of SPEC §11 (the same schema as the app's export).
 */
import { performance } from 'node:perf_hooks';
import { buildPointSet, type PointSet } from '../src/core/pointset';
import { designReport, inputInfo } from '../src/core/report';
import type { OpenedFile, TensorInfo } from '../src/core/formats';
import { CliError, formatFlags, parseArgs } from './args';
import { DESIGN_FLAGS, designOptionsFrom, type DesignOptions } from './designOptions';
import { STREAM_THRESHOLD_ENV, checkTensor, withInput } from './input';
import { formatJson } from './json';

export const DESIGN_HELP = `Usage: bskmq design FILE [options]

Designs every quantizer (linear, cdf, lloydmax, kmeans, kmeanspp, bskmq, optimal) at bits 1–8 on one tensor of FILE
and prints one JSON report to stdout: {"input", "pointSet", "params", "results": [{method, bits, levels, thresholds,
mse, rmse, nmse, sqnrDb, mseInterior, mseBoundary, vsOptimal, levelsUsed, entropyBits, bitsEquivalent, seconds}]}.
Tensors above the streaming threshold (256 MiB; environment variable ${STREAM_THRESHOLD_ENV} in bytes) are read
in chunks into a binned point set. With several --bits, the report's params.bits is the first of them.

Options:
${formatFlags(DESIGN_FLAGS)}

Example:
  bskmq design acts.npy --bits 2-4 --methods kmeanspp,bskmq,optimal --band-low 0.05 > report.json`;

/** Runs `design` on its arguments; returns the JSON report. */
export async function runDesign(argv: readonly string[]): Promise<string> {
  const args = parseArgs(argv, DESIGN_FLAGS, 'design');
  if (args.help) return DESIGN_HELP;
  const options = designOptionsFrom(args);
  const { pointSet, info, file } = await withInput(options.file, options.raw, async (opened) => {
    checkTensor(opened, options.tensor);
    return { ...(await loadPointSet(opened, options)), file: opened.file };
  });
  requireFiniteSamples(file, info, pointSet);
  const source = { file, tensor: info.name, shape: info.shape, dtype: info.dtype };
  const input = inputInfo(pointSet, source, options.params);
  const report = designReport(pointSet, input, options.params, options.bitsList, () => performance.now());
  return formatJson(report);
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
  if (ps.n > 0) return;
  const where = `${file}: tensor ${JSON.stringify(info.name)} (shape [${info.shape.join(', ')}], ${info.dtype})`;
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
