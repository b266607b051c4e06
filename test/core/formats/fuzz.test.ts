import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesSource, FormatError, openFile, type ByteSource, type OpenOptions } from '../../../src/core/formats';
import { fixtureBytes, manifest } from './helpers';
import { npyWithHeader, safetensorsRaw, torchZip } from '../../support/encoders';

/**
 * Every parser, fed broken input, must either return a consistent result or throw a FormatError
 * whose message names the file — never hang, throw anything else, or allocate beyond what the
 * file's bytes justify.
 */

/** Bytes a decoded tensor may take per byte of file: float16 → float32 doubles; text → float64. */
function allowedBytes(format: string, fileSize: number): number {
  return (format === 'text' ? 8 : 2) * fileSize + (format === 'torch' ? 1 << 20 : 64);
}

/** A source that also checks every read stays inside the file. */
function strictSource(name: string, bytes: Uint8Array): ByteSource {
  const inner = bytesSource(name, bytes);
  return {
    name,
    size: bytes.length,
    read(offset, length) {
      if (!(offset >= 0 && length >= 0 && Number.isSafeInteger(offset) && Number.isSafeInteger(length))) {
        throw new Error(`bad read(${offset}, ${length})`);
      }
      return inner.read(offset, length);
    },
  };
}

async function exercise(name: string, bytes: Uint8Array, options: OpenOptions = {}): Promise<'ok' | 'error'> {
  try {
    const opened = await openFile(strictSource(name, bytes), { chunkBytes: 64, ...options });
    for (const info of opened.tensors) {
      const t = await opened.decode(info.name);
      expect(t.data.length).toBe(info.count);
      expect((t.data as Float32Array).byteLength).toBeLessThanOrEqual(allowedBytes(opened.format, bytes.length));
    }
    if (opened.tensors.length > 0) {
      const { pointSet } = await opened.stream(opened.tensors[0].name, { bins: 16 });
      expect(pointSet.n + pointSet.nonFinite).toBe(opened.tensors[0].count);
    }
    return 'ok';
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    expect(e.message.startsWith(`${name}: `)).toBe(true);
    // The fallback wrapper means an exception escaped a parser's own checks: a bug.
    expect(e.message).not.toMatch(/could not be (read|decoded)/);
    return 'error';
  }
}

const GOOD = Object.keys(manifest.files).filter((f) => !manifest.files[f].raw);
const RUNS = 100;

