import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesSource,
  FormatError,
  openFile,
  parseSummaryMeta,
  summaryPointSet,
  type SummaryLayer,
} from '../../../src/core/formats';
import { designQuantizer } from '../../../src/core/design';
import { mseOf } from '../../../src/core/metrics';
import { DEFAULT_PARAMS, METHODS } from '../../../src/core/params';
import { buildBinnedPointSet, buildExactPointSet, moments, type PointSet } from '../../../src/core/pointset';

const DIR = join(__dirname, '../../fixtures/summary');
const open = (name: string, as = name) => openFile(bytesSource(as, new Uint8Array(readFileSync(join(DIR, name)))));

/** A reference summary of `values` as the Python writer makes it (same exponent rule, spikes inside bins). */
function referenceSummary(values: number[]): { layer: SummaryLayer; counts: number[]; sum: number[]; sumsq: number[] } {
  const finite = values.filter(Number.isFinite);
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const m = Math.max(Math.abs(min), Math.abs(max));
  let e = -1074;
  if (m > 0) e = Math.max(e, Math.floor(Math.log2(m)) + 1 - 52);
  while (Math.floor(max / 2 ** e) - Math.floor(min / 2 ** e) + 1 > 1 << 16) e++;
  const w = 2 ** e;
  const offset = Math.floor(min / w);
  const bins = Math.floor(max / w) - offset + 1;
  const counts = new Array<number>(bins).fill(0);
  const sum = new Array<number>(bins).fill(0);
  const sumsq = new Array<number>(bins).fill(0);
  for (const v of finite) {
    const t = v / w;
    const f = Math.floor(t);
    const d = (t - f) * w;
    counts[f - offset]++;
    sum[f - offset] += d;
    sumsq[f - offset] += d * d;
  }
  const nan = values.filter((v) => Number.isNaN(v)).length;
  const layer: SummaryLayer = {
    name: 'ref',
    dtype: 'float64',
    shape: [values.length],
    count: values.length,
    nan,
    posinf: values.filter((v) => v === Infinity).length,
    neginf: values.filter((v) => v === -Infinity).length,
    min,
    max,
    atMin: finite.filter((v) => v === min).length,
    zeros: finite.filter((v) => v === 0).length,
    atMax: finite.filter((v) => v === max).length,
    binExponent: e,
    binOffset: offset,
    bins,
    members: { counts: 'c', sum: 's', sumsq: 'q' },
  };
  return { layer, counts, sum, sumsq };
}

function relClose(a: number, b: number, rel: number): boolean {
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-300);
}

