/**
 * `bskmq inspect FILE`: the tensors a file holds (name, shape, dtype, count),
 * listed from the headers without decoding any data.
 */
import { basename } from 'node:path';
import { formatFlags, parseArgs, CliError, type FlagSpec } from './args';
import { withInput } from './input';
import { formatJson } from './json';
import { RAW_FLAGS, rawOptionFrom } from './rawOptions';

/** Most tensors `inspect` prints, so a file with very many never yields megabytes of JSON. */
export const INSPECT_LIST_LIMIT = 1000;

export const INSPECT_FLAGS: Readonly<Record<string, FlagSpec>> = { ...RAW_FLAGS };

export const INSPECT_HELP = `Usage: bskmq inspect FILE [--raw-dtype DTYPE [--byte-order little|big]]

Lists the tensors in FILE (.npy, .npz, .safetensors, PyTorch .pt/.pth/.bin, CSV/TSV/text, JSON, raw binary)
as JSON: {"file", "format", "tensors": [{"name", "shape", "dtype", "count"}]}; "file" is FILE's base name,
as in design's report. At most 1000 tensors are listed; "omitted" then counts the rest.

Options:
${formatFlags(INSPECT_FLAGS)}`;

/** Runs `inspect` on its arguments; returns the JSON listing. */
export async function runInspect(argv: readonly string[]): Promise<string> {
  const args = parseArgs(argv, INSPECT_FLAGS, 'inspect');
  if (args.help) return INSPECT_HELP;
  if (args.positionals.length !== 1) {
    throw new CliError(`expected one FILE, got ${args.positionals.length} (see bskmq inspect --help)`);
  }
  return withInput(args.positionals[0], rawOptionFrom(args), async (opened) => {
    const all = opened.tensors;
    const shown = all.length > INSPECT_LIST_LIMIT ? all.slice(0, INSPECT_LIST_LIMIT) : all;
    if (shown.length < all.length) {
      process.stderr.write(
        `bskmq: note: listing the first ${shown.length} of ${all.length} tensors ("omitted" counts the rest)\n`,
      );
    }
    return formatJson({
      file: basename(opened.file),
      format: opened.format,
      tensors: shown.map((t) => ({ name: t.name, shape: t.shape, dtype: t.dtype, count: t.count })),
      ...(shown.length < all.length ? { omitted: all.length - shown.length } : {}),
    });
  });
}
