/**
 * The URL as an explicit, versioned codec of the parameter, data-source and display
 * slices (docs/definitions.md, Shareable state). Pure: no window, no store.
 *
 * - Short stable keys, fixed order (KEY_ORDER), defaults omitted, `v` = codec version.
 * - Numbers are written with `String(n)`, the shortest text that reads back to the same
 *   double, so a link reproduces the levels to the last digit.
 * - Invalid or unknown values never throw: they fall back to defaults and come back
 *   as `issues`, which the app shows as a notice.
 */
import { DEFAULT_PARAMS, METHODS, PARAM_KEYS, mergeParams, type ParamKey, type Params } from '../core/params';
import { SIGMA_UNITS } from '../core/adc';
import { ADC_OPTION_LABELS, adcOptionAccepts, adcOptionAllowed, type AdcOptionKey } from '../core/adcOptions';
import {
  ADC_DISPLAY_KEYS,
  DEFAULT_DISPLAY,
  ERROR_SCALES,
  MAX_BIN_COUNT,
  MIN_BIN_COUNT,
  THEMES,
  type DataSource,
  type Display,
  type GeneratorSpec,
} from './types';

export const CODEC_VERSION = 1;

/** Long parameter name → URL key. Never change a key: old links must keep working. */
export const PARAM_URL_KEYS: Record<ParamKey, string> = {
  bits: 'b',
  methods: 'm',
  focus: 'fo',
  seed: 's',
  restarts: 'r',
  suppressMode: 'sm',
  bandLow: 'bl',
  bandHigh: 'bh',
  pctLow: 'pl',
  pctHigh: 'ph',
  suppressWeight: 'sw',
  pin: 'pn',
  spikeMin: 'sp',
  bsInit: 'bi',
  low: 'lo',
  high: 'hi',
};

export const DISPLAY_URL_KEYS: Record<keyof Display, string> = {
  log: 'lg',
  binCount: 'nb',
  zoom: 'z',
  theme: 'th',
  errorScale: 'es',
  adcGridBits: 'ag',
  adcSigma: 'as',
  adcSigmaOf: 'ao',
  adcTrials: 'at',
  adcMinSpacing: 'am',
};

/**
 * Keys that are not state but page switches, kept as they are: `anim=0` turns animations off,
 * `present=step` opens the step-through's presentation mode (see `presentationOf`), `net=digits` opens a
 * built-in demo network in the Network panel (see `networkOf`); the data it captures comes with `file=`.
 */
export const PASSTHROUGH_KEYS = ['anim', 'present', 'net'] as const;

/** Built-in demo networks a link can open with `net=NAME` (the Network panel's models under public/networks/). */
export const NETWORKS = ['digits'] as const;
export type NetworkName = (typeof NETWORKS)[number];

/** The demo network a query asks for (`net=digits`), or null (also for unknown names, with `issue` set). */
export function networkOf(search: string): { net: NetworkName | null; issue: string | null } {
  const v = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search).get('net');
  if (v === null) return { net: null, issue: null };
  if ((NETWORKS as readonly string[]).includes(v)) return { net: v as NetworkName, issue: null };
  return { net: null, issue: `Unknown network "${v}"; known: ${NETWORKS.join(', ')}.` };
}

/** The presentation modes a link can open. */
export const PRESENTATIONS = ['step'] as const;
export type Presentation = (typeof PRESENTATIONS)[number];

/** The presentation mode a query asks for (`present=step`), or null for the normal page (also for unknown values). */
export function presentationOf(search: string): Presentation | null {
  const v = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search).get('present');
  return v !== null && (PRESENTATIONS as readonly string[]).includes(v) ? (v as Presentation) : null;
}

/** Generator options are written as `g.<option>` right after `g`. */
const GEN_PREFIX = 'g.';

export interface UrlState {
  params: Params;
  source: DataSource;
  display: Display;
}

export interface DecodeResult extends UrlState {
  /** One human sentence per ignored key or value. */
  issues: string[];
}

/** The catalogue of generators and which one the page opens on. */
export interface CodecContext {
  generators: readonly GeneratorSpec[];
  defaultGenerator: string;
}

