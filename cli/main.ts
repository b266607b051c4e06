/**
 * `bskmq`: the command line over the core (docs/definitions.md, The report).
 *
 * stdout carries only the command's JSON (or help text when asked for); every
 * problem is one line on stderr and a non-zero exit code, so scripts can rely
 * on `bskmq design f.npy > report.json` either producing a report or failing.
 */
import { CliError } from './args';
import { runDesign } from './design';
import { runGenerate } from './generate';
import { runInspect } from './inspect';
import { formatError } from './errors';

/** A command: its arguments (after the command name) → the text for stdout. */
type Command = (argv: readonly string[]) => Promise<string>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  inspect: { run: runInspect, summary: 'List the tensors in a file: name, shape, dtype, count.' },
  design: { run: runDesign, summary: 'Design every quantizer at bits 1–8 and print one JSON report.' },
  generate: { run: runGenerate, summary: "Write a built-in generator's samples as a float32 .npy file." },
};

export const MAIN_HELP = `bskmq — design nonlinear ADC quantization levels (BS-KMQ and baselines) for activations

Usage:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  bskmq ${name.padEnd(9)} ${c.summary}`)
  .join('\n')}

Run "bskmq COMMAND --help" for a command's options.
Examples:
  bskmq generate relu6 --n 100000 -o acts.npy
  bskmq inspect acts.npy
  bskmq design acts.npy --bits 3 --methods kmeanspp,bskmq,optimal > report.json`;

/** Runs one command line; returns the process exit code. Never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  // A closed pipe (`bskmq design f.npy | head`) is not an error of ours.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  const [name, ...rest] = argv;
  if (name === '-h' || name === '--help' || name === 'help') {
    process.stdout.write(MAIN_HELP + '\n');
    return 0;
  }
  const command = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  try {
    if (name === undefined) {
      throw new CliError(`expected a command: ${Object.keys(COMMANDS).join(', ')} (see bskmq --help)`);
    }
    if (!command) {
      throw new CliError(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}, --help`);
    }
    const out = await command.run(rest);
    process.stdout.write(out.endsWith('\n') ? out : out + '\n');
    return 0;
  } catch (e) {
    const { message, exitCode } = formatError(e);
    process.stderr.write(`bskmq${command ? ` ${name}` : ''}: ${message}\n`);
    return exitCode;
  }
}
