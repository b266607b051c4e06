/**
 * The flags of `bskmq design` (docs/definitions.md, The report) and their translation into the core's
 * options contract. Names, ranges and help come from src/core/params.ts, so the
 * command line accepts exactly what the app and the URL accept.
 */
import {
  DEFAULT_PARAMS,
  MAX_BITS,
  MIN_BITS,
  PARAM_HELP,
  PARAM_KEYS,
  PARAM_SPECS,
  describeAllowed,
  parseParamValue,
  type ParamKey,
  type Params,
} from '../src/core/params';
import { CliError, kebabCase, type FlagSpec, type ParsedArgs } from './args';
import type { RawReadOptions } from '../src/core/formats';
import { RAW_FLAGS, rawOptionFrom } from './rawOptions';
import { ADC_FLAGS, adcRequestFrom, type AdcRequest } from './adcOptions';

/**
 * The Params keys settable from the command line, in the order of docs/definitions.md, The report: all but
 * `bits` (handled as a list) and `focus` (a display choice of the app).
 */
const PARAM_FLAGS = PARAM_KEYS.filter((key) => key !== 'bits' && key !== 'focus');

const METAVARS: Partial<Record<ParamKey, string>> = {
  seed: 'S',
  restarts: 'R',
  bandLow: 'F',
  bandHigh: 'F',
  pctLow: 'P',
  pctHigh: 'P',
  suppressWeight: 'W',
  spikeMin: 'F',
  low: 'L',
  high: 'U',
};

function metavarOf(key: ParamKey): string {
  const spec = PARAM_SPECS[key];
  if (spec.kind === 'enum') return spec.values.join('|');
  if (spec.kind === 'methods') return 'M1,M2,…';
  return METAVARS[key] ?? 'X';
}

function helpOf(key: ParamKey): string {
  const spec = PARAM_SPECS[key];
  const def = DEFAULT_PARAMS[key];
  const range = spec.kind === 'number' && !spec.nullable ? ` Range ${spec.min}–${spec.max}.` : '';
  const shown = Array.isArray(def) ? 'all' : def === null ? 'from the data' : String(def);
  return `${PARAM_HELP[key]}${range} Default ${shown}.`;
}

/** Every flag `bskmq design` accepts. */
export const DESIGN_FLAGS: Readonly<Record<string, FlagSpec>> = {
  tensor: { kind: 'value', metavar: 'NAME', help: 'Tensor to design for in a multi-tensor file. Default: the first.' },
  'all-tensors': {
    kind: 'switch',
    help: 'Design for every tensor of FILE, one at a time: {"file", "format", "tensors": [report, …]} (see above).',
  },
  bits: {
    kind: 'value',
    metavar: '3|2-8|2,4',
    help: `Bit-widths: one, a range or a list, each ${MIN_BITS}–${MAX_BITS}. Default ${MIN_BITS}-${MAX_BITS}.`,
  },
  ...Object.fromEntries(
    PARAM_FLAGS.map((key): [string, FlagSpec] => [
      kebabCase(key),
      { kind: 'value', metavar: metavarOf(key), help: helpOf(key) },
    ]),
  ),
  exact: { kind: 'switch', help: 'Use the exact point set (every distinct value), whatever the size.' },
  binned: { kind: 'switch', help: 'Use the binned point set (2^16 bins plus exact spikes), whatever the size.' },
  ...ADC_FLAGS,
  ...RAW_FLAGS,
};

/** What `bskmq design` was asked to do. */
export interface DesignOptions {
  file: string;
  tensor: string | undefined;
  bitsList: number[];
  params: Params;
  /** `auto`: exact up to the core's exact limit, binned beyond; streamed files are always binned. */
  mode: 'auto' | 'exact' | 'binned';
  raw: RawReadOptions | undefined;
  /** `--all-tensors`: one report per tensor of the file. */
  allTensors: boolean;
  /** The ADC flags (`--grid`, `--sigma`, …); null when none was given. */
  adc: AdcRequest | null;
}

/**
 * `--bits` value → sorted, distinct bit-widths. Accepts `3`, `2-8`, `2,4` and mixes (`1-3,6`).
 * Every bit-width is checked against the bits range of the options contract.
 */
export function parseBitsList(raw: string): number[] {
  const out = new Set<number>();
  const parts = raw.split(',').map((s) => s.trim());
  const bad = (why: string) => new CliError(`--bits ${raw}: ${why}`);
  for (const part of parts) {
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(part);
    const ends = range ? [range[1], range[2]] : [part];
    const nums = ends.map((e) => {
      const r = parseParamValue('bits', e);
      if (!r.ok) throw bad(describeAllowed('bits'));
      return r.value as number;
    });
    if (nums.length === 2 && nums[0] > nums[1]) throw bad(`a range is written LOW-HIGH, e.g. ${nums[1]}-${nums[0]}`);
    for (let b = nums[0]; b <= nums[nums.length - 1]; b++) out.add(b);
  }
  return [...out].sort((a, b) => a - b);
}

/** Validated DesignOptions from parsed arguments; throws CliError naming the first bad flag. */
export function designOptionsFrom(args: ParsedArgs): DesignOptions {
  if (args.positionals.length === 0) throw new CliError('expected a FILE to design for (see bskmq design --help)');
  if (args.positionals.length > 1) {
    throw new CliError(`expected one FILE, got ${args.positionals.length}: ${args.positionals.join(' ')}`);
  }
  const params: Params = { ...DEFAULT_PARAMS, methods: [...DEFAULT_PARAMS.methods] };
  const bitsRaw = args.values.get('bits');
  const bitsList = bitsRaw === undefined ? range(MIN_BITS, MAX_BITS) : parseBitsList(bitsRaw);
  params.bits = bitsList[0];
  for (const key of PARAM_FLAGS) {
    const flag = kebabCase(key);
    const raw = args.values.get(flag);
    if (raw === undefined) continue;
    const r = parseParamValue(key, raw);
    if (!r.ok) throw new CliError(`--${flag} ${raw}: ${describeAllowed(key)}`);
    (params as unknown as Record<string, unknown>)[key] = r.value;
  }
  if (params.low !== null && params.high !== null && !(params.low < params.high)) {
    throw new CliError(`--low ${params.low} --high ${params.high}: low must be below high`);
  }
  if (args.switches.has('exact') && args.switches.has('binned')) {
    throw new CliError('--exact and --binned exclude each other');
  }
  const mode = args.switches.has('exact') ? 'exact' : args.switches.has('binned') ? 'binned' : 'auto';
  const allTensors = args.switches.has('all-tensors');
  if (allTensors && args.values.has('tensor')) throw new CliError('--all-tensors and --tensor exclude each other');
  return {
    file: args.positionals[0],
    tensor: args.values.get('tensor'),
    bitsList,
    params,
    mode,
    raw: rawOptionFrom(args),
    allTensors,
    adc: adcRequestFrom(args),
  };
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let i = a; i <= b; i++) out.push(i);
  return out;
}
