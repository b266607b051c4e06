import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BS_INITS, DEFAULT_PARAMS, METHODS, PIN_MODES, SUPPRESS_MODES, type Params } from '../../src/core/params';
import { GENERATOR_SPECS, DEFAULT_GENERATOR } from '../../src/compute/generatorCatalog';
import {
  decodeUrlState,
  defaultUrlState,
  encodeUrlState,
  presentationOf,
  type CodecContext,
  type UrlState,
} from '../../src/state/urlCodec';
import { DEFAULT_DISPLAY, type DataSource, type Display } from '../../src/state/types';

const ctx: CodecContext = { generators: GENERATOR_SPECS, defaultGenerator: DEFAULT_GENERATOR };

const double = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

const paramsArb: fc.Arbitrary<Params> = fc.record({
  bits: fc.integer({ min: 1, max: 8 }),
  methods: fc.subarray([...METHODS], { minLength: 1 }),
  focus: fc.constantFrom(...METHODS),
  seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  restarts: fc.integer({ min: 1, max: 64 }),
  suppressMode: fc.constantFrom(...SUPPRESS_MODES),
  bandLow: double(0, 0.5),
  bandHigh: double(0, 0.5),
  pctLow: double(0, 50),
  pctHigh: double(0, 50),
  suppressWeight: double(0, 1),
  pin: fc.constantFrom(...PIN_MODES),
  spikeMin: double(0, 1),
  bsInit: fc.constantFrom(...BS_INITS),
  low: fc.option(double(-1e6, 1e6), { nil: null }),
  high: fc.option(double(-1e6, 1e6), { nil: null }),
});

const displayArb: fc.Arbitrary<Display> = fc.record({
  log: fc.boolean(),
  binCount: fc.integer({ min: 8, max: 1000 }),
  zoom: fc.option(
    fc.tuple(double(-1e3, 1e3), double(-1e3, 1e3)).filter(([a, b]) => a < b),
    { nil: null },
  ),
  theme: fc.constantFrom('auto' as const, 'light' as const, 'dark' as const),
  errorScale: fc.constantFrom('mse' as const, 'sqnr' as const),
  adcGridBits: fc.integer({ min: 1, max: 24 }),
  adcSigma: double(0, 10),
  adcSigmaOf: fc.constantFrom('range' as const, 'step' as const),
  adcTrials: fc.integer({ min: 1, max: 10000 }),
  adcMinSpacing: double(0, 1),
});

const sourceArb: fc.Arbitrary<DataSource> = fc.oneof(
  fc.constantFrom(...GENERATOR_SPECS).chain((g) =>
    fc
      .tuple(
        ...g.params.map((p) =>
          p.integer ? fc.integer({ min: p.min, max: Math.min(p.max, 2 ** 31) }) : double(p.min, p.max),
        ),
      )
      .map((values) => ({
        kind: 'generator' as const,
        name: g.name,
        options: Object.fromEntries(g.params.map((p, i) => [p.name, values[i]])),
      })),
  ),
  fc.record({
    kind: fc.constant('url' as const),
    url: fc.webUrl(),
    tensor: fc.option(fc.string({ minLength: 1 }), { nil: null }),
  }),
  fc.record({
    kind: fc.constant('file' as const),
    name: fc.string({ minLength: 1 }),
    sha256: fc.option(fc.stringMatching(/^[0-9a-f]{16}$/), { nil: null }),
    tensor: fc.option(fc.string({ minLength: 1 }), { nil: null }),
  }),
);

