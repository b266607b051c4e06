/**
 * The command line as a user runs it: `node bin/bskmq.mjs …` in a subprocess.
 * Each case costs a Node start-up, so the data are small and cases run concurrently.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npyHeader, writeNpyFloat32 } from '../../cli/npyWriter';
import { METHODS, PARAM_KEYS } from '../../src/core/params';

const BIN = resolve(__dirname, '../../bin/bskmq.mjs');
/** A NumPy-written np.savez_compressed file (FORMATS' fixture) with tensors x (float32), y (int16), z, w. */
const NPZ = resolve(__dirname, '../fixtures/formats/deflated.npz');
let dir: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from a cwd that is not the repository, as `npx bskmq` from anywhere would. */
function bskmq(...args: string[]): Promise<Run> {
  return bskmqWithEnv({}, ...args);
}

function bskmqWithEnv(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((done) => {
    const options = { cwd: dir, maxBuffer: 1 << 26, env: { ...process.env, ...env } };
    execFile(process.execPath, [BIN, ...args], options, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** A failed run: non-zero exit, nothing on stdout, exactly one line on stderr. */
function expectOneLineFailure(r: Run): string {
  expect(r.code, r.stderr).not.toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  return r.stderr.trim();
}

function writeBytes(name: string, ...parts: Uint8Array[]): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

function floats(values: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bskmq-cli-test-'));
  const relu = new Float32Array(4000);
  for (let i = 0; i < relu.length; i++) relu[i] = Math.max(0, Math.sin(i * 12.9898) * 3);
  writeNpyFloat32(join(dir, 'small.npy'), relu);
  writeNpyFloat32(join(dir, 'constant.npy'), new Float32Array(100).fill(1.5));
  writeNpyFloat32(join(dir, 'nan.npy'), new Float32Array(10).fill(NaN));
  writeNpyFloat32(join(dir, 'empty.npy'), new Float32Array(0));
  writeBytes('truncated.npy', npyHeader([1000]), floats([1, 2, 3]));
  writeBytes('magic.npy', new TextEncoder().encode('NOTNUMPY'), floats([1, 2, 3, 4]));
  writeBytes('complex.npy', npyHeader([2], '<c8'), floats([1, 0, 2, 0]));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.concurrent('bskmq generate → design', () => {
  it('round-trips a generated file into a report with every method at every requested bit-width', async () => {
    const file = join(dir, 'gen.npy');
    const gen = await bskmq('generate', 'relu6', '--n', '20000', '--seed', '3', '-o', file);
    expect(gen.code, gen.stderr).toBe(0);
    const r = await bskmq('design', file, '--bits', '2-3');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report.input.count).toBe(20000);
    expect(report.input.shape).toEqual([20000]);
    expect(report.input.dtype).toBe('float32');
    expect(report.pointSet.mode).toBe('exact');
    const designed = report.results.map((x: { method: string; bits: number }) => `${x.method}@${x.bits}`);
    expect(designed.sort()).toEqual(METHODS.flatMap((m) => [`${m}@2`, `${m}@3`]).sort());
    expect(report.results).toHaveLength(14);
    type Result = { method: string; bits: number; mse: number };
    const optimal3 = report.results.find((x: Result) => x.method === 'optimal' && x.bits === 3);
    for (const res of report.results.filter((x: { bits: number }) => x.bits === 3)) {
      expect(res.levels).toHaveLength(8);
      expect(res.thresholds).toHaveLength(7);
      expect(res.mse).toBeGreaterThanOrEqual(optimal3.mse * (1 - 1e-12));
    }
  });

  it('prints a report whose keys are exactly those of the report schema (docs/definitions.md)', async () => {
    const r = await bskmq('design', 'small.npy', '--bits', '3', '--methods', 'linear,bskmq');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(['input', 'pointSet', 'params', 'results']);
    expect(Object.keys(report.input)).toEqual([
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
    ]);
    expect(Object.keys(report.pointSet)).toEqual(['mode', 'points']);
    expect(Object.keys(report.params)).toEqual([...PARAM_KEYS]);
    expect(report.params.methods).toEqual(['linear', 'bskmq']);
    expect(report.results).toHaveLength(2);
    for (const res of report.results) {
      expect(Object.keys(res).sort()).toEqual([
        'bits',
        'bitsEquivalent',
        'entropyBits',
        'levels',
        'levelsUsed',
        'method',
        'mse',
        'mseBoundary',
        'mseInterior',
        'nmse',
        'rmse',
        'seconds',
        'sqnrDb',
        'thresholds',
        'vsOptimal',
      ]);
    }
  });

  it('designs a constant tensor with every level at the constant', async () => {
    const r = await bskmq('design', 'constant.npy', '--bits', '1,3');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.results).toHaveLength(14);
    for (const res of report.results) {
      expect(new Set(res.levels)).toEqual(new Set([1.5]));
      expect(res.mse).toBe(0);
    }
  });

  it('honours --binned and --exact', async () => {
    const [b, e] = await Promise.all([
      bskmq('design', 'small.npy', '--bits', '2', '--methods', 'optimal', '--binned'),
      bskmq('design', 'small.npy', '--bits', '2', '--methods', 'optimal', '--exact'),
    ]);
    expect(JSON.parse(b.stdout).pointSet.mode).toBe('binned');
    expect(JSON.parse(e.stdout).pointSet.mode).toBe('exact');
  });
});

describe.concurrent('streaming', () => {
  it('streams a file above the threshold into a binned point set with the same statistics', async () => {
    const args = ['design', 'small.npy', '--bits', '2', '--methods', 'linear,optimal'];
    const [streamed, decoded] = await Promise.all([
      bskmqWithEnv({ BSKMQ_STREAM_THRESHOLD: '1000' }, ...args),
      bskmq(...args, '--binned'),
    ]);
    expect(streamed.code, streamed.stderr).toBe(0);
    const a = JSON.parse(streamed.stdout),
      b = JSON.parse(decoded.stdout);
    expect(a.pointSet.mode).toBe('binned');
    expect(a.input).toEqual(b.input);
    expect(a.results.map((r: { mse: number }) => r.mse)).toEqual(b.results.map((r: { mse: number }) => r.mse));
  });

  it('refuses --exact on a file that must be streamed', async () => {
    const r = await bskmqWithEnv({ BSKMQ_STREAM_THRESHOLD: '1000' }, 'design', 'small.npy', '--exact');
    expect(expectOneLineFailure(r)).toContain('--exact');
  });
});

describe.concurrent('bskmq inspect', () => {
  it('lists the tensor of an .npy file with its shape, dtype and count', async () => {
    const r = await bskmq('inspect', 'small.npy');
    expect(r.code, r.stderr).toBe(0);
    const listing = JSON.parse(r.stdout);
    expect(listing.format).toBe('npy');
    expect(listing.tensors).toHaveLength(1);
    expect(listing.tensors[0]).toMatchObject({ shape: [4000], dtype: 'float32', count: 4000 });
  });

  it('lists every tensor of a multi-tensor file, and design --tensor picks one', async () => {
    const [listing, report] = await Promise.all([
      bskmq('inspect', NPZ),
      bskmq('design', NPZ, '--tensor', 'y', '--bits', '1', '--methods', 'linear'),
    ]);
    expect(listing.code, listing.stderr).toBe(0);
    const parsed = JSON.parse(listing.stdout);
    expect(parsed.file).toBe('deflated.npz');
    const names = parsed.tensors.map((t: { name: string }) => t.name);
    expect(names).toEqual(expect.arrayContaining(['x', 'y', 'z']));
    expect(report.code, report.stderr).toBe(0);
    expect(JSON.parse(report.stdout).input).toMatchObject({ tensor: 'y', dtype: 'int16', count: 10 });
  });

  it('reads a raw file with --raw-dtype', async () => {
    writeBytes('plain.bin', floats([1, 2, 3, 4, 5, 6]));
    const r = await bskmq('inspect', 'plain.bin', '--raw-dtype', 'float32');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).tensors[0]).toMatchObject({ dtype: 'float32', count: 6 });
  });
});

describe.concurrent('bad files exit non-zero with one line naming the problem', () => {
  it.each([
    ['truncated.npy', /truncated\.npy/],
    ['magic.npy', /magic\.npy/],
    ['complex.npy', /complex\.npy.*(complex|c8)/i],
    ['empty.npy', /empty\.npy.*empty/],
    ['nan.npy', /nan\.npy.*(finite|NaN)/],
    ['missing.npy', /missing\.npy: no such file/],
  ])('%s', async (file, pattern) => {
    expect(expectOneLineFailure(await bskmq('design', file))).toMatch(pattern);
  });
});

describe.concurrent('bad arguments exit non-zero with the allowed range', () => {
  it.each([
    [['--bits', '0'], '--bits 0: bits must be an integer in 1–8'],
    [['--bits', '9'], '--bits 9: bits must be an integer in 1–8'],
    [['--band-low', '0.7'], '--band-low 0.7: bandLow must be a number in 0–0.5'],
    [['--colour', 'red'], 'unknown option --colour'],
    [['--tensor', 'nope'], 'no such tensor'],
  ])('design %j', async (args, expected) => {
    expect(expectOneLineFailure(await bskmq('design', 'small.npy', ...args))).toContain(expected);
  });

  it('rejects a missing command, an unknown command and an unknown generator', async () => {
    expect(expectOneLineFailure(await bskmq())).toContain('expected a command');
    expect(expectOneLineFailure(await bskmq('desing', 'small.npy'))).toContain('unknown command "desing"');
    expect(expectOneLineFailure(await bskmq('generate', 'nosuch', '-o', 'x.npy'))).toContain('nosuch');
  });

  it('rejects generate without -o', async () => {
    expect(expectOneLineFailure(await bskmq('generate', 'relu6', '--n', '10'))).toContain('-o');
  });
});

describe.concurrent('--help', () => {
  it.each(['inspect', 'design', 'generate'])('bskmq %s --help prints usage and exits 0', async (command) => {
    const r = await bskmq(command, '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: bskmq ${command}`);
  });

  it('refuses values whose squares overflow float64 instead of reporting mse 0, and boundaries whose range overflows', async () => {
    const big = Float64Array.from([1e300, -1e300, 5e299, 0]);
    const file = writeBytes('huge.npy', npyHeader([4], '<f8'), new Uint8Array(big.buffer));
    expect(expectOneLineFailure(await bskmq('design', file, '--bits', '2'))).toMatch(
      /huge\.npy.*values reach 1\.00e\+300.*overflow float64/,
    );
    const ok = writeBytes('ok.npy', npyHeader([4], '<f8'), new Uint8Array(Float64Array.from([0, 1, 2, 3]).buffer));
    expect(
      expectOneLineFailure(await bskmq('design', ok, '--bits', '2', '--low', '-1e308', '--high', '1e308')),
    ).toMatch(/--low.*±1e\+140/);
  });
});
