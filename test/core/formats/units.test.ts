import fc from 'fast-check';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { bytesSource, FormatError, openFile, parseDTypeName } from '../../../src/core/formats';
import { decodeElements } from '../../../src/core/formats/dtype';
import { cStrides, gather, isDense, storageExtent } from '../../../src/core/formats/layout';
import { parsePyLiteral } from '../../../src/core/formats/pyliteral';
import { decodeUtf8 } from '../../../src/core/formats/utf8';
import { fixtureBytes } from './helpers';
import { torchZip } from '../../support/encoders';

const text = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
const u16le = (...v: number[]): Uint8Array => new Uint8Array(new Uint16Array(v).buffer);

async function decodeText(
  name: string,
  content: string,
  chunkBytes?: number,
): Promise<{ shape: number[]; values: number[] }> {
  const opened = await openFile(bytesSource(name, text(content)), { chunkBytes });
  const t = await opened.decode();
  return { shape: t.shape, values: Array.from(t.data as Float64Array) };
}

describe('element decoding', () => {
  it('float16 decodes zero, subnormals, normals, ±Inf and NaN exactly', () => {
    const out = decodeElements(
      u16le(0x0000, 0x8000, 0x0001, 0x3c00, 0xc000, 0x7bff, 0x7c00, 0xfc00, 0x7e00),
      'float16',
      'little',
      9,
    );
    expect(Array.from(out)).toEqual([0, -0, 2 ** -24, 1, -2, 65504, Infinity, -Infinity, NaN]);
  });

  it('bfloat16 is the upper half of a float32', () => {
    const out = decodeElements(u16le(0x3f80, 0xc040, 0x7f80), 'bfloat16', 'little', 3);
    expect(Array.from(out)).toEqual([1, -3, Infinity]);
  });

  it('int64 and uint64 round to the nearest double beyond 2^53', () => {
    const big = new BigInt64Array([2n ** 53n + 1n, -(2n ** 62n) - 3n, -1n, 2n ** 53n + 3n]);
    const out = decodeElements(new Uint8Array(big.buffer), 'int64', 'little', 4);
    expect(Array.from(out)).toEqual([2 ** 53, -(2 ** 62), -1, 2 ** 53 + 4]);
    const ubig = new BigUint64Array([2n ** 64n - 1n, 5n]);
    expect(Array.from(decodeElements(new Uint8Array(ubig.buffer), 'uint64', 'little', 2))).toEqual([2 ** 64, 5]);
  });

  it('big-endian elements decode like their little-endian reversal', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true }), { maxLength: 20 }), (values) => {
        const le = new Float32Array(values);
        const bytes = new Uint8Array(le.buffer);
        const be = new Uint8Array(bytes.length);
        for (let i = 0; i < bytes.length; i += 4) for (let j = 0; j < 4; j++) be[i + j] = bytes[i + 3 - j];
        expect(Array.from(decodeElements(be, 'float32', 'big', values.length))).toEqual(Array.from(le));
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('bool decodes any non-zero byte as 1', () => {
    expect(Array.from(decodeElements(new Uint8Array([0, 1, 2, 255]), 'bool', 'little', 4))).toEqual([0, 1, 1, 1]);
  });

  it('dtype names accept NumPy, safetensors and C spellings', () => {
    expect(['<f4', 'F32', 'float', 'float32'].map(parseDTypeName)).toEqual([
      'float32',
      'float32',
      'float32',
      'float32',
    ]);
    expect(parseDTypeName('half')).toBe('float16');
    expect(parseDTypeName('complex64')).toBeNull();
  });
});

describe('layouts', () => {
  it('gather over any strided view equals the naive index formula', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 5 }),
        (shape, strideSeed, offset) => {
          const strides = shape.map((_, k) => strideSeed[k]);
          const extent = Math.max(1, storageExtent(shape, { offset, strides }));
          const storage = Float64Array.from({ length: extent }, (_, i) => i * 1.5);
          const out = gather(storage, shape, { offset, strides });
          const count = shape.reduce((a, b) => a * b, 1);
          expect(out.length).toBe(count);
          for (let flat = 0; flat < count; flat++) {
            let rem = flat,
              p = offset;
            for (let k = shape.length - 1; k >= 0; k--) {
              p += (rem % shape[k]) * strides[k];
              rem = Math.floor(rem / shape[k]);
            }
            expect(out[flat]).toBe(storage[p]);
          }
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('a permuted contiguous view is dense; a stepped or overlapping one is not', () => {
    expect(isDense([3, 4], [1, 3])).toBe(true);
    expect(isDense([2, 3, 4], cStrides([2, 3, 4]))).toBe(true);
    expect(isDense([3], [3])).toBe(false);
    expect(isDense([3, 2], [1, 1])).toBe(false);
  });
});

