/**
 * Command-line argument parsing shared by every `bskmq` command.
 *
 * Deliberately strict: an unknown flag, a missing value or a stray positional
 * argument is an error naming the flag, so a typo never silently falls back to
 * a default and yields a plausible but wrong report.
 */

/** A problem with the command line or an input the user named; printed as one line, exit code `exitCode`. */
export class CliError extends Error {
  /** 2 for usage errors (bad flags or values), 1 for problems with an input file. */
  readonly exitCode: number;

  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** How one flag is written: `value` flags take the next argument (or `--flag=value`), `switch` flags take none. */
export interface FlagSpec {
  kind: 'value' | 'switch';
  /** Placeholder shown in help, e.g. `N` or `F`. */
  metavar?: string;
  /** One-line help text. */
  help: string;
  /** Single-letter alias without the dash, e.g. `o` for `-o`. */
  short?: string;
}

export interface ParsedArgs {
  /** Positional arguments in order. */
  positionals: string[];
  /** Value flags by long name (without dashes); a repeated flag keeps the last value. */
  values: Map<string, string>;
  /** Switch flags that were given. */
  switches: Set<string>;
  /** True when `-h` or `--help` was given (everything else is then ignored). */
  help: boolean;
}

/**
 * Splits `argv` (the arguments after the command name) against the flags a command accepts.
 * A value flag consumes the next argument even when it starts with `-`, so `--low -1.5` works.
 * `--` ends flag parsing. Throws CliError on anything it does not recognise.
 */
export function parseArgs(
  argv: readonly string[],
  flags: Readonly<Record<string, FlagSpec>>,
  command: string,
): ParsedArgs {
  const byShort = new Map<string, string>();
  for (const [name, spec] of Object.entries(flags)) if (spec.short) byShort.set(spec.short, name);
  const parsed: ParsedArgs = { positionals: [], values: new Map(), switches: new Set(), help: false };
  if (argv.includes('-h') || argv.includes('--help')) {
    parsed.help = true;
    return parsed;
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    // A lone "-" or a negative number is a positional, not a flag.
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      parsed.positionals.push(arg);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    } else {
      const long = byShort.get(arg.slice(1, 2));
      if (!long) throw unknownFlag(arg, flags, command);
      name = long;
      inline = arg.length > 2 ? arg.slice(2).replace(/^=/, '') : undefined;
    }
    const spec = Object.hasOwn(flags, name) ? flags[name] : undefined;
    if (!spec) throw unknownFlag(arg, flags, command);
    if (spec.kind === 'switch') {
      if (inline !== undefined) throw new CliError(`--${name} takes no value (got "${arg}")`);
      parsed.switches.add(name);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new CliError(`--${name} needs a value (${spec.metavar ?? 'VALUE'})`);
      value = argv[++i];
    }
    parsed.values.set(name, value);
  }
  return parsed;
}

function unknownFlag(arg: string, flags: Readonly<Record<string, FlagSpec>>, command: string): CliError {
  const known = Object.keys(flags)
    .map((f) => `--${f}`)
    .join(', ');
  return new CliError(`unknown option ${arg} for "bskmq ${command}"; known: ${known || '(none)'}, --help`);
}

/** Help text for a command's flags, one per line, aligned. */
export function formatFlags(flags: Readonly<Record<string, FlagSpec>>): string {
  const rows = Object.entries(flags).map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : '';
    const left = `${short}--${name}${spec.kind === 'value' ? ` ${spec.metavar ?? 'VALUE'}` : ''}`;
    return [left, spec.help] as const;
  });
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, help]) => `  ${left.padEnd(width)}  ${help}`).join('\n');
}

/** `suppress-mode` → `suppressMode`. */
export function camelCase(kebab: string): string {
  return kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `suppressMode` → `suppress-mode`. */
export function kebabCase(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
