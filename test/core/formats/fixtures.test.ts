import { describe, expect, it } from 'vitest';
import { FormatError, openFile } from '../../../src/core/formats';
import { buildBinnedPointSet } from '../../../src/core/pointset';
import { fixture, manifest, manifestNumber } from './helpers';

function finiteSum(data: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < data.length; i++) if (Number.isFinite(data[i])) s += data[i];
  return s;
}

describe('fixtures written by NumPy, PyTorch and the safetensors layout', () => {
  for (const [file, entry] of Object.entries(manifest.files)) {
    it(`${file} lists and decodes to the values the writer stored`, async () => {
      const opened = await openFile(fixture(file), entry.raw ? { raw: entry.raw } : {});
      expect(opened.format).toBe(entry.format);
      expect(opened.tensors.map((t) => t.name)).toEqual(entry.tensors.map((t) => t.name));
      for (const want of entry.tensors) {
        const info = opened.tensors.find((t) => t.name === want.name)!;
        expect({ shape: info.shape, dtype: info.dtype, count: info.count }).toEqual({
          shape: want.shape,
          dtype: want.dtype,
          count: want.count,
        });
        const got = await opened.decode(want.name);
        expect(got.data.length).toBe(want.count);
        const first = Array.from(got.data.slice(0, want.first.length) as ArrayLike<number>);
        expect(first).toEqual(want.first.map(manifestNumber));
        if (want.count > 0) expect(got.data[want.count - 1]).toEqual(manifestNumber(want.last));
        let nonFinite = 0;
        for (let i = 0; i < got.data.length; i++) if (!Number.isFinite(got.data[i])) nonFinite++;
        expect(nonFinite).toBe(want.nonFinite);
        // Summation order differs from math.fsum's exact sum: allow rounding relative to the magnitude.
        expect(Math.abs(finiteSum(got.data) - want.sum)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want.sum)));
      }
    });
  }

  it('decode() without a name returns the first tensor', async () => {
    const opened = await openFile(fixture('stored.npz'));
    expect((await opened.decode()).name).toBe('a');
  });

  it('a transposed PyTorch view decodes in logical C order (t[i][j] = 4j + i)', async () => {
    const t = await (await openFile(fixture('transposed.pt'))).decode('t');
    expect(t.shape).toEqual([4, 3]);
    expect(Array.from(t.data as Float32Array)).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
  });

  it('tensors sharing one PyTorch storage see the same values at their offsets and strides', async () => {
    const opened = await openFile(fixture('shared.pt'));
    const base = Array.from((await opened.decode('base')).data as Float32Array);
    expect(Array.from((await opened.decode('slice')).data as Float32Array)).toEqual(base.slice(2, 7));
    expect(Array.from((await opened.decode('view')).data as Float32Array)).toEqual(base);
    expect(Array.from((await opened.decode('strided')).data as Float32Array)).toEqual([base[1], base[4], base[7]]);
  });

  it('Fortran-order arrays decode in logical C order', async () => {
    const t = await (await openFile(fixture('f64_fortran_3d.npy'))).decode();
    expect(Array.from(t.data as Float64Array)).toEqual(Array.from({ length: 24 }, (_, i) => i));
  });

  for (const [file, fragment] of Object.entries(manifest.bad)) {
    it(`${file} is rejected with a FormatError naming the file and saying '${fragment}'`, async () => {
      const run = async (): Promise<void> => {
        const opened = await openFile(fixture(file));
        for (const t of opened.tensors) await opened.decode(t.name);
      };
      const error = await run().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(FormatError);
      expect((error as FormatError).file).toBe(file);
      expect((error as FormatError).message.startsWith(`${file}: `)).toBe(true);
      expect((error as FormatError).message).toContain(fragment);
    });
  }
});

describe('streaming fixtures into a binned point set', () => {
  const cases: [string, string | undefined][] = [
    ['relu_10k.npy', undefined],
    ['f32_fortran.npy', undefined],
    ['f16_be.npy', undefined],
    ['deflated.npz', 'x'],
    ['deflated.npz', 'z'],
    ['stored.npz', 'a'],
    ['model.safetensors', 'layer.bf16'],
    ['model.safetensors', 'layer.i64'],
    ['state_dict.pth', '0.weight'],
    ['transposed.pt', 't'],
    ['shared.pt', 'strided'],
    ['dtypes.pt', 'f16'],
    ['data.csv', undefined],
    ['ragged.json', undefined],
    ['nonfinite.npy', undefined],
  ];
  for (const [file, tensor] of cases) {
    it(`${file}${tensor ? ` [${tensor}]` : ''} streams, in 8-byte chunks, to the point set of its decoded values`, async () => {
      const opened = await openFile(fixture(file), { chunkBytes: 8 });
      const decoded = await opened.decode(tensor);
      const want = buildBinnedPointSet(decoded.data, 1024);
      const progress: [number, number][] = [];
      const { pointSet, info } = await opened.stream(tensor, {
        bins: 1024,
        onProgress: (d, t) => progress.push([d, t]),
      });
      expect(info.name).toBe(decoded.name);
      expect(pointSet.mode).toBe('binned');
      expect(pointSet.n).toBe(want.n);
      expect(pointSet.nonFinite).toBe(want.nonFinite);
      expect(pointSet.min).toBe(want.min);
      expect(pointSet.max).toBe(want.max);
      expect(Array.from(pointSet.w)).toEqual(Array.from(want.w));
      for (let i = 0; i < want.x.length; i++) expect(pointSet.x[i]).toBeCloseTo(want.x[i], 9);
      expect(progress.length).toBeGreaterThan(0);
      for (let i = 1; i < progress.length; i++) expect(progress[i][0]).toBeGreaterThanOrEqual(progress[i - 1][0]);
      expect(progress[progress.length - 1][0]).toBe(progress[progress.length - 1][1]);
    });
  }

  it('an all-NaN tensor streams to an empty point set that counts the NaNs', async () => {
    const { pointSet } = await (await openFile(fixture('allnan.npy'))).stream(undefined);
    expect(pointSet.n).toBe(0);
    expect(pointSet.nonFinite).toBe(10);
  });

  it('an empty tensor decodes to an empty array and streams to an empty point set', async () => {
    const opened = await openFile(fixture('empty.npy'));
    expect((await opened.decode()).data.length).toBe(0);
    expect((await opened.stream(undefined)).pointSet.n).toBe(0);
  });

  it('shouldStream is true exactly for tensors above streamThreshold bytes', async () => {
    const opened = await openFile(fixture('relu_10k.npy'), { streamThreshold: 40_000 });
    expect(opened.shouldStream()).toBe(false);
    const small = await openFile(fixture('relu_10k.npy'), { streamThreshold: 39_999 });
    expect(small.shouldStream()).toBe(true);
    expect((await openFile(fixture('relu_10k.npy'))).shouldStream()).toBe(false);
  });

  it('asking for a missing tensor lists the tensors the file has', async () => {
    const opened = await openFile(fixture('stored.npz'));
    await expect(opened.decode('nope')).rejects.toThrow(/stored\.npz: nope: no such tensor; the file has: a, b/);
  });
});