/** Full option values of a generator: its defaults overridden by `given` (unchecked). */
export function generatorDefaults(spec: GeneratorSpec): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of spec.params) out[p.name] = p.default;
  return out;
}

export function defaultSource(ctx: CodecContext): DataSource {
  const spec = ctx.generators.find((g) => g.name === ctx.defaultGenerator) ?? ctx.generators[0];
  return spec
    ? { kind: 'generator', name: spec.name, options: generatorDefaults(spec) }
    : { kind: 'generator', name: ctx.defaultGenerator, options: {} };
}

export function defaultUrlState(ctx: CodecContext): UrlState {
  return {
    params: { ...DEFAULT_PARAMS, methods: [...DEFAULT_PARAMS.methods] },
    source: defaultSource(ctx),
    display: { ...DEFAULT_DISPLAY },
  };
}

/** A lone UTF-16 surrogate: valid in a JavaScript string (a file may name a tensor so), not in a URL. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The tensor's link part: `t=<name>`, or for a name a URL cannot hold (a lone surrogate) `tj=` with the
 * name as a JSON string, whose `\uXXXX` escapes are plain ASCII and read back to the same name.
 */
function tensorPart(name: string): [string, string] {
  return LONE_SURROGATE.test(name) ? ['tj', JSON.stringify(name)] : ['t', name];
}

/** The tensor a link names (`t=` or `tj=`); null if none, with an issue for an unreadable `tj=`. */
function tensorOf(t: string | null, tj: string | null, issues: string[]): string | null {
  if (tj === null) return t;
  try {
    const name: unknown = JSON.parse(tj);
    if (typeof name === 'string') return name;
  } catch {
    // reported below
  }
  issues.push('tj (tensor) is not a JSON string; ignored.');
  return t;
}

function enc(value: string): string {
  // Commas and colons are legal in a query and keep lists readable.
  return encodeURIComponent(value).replace(/%2C/gi, ',').replace(/%3A/gi, ':');
}