describe('urlCodec', () => {
  it('encodes the default view as an empty query', () => {
    expect(encodeUrlState(defaultUrlState(ctx), ctx)).toBe('');
  });

  it('opens an empty query on the ReLU6 generator at 3 bits with all methods and focus bskmq', () => {
    const d = decodeUrlState('', ctx);
    expect(d.issues).toEqual([]);
    expect(d.source.kind === 'generator' && d.source.name).toBe('relu6');
    expect(d.params).toEqual(DEFAULT_PARAMS);
    expect(d.params.methods).toEqual([...METHODS]);
    expect(d.params.focus).toBe('bskmq');
    expect(d.display).toEqual(DEFAULT_DISPLAY);
  });

  it('round-trips every valid state exactly (numbers to the last digit), with no issues', () => {
    fc.assert(
      fc.property(paramsArb, displayArb, sourceArb, (params, display, source) => {
        const state: UrlState = { params, display, source };
        const q = encodeUrlState(state, ctx);
        const back = decodeUrlState(q, ctx);
        expect(back.issues).toEqual([]);
        expect(back.params).toEqual(params);
        expect(back.display).toEqual(display);
        expect(back.source).toEqual(source);
        expect(encodeUrlState(back, ctx)).toBe(q);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('omits defaults and writes keys in a fixed order with a version', () => {
    const s = defaultUrlState(ctx);
    const q = encodeUrlState(
      { ...s, params: { ...s.params, high: 6, bits: 4, bandLow: 0.05 }, display: { ...s.display, log: true } },
      ctx,
    );
    expect(q).toBe('v=1&b=4&bl=0.05&hi=6&lg=1');
  });

  it('replaces garbage with defaults and reports every bad key, never throwing', () => {
    const d = decodeUrlState(
      '?v=9&b=99&m=linear,nope&fo=xx&bl=-1&pn=sideways&nb=3&z=5,1&th=pink&es=db&zz=1&g=nosuch',
      ctx,
    );
    expect(d.params).toEqual(DEFAULT_PARAMS);
    expect(d.display).toEqual(DEFAULT_DISPLAY);
    expect(d.source.kind === 'generator' && d.source.name).toBe('relu6');
    const text = d.issues.join('\n');
    for (const word of [
      'version',
      'bits',
      'methods',
      'focus',
      'bandLow',
      'pin',
      'nb',
      'z (zoom)',
      'th',
      'es',
      '"zz"',
      'nosuch',
    ]) {
      expect(text).toContain(word);
    }
  });

  it('never throws and always yields valid params for arbitrary query strings', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.dictionary(fc.constantFrom('b', 'm', 'bl', 'lo', 'z', 'g', 'g.n', 'src', 'file', 'sha', 't'), fc.string()),
        (raw, dict) => {
          const q = raw + '&' + new URLSearchParams(dict).toString();
          const d = decodeUrlState(q, ctx);
          expect(d.params.bits).toBeGreaterThanOrEqual(1);
          expect(d.params.bits).toBeLessThanOrEqual(8);
          expect(d.params.methods.length).toBeGreaterThan(0);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('keeps a valid value when a neighbouring one is invalid', () => {
    const d = decodeUrlState('b=5&bh=2', ctx);
    expect(d.params.bits).toBe(5);
    expect(d.params.bandHigh).toBe(DEFAULT_PARAMS.bandHigh);
    expect(d.issues).toHaveLength(1);
  });

  it('carries an uploaded file as name + hash prefix, and a remote file as src', () => {
    const s = defaultUrlState(ctx);
    const q = encodeUrlState(
      { ...s, source: { kind: 'file', name: 'acts.npz', sha256: '0123abcd0123abcd', tensor: 'layer1' } },
      ctx,
    );
    expect(q).toBe('v=1&file=acts.npz&sha=0123abcd0123abcd&t=layer1');
    const r = decodeUrlState('src=https%3A%2F%2Fexample.org%2Fa.npy', ctx);
    expect(r.source).toEqual({ kind: 'url', url: 'https://example.org/a.npy', tensor: null });
  });

  it('encodes a tensor name with a lone surrogate as tj= and reads the same name back, without throwing', () => {
    const s = defaultUrlState(ctx);
    for (const tensor of ['\ud800x', 'a\udc00', 'ok\ud83d\ude00\ud800']) {
      const q = encodeUrlState({ ...s, source: { kind: 'file', name: 'x.safetensors', sha256: null, tensor } }, ctx);
      expect(q).toContain('tj=');
      expect(() => encodeURI(q)).not.toThrow();
      const r = decodeUrlState(q, ctx);
      expect(r.issues).toEqual([]);
      expect(r.source).toMatchObject({ kind: 'file', tensor });
    }
    const plain = encodeUrlState(
      { ...s, source: { kind: 'file', name: 'x.npz', sha256: null, tensor: 'emoji\ud83d\ude00' } },
      ctx,
    );
    expect(plain).toContain('t=');
    expect(plain).not.toContain('tj=');
    expect(decodeUrlState('file=x.npz&tj=%7Bnot', ctx).issues).toEqual(['tj (tensor) is not a JSON string; ignored.']);
  });

  it('writes the ADC view settings as short keys after the display keys, defaults omitted', () => {
    const s = defaultUrlState(ctx);
    const display = {
      ...s.display,
      adcGridBits: 5,
      adcSigma: 0.25,
      adcSigmaOf: 'step' as const,
      adcTrials: 50,
      adcMinSpacing: 0,
    };
    const q = encodeUrlState({ ...s, display: { ...display, log: true } }, ctx);
    expect(q).toBe('v=1&lg=1&ag=5&as=0.25&ao=step&at=50&am=0');
    expect(decodeUrlState(q, ctx).display).toEqual({ ...display, log: true });
    expect(encodeUrlState({ ...s, display: { ...s.display, adcGridBits: DEFAULT_DISPLAY.adcGridBits } }, ctx)).toBe('');
  });

  it('keeps the default of each invalid ADC setting and names it in an issue', () => {
    const d = decodeUrlState('ag=0&as=-1&ao=volts&at=2.5&am=2', ctx);
    expect(d.display).toEqual(DEFAULT_DISPLAY);
    const text = d.issues.join('\n');
    for (const key of ['ag (', 'as (', 'ao (', 'at (', 'am (']) expect(text).toContain(key);
    expect(d.issues).toHaveLength(5);
  });

  it('ignores the anim switch without an issue', () => {
    expect(decodeUrlState('anim=0', ctx).issues).toEqual([]);
  });

  it('reads present=step as the step-through presentation, without an issue or a state change', () => {
    expect(presentationOf('?present=step&b=4')).toBe('step');
    expect(presentationOf('b=4')).toBeNull();
    expect(presentationOf('present=slides')).toBeNull();
    const d = decodeUrlState('present=step&b=4', ctx);
    expect(d.issues).toEqual([]);
    expect(d.params.bits).toBe(4);
    expect(encodeUrlState(d, ctx)).toBe('v=1&b=4');
  });
});
