/**
 * Seeded synthetic activations: the built-in data sources of the app
 * and of `bskmq generate`. Each generator is described by a registry entry whose
 * parameter list (name, default, range, help) the UI and the CLI build their
 * controls and flags from; `generate` validates against the same entries.
 *
 * Output is float32, as real activations are: a ReLU's zeros and a clamp's
 * value are exact, so they form spikes of exactly equal samples.
 */
import { createNormal, createRng, type Rng } from './rng';

export const GENERATOR_NAMES = ['relu-gaussian', 'relu6', 'gelu-tail', 'clamped-laplace', 'spiky-mixture'] as const;
export type GeneratorName = (typeof GENERATOR_NAMES)[number];

/** One numeric parameter of a generator. */
export interface GeneratorParamSpec {
  name: string;
  default: number;
  min: number;
  max: number;
  /** Integer parameters reject fractions (n, seed, degrees of freedom). */
  integer: boolean;
  help: string;
}

export interface GeneratorSpec {
  name: GeneratorName;
  /** Human name for menus. */
  label: string;
  /** One sentence: what the data look like and why it is interesting. */
  help: string;
  /** Every parameter, `n` and `seed` first. */
  params: readonly GeneratorParamSpec[];
}

/** Parameter values by name; missing ones take their defaults. */
export type GeneratorOptions = Record<string, number>;

const N_PARAM: GeneratorParamSpec = {
  name: 'n',
  default: 100_000,
  min: 1,
  max: 2 ** 26,
  integer: true,
  help: 'Number of samples.',
};
const SEED_PARAM: GeneratorParamSpec = {
  name: 'seed',
  default: 0,
  min: 0,
  max: 2 ** 32 - 1,
  integer: true,
  help: 'Seed of the generator; the same seed gives the same samples.',
};

function num(name: string, def: number, min: number, max: number, help: string, integer = false): GeneratorParamSpec {
  return { name, default: def, min, max, integer, help };
}

/** The built-in generators and their parameters (defaults chosen to look like real layers). */
export const GENERATORS: Readonly<Record<GeneratorName, GeneratorSpec>> = {
  'relu-gaussian': {
    name: 'relu-gaussian',
    label: 'ReLU-Gaussian',
    help: 'max(0, z) with z ~ N(mean, std): a spike of exact zeros (half the samples at mean 0) and a half-normal body.',
    params: [
      N_PARAM,
      SEED_PARAM,
      num('mean', 0, -10, 10, 'Mean of the pre-activation z.'),
      num('std', 1, 0.001, 100, 'Standard deviation of the pre-activation z.'),
    ],
  },
  relu6: {
    name: 'relu6',
    label: 'ReLU6',
    help: 'min(clamp, max(0, z)) with z ~ N(mean, std): spikes at 0 (about 34 %) and at the clamp value (about 2 %).',
    params: [
      N_PARAM,
      SEED_PARAM,
      num('mean', 1, -10, 10, 'Mean of the pre-activation z.'),
      num('std', 2.5, 0.001, 100, 'Standard deviation of the pre-activation z.'),
      num('clamp', 6, 0.001, 1000, 'Clamp value: the upper spike (6 for ReLU6).'),
    ],
  },
  'gelu-tail': {
    name: 'gelu-tail',
    label: 'GELU heavy tail',
    help: 'GELU(z) with z = mean + std·t (Student t, df degrees of freedom): no exact spike, a small negative dip and rare large outliers that stretch the range.',
    params: [
      N_PARAM,
      SEED_PARAM,
      num('mean', 0, -10, 10, 'Location of the pre-activation z.'),
      num('std', 1, 0.001, 100, 'Scale of the pre-activation z.'),
      num('df', 4, 1, 100, 'Degrees of freedom of the t distribution: smaller gives a heavier tail.', true),
    ],
  },
  'clamped-laplace': {
    name: 'clamped-laplace',
    label: 'Clamped Laplacian',
    help: 'Laplace(mean, scale) clamped to [low, high], as hardware clamping does: a peaked body and spikes at both clamp values (about 2.5 % each).',
    params: [
      N_PARAM,
      SEED_PARAM,
      num('mean', 0, -100, 100, 'Location of the Laplacian.'),
      num('scale', 1, 0.001, 100, 'Scale b of the Laplacian (std = b·√2).'),
      num('low', -3, -1000, 1000, 'Lower clamp value.'),
      num('high', 3, -1000, 1000, 'Upper clamp value (must exceed low).'),
    ],
  },
  'spiky-mixture': {
    name: 'spiky-mixture',
    label: 'Spiky mixture',
    help: 'Exact spikes at 0, at an interior value and at the clamp value over a Gaussian body clipped to [0, clamp].',
    params: [
      N_PARAM,
      SEED_PARAM,
      num('zeroShare', 0.3, 0, 1, 'Share of samples exactly 0.'),
      num('clampShare', 0.05, 0, 1, 'Share of samples exactly at the clamp value.'),
      num('midShare', 0.1, 0, 1, 'Share of samples exactly at the interior spike.'),
      num('midValue', 1, 0, 1000, 'Value of the interior spike (inside [0, clamp]).'),
      num('mean', 1.5, -100, 100, 'Mean of the Gaussian body.'),
      num('std', 1, 0.001, 100, 'Standard deviation of the Gaussian body.'),
      num('clamp', 4, 0.001, 1000, 'Clamp value: the upper spike.'),
    ],
  },
};

