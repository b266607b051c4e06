/**
 * Seeded generators, one per class of hostile input: each case ends in the right numbers or
 * one FormatError whose one-line message names the file and the problem — never a hang, a
 * crash or a silently different value. The time and memory each class takes on larger inputs
 * are measured by bench/hostile.bench.ts.
 */
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { bytesSource, FormatError, openFile } from '../../../src/core/formats';
import { LENGTH_OPCODES } from '../../../src/core/formats/pickle';
import { decodeUtf8 } from '../../../src/core/formats/utf8';
import { MAX_TENSORS } from '../../../src/core/formats/validate';
import { DEFAULT_PARAMS, MAX_MAGNITUDE, magnitudeIssue } from '../../../src/core/params';
import { buildPointSet } from '../../../src/core/pointset';
import { designReport, inputInfo } from '../../../src/core/report';

const SEED = 0x13;
const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

/** The FormatError `run` throws; fails the test on success or on any other exception. */
async function formatErrorOf(run: () => Promise<unknown>): Promise<FormatError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
  throw new Error('expected a FormatError, the input was accepted');
}

/** One line, bounded, starting with the file's name. */
function expectOneLine(e: FormatError, file: string): void {
  expect(e.message.startsWith(`${file}: `), e.message).toBe(true);
  expect(e.message).not.toMatch(/[\n\r]/);
  expect(e.message.length).toBeLessThan(1200);
}

async function decodeAll(name: string, bytes: Uint8Array): Promise<{ counts: number[]; sums: number[] }> {
  const opened = await openFile(bytesSource(name, bytes), { chunkBytes: 4096 });
  const counts: number[] = [];
  const sums: number[] = [];
  for (const info of opened.tensors) {
    const t = await opened.decode(info.name);
    counts.push(t.data.length);
    let s = 0;
    for (let i = 0; i < t.data.length; i++) s += Number(t.data[i]);
    sums.push(s);
  }
  return { counts, sums };
}