describe('fuzzing every parser', () => {
  for (const file of GOOD) {
    const bytes = fixtureBytes(file);
    it(`${file}: truncated at any length → a result or a FormatError`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: bytes.length - 1 }), async (n) => {
          await exercise(file, bytes.slice(0, n));
        }),
        { seed: 42, numRuns: Math.min(RUNS, bytes.length) },
      );
    });
    it(`${file}: flipped bytes → a result or a FormatError`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 })), {
            minLength: 1,
            maxLength: 6,
          }),
          async (flips) => {
            const copy = bytes.slice();
            for (const [at, x] of flips) copy[at] ^= x;
            await exercise(file, copy);
          },
        ),
        { seed: 42, numRuns: RUNS },
      );
    });
  }

  it('random bytes under every extension → a result or a FormatError', async () => {
    const names = ['r.npy', 'r.npz', 'r.safetensors', 'r.pt', 'r.csv', 'r.json', 'r.dat', 'r'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.uint8Array({ maxLength: 300 }), async (name, bytes) => {
        await exercise(name, bytes);
      }),
      { seed: 42, numRuns: 1000 },
    );
  });

  it('random bytes after a valid magic (npy, zip, pickle, safetensors length) → a result or a FormatError', async () => {
    const prefixes = [
      [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0],
      [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0],
      [0x50, 0x4b, 3, 4],
      [0x80, 2],
      [40, 0, 0, 0, 0, 0, 0, 0, 0x7b],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 200 }), async (prefix, tail) => {
        await exercise('m.bin', new Uint8Array([...prefix, ...tail]));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('raw files of any size and dtype → a result or a FormatError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 64 }),
        fc.constantFrom(
          'float16',
          'bfloat16',
          'f4',
          'float64',
          'int8',
          'uint16',
          'i4',
          'uint32',
          'int64',
          'u64',
          'bool',
          'c8',
        ),
        fc.constantFrom<'little' | 'big'>('little', 'big'),
        async (bytes, dtype, byteOrder) => {
          await exercise('x.raw', bytes, { raw: { dtype, byteOrder } });
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

/** Dimensions that are either honest-sized or absurd, so both sides of every check are hit. */
const dim = fc.oneof(
  fc.integer({ min: 0, max: 40 }),
  fc.integer({ min: 1e6, max: 1e13 }),
  fc.integer({ min: -5, max: -1 }),
);

describe('headers that lie are rejected before allocating', () => {
  it('.npy: any shape and dtype → exactly the declared count, or a FormatError when the bytes are short', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('<f4', '>f8', '<f2', '|u1', '<i8', '|b1', '<c8', '|O', '<U4', '<f16', '<M8[ns]', 'x'),
        fc.array(dim, { maxLength: 4 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 400 }),
        async (descr, shape, fortran, payload) => {
          const bytes = npyWithHeader(descr, shape, fortran, payload);
          const outcome = await exercise('lie.npy', bytes);
          const count = shape.reduce((a, b) => a * b, 1);
          const itemSize = ({ '<f4': 4, '>f8': 8, '<f2': 2, '|u1': 1, '<i8': 8, '|b1': 1 } as Record<string, number>)[
            descr
          ];
          const honest = itemSize !== undefined && shape.every((d) => d >= 0) && count * itemSize <= payload;
          expect(outcome).toBe(honest ? 'ok' : 'error');
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('.safetensors: any dtype, shape and offsets → consistent tensors, or a FormatError', async () => {
    const offset = fc.oneof(
      fc.integer({ min: 0, max: 64 }),
      fc.integer({ min: 2 ** 40, max: 2 ** 53 }),
      fc.integer({ min: -9, max: -1 }),
      fc.double(),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('F32', 'F16', 'BF16', 'I64', 'U8', 'C64', 'F8_E4M3', 'STR', 7),
        fc.array(dim, { maxLength: 3 }),
        offset,
        offset,
        fc.integer({ min: 0, max: 80 }),
        async (dtype, shape, begin, end, payload) => {
          const bytes = safetensorsRaw(
            { t: { dtype, shape, data_offsets: [begin, end] }, __metadata__: { a: 'b' } },
            payload,
          );
          const outcome = await exercise('lie.safetensors', bytes);
          const count = shape.reduce((a, b) => a * b, 1);
          const size = ({ F32: 4, F16: 2, BF16: 2, I64: 8, U8: 1 } as Record<string, number>)[String(dtype)];
          const honest =
            size !== undefined &&
            shape.every((d) => d >= 0) &&
            Number.isInteger(begin) &&
            begin >= 0 &&
            end === begin + count * size &&
            end <= payload;
          expect(outcome).toBe(honest ? 'ok' : 'error');
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('PyTorch: any view (size, stride, storage offset) → the view, or a FormatError when it leaves its storage', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Non-negative: real checkpoints never pickle negative sizes (negative ones are covered by flips).
        fc.array(fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1e6, max: 1e13 })), { maxLength: 3 }),
        fc.array(fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1e9, max: 1e12 })), {
          minLength: 3,
          maxLength: 3,
        }),
        fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1e9, max: 1e12 })),
        fc.integer({ min: 1, max: 50 }),
        async (shape, strideSeed, offset, numel) => {
          const strides = shape.map((_, k) => strideSeed[k]);
          const outcome = await exercise('lie.pt', torchZip(shape, strides, offset, numel));
          const empty = shape.some((d) => d === 0);
          const extent = empty ? 0 : offset + shape.reduce((a, d, k) => a + (d - 1) * strides[k], 0) + 1;
          const honest = shape.every((d) => d >= 0) && extent <= numel;
          expect(outcome).toBe(honest ? 'ok' : 'error');
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});
