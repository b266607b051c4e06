/**
 * The one options contract of BS-KMQ Explorer (docs/definitions.md).
 *
 * The UI, the URL codec, the workers, the command line and the exported JSON
 * all import the names, defaults and ranges from here, so a parameter means the
 * same thing everywhere.
 */

/** Every quantizer the product knows, in display order. */
export const METHODS = ['linear', 'cdf', 'lloydmax', 'kmeans', 'kmeanspp', 'bskmq', 'optimal'] as const;
export type Method = (typeof METHODS)[number];

export const SUPPRESS_MODES = ['band', 'percentile'] as const;
export type SuppressMode = (typeof SUPPRESS_MODES)[number];

export const PIN_MODES = ['auto', 'both', 'low', 'high', 'none'] as const;
export type PinMode = (typeof PIN_MODES)[number];

export const BS_INITS = ['random', 'plusplus'] as const;
export type BsInit = (typeof BS_INITS)[number];

export const MIN_BITS = 1;
export const MAX_BITS = 8;

/** The parameter slice: everything that determines the designed quantizers. */
export interface Params {
  /** Bits of the ADC: `k = 2^bits` codes, 1–8. */
  bits: number;
  /** Methods computed and shown, in METHODS order. */
  methods: Method[];
  /** The method whose levels, thresholds and ADC references the detail views show. */
  focus: Method;
  /** Seed of every random choice (K-means seeds, BS-KMQ's random init). */
  seed: number;
  /** K-means restarts (for `kmeans`, `kmeanspp` and `bskmq`); the lowest-MSE run is kept. */
  restarts: number;
  /** How BS-KMQ's boundary bands are chosen: by value (`band`) or by sample rank (`percentile`). */
  suppressMode: SuppressMode;
  /** Low band `[L, L + bandLow·R]` as a fraction of the range, 0–0.5 (0 = exactly the value L). */
  bandLow: number;
  /** High band `[U − bandHigh·R, U]` as a fraction of the range, 0–0.5 (0 = exactly the value U). */
  bandHigh: number;
  /** Percentile mode: the lowest `pctLow` % of samples by rank form the low band, 0–50. */
  pctLow: number;
  /** Percentile mode: the highest `pctHigh` % of samples by rank form the high band, 0–50. */
  pctHigh: number;
  /** Weight given to samples inside the bands while clustering, 0–1 (0 removes them). */
  suppressWeight: number;
  /** Which boundary values become fixed levels. `auto` pins a boundary whose exact value holds ≥ `spikeMin` of the samples. */
  pin: PinMode;
  /** Share of samples at exactly L (or U) above which `pin = auto` pins that boundary, 0–1. */
  spikeMin: number;
  /** Seeding of BS-KMQ's free levels: `random` (Forgy, as the `kmeans` baseline) or `plusplus`. */
  bsInit: BsInit;
  /** Low boundary L; `null` means the data's finite minimum. */
  low: number | null;
  /** High boundary U; `null` means the data's finite maximum. */
  high: number | null;
}

export const DEFAULT_PARAMS: Readonly<Params> = Object.freeze({
  bits: 3,
  methods: [...METHODS],
  focus: 'bskmq',
  seed: 0,
  restarts: 4,
  suppressMode: 'band',
  bandLow: 0,
  bandHigh: 0,
  pctLow: 1,
  pctHigh: 1,
  suppressWeight: 0,
  pin: 'auto',
  spikeMin: 0.01,
  bsInit: 'plusplus',
  low: null,
  high: null,
}) as Readonly<Params>;

/** The order in which parameters are listed everywhere (report `params`, URL, UI). */
export const PARAM_KEYS = [
  'bits',
  'methods',
  'focus',
  'seed',
  'restarts',
  'suppressMode',
  'bandLow',
  'bandHigh',
  'pctLow',
  'pctHigh',
  'suppressWeight',
  'pin',
  'spikeMin',
  'bsInit',
  'low',
  'high',
] as const satisfies readonly (keyof Params)[];

export type ParamKey = (typeof PARAM_KEYS)[number];

/** What every design except the optimum reads besides `bits` (the K-means seeds, their restarts, the boundaries). */
export const SHARED_DESIGN_KEYS = ['seed', 'restarts', 'low', 'high'] as const satisfies readonly ParamKey[];
/** The BS-KMQ settings: only the `bskmq` design reads them. */
export const BSKMQ_KEYS = [
  'suppressMode',
  'bandLow',
  'bandHigh',
  'pctLow',
  'pctHigh',
  'suppressWeight',
  'pin',
  'spikeMin',
  'bsInit',
] as const satisfies readonly ParamKey[];
/**
 * The BS-KMQ settings the suppression sweep does not vary: the swept pair (`bandLow`/`bandHigh` or
 * `pctLow`/`pctHigh`, see core/curves' sweptKeys) is set to each grid width instead.
 */