function npy(descr: string, data: ArrayBufferView, count: number): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${count},), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(ascii(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

/** `length` as the opcode's argument bytes (little-endian, two's complement). */
function lengthBytes(bytes: 1 | 4 | 8, length: bigint): number[] {
  const b = new DataView(new ArrayBuffer(8));
  b.setBigUint64(0, BigInt.asUintN(64, length), true);
  return Array.from(new Uint8Array(b.buffer, 0, bytes));
}

describe('negative and oversized lengths in every pickle opcode that reads one', () => {
  const ops = Object.entries(LENGTH_OPCODES);
  const signed = ops.filter(([, o]) => o.bytes > 1);

  it('covers every length-carrying opcode, the multi-byte ones with negative lengths', () => {
    expect(ops.length).toBeGreaterThanOrEqual(12);
    expect(signed.map(([n]) => n)).toEqual(
      expect.arrayContaining(['BINBYTES', 'BINUNICODE', 'BINSTRING', 'LONG4', 'BINBYTES8', 'FRAME']),
    );
  });

  it('a forged length in data.pkl of a torch zip → a FormatError naming data.pkl and the opcode, at once', async () => {
    const negative = fc.bigInt({ min: -(2n ** 63n), max: -1n });
    const tooLong = fc.bigInt({ min: 64n, max: 2n ** 62n });
    const arb = fc.tuple(fc.constantFrom(...ops), fc.oneof(negative, tooLong), fc.uint8Array({ maxLength: 24 }));
    await fc.assert(
      fc.asyncProperty(arb, async ([[name, { op, bytes }], raw, tail]) => {
        // A 1-byte length cannot be negative: make it run past the end instead.
        const length = bytes === 1 ? 200n : bytes === 4 ? BigInt.asIntN(32, raw) : raw;
        const pkl = new Uint8Array([0x80, 0x02, op, ...lengthBytes(bytes, length), ...tail, 0x2e]);
        const file = zipSync({ 'archive/data.pkl': pkl }, { level: 0 });
        const e = await formatErrorOf(() => decodeAll('forged.pt', file));
        expectOneLine(e, 'forged.pt');
        expect(e.message).toContain('data.pkl');
        expect(e.message).toContain(`${name}: `);
        // 8-byte lengths are unsigned (as in Python): the message gives the exact value, not a rounded float.
        const unsigned = BigInt.asUintN(64, length);
        if (bytes === 8 && unsigned > BigInt(Number.MAX_SAFE_INTEGER))
          expect(e.message).toContain(`length ${unsigned} runs past`);
      }),
      { seed: SEED, numRuns: 150 },
    );
  }, 60_000);

  it('the 9-byte hang pickle (POP, then BINBYTES of length -6) is refused, and so is the BINBYTES alone (its length read unsigned, as Python does)', async () => {
    const hang = new Uint8Array([0x80, 0x02, 0x30, 0x42, 0xfa, 0xff, 0xff, 0xff, 0x2e]);
    const e = await formatErrorOf(() => decodeAll('hang.pt', zipSync({ 'archive/data.pkl': hang }, { level: 0 })));
    expectOneLine(e, 'hang.pt');
    const alone = new Uint8Array([0x80, 0x02, 0x42, 0xfa, 0xff, 0xff, 0xff, 0x2e]);
    const e2 = await formatErrorOf(() => decodeAll('hang.pt', zipSync({ 'archive/data.pkl': alone }, { level: 0 })));
    expectOneLine(e2, 'hang.pt');
    // BINBYTES' length is unsigned, as in Python: -6 reads as 2^32 - 6.
    expect(e2.message).toMatch(/BINBYTES: length 4294967290 runs past the end/);
  });
});

describe('deflate bombs at several ratios', () => {
  /** float32 payloads from all zeros (about 1000:1) to a noisy pattern (about 1:1). */
  const payload = (count: number, kind: number, seed: number): Float32Array => {
    const out = new Float32Array(count);
    let s = seed | 1;
    for (let i = 0; i < count; i++) {
      if (kind === 0) continue;
      s = (s * 1103515245 + 12345) >>> 0;
      out[i] = kind === 1 ? (i % 97) / 4 : kind === 2 ? ((s >>> 16) % 8) / 2 : (s >>> 8) / 2 ** 20;
    }
    return out;
  };

  it('inflate to exactly the values written, through decode and stream', async () => {
    const arb = fc.tuple(fc.constantFrom(1 << 14, 1 << 18, 1 << 20), fc.integer({ min: 0, max: 3 }), fc.nat());
    await fc.assert(
      fc.asyncProperty(arb, async ([count, kind, seed]) => {
        const data = payload(count, kind, seed);
        const zip = zipSync({ 'x.npy': npy('<f4', data, count) }, { level: 9 });
        const want = data.reduce((a, b) => a + b, 0);
        const { counts, sums } = await decodeAll('bomb.npz', zip);
        expect(counts).toEqual([count]);
        expect(sums[0]).toBeCloseTo(want, 3);
        const opened = await openFile(bytesSource('bomb.npz', zip), { chunkBytes: 1 << 16 });
        const { pointSet } = await opened.stream('x', { bins: 64 });
        expect(pointSet.n).toBe(count);
      }),
      { seed: SEED, numRuns: 8 },
    );
  }, 120_000);

  it('a member that inflates beyond the size its directory claims → a FormatError, not the extra bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), async (cut) => {
        const count = 1 << 18;
        const zip = zipSync({ 'x.npy': npy('<f4', new Float32Array(count), count) }, { level: 9 });
        // Shrink the uncompressed size in the central directory (and the local header) by `cut` bytes.
        const v = new DataView(zip.buffer);
        for (let i = 0; i + 4 <= zip.length; i++) {
          const sig = v.getUint32(i, true);
          const at = sig === 0x02014b50 ? i + 24 : sig === 0x04034b50 ? i + 22 : -1;
          if (at > 0) v.setUint32(at, v.getUint32(at, true) - cut, true);
        }
        const e = await formatErrorOf(() => decodeAll('liar.npz', zip));
        expectOneLine(e, 'liar.npz');
      }),
      { seed: SEED, numRuns: 10 },
    );
  }, 60_000);
});