/** Shortest round-trip text of a number; keeps the sign of −0, which String() drops. */
function numText(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

function paramText(key: ParamKey, value: Params[ParamKey]): string {
  if (key === 'methods') return (value as Params['methods']).join(',');
  return typeof value === 'number' ? numText(value) : String(value);
}

function sameParam(key: ParamKey, a: Params[ParamKey], b: Params[ParamKey]): boolean {
  if (key === 'methods') {
    const x = a as Params['methods'],
      y = b as Params['methods'];
    return x.length === y.length && x.every((m, i) => m === y[i]);
  }
  return Object.is(a, b) || a === b;
}

/**
 * The query string (without `?`) for a state; '' for the default view.
 * Keys appear in a fixed order: v, data source, parameters (PARAM_KEYS order), display.
 */
export function encodeUrlState(state: UrlState, ctx: CodecContext): string {
  const parts: [string, string][] = [];
  const src = state.source;
  if (src.kind === 'generator') {
    const spec = ctx.generators.find((g) => g.name === src.name);
    if (src.name !== ctx.defaultGenerator) parts.push(['g', src.name]);
    for (const p of spec?.params ?? []) {
      const v = src.options[p.name];
      if (v !== undefined && !Object.is(v, p.default)) parts.push([GEN_PREFIX + p.name, numText(v)]);
    }
  } else if (src.kind === 'url') {
    parts.push(['src', src.url]);
    if (src.tensor !== null) parts.push(tensorPart(src.tensor));
  } else {
    parts.push(['file', src.name]);
    if (src.sha256) parts.push(['sha', src.sha256]);
    if (src.tensor !== null) parts.push(tensorPart(src.tensor));
  }
  for (const key of PARAM_KEYS) {
    const v = state.params[key];
    if (!sameParam(key, v, DEFAULT_PARAMS[key])) parts.push([PARAM_URL_KEYS[key], paramText(key, v)]);
  }
  const d = state.display;
  if (d.log !== DEFAULT_DISPLAY.log) parts.push([DISPLAY_URL_KEYS.log, d.log ? '1' : '0']);
  if (d.binCount !== DEFAULT_DISPLAY.binCount) parts.push([DISPLAY_URL_KEYS.binCount, String(d.binCount)]);
  if (d.zoom) parts.push([DISPLAY_URL_KEYS.zoom, `${numText(d.zoom[0])},${numText(d.zoom[1])}`]);
  if (d.theme !== DEFAULT_DISPLAY.theme) parts.push([DISPLAY_URL_KEYS.theme, d.theme]);
  if (d.errorScale !== DEFAULT_DISPLAY.errorScale) parts.push([DISPLAY_URL_KEYS.errorScale, d.errorScale]);
  for (const key of Object.keys(ADC_DISPLAY_KEYS) as AdcOptionKey[]) {
    const field = ADC_DISPLAY_KEYS[key];
    const v = d[field];
    if (!Object.is(v, DEFAULT_DISPLAY[field]))
      parts.push([DISPLAY_URL_KEYS[field], typeof v === 'number' ? numText(v) : v]);
  }
  if (parts.length === 0) return '';
  return [['v', String(CODEC_VERSION)], ...parts].map(([k, v]) => `${k}=${enc(v)}`).join('&');
}

const PARAM_BY_URL_KEY = new Map<string, ParamKey>(PARAM_KEYS.map((k) => [PARAM_URL_KEYS[k], k]));

function finiteNumber(text: string): number | null {
  if (text.trim() === '') return null;
  const v = Number(text);
  return Number.isFinite(v) ? v : null;
}

/** Reads a query string (with or without `?`). Never throws. */
export function decodeUrlState(search: string, ctx: CodecContext): DecodeResult {
  const state = defaultUrlState(ctx);
  const issues: string[] = [];
  const q = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const seen = new Set<string>();
  const get = (key: string): string | null => {
    seen.add(key);
    return q.get(key);
  };

  const version = get('v');
  if (version !== null && version !== String(CODEC_VERSION)) {
    issues.push(`Link version "${version}" is not known; read it as version ${CODEC_VERSION}.`);
  }

  // Data source: src= wins over file=, which wins over a generator.
  const srcUrl = get('src');
  const fileName = get('file');
  const sha = get('sha');
  const tensor = tensorOf(get('t'), get('tj'), issues);
  const genName = get('g');
  if (srcUrl !== null && srcUrl.trim() !== '') {
    state.source = { kind: 'url', url: srcUrl.trim(), tensor };
  } else if (fileName !== null && fileName !== '') {
    let hash: string | null = null;
    if (sha !== null) {
      if (/^[0-9a-f]{8,64}$/i.test(sha)) hash = sha.toLowerCase();
      else issues.push(`sha must be a hexadecimal SHA-256 prefix; got ${JSON.stringify(sha)} (hash check skipped).`);
    }
    state.source = { kind: 'file', name: fileName, sha256: hash, tensor };
  } else {
    let spec = ctx.generators.find((g) => g.name === (genName ?? ctx.defaultGenerator));
    if (!spec) {
      if (genName !== null) {
        issues.push(
          `Unknown generator "${genName}"; known: ${ctx.generators.map((g) => g.name).join(', ')}. Using ${ctx.defaultGenerator}.`,
        );
      }
      spec = ctx.generators.find((g) => g.name === ctx.defaultGenerator);
    }
    if (spec) {
      const options = generatorDefaults(spec);
      for (const p of spec.params) {
        const text = get(GEN_PREFIX + p.name);
        if (text === null) continue;
        const v = finiteNumber(text);
        if (v === null || v < p.min || v > p.max || (p.integer && !Number.isInteger(v))) {
          issues.push(
            `${spec.name} option ${p.name} must be ${p.integer ? 'an integer' : 'a number'} in ${p.min}–${p.max}; got ${JSON.stringify(text)} (using ${p.default}).`,
          );
        } else options[p.name] = v;
      }
      state.source = { kind: 'generator', name: spec.name, options };
    }
  }
  if (tensor !== null && state.source.kind === 'generator')
    issues.push('t (tensor) only applies to a file or src=; ignored.');

  // Parameters: validated by the core's one options contract.
  const partial: Record<string, unknown> = {};
  for (const [urlKey, key] of PARAM_BY_URL_KEY) {
    const text = get(urlKey);
    if (text !== null) partial[key] = text;
  }
  const merged = mergeParams(DEFAULT_PARAMS, partial);
  state.params = merged.params;
  for (const issue of merged.issues) issues.push(`${issue.message} (using ${defaultText(issue.key as ParamKey)}).`);

  // Display.
  const d = state.display;
  const lg = get(DISPLAY_URL_KEYS.log);
  if (lg !== null) {
    if (lg === '1' || lg === '0') d.log = lg === '1';
    else issues.push(`lg (log counts) must be 0 or 1; got ${JSON.stringify(lg)}.`);
  }
  const nb = get(DISPLAY_URL_KEYS.binCount);
  if (nb !== null) {
    const v = finiteNumber(nb);
    if (v !== null && Number.isInteger(v) && v >= MIN_BIN_COUNT && v <= MAX_BIN_COUNT) d.binCount = v;
    else
      issues.push(`nb (bin count) must be an integer in ${MIN_BIN_COUNT}–${MAX_BIN_COUNT}; got ${JSON.stringify(nb)}.`);
  }
  const z = get(DISPLAY_URL_KEYS.zoom);
  if (z !== null) {
    const [a, b, ...rest] = z.split(',').map((s) => finiteNumber(s));
    if (rest.length === 0 && a !== null && a !== undefined && b !== null && b !== undefined && a < b) d.zoom = [a, b];
    else issues.push(`z (zoom) must be two increasing numbers "lo,hi"; got ${JSON.stringify(z)}.`);
  }
  const th = get(DISPLAY_URL_KEYS.theme);
  if (th !== null) {
    if ((THEMES as readonly string[]).includes(th)) d.theme = th as Display['theme'];
    else issues.push(`th (theme) must be one of ${THEMES.join(', ')}; got ${JSON.stringify(th)}.`);
  }
  const es = get(DISPLAY_URL_KEYS.errorScale);
  if (es !== null) {
    if ((ERROR_SCALES as readonly string[]).includes(es)) d.errorScale = es as Display['errorScale'];
    else issues.push(`es (error scale) must be one of ${ERROR_SCALES.join(', ')}; got ${JSON.stringify(es)}.`);
  }
  decodeAdcSettings(get, d, issues);

  for (const key of new Set(q.keys())) {
    if (seen.has(key) || (PASSTHROUGH_KEYS as readonly string[]).includes(key)) continue;
    if (key.startsWith(GEN_PREFIX) && state.source.kind === 'generator') {
      issues.push(`Generator ${state.source.name} has no option "${key.slice(GEN_PREFIX.length)}"; ignored.`);
    } else issues.push(`Unknown link key "${key}"; ignored.`);
  }
  return { ...state, issues };
}

/** The ADC view's settings (keys ag, as, ao, at, am); an invalid value keeps the default and adds an issue. */
function decodeAdcSettings(get: (key: string) => string | null, d: Display, issues: string[]): void {
  for (const key of Object.keys(ADC_DISPLAY_KEYS) as AdcOptionKey[]) {
    const field = ADC_DISPLAY_KEYS[key];
    const text = get(DISPLAY_URL_KEYS[field]);
    if (text === null) continue;
    const v = key === 'sigmaOf' ? text : finiteNumber(text);
    if (
      key === 'sigmaOf'
        ? (SIGMA_UNITS as readonly string[]).includes(text)
        : v !== null && adcOptionAccepts(key, v as number)
    ) {
      (d as unknown as Record<string, unknown>)[field] = v;
    } else {
      issues.push(
        `${DISPLAY_URL_KEYS[field]} (${ADC_OPTION_LABELS[key]}) must be ${adcOptionAllowed(key)}; ` +
          `got ${JSON.stringify(text)} (using ${DEFAULT_DISPLAY[field]}).`,
      );
    }
  }
}

function defaultText(key: ParamKey): string {
  const v = DEFAULT_PARAMS[key];
  if (key === 'methods') return (v as readonly string[]).length === METHODS.length ? 'all methods' : String(v);
  return v === null ? 'the data' : String(v);
}