export const SWEEP_FIXED_KEYS = [
  'suppressMode',
  'suppressWeight',
  'pin',
  'spikeMin',
  'bsInit',
] as const satisfies readonly ParamKey[];

/**
 * The parameters each method's design reads besides `bits`: a design is fully determined by the
 * point set, `bits` and these values (the optimum by the data alone), so they key every design cache.
 */
export function designReads(method: Method): readonly ParamKey[] {
  if (method === 'optimal') return [];
  return method === 'bskmq' ? [...SHARED_DESIGN_KEYS, ...BSKMQ_KEYS] : SHARED_DESIGN_KEYS;
}

/** The values of `keys` in `p`, in that order (for cache and stage keys). */
export function pickParams(p: Readonly<Params>, keys: readonly (keyof Params)[]): unknown[] {
  return keys.map((k) => p[k]);
}

/**
 * Largest magnitude of a boundary or a sample: below it every range U − L, its square and a sum of
 * 2^40 such squares stay finite in float64, so no MSE, variance or std overflows to Inf or cancels to 0.
 */
export const MAX_MAGNITUDE = 1e140;

/**
 * Why a point set's values are too large to quantize in float64 (null when they are not): its
 * squared errors would overflow.
 */
export function magnitudeIssue(range: { min: number; max: number }): string | null {
  const m = Math.max(Math.abs(range.min), Math.abs(range.max));
  if (!(m > MAX_MAGNITUDE)) return null;
  return `values reach ${m.toPrecision(3)}, beyond ±${MAX_MAGNITUDE}, where squared errors overflow float64: rescale the data (e.g. divide it by ${(10 ** Math.ceil(Math.log10(m) - 10)).toPrecision(1)})`;
}

/** A numeric parameter's allowed range; `integer` ones reject fractions. */
export interface NumericSpec {
  kind: 'number';
  min: number;
  max: number;
  integer: boolean;
  /** True for `low`/`high`, whose `null` means "from the data". */
  nullable?: boolean;
}
export interface EnumSpec {
  kind: 'enum';
  values: readonly string[];
}
export interface MethodListSpec {
  kind: 'methods';
}
export type ParamSpec = NumericSpec | EnumSpec | MethodListSpec;

export const PARAM_SPECS: Record<ParamKey, ParamSpec> = {
  bits: { kind: 'number', min: MIN_BITS, max: MAX_BITS, integer: true },
  methods: { kind: 'methods' },
  focus: { kind: 'enum', values: METHODS },
  seed: { kind: 'number', min: 0, max: 2 ** 32 - 1, integer: true },
  restarts: { kind: 'number', min: 1, max: 64, integer: true },
  suppressMode: { kind: 'enum', values: SUPPRESS_MODES },
  bandLow: { kind: 'number', min: 0, max: 0.5, integer: false },
  bandHigh: { kind: 'number', min: 0, max: 0.5, integer: false },
  pctLow: { kind: 'number', min: 0, max: 50, integer: false },
  pctHigh: { kind: 'number', min: 0, max: 50, integer: false },
  suppressWeight: { kind: 'number', min: 0, max: 1, integer: false },
  pin: { kind: 'enum', values: PIN_MODES },
  spikeMin: { kind: 'number', min: 0, max: 1, integer: false },
  bsInit: { kind: 'enum', values: BS_INITS },
  low: { kind: 'number', min: -MAX_MAGNITUDE, max: MAX_MAGNITUDE, integer: false, nullable: true },
  high: { kind: 'number', min: -MAX_MAGNITUDE, max: MAX_MAGNITUDE, integer: false, nullable: true },
};

/** One human sentence per parameter: the UI's tooltips and the CLI's help use these. */
export const PARAM_HELP: Record<ParamKey, string> = {
  bits: 'ADC resolution: k = 2^bits codes (1–8).',
  methods: 'Quantizers computed and compared.',
  focus: 'The method drawn in detail (levels, thresholds, references).',
  seed: 'Seed of every random choice; the same seed gives the same levels.',
  restarts: 'K-means runs from different seeds; the lowest-MSE run is kept (kmeans, kmeanspp, bskmq).',
  suppressMode: 'BS-KMQ bands by value (band: fraction of the range) or by sample rank (percentile).',
  bandLow: 'BS-KMQ low band [L, L + bandLow·R]; 0 = exactly the value L.',
  bandHigh: 'BS-KMQ high band [U − bandHigh·R, U]; 0 = exactly the value U.',
  pctLow: 'BS-KMQ percentile mode: the lowest pctLow % of samples by rank.',
  pctHigh: 'BS-KMQ percentile mode: the highest pctHigh % of samples by rank.',
  suppressWeight:
    'Weight of in-band samples while clustering (0 removes them); evaluation always uses the original data.',
  pin: 'Boundary values kept as fixed levels: auto pins a boundary holding ≥ spikeMin of the samples.',
  spikeMin: 'Share of samples exactly at L (or U) that makes pin = auto pin it.',
  bsInit: 'Seeding of BS-KMQ free levels: random (Forgy, as the kmeans baseline) or plusplus (k-means++).',
  low: 'Low boundary L (default: the data minimum).',
  high: 'High boundary U (default: the data maximum).',
};