describe('activation summary files (bskmq-summary)', () => {
  it('are recognised by content whatever the file name, one tensor per layer', async () => {
    const opened = await open('layers.npz', 'calibration.dat');
    expect(opened.format).toBe('bskmq-summary');
    expect(opened.tensors).toEqual([
      { name: 'features.1', shape: [4000], dtype: 'float32', count: 4000 },
      { name: 'block.gelu', shape: [3000], dtype: 'float32', count: 3000 },
      { name: 'head.tanh', shape: [2000], dtype: 'float32', count: 2000 },
    ]);
    expect(opened.shouldStream('features.1')).toBe(true);
    await expect(opened.decode('features.1')).rejects.toThrow(/features\.1: is an activation summary/);
  });

  it('give each layer the count, non-finite count, range, moments and spikes of its raw samples', async () => {
    const summary = await open('layers.npz');
    const raw = await open('layers-raw.npz');
    for (const t of summary.tensors) {
      const ps = (await summary.stream(t.name)).pointSet;
      const exact = buildExactPointSet((await raw.decode(t.name)).data);
      expect(ps.mode).toBe('binned');
      expect([ps.n, ps.nonFinite, ps.min, ps.max]).toEqual([exact.n, exact.nonFinite, exact.min, exact.max]);
      const a = moments(ps);
      const b = moments(exact);
      expect(relClose(a.mean, b.mean, 1e-12)).toBe(true);
      expect(relClose(a.variance, b.variance, 1e-10)).toBe(true);
      // The spikes are exact points with exactly their samples.
      expect([ps.x[0], ps.w[0]]).toEqual([exact.x[0], exact.w[0]]);
      const m = ps.x.length,
        k = exact.x.length;
      expect([ps.x[m - 1], ps.w[m - 1]]).toEqual([exact.x[k - 1], exact.w[k - 1]]);
      for (let i = 1; i < m; i++) expect(ps.x[i]).toBeGreaterThanOrEqual(ps.x[i - 1]);
    }
  });

  it('design every method like the binned point set of the raw samples (1e-3 relative MSE)', async () => {
    const summary = await open('layers.npz');
    const raw = await open('layers-raw.npz');
    const params = { ...DEFAULT_PARAMS, seed: 0 };
    let checked = 0;
    for (const name of ['features.1', 'head.tanh']) {
      const ps = (await summary.stream(name)).pointSet;
      const exact = buildExactPointSet((await raw.decode(name)).data);
      for (const method of METHODS) {
        for (const bits of [2, 3]) {
          const e = mseOf(exact, designQuantizer(exact, method, bits, params));
          const s = mseOf(exact, designQuantizer(ps, method, bits, params));
          const binned = buildBinnedPointSet((await raw.decode(name)).data);
          const b = mseOf(exact, designQuantizer(binned, method, bits, params));
          if (Math.abs(b - e) > 1e-3 * e) continue;
          checked++;
          expect(Math.abs(s - e), `${name} ${method} ${bits}`).toBeLessThanOrEqual(1e-3 * e);
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(24);
  });

  it('keep the totals of any samples exactly: the point set of a reference summary (property)', () => {
    const value = fc.oneof(
      fc.constantFrom(0, 6, -1, 1),
      fc.double({ min: -1e3, max: 1e3, noNaN: true }),
      fc.double({ min: -1e-3, max: 1e-3, noNaN: true }),
      fc.constantFrom(NaN, Infinity),
    );
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), (values) => {
        const finite = values.filter(Number.isFinite).map((v) => (v === 0 ? 0 : v));
        fc.pre(finite.length > 0);
        const ref = referenceSummary(values.map((v) => (Object.is(v, -0) ? 0 : v)));
        const ps: PointSet = summaryPointSet('ref.npz', ref.layer, ref);
        const exact = buildExactPointSet(finite);
        expect(ps.n).toBe(exact.n);
        expect(ps.nonFinite).toBe(values.length - finite.length);
        for (let i = 1; i < ps.x.length; i++) expect(ps.x[i]).toBeGreaterThanOrEqual(ps.x[i - 1]);
        const a = moments(ps),
          b = moments(exact);
        const scale = Math.max(...finite.map(Math.abs));
        expect(Math.abs(a.mean - b.mean)).toBeLessThanOrEqual(1e-12 * scale);
        expect(Math.abs(a.variance - b.variance)).toBeLessThanOrEqual(1e-9 * scale * scale + 1e-300);
        expect(ps.x[0]).toBe(exact.x[0]);
        expect(ps.w[0]).toBe(exact.w[0]);
      }),
      { seed: 15, numRuns: 200 },
    );
  });

  it('open a summary of 2^30 samples with its exact count and moments', async () => {
    const want = JSON.parse(readFileSync(join(DIR, 'billion.json'), 'utf8'));
    const opened = await open('billion.npz');
    const { pointSet, info } = await opened.stream(undefined);
    expect(info.count).toBe(2 ** 30);
    expect(pointSet.n).toBe(want.count);
    expect(pointSet.w[0]).toBe(want.zeros);
    expect(relClose(moments(pointSet).mean, want.mean, 1e-12)).toBe(true);
    expect(relClose(Math.sqrt(moments(pointSet).variance), want.std, 1e-10)).toBe(true);
  });

  it('refuse another version with one line naming the file and both versions', async () => {
    await expect(open('version2.npz')).rejects.toThrow(
      new FormatError(
        { file: 'version2.npz' },
        'bskmq-summary version 2; this reader knows version 1 (update BS-KMQ Explorer or rewrite the file)',
      ),
    );
  });

  it('refuse descriptions and bins that do not add up, naming the layer and field', () => {
    const doc = (layer: object) => JSON.stringify({ format: 'bskmq-summary', version: 1, layers: [layer] });
    expect(() => parseSummaryMeta('a.npz', '{"format": "other"}')).toThrow(/a\.npz: bskmq_summary says format "other"/);
    const ref = referenceSummary([0, 1, 2, 2]);
    expect(() => parseSummaryMeta('a.npz', doc({ ...ref.layer, count: -1 }))).toThrow(
      /a\.npz: ref: summary field count is -1/,
    );
    expect(() => parseSummaryMeta('a.npz', doc({ ...ref.layer, min: null }))).toThrow(
      /summary field min is null; expected a finite number/,
    );
    expect(() => summaryPointSet('a.npz', { ...ref.layer, count: 5 }, ref)).toThrow(
      /a\.npz: ref: summary bins hold 4 samples but count − non-finite = 5/,
    );
    expect(() => summaryPointSet('a.npz', { ...ref.layer, atMax: 3 }, ref)).toThrow(
      /counts 3 samples at 2 but its bin holds 2/,
    );
  });
});