describe('long text lines', () => {
  it('one row of many values → every value, the same sum, whatever the chunking', async () => {
    const arb = fc.tuple(
      fc.integer({ min: 1, max: 200_000 }),
      fc.integer({ min: 7, max: 65_536 }),
      fc.constantFrom(',', ' ', '\t'),
    );
    await fc.assert(
      fc.asyncProperty(arb, async ([n, chunkBytes, sep]) => {
        const values = Array.from({ length: n }, (_, i) => ((i * 37) % 1001) / 8 - 50);
        const text = new TextEncoder().encode(values.join(sep) + '\n');
        const opened = await openFile(bytesSource('row.csv', text), { chunkBytes });
        const t = await opened.decode();
        expect(t.data.length).toBe(n);
        let s = 0;
        for (let i = 0; i < n; i++) s += t.data[i] as number;
        expect(s).toBeCloseTo(
          values.reduce((a, b) => a + b, 0),
          6,
        );
      }),
      { seed: SEED, numRuns: 20 },
    );
  }, 120_000);
});

describe('many tensors', () => {
  function safetensors(n: number): Uint8Array {
    const header: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) header[`t${i}`] = { dtype: 'F32', shape: [1], data_offsets: [4 * i, 4 * i + 4] };
    const json = new TextEncoder().encode(JSON.stringify(header));
    const out = new Uint8Array(8 + json.length + 4 * n);
    new DataView(out.buffer).setUint32(0, json.length, true);
    out.set(json, 8);
    return out;
  }

  it('up to the cap every tensor is listed; beyond it one short line names the cap', async () => {
    const arb = fc.oneof(
      fc.integer({ min: 1, max: 2000 }),
      fc.integer({ min: MAX_TENSORS + 1, max: MAX_TENSORS + 5000 }),
    );
    await fc.assert(
      fc.asyncProperty(arb, async (n) => {
        const bytes = safetensors(n);
        if (n <= MAX_TENSORS) {
          const opened = await openFile(bytesSource('many.safetensors', bytes));
          expect(opened.tensors.length).toBe(n);
          return;
        }
        const e = await formatErrorOf(() => openFile(bytesSource('many.safetensors', bytes)));
        expectOneLine(e, 'many.safetensors');
        expect(e.message).toContain(String(MAX_TENSORS));
        expect(e.message.length).toBeLessThan(300);
      }),
      { seed: SEED, numRuns: 4 },
    );
  }, 120_000);

  it('header text decodes to the string that was encoded (any code points), in blocks, whatever its length', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30_000 }), (text) => {
        expect(decodeUtf8(new TextEncoder().encode(text))).toBe(text);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('a .pt whose pickle refers to one tensor more times than the cap → one short line', async () => {
    // {'t0': T, 't1': BINGET T, …}: the memo makes every key a path to the same tensor.
    const n = MAX_TENSORS + 10;
    const p: number[] = [0x80, 0x02, 0x7d, 0x28];
    const str = (s: string) => p.push(0x58, s.length, 0, 0, 0, ...ascii(s));
    const int = (v: number) => p.push(0x4a, v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);
    str('t0');
    p.push(0x63, ...ascii('torch._utils\n_rebuild_tensor_v2\n'), 0x28, 0x28);
    str('storage');
    p.push(0x63, ...ascii('torch\nFloatStorage\n'));
    str('0');
    str('cpu');
    int(1);
    p.push(0x74, 0x51);
    int(0);
    int(1);
    p.push(0x85);
    int(1);
    p.push(0x85, 0x89, 0x7d, 0x74, 0x52, 0x72, 0, 0, 0, 0);
    for (let i = 1; i < n; i++) {
      str(`t${i}`);
      p.push(0x6a, 0, 0, 0, 0);
    }
    p.push(0x75, 0x2e);
    const file = zipSync({ 'archive/data.pkl': new Uint8Array(p), 'archive/data/0': new Uint8Array(4) }, { level: 0 });
    const e = await formatErrorOf(() => openFile(bytesSource('refs.pt', file)));
    expectOneLine(e, 'refs.pt');
    expect(e.message).toContain(String(MAX_TENSORS));
  }, 60_000);
});