export interface ParamIssue {
  key: string;
  value: unknown;
  message: string;
}

/** Human description of what a parameter accepts, for error messages ("bits must be an integer in 1–8"). */
export function describeAllowed(key: ParamKey): string {
  const spec = PARAM_SPECS[key];
  switch (spec.kind) {
    case 'number':
      if (spec.nullable) {
        return `${key} must be a number in ±${spec.max}, where squared errors stay finite (or omitted for the data's ${key === 'low' ? 'minimum' : 'maximum'})`;
      }
      return `${key} must be ${spec.integer ? 'an integer' : 'a number'} in ${spec.min}–${spec.max}`;
    case 'enum':
      return `${key} must be one of ${spec.values.join(', ')}`;
    case 'methods':
      return `${key} must be a non-empty list of ${METHODS.join(', ')}`;
  }
}

/**
 * Checks one value against its spec. Returns the accepted value or an issue
 * naming what was allowed. Strings from a URL or the command line are parsed here.
 */
export function parseParamValue(
  key: ParamKey,
  raw: unknown,
): { ok: true; value: unknown } | { ok: false; issue: ParamIssue } {
  const spec = PARAM_SPECS[key];
  const fail = () => ({
    ok: false as const,
    issue: { key, value: raw, message: `${describeAllowed(key)}; got ${JSON.stringify(raw)}` },
  });
  switch (spec.kind) {
    case 'number': {
      if (raw === null || raw === undefined || raw === '') return spec.nullable ? { ok: true, value: null } : fail();
      const v = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(v) || v < spec.min || v > spec.max) return fail();
      if (spec.integer && !Number.isInteger(v)) return fail();
      return { ok: true, value: v };
    }
    case 'enum': {
      if (typeof raw !== 'string' || !spec.values.includes(raw)) return fail();
      return { ok: true, value: raw };
    }
    case 'methods': {
      const list = Array.isArray(raw)
        ? raw
        : typeof raw === 'string'
          ? raw
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : null;
      if (!list || list.length === 0) return fail();
      const set = new Set<string>();
      for (const m of list) {
        if (typeof m !== 'string' || !(METHODS as readonly string[]).includes(m)) return fail();
        set.add(m);
      }
      // Fixed order (METHODS order), no duplicates: the same set always encodes the same way.
      return { ok: true, value: METHODS.filter((m) => set.has(m)) };
    }
  }
}

/**
 * Validates a partial parameter object (from `setParams`, a URL or the CLI).
 * Unknown keys and invalid values are reported; valid ones are merged over `base`.
 * Never throws.
 */
export function mergeParams(
  base: Readonly<Params>,
  partial: Record<string, unknown>,
): { params: Params; issues: ParamIssue[] } {
  const params: Params = { ...base, methods: [...base.methods] };
  const issues: ParamIssue[] = [];
  for (const [key, raw] of Object.entries(partial)) {
    if (!(PARAM_KEYS as readonly string[]).includes(key)) {
      issues.push({ key, value: raw, message: `unknown parameter "${key}"; known: ${PARAM_KEYS.join(', ')}` });
      continue;
    }
    const r = parseParamValue(key as ParamKey, raw);
    if (r.ok) (params as unknown as Record<string, unknown>)[key] = r.value;
    else issues.push(r.issue);
  }
  return { params, issues };
}

/** Params as a plain JSON object in PARAM_KEYS order (the report's `params`). */
export function paramsToJSON(p: Readonly<Params>): Record<ParamKey, unknown> {
  const out = {} as Record<ParamKey, unknown>;
  for (const k of PARAM_KEYS) out[k] = k === 'methods' ? [...p.methods] : p[k];
  return out;
}

/** Number of codes of a `bits`-bit quantizer. */
/**
 * The one of `items` (a report's results, or methods) that a single-method view shows: the focused
 * method if present, else bskmq if present, else the first.
 */
export function focusedAmong<T extends { method: string }>(items: readonly T[], focus: Method): T | undefined {
  return items.find((r) => r.method === focus) ?? items.find((r) => r.method === 'bskmq') ?? items[0];
}

export function codesOf(bits: number): number {
  return 2 ** bits;
}
