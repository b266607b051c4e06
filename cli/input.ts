/**
 * Opening the FILE argument of `inspect` and `design`: checks that it is a
 * readable regular file (so the error names the path rather than a syscall),
 * hands a node byte source to the format parsers and closes it afterwards.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  DEFAULT_STREAM_THRESHOLD,
  openFile,
  type OpenedFile,
  type OpenOptions,
  type RawReadOptions,
} from '../src/core/formats';
import { escapeControls } from '../src/core/formats/errors';
import { CliError } from './args';
import { nodeSource } from './nodeSource';

/**
 * Environment override of the streaming threshold in bytes (default 256 MiB), so the streamed
 * path can be exercised on small files and tuned on machines with little memory.
 */
export const STREAM_THRESHOLD_ENV = 'BSKMQ_STREAM_THRESHOLD';

/**
 * Opens `path` with every format parser of docs/definitions.md, Input formats (`raw` forces headerless binary), runs `use`
 * on it and closes the file, also when `use` throws. Messages name the file as the user typed it.
 */
export async function withInput<T>(
  path: string,
  raw: RawReadOptions | undefined,
  use: (opened: OpenedFile) => Promise<T>,
): Promise<T> {
  let isFile = false;
  const real = onDisk(path);
  const shown = escapeControls(path);
  try {
    isFile = statSync(real).isFile();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`${shown}: ${code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(e)})`}`, 1);
  }
  if (!isFile) throw new CliError(`${shown}: not a regular file`, 1);
  const options: OpenOptions = { streamThreshold: streamThreshold() };
  if (raw) options.raw = { dtype: raw.dtype, byteOrder: raw.byteOrder };
  const source = nodeSource(real, path);
  try {
    const opened = await openFile(source, options);
    for (const note of opened.notes) process.stderr.write(`bskmq: note: ${note}\n`);
    return await use(opened);
  } finally {
    await source.close();
  }
}

/**
 * The path to open for an argument. Node decodes argv as UTF-8, so a name with other bytes
 * (latin-1 from an old archive) arrives with U+FFFD in it and does not exist as spelled: find the
 * one entry of its directory whose bytes decode to the same text and open it by those bytes.
 */
export function onDisk(path: string): string | Buffer {
  if (!path.includes('\ufffd')) return path;
  try {
    statSync(path);
    return path;
  } catch {
    // Look for the entry below.
  }
  try {
    const dir = dirname(path);
    const want = basename(path);
    const matches = readdirSync(dir, { encoding: 'buffer' }).filter((b) => b.toString('utf8') === want);
    if (matches.length === 1)
      return Buffer.concat([Buffer.from(dir === '.' && !path.startsWith('.') ? '' : join(dir, '/')), matches[0]]);
  } catch {
    // The directory cannot be listed: report the path as given.
  }
  return path;
}

function streamThreshold(): number {
  const raw = process.env[STREAM_THRESHOLD_ENV];
  if (raw === undefined || raw === '') return DEFAULT_STREAM_THRESHOLD;
  const v = Number(raw);
  if (!(Number.isInteger(v) && v >= 0)) {
    const def = DEFAULT_STREAM_THRESHOLD;
    throw new CliError(`${STREAM_THRESHOLD_ENV}=${raw}: must be a whole number of bytes (default ${def})`);
  }
  return v;
}

/** Checks `--tensor NAME` against the file's tensors, so a typo lists what is there. */
export function checkTensor(opened: OpenedFile, tensor: string | undefined): void {
  if (tensor === undefined) {
    if (opened.tensors.length === 0) throw new CliError(`${opened.file}: the file holds no tensors`, 1);
    return;
  }
  if (opened.tensors.some((t) => t.name === tensor)) return;
  const names = opened.tensors.map((t) => JSON.stringify(t.name));
  const shown = names.length > 12 ? [...names.slice(0, 12), `… (${names.length} in all)`] : names;
  throw new CliError(`--tensor ${tensor}: ${opened.file} has no such tensor; it holds ${shown.join(', ')}`);
}