describe('CRC-32 flips at random offsets', () => {
  const count = 4096;
  const data = Float32Array.from({ length: count }, (_, i) => Math.sin(i) * 3);
  const member = npy('<f4', data, count);

  for (const level of [0, 6] as const) {
    it(`${level ? 'deflated' : 'stored'} member: any flipped payload bit → Bad CRC-32 (or corrupt deflate), never other values`, async () => {
      const zip = zipSync({ 'x.npy': member }, { level });
      // The member's bytes start after its local header: 30 bytes plus the name.
      const start = 30 + 'x.npy'.length;
      const compressed = new DataView(zip.buffer).getUint32(18, true);
      const payloadStart = level ? start : start + (member.length - data.byteLength);
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: payloadStart, max: start + compressed - 1 }),
          fc.integer({ min: 0, max: 7 }),
          async (at, bit) => {
            const bad = zip.slice();
            bad[at] ^= 1 << bit;
            for (const how of ['decode', 'stream'] as const) {
              const e = await formatErrorOf(async () => {
                const opened = await openFile(bytesSource('flip.npz', bad), { chunkBytes: 512 });
                if (how === 'decode') await opened.decode('x');
                else await opened.stream('x', { bins: 16 });
              });
              expectOneLine(e, 'flip.npz');
              expect(e.message).toMatch(level ? /Bad CRC-32|corrupt|header|inflate/ : /Bad CRC-32/);
            }
          },
        ),
        { seed: SEED, numRuns: 60 },
      );
    }, 60_000);
  }
});

describe('overflow magnitudes', () => {
  const params = {
    ...DEFAULT_PARAMS,
    methods: ['linear', 'lloydmax', 'bskmq', 'optimal'] as typeof DEFAULT_PARAMS.methods,
  };
  const source = { file: 'big.npy', tensor: 'big', shape: [256], dtype: 'float64' };

  it('values beyond ±1e140 are refused with a message; below it every metric is finite and non-zero', async () => {
    const arb = fc.tuple(fc.double({ min: 1, max: 300, noNaN: true }), fc.boolean(), fc.nat());
    fc.assert(
      fc.property(arb, ([exp, negative, seed]) => {
        const scale = 10 ** exp;
        const values = Float64Array.from(
          { length: 256 },
          (_, i) => (((i * 7919 + seed) % 256) / 255 - (negative ? 1 : 0.3)) * scale,
        );
        const ps = buildPointSet(values, { mode: 'exact' });
        const issue = magnitudeIssue(ps);
        const m = Math.max(Math.abs(ps.min), Math.abs(ps.max));
        if (m > MAX_MAGNITUDE) {
          expect(issue).not.toBeNull();
          expect(issue).not.toMatch(/\n/);
          expect(issue).toContain('rescale');
          return;
        }
        expect(issue).toBeNull();
        const report = designReport(ps, inputInfo(ps, source, params), params, [2, 4], () => 0);
        const input = inputInfo(ps, source, params);
        expect(input.std).not.toBeNull();
        expect(input.std!).toBeGreaterThan(0);
        for (const r of report.results) {
          expect(r.mse, `${r.method} ${r.bits} at 1e${exp.toFixed(0)}`).not.toBeNull();
          expect(r.mse!).toBeGreaterThan(0);
          expect(Number.isFinite(r.mse!)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 60 },
    );
  }, 60_000);
});
