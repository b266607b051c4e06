/**
 * `bskmq generate NAME -o FILE.npy`: a built-in generator's samples as
 * a float32 .npy file. Flags are the generator's parameters from the core's
 * registry in kebab-case (`--zero-share` for `zeroShare`), so the command line
 * and the app offer exactly the same generators and ranges.
 */
import {
  GENERATORS,
  GENERATOR_NAMES,
  generate,
  type GeneratorName,
  type GeneratorOptions,
  type GeneratorParamSpec,
  type GeneratorSpec,
} from '../src/core/generators';
import { CliError, formatFlags, kebabCase, parseArgs, type FlagSpec } from './args';
import { formatJson } from './json';
import { writeNpyFloat32 } from './npyWriter';

const SPECS = GENERATOR_NAMES.map((name) => GENERATORS[name]);

/** Every generator parameter across the registry (each generator accepts its own subset), plus -o. */
export const GENERATE_FLAGS: Readonly<Record<string, FlagSpec>> = {
  out: {
    kind: 'value',
    short: 'o',
    metavar: 'FILE.npy',
    help: 'Where to write the samples (float32 .npy v1.0). Required.',
  },
  ...Object.fromEntries(
    SPECS.flatMap((g) => g.params).map((p): [string, FlagSpec] => [
      kebabCase(p.name),
      { kind: 'value', metavar: 'X', help: p.help },
    ]),
  ),
};

function describeGenerator(g: GeneratorSpec): string {
  const params = g.params.map(
    (p) => `      --${kebabCase(p.name)} (${p.min}–${p.max}, default ${p.default}): ${p.help}`,
  );
  return [`  ${g.name}: ${g.help}`, ...params].join('\n');
}

/** "clamp must be a number in 0.001–1000": the allowed range, as the design flags word it. */
function allowed(p: GeneratorParamSpec): string {
  return `${p.name} must be ${p.integer ? 'an integer' : 'a number'} in ${p.min}–${p.max}`;
}

export const GENERATE_HELP = `Usage: bskmq generate NAME [--n N] [--seed S] [parameters] -o FILE.npy

Writes N float32 samples of a built-in generator to FILE.npy and prints a JSON summary. Same seed, same samples.

Options:
${formatFlags({ out: GENERATE_FLAGS.out })}

Generators and their parameters:
${SPECS.map(describeGenerator).join('\n')}

Example:
  bskmq generate relu6 --n 1000000 --seed 1 --clamp 6 -o relu6.npy`;

/** Runs `generate` on its arguments; writes the file and returns a JSON summary of it. */
export async function runGenerate(argv: readonly string[]): Promise<string> {
  const args = parseArgs(argv, GENERATE_FLAGS, 'generate');
  if (args.help) return GENERATE_HELP;
  if (args.positionals.length !== 1) {
    const got = args.positionals.length;
    throw new CliError(`expected one generator NAME (${GENERATOR_NAMES.join(', ')}), got ${got}`);
  }
  const name = args.positionals[0];
  if (!(GENERATOR_NAMES as readonly string[]).includes(name)) {
    throw new CliError(`unknown generator "${name}"; known: ${GENERATOR_NAMES.join(', ')}`);
  }
  const spec = GENERATORS[name as GeneratorName];
  const out = args.values.get('out');
  if (out === undefined || out === '') throw new CliError('generate needs -o FILE.npy (where to write the samples)');
  const options: GeneratorOptions = {};
  for (const [flag, raw] of args.values) {
    if (flag === 'out') continue;
    const param = spec.params.find((p) => kebabCase(p.name) === flag);
    if (!param) {
      const takes = spec.params.map((p) => `--${kebabCase(p.name)}`).join(', ');
      throw new CliError(`--${flag} is not a parameter of ${name}; it takes ${takes}`);
    }
    const v = raw.trim() === '' ? NaN : Number(raw);
    const ok = Number.isFinite(v) && v >= param.min && v <= param.max && (!param.integer || Number.isInteger(v));
    if (!ok) throw new CliError(`--${flag} ${raw}: ${allowed(param)}`);
    options[param.name] = v;
  }
  let samples: Float32Array;
  try {
    samples = generate(spec.name, options);
  } catch (e) {
    // Cross-parameter checks of the registry (low < high, shares summing past 1) come back as RangeErrors.
    if (e instanceof RangeError) throw new CliError(e.message);
    throw e;
  }
  writeNpyFloat32(out, samples);
  const used = Object.fromEntries(spec.params.map((p) => [p.name, options[p.name] ?? p.default]));
  return formatJson({ file: out, generator: name, params: used, shape: [samples.length], dtype: 'float32' });
}
