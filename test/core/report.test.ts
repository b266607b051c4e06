import { describe, expect, it } from 'vitest';
import { generate } from '../../src/core/generators';
import { DEFAULT_PARAMS, PARAM_KEYS, type Params } from '../../src/core/params';
import { buildExactPointSet } from '../../src/core/pointset';
import { designReport, inputInfo } from '../../src/core/report';

const SOURCE = { file: 'relu.npy', tensor: null, shape: [4000], dtype: 'float32' };
const INPUT_KEYS = [
  'file',
  'tensor',
  'shape',
  'dtype',
  'count',
  'nonFinite',
  'min',
  'max',
  'mean',
  'std',
  'spikeLow',
  'spikeHigh',
];
const RESULT_KEYS = [
  'method',
  'bits',
  'levels',
  'thresholds',
  'mse',
  'rmse',
  'nmse',
  'sqnrDb',
  'mseInterior',
  'mseBoundary',
  'vsOptimal',
  'levelsUsed',
  'entropyBits',
  'bitsEquivalent',
  'seconds',
];

function withoutSeconds(json: string): unknown {
  const r = JSON.parse(json);
  for (const x of r.results) delete x.seconds;
  return r;
}

describe('report', () => {
  const data = generate('relu6', { n: 4000, seed: 1 });
  const ps = buildExactPointSet(data);
  const params: Params = { ...DEFAULT_PARAMS, methods: [...DEFAULT_PARAMS.methods] };

  it('has exactly the keys of the report schema (plus bitsEquivalent), in order', () => {
    const r = designReport(ps, inputInfo(ps, SOURCE, params), params, [2, 3]);
    expect(Object.keys(r)).toEqual(['input', 'pointSet', 'params', 'results']);
    expect(Object.keys(r.input)).toEqual(INPUT_KEYS);
    expect(Object.keys(r.pointSet)).toEqual(['mode', 'points']);
    expect(Object.keys(r.params)).toEqual([...PARAM_KEYS]);
    expect(r.results.length).toBe(2 * 7);
    for (const x of r.results) expect(Object.keys(x)).toEqual(RESULT_KEYS);
    expect(r.results.map((x) => `${x.bits}:${x.method}`).slice(0, 8)).toEqual([
      '2:linear',
      '2:cdf',
      '2:lloydmax',
      '2:kmeans',
      '2:kmeanspp',
      '2:bskmq',
      '2:optimal',
      '3:linear',
    ]);
    expect(r.input.count).toBe(4000);
    expect(r.pointSet).toEqual({ mode: 'exact', points: ps.x.length });
    expect(r.results[0].levels.length).toBe(4);
    expect(r.results[0].thresholds.length).toBe(3);
  });

  it('is deterministic: two calls give identical JSON except seconds', () => {
    const a = JSON.stringify(designReport(ps, inputInfo(ps, SOURCE, params), params, [1, 3, 5]));
    const b = JSON.stringify(designReport(ps, inputInfo(ps, SOURCE, params), params, [1, 3, 5]));
    expect(withoutSeconds(a)).toEqual(withoutSeconds(b));
  });

  it('computes vsOptimal against the optimum even when optimal is not among the methods', () => {
    const only: Params = { ...params, methods: ['linear', 'kmeans'] };
    const withOpt = designReport(ps, inputInfo(ps, SOURCE, params), params, [3]).results;
    const without = designReport(ps, inputInfo(ps, SOURCE, only), only, [3]).results;
    expect(without.map((x) => x.method)).toEqual(['linear', 'kmeans']);
    const optimal = withOpt.find((x) => x.method === 'optimal')!;
    expect(optimal.vsOptimal).toBe(1);
    for (const x of without) {
      const same = withOpt.find((y) => y.method === x.method)!;
      expect(x.vsOptimal).toBe(same.vsOptimal);
      expect(x.vsOptimal!).toBeCloseTo(x.mse! / optimal.mse!, 12);
      expect(x.vsOptimal!).toBeGreaterThanOrEqual(1);
    }
  });

  it('measures seconds with the injected clock', () => {
    let t = 0;
    const clock = () => (t += 250);
    const r = designReport(
      ps,
      inputInfo(ps, SOURCE, params),
      { ...params, methods: ['linear', 'optimal'] },
      [2],
      clock,
    );
    for (const x of r.results) expect(x.seconds).toBe(0.25);
  });

  it('gives a constant tensor every level at the constant and no NaN or division by zero', () => {
    const flat = buildExactPointSet(new Float32Array(1000).fill(1.5));
    const r = designReport(flat, inputInfo(flat, { ...SOURCE, shape: [10, 100] }, params), params, [1, 3, 8]);
    const text = JSON.stringify(r);
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(r.input).toMatchObject({ count: 1000, min: 1.5, max: 1.5, mean: 1.5, std: 0, spikeLow: 1, spikeHigh: 1 });
    for (const x of r.results) {
      expect(x.levels.every((v) => v === 1.5)).toBe(true);
      expect(x.mse).toBe(0);
      expect(x.nmse).toBe(0);
      expect(x.vsOptimal).toBe(1);
      expect(x.levelsUsed).toBe(1);
      expect(x.entropyBits).toBe(0);
      // An exact quantizer has infinite SQNR: JSON writes it as null.
      expect(x.sqnrDb).toBeNull();
    }
  });

  it('writes NaN and infinite numbers as null and counts non-finite samples', () => {
    const withBad = buildExactPointSet([0, 0, 1, 2, 3, NaN, -Infinity]);
    const info = inputInfo(withBad, SOURCE, params);
    expect(info.count).toBe(7);
    expect(info.nonFinite).toBe(2);
    const r = designReport(withBad, info, { ...params, methods: ['optimal'] }, [2]);
    expect(r.results[0].mse).toBe(0);
    expect(r.results[0].sqnrDb).toBeNull();
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });
});
