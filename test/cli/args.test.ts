import { describe, expect, it } from 'vitest';
import { CliError, camelCase, kebabCase, parseArgs, type FlagSpec } from '../../cli/args';
import { DESIGN_FLAGS, designOptionsFrom, parseBitsList } from '../../cli/designOptions';
import { formatJson } from '../../cli/json';
import { npyHeader } from '../../cli/npyWriter';
import { DEFAULT_PARAMS, PARAM_KEYS } from '../../src/core/params';

const FLAGS: Record<string, FlagSpec> = {
  n: { kind: 'value', help: 'count' },
  low: { kind: 'value', help: 'low' },
  out: { kind: 'value', help: 'output', short: 'o' },
  exact: { kind: 'switch', help: 'exact' },
};

function design(...argv: string[]) {
  return designOptionsFrom(parseArgs(argv, DESIGN_FLAGS, 'design'));
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    return (e as Error).message;
  }
  throw new Error('expected a CliError');
}

describe('parseArgs', () => {
  it('reads --flag value, --flag=value, -o value, switches and positionals in any order', () => {
    const a = parseArgs(['f.npy', '--n', '10', '--low=-2', '-o', 'x.npy', '--exact'], FLAGS, 'test');
    expect(a.positionals).toEqual(['f.npy']);
    expect(Object.fromEntries(a.values)).toEqual({ n: '10', low: '-2', out: 'x.npy' });
    expect([...a.switches]).toEqual(['exact']);
  });

  it('lets a value flag take a negative number as its value', () => {
    expect(parseArgs(['--low', '-1.5'], FLAGS, 'test').values.get('low')).toBe('-1.5');
  });

  it('rejects an unknown flag, naming it and the known ones', () => {
    const msg = errorOf(() => parseArgs(['--bogus', '1'], FLAGS, 'test'));
    expect(msg).toContain('--bogus');
    expect(msg).toContain('--n');
  });

  it('rejects a value flag without a value and a switch given a value', () => {
    expect(errorOf(() => parseArgs(['--n'], FLAGS, 'test'))).toContain('--n needs a value');
    expect(errorOf(() => parseArgs(['--exact=1'], FLAGS, 'test'))).toContain('--exact takes no value');
  });

  it('converts between kebab-case flags and camelCase parameter names both ways', () => {
    for (const key of PARAM_KEYS) expect(camelCase(kebabCase(key))).toBe(key);
    expect(kebabCase('suppressWeight')).toBe('suppress-weight');
  });
});

describe('parseBitsList', () => {
  it('accepts a single width, a range, a list and mixes, sorted and without duplicates', () => {
    expect(parseBitsList('3')).toEqual([3]);
    expect(parseBitsList('2-8')).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(parseBitsList('4,2')).toEqual([2, 4]);
    expect(parseBitsList('1-3,2,6')).toEqual([1, 2, 3, 6]);
  });

  it('rejects widths outside 1–8 with the allowed range', () => {
    for (const bad of ['0', '9', '2-9', '1.5', 'x', '', '3,']) {
      expect(errorOf(() => parseBitsList(bad))).toBe(`--bits ${bad}: bits must be an integer in 1–8`);
    }
  });

  it('rejects a reversed range', () => {
    expect(errorOf(() => parseBitsList('8-2'))).toContain('LOW-HIGH');
  });
});

describe('designOptionsFrom', () => {
  it('defaults to every method at bits 1–8 with the contract defaults', () => {
    const o = design('f.npy');
    expect(o.bitsList).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(o.params).toEqual({ ...DEFAULT_PARAMS, bits: 1 });
    expect(o.mode).toBe('auto');
  });

  it('maps every kebab-case flag onto its parameter', () => {
    const o = design(
      'f.npy',
      '--methods',
      'optimal,bskmq',
      '--seed',
      '7',
      '--restarts',
      '2',
      '--suppress-mode',
      'percentile',
      '--band-low',
      '0.1',
      '--band-high',
      '0',
      '--pct-low',
      '5',
      '--pct-high',
      '2.5',
      '--suppress-weight',
      '0.25',
      '--pin',
      'low',
      '--spike-min',
      '0.2',
      '--bs-init',
      'plusplus',
      '--low',
      '-1',
      '--high',
      '6',
      '--binned',
    );
    expect(o.params).toMatchObject({
      methods: ['bskmq', 'optimal'],
      seed: 7,
      restarts: 2,
      suppressMode: 'percentile',
      bandLow: 0.1,
      bandHigh: 0,
      pctLow: 5,
      pctHigh: 2.5,
      suppressWeight: 0.25,
      pin: 'low',
      spikeMin: 0.2,
      bsInit: 'plusplus',
      low: -1,
      high: 6,
    });
    expect(o.mode).toBe('binned');
  });

  it('rejects out-of-range values with the allowed range', () => {
    expect(errorOf(() => design('f.npy', '--band-low', '0.7'))).toBe(
      '--band-low 0.7: bandLow must be a number in 0–0.5',
    );
    expect(errorOf(() => design('f.npy', '--pin', 'top'))).toBe(
      '--pin top: pin must be one of auto, both, low, high, none',
    );
    expect(errorOf(() => design('f.npy', '--methods', 'kmeans,foo'))).toContain('methods must be a non-empty list of');
    expect(errorOf(() => design('f.npy', '--restarts', '0'))).toBe('--restarts 0: restarts must be an integer in 1–64');
  });

  it('rejects contradictory options and a missing or extra FILE', () => {
    expect(errorOf(() => design('f.npy', '--low', '2', '--high', '1'))).toContain('low must be below high');
    expect(errorOf(() => design('f.npy', '--exact', '--binned'))).toContain('exclude each other');
    expect(errorOf(() => design())).toContain('expected a FILE');
    expect(errorOf(() => design('a.npy', 'b.npy'))).toContain('expected one FILE');
    expect(errorOf(() => design('f.npy', '--byte-order', 'big'))).toContain('only applies with --raw-dtype');
  });
});

describe('formatJson', () => {
  it('parses back to what JSON.stringify gives, with non-finite numbers as null', () => {
    const value = { a: [1, 2.5, NaN], b: { c: [{ d: Infinity }, { e: 'x' }], f: [] }, g: new Float64Array([0.5, -1]) };
    const expected = { a: [1, 2.5, null], b: { c: [{ d: null }, { e: 'x' }], f: [] }, g: [0.5, -1] };
    expect(JSON.parse(formatJson(value))).toEqual(expected);
  });
});

describe('npyHeader', () => {
  it('writes the v1.0 magic and a header padded so data start on a 64-byte boundary', () => {
    const h = npyHeader([1000]);
    expect(h.length % 64).toBe(0);
    expect(Array.from(h.subarray(0, 8))).toEqual([0x93, 78, 85, 77, 80, 89, 1, 0]);
    expect(h[8] | (h[9] << 8)).toBe(h.length - 10);
    const text = new TextDecoder().decode(h.subarray(10));
    expect(text).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(1000,\), \} *\n$/);
  });
});
