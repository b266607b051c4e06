/**
 * Turns anything a command throws into the one stderr line and the exit code
 * the command line promises (docs/definitions.md, The report): usage problems exit 2, problems with
 * an input file exit 1, and an unexpected failure is still one line.
 */
import { FormatError } from '../src/core/formats/errors';
import { CliError } from './args';

const FS_MESSAGES: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory, expected a file',
  ENOTDIR: 'a component of the path is not a directory',
  EMFILE: 'too many open files',
  ENOSPC: 'no space left on the device',
};

/** The message (one line) and exit code for an error thrown by a command. */
export function formatError(e: unknown): { message: string; exitCode: number } {
  if (e instanceof CliError) return { message: oneLine(e.message), exitCode: e.exitCode };
  if (e instanceof FormatError) return { message: oneLine(e.message), exitCode: 1 };
  const err = e as NodeJS.ErrnoException | undefined;
  if (err && typeof err.code === 'string' && Object.hasOwn(FS_MESSAGES, err.code)) {
    return { message: `${err.path ?? 'file'}: ${FS_MESSAGES[err.code]}`, exitCode: 1 };
  }
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { message: `internal error (a bug, please report it): ${oneLine(text)}`, exitCode: 70 };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