/**
 * Every parameter of `name` with defaults filled in, validated against the
 * registry. Throws a RangeError naming the generator, the parameter, its
 * allowed range and the value found (unknown names and parameters too).
 */
export function resolveGeneratorOptions(name: string, options: Partial<GeneratorOptions> = {}): GeneratorOptions {
  const spec = (GENERATORS as Record<string, GeneratorSpec | undefined>)[name];
  if (!spec) throw new RangeError(`unknown generator "${name}"; known: ${GENERATOR_NAMES.join(', ')}`);
  const out: GeneratorOptions = {};
  const known = new Set(spec.params.map((p) => p.name));
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new RangeError(`${name}: unknown parameter "${key}"; known: ${[...known].join(', ')}`);
  }
  for (const p of spec.params) {
    const v = options[p.name] ?? p.default;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < p.min || v > p.max || (p.integer && !Number.isInteger(v))) {
      const kind = p.integer ? 'an integer' : 'a number';
      throw new RangeError(`${name}: ${p.name} must be ${kind} in ${p.min}–${p.max}; got ${String(v)}`);
    }
    out[p.name] = v;
  }
  if (name === 'clamped-laplace' && !(out.low < out.high)) {
    throw new RangeError(`${name}: low must be below high; got low ${out.low}, high ${out.high}`);
  }
  if (name === 'spiky-mixture') {
    const spikes = out.zeroShare + out.clampShare + out.midShare;
    if (spikes > 1) throw new RangeError(`${name}: zeroShare + clampShare + midShare must be ≤ 1; got ${spikes}`);
    if (out.midValue > out.clamp)
      throw new RangeError(`${name}: midValue must be ≤ clamp; got ${out.midValue} > ${out.clamp}`);
  }
  return out;
}

/** `n` float32 samples of generator `name` (missing parameters take their defaults). Deterministic per seed. */
export function generate(name: GeneratorName, options: Partial<GeneratorOptions> = {}): Float32Array {
  const o = resolveGeneratorOptions(name, options);
  const out = new Float32Array(o.n);
  const rng = createRng(o.seed);
  const normal = createNormal(rng);
  switch (name) {
    case 'relu-gaussian':
      for (let i = 0; i < out.length; i++) out[i] = Math.max(0, o.mean + o.std * normal());
      break;
    case 'relu6':
      for (let i = 0; i < out.length; i++) out[i] = Math.min(o.clamp, Math.max(0, o.mean + o.std * normal()));
      break;
    case 'gelu-tail':
      for (let i = 0; i < out.length; i++) out[i] = gelu(o.mean + o.std * studentT(normal, o.df));
      break;
    case 'clamped-laplace':
      for (let i = 0; i < out.length; i++) out[i] = Math.min(o.high, Math.max(o.low, o.mean + o.scale * laplace(rng)));
      break;
    case 'spiky-mixture': {
      const zeroEnd = o.zeroShare,
        clampEnd = zeroEnd + o.clampShare,
        midEnd = clampEnd + o.midShare;
      for (let i = 0; i < out.length; i++) {
        const u = rng();
        if (u < zeroEnd) out[i] = 0;
        else if (u < clampEnd) out[i] = o.clamp;
        else if (u < midEnd) out[i] = o.midValue;
        else out[i] = Math.min(o.clamp, Math.max(0, o.mean + o.std * normal()));
      }
      break;
    }
  }
  return out;
}

/** GELU by its tanh form (Hendrycks & Gimpel), as most frameworks compute it. */
function gelu(z: number): number {
  return 0.5 * z * (1 + Math.tanh(0.7978845608028654 * (z + 0.044715 * z * z * z)));
}

/** Student t with integer `df`: a normal over the root of a chi-squared (sum of df squared normals) per df. */
function studentT(normal: () => number, df: number): number {
  let chi2 = 0;
  for (let i = 0; i < df; i++) {
    const g = normal();
    chi2 += g * g;
  }
  // chi2 = 0 has probability 0 but would divide by zero: draw the numerator alone then.
  return chi2 > 0 ? normal() / Math.sqrt(chi2 / df) : normal();
}

/** Standard Laplacian (scale 1) by inverting its CDF. */
function laplace(rng: Rng): number {
  const u = rng() - 0.5;
  const a = 1 - 2 * Math.abs(u);
  // rng() ∈ [0, 1): a = 0 only at u = −0.5, where the limit is −∞; nudge to the smallest positive double.
  return -Math.sign(u) * Math.log(a > 0 ? a : Number.MIN_VALUE);
}