describe('.npy header literals', () => {
  it('parses the dicts NumPy writes, including 0-d and 1-tuple shapes', () => {
    expect(parsePyLiteral("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }")).toEqual({
      descr: '<f4',
      fortran_order: false,
      shape: [3],
    });
    expect(parsePyLiteral("{'descr': '|b1', 'fortran_order': True, 'shape': (), }")).toMatchObject({ shape: [] });
  });

  it('rejects anything that is not a plain literal', () => {
    for (const bad of ["{'a': __import__('os')}", "{'a': (1, 2}", "{'a' 1}", "{'a': 1} x", '{'.repeat(100)]) {
      expect(() => parsePyLiteral(bad)).toThrow();
    }
  });
});

describe('UTF-8 decoding', () => {
  it('matches node for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        expect(decodeUtf8(new Uint8Array(Buffer.from(s, 'utf8')))).toBe(Buffer.from(s, 'utf8').toString('utf8'));
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('text', () => {
  it('skips a CSV header row and # comments, and gives rows × columns', async () => {
    expect(await decodeText('a.csv', '# made by hand\nx,y\n1,2\n3,4\n')).toEqual({
      shape: [2, 2],
      values: [1, 2, 3, 4],
    });
  });

  it('reads TSV, semicolons, whitespace and CRLF line ends alike', async () => {
    expect((await decodeText('a.tsv', '1\t2\r\n3\t4\r\n')).values).toEqual([1, 2, 3, 4]);
    expect((await decodeText('a.txt', '1;2\n3;4')).values).toEqual([1, 2, 3, 4]);
    expect((await decodeText('a.txt', '  1   2\n\n 3 4  \n')).values).toEqual([1, 2, 3, 4]);
  });

  it('reads nan/inf spellings and empty CSV fields as non-finite, never as zero', async () => {
    const { values } = await decodeText('a.csv', '1,,nan\n-inf,Infinity,NaN\n');
    expect(values).toEqual([1, NaN, NaN, -Infinity, Infinity, NaN]);
  });

  it('a ragged table is refused naming both lines', async () => {
    await expect(decodeText('a.csv', '1,2,3\n4,5\n')).rejects.toThrow(
      'a.csv: line 2 has 2 values but line 1 has 3: rows of different lengths are not accepted',
    );
  });

  it('whitespace text: any run of spaces and tabs is one separator, as np.loadtxt reads it', async () => {
    expect(await decodeText('a.txt', '1.5\t -0.677734375  -1.935546875\n2 \t\t3\t  4\n')).toEqual({
      shape: [2, 3],
      values: [1.5, -0.677734375, -1.935546875, 2, 3, 4],
    });
  });

  it('reads the Unicode minus sign as a minus', async () => {
    expect((await decodeText('a.csv', '\u22121.5,2\n3,\u22124e-2\n')).values).toEqual([-1.5, 2, 3, -0.04]);
  });

  it('a skipped header row is reported as a note naming the line and its text', async () => {
    const opened = await openFile(bytesSource('a.csv', text('1x,2\n3,4\n')));
    expect(opened.notes).toEqual(["a.csv: line 1 was taken as a header and skipped: '1x,2'"]);
    expect(Array.from((await opened.decode()).data)).toEqual([3, 4]);
    expect((await openFile(bytesSource('b.csv', text('1,2\n')))).notes).toEqual([]);
  });

  it('a word in a first row that starts with a number is an error, not a header', async () => {
    await expect(decodeText('a.csv', '1,x\n3,4\n')).rejects.toThrow("a.csv: line 1, column 2: 'x' is not a number");
  });

  it('mixed separators in one line are refused', async () => {
    await expect(decodeText('a.txt', '1 2,3\n')).rejects.toThrow("line 1 mixes ','");
    await expect(decodeText('a.csv', '1,2 3\n')).rejects.toThrow("two values in one ','-separated field");
  });

  it('one long line is read across chunk seams with the same values', async () => {
    const values = Array.from({ length: 5000 }, (_, i) => (i % 7) - 3.25);
    const got = await decodeText('long.csv', values.join(','), 997);
    expect(got.shape).toEqual([5000]);
    expect(got.values).toEqual(values);
  });

  it('a word after the header row is an error naming line and column', async () => {
    await expect(decodeText('a.csv', 'a,b\n1,2\n3,x\n')).rejects.toThrow(
      "a.csv: line 3, column 2: 'x' is not a number",
    );
  });

  it('JSON: nested regular arrays keep their shape; a bare number is one value', async () => {
    expect(await decodeText('a.json', '[[1, 2, 3], [4, 5, 6]]')).toEqual({ shape: [2, 3], values: [1, 2, 3, 4, 5, 6] });
    expect(await decodeText('a.json', '2.5')).toEqual({ shape: [1], values: [2.5] });
    expect(await decodeText('a.json', '[]')).toEqual({ shape: [0], values: [] });
  });

  it('JSON: objects, strings and broken nesting are errors saying what was expected', async () => {
    await expect(decodeText('a.json', '[{"a": 1}]')).rejects.toThrow(/arrays of numbers; found '\{"a":'/);
    await expect(decodeText('a.json', '[1, 2')).rejects.toThrow(/ends inside an array/);
    await expect(decodeText('a.json', '[1 2]')).rejects.toThrow(/expected ',' or '\]'/);
    await expect(decodeText('a.json', '[1,]')).rejects.toThrow(/trailing ','/);
    await expect(decodeText('a.json', '[1] 2')).rejects.toThrow(/after the end/);
  });

  it('any chunk size parses the same values (tokens split across chunk seams)', async () => {
    const csv = 'h1,h2\n1.5e3,-2\n.25,3\n# c\n4,5e-1\n';
    const json = '[[1.5e3, -2], [0.25, 3], [4, NaN]]';
    const wantCsv = await decodeText('a.csv', csv);
    const wantJson = await decodeText('a.json', json);
    for (let chunk = 1; chunk <= 12; chunk++) {
      expect(await decodeText('a.csv', csv, chunk)).toEqual(wantCsv);
      expect(await decodeText('a.json', json, chunk)).toEqual(wantJson);
    }
  });
});

describe('raw binary', () => {
  it('a size that is not a multiple of the dtype is refused with the sizes', async () => {
    await expect(
      openFile(bytesSource('x.bin', new Uint8Array(10)), { raw: { dtype: 'float32', byteOrder: 'little' } }),
    ).rejects.toThrow('x.bin: raw file has 10 bytes, not a multiple of 4 (the size of float32)');
  });

  it('an unknown dtype lists the accepted ones', async () => {
    await expect(
      openFile(bytesSource('x.bin', new Uint8Array(8)), { raw: { dtype: 'complex64', byteOrder: 'little' } }),
    ).rejects.toThrow(/unknown raw dtype 'complex64': expected one of float16, bfloat16, float32/);
  });

  it('a .bin that is neither zip nor a chosen raw dtype asks for a dtype', async () => {
    await expect(openFile(bytesSource('x.bin', new Uint8Array([1, 0, 2, 0, 3])))).rejects.toThrow(/choose a dtype/);
  });
});

describe('zip members', () => {
  it('a deflated member claiming more than deflate can produce is refused before inflating', async () => {
    const zip = zipSync({ 'a.npy': fixtureBytes('f32_c.npy') }, { level: 6 });
    // Central directory: the uncompressed size of the only entry is at offset 24 of its record.
    const view = new DataView(zip.buffer, zip.byteOffset);
    const cd = view.getUint32(zip.length - 6, true);
    view.setUint32(cd + 24, 0x7fffffff, true);
    await expect(openFile(bytesSource('a.npz', zip))).rejects.toThrow(/more than deflate can produce/);
  });

  it('a zip that is neither npz nor a checkpoint says so', async () => {
    const zip = zipSync({ 'readme.txt': text('hi') });
    await expect(openFile(bytesSource('a.zip', zip))).rejects.toThrow(/neither \.npy members \(npz\) nor data\.pkl/);
  });

  it('PyTorch expanded views (stride 0) decode by repeating the stored value', async () => {
    const pt = torchZip([7], [0], 0, 1);
    const t = await (await openFile(bytesSource('e.pt', pt))).decode();
    expect(Array.from(t.data as Float32Array)).toEqual(new Array(7).fill(1.5));
  });

  it('an expanded view that would blow a few bytes up past 256 MiB is refused', async () => {
    await expect(openFile(bytesSource('e.pt', torchZip([2 ** 27], [0], 0, 1)))).rejects.toThrow(
      /expanded view.*contiguous/,
    );
  });
});

describe('pickles', () => {
  it('a megabyte-long pickled integer is refused at once rather than converted', async () => {
    const n = 1 << 20;
    const pkl = new Uint8Array(2 + 5 + n + 1);
    pkl.set([0x80, 2, 0x8b, n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24]);
    pkl.fill(0x11, 7, 7 + n);
    pkl[7 + n] = 0x2e;
    const started = Date.now();
    await expect(openFile(bytesSource('l.pt', zipSync({ 'a/data.pkl': pkl }, { level: 0 })))).rejects.toThrow(/LONG4/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('globals in the pickle are never resolved to code: unknown classes become inert placeholders', async () => {
    // os.system("echo pwned") as a pickle: GLOBAL os system, the string, TUPLE1, REDUCE, STOP.
    const pkl = new Uint8Array([
      0x80,
      2,
      ...Buffer.from('cos\nsystem\n'),
      0x58,
      10,
      0,
      0,
      0,
      ...Buffer.from('echo pwned'),
      0x85,
      0x52,
      0x2e,
    ]);
    const opened = await openFile(bytesSource('p.pt', zipSync({ 'a/data.pkl': pkl }, { level: 0 })));
    expect(opened.tensors).toEqual([]);
    await expect(opened.decode()).rejects.toThrow('p.pt: file holds no tensors');
  });
});

describe('errors', () => {
  it('carry file, tensor and offset as fields', async () => {
    const error = await openFile(bytesSource('m.safetensors', fixtureBytes('lying_offsets.safetensors'))).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(FormatError);
    expect({ file: error.file, tensor: error.tensor }).toEqual({ file: 'm.safetensors', tensor: 'w' });
    const magic = await openFile(bytesSource('b.npy', fixtureBytes('badmagic.npy'))).catch((e) => e);
    expect(magic.offset).toBe(0);
  });
});
