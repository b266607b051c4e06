/**
 * `bskmq design --all-tensors`, the ADC flags (`--grid`, `--sigma`, `--sigma-of`, `--trials`,
 * `--min-spacing`) and `input.file` as the file's base name, run as a user runs them:
 * `node bin/bskmq.mjs …` in a subprocess, concurrently, on small data.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNpyFloat32 } from '../../cli/npyWriter';
import { npz } from '../support/encoders';

const BIN = resolve(__dirname, '../../bin/bskmq.mjs');
const FORMATS = resolve(__dirname, '../fixtures/formats');
let dir: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function bskmq(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd: dir, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

async function json(...args: string[]): Promise<any> {
  const r = await bskmq(...args);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

/** A failed run: non-zero exit, nothing on stdout, one line on stderr. */
async function failure(...args: string[]): Promise<string> {
  const r = await bskmq(...args);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  return r.stderr.trim();
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bskmq-batch-test-'));
  const relu = new Float32Array(3000);
  for (let i = 0; i < relu.length; i++) relu[i] = Math.max(0, Math.sin(i * 12.9898) * 3);
  writeNpyFloat32(join(dir, 'relu.npy'), relu);
  const other = relu.map((v, i) => v * 0.5 + (i % 7) * 0.01);
  // Two good tensors around two that cannot be designed: all NaN, empty. (A complex member fails the whole
  // npz already when it is listed, so it cannot stand in for a tensor-level failure.)
  const zip = npz(
    { a: relu, nan: new Float32Array(5).fill(NaN), empty: new Float32Array(0), b: other },
    { deflate: true },
  );
  writeFileSync(join(dir, 'mixed.npz'), zip);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.concurrent('design --all-tensors', () => {
  it('gives every tensor of a fixture exactly the report `design --tensor NAME` gives', async () => {
    const file = join(FORMATS, 'deflated.npz');
    const args = ['--bits', '2,3', '--methods', 'linear,kmeans,bskmq,optimal'];
    const all = await json('design', file, '--all-tensors', ...args);
    expect(Object.keys(all)).toEqual(['file', 'format', 'tensors']);
    expect(all.file).toBe('deflated.npz');
    expect(all.format).toBe('npz');
    expect(all.tensors.map((t: any) => t.input.tensor)).toEqual(['x', 'y', 'z', 'w']);
    const singles = await Promise.all(['x', 'y', 'z', 'w'].map((t) => json('design', file, '--tensor', t, ...args)));
    const dropSeconds = (r: any) => ({ ...r, results: r.results.map(({ seconds: _s, ...rest }: any) => rest) });
    all.tensors.forEach((report: any, i: number) => {
      expect(Object.keys(report)).toEqual(['input', 'pointSet', 'params', 'results']);
      expect(dropSeconds(report)).toEqual(dropSeconds(singles[i]));
    });
  });

  it('lists tensors that cannot be designed with an error and designs the others', async () => {
    const all = await json('design', 'mixed.npz', '--all-tensors', '--bits', '2', '--methods', 'linear,bskmq');
    const byName = Object.fromEntries(all.tensors.map((t: any) => [t.input.tensor, t]));
    expect(all.tensors.map((t: any) => t.input.tensor)).toEqual(['a', 'nan', 'empty', 'b']);
    for (const good of ['a', 'b']) {
      expect(byName[good].error).toBeUndefined();
      expect(byName[good].results).toHaveLength(2);
    }
    expect(byName.nan).toEqual({
      input: { file: 'mixed.npz', tensor: 'nan', shape: [5], dtype: 'float32', count: 5 },
      error: expect.stringMatching(/no finite values/),
    });
    expect(byName.empty.error).toMatch(/empty/);
    expect(Object.keys(byName.empty)).toEqual(['input', 'error']);
  });

  it('refuses --all-tensors together with --tensor', async () => {
    const message = await failure('design', 'mixed.npz', '--all-tensors', '--tensor', 'a');
    expect(message).toMatch(/--all-tensors and --tensor/);
  });

  it('documents the batch shape and the ADC flags in design --help', async () => {
    const r = await bskmq('design', '--help');
    expect(r.code).toBe(0);
    const documented = [
      '--all-tensors',
      '"tensors": [REPORT',
      '"error"',
      '--grid R',
      '--sigma S',
      '--sigma-of range|step',
      '--trials N',
      '--min-spacing F',
    ];
    for (const text of documented) {
      expect(r.stdout).toContain(text);
    }
  });
});

describe.concurrent('input.file', () => {
  it("is the file's base name however the path was typed, as the app names an upload", async () => {
    const [rel, abs] = await Promise.all([
      json('design', './relu.npy', '--bits', '1', '--methods', 'linear'),
      json('design', join(dir, 'relu.npy'), '--bits', '1', '--methods', 'linear'),
    ]);
    expect(rel.input.file).toBe('relu.npy');
    expect(abs.input.file).toBe('relu.npy');
  });
});

describe.concurrent('design --grid / --sigma / --min-spacing', () => {
  it('adds a top-level adc and per-result adc with only the parts asked for', async () => {
    const grid = await json('design', 'relu.npy', '--bits', '3', '--methods', 'linear,bskmq', '--grid', '4');
    expect(Object.keys(grid)).toEqual(['input', 'pointSet', 'params', 'adc', 'results']);
    expect(grid.adc).toEqual({ grid: 4, sigma: null, sigmaOf: null, trials: null, seed: null, minSpacing: null });
    for (const r of grid.results) {
      expect(Object.keys(r.adc)).toEqual(['grid']);
      expect(r.adc.grid.resolution).toBe(4);
      expect(r.adc.grid.mseBefore).toBeCloseTo(r.mse, 12);
      // Every snapped reference is on the grid of 16 unit steps over [L, U] = [0, max].
      const unit = grid.input.max / 16;
      expect(r.adc.grid.unitStep).toBeCloseTo(unit, 12);
      r.adc.grid.thresholds.forEach((t: number, j: number) => {
        expect(t).toBeCloseTo(r.adc.grid.referenceSteps[j] * unit, 9);
      });
    }
    const plain = await json('design', 'relu.npy', '--bits', '3', '--methods', 'linear,bskmq');
    expect(plain.adc).toBeUndefined();
    expect(plain.results[0].adc).toBeUndefined();
  });

  it('runs a seeded Monte Carlo: σ = 0 gives the nominal MSE, a seed repeats, another seed differs', async () => {
    const base = ['design', 'relu.npy', '--bits', '3', '--methods', 'kmeanspp', '--trials', '40'];
    const [zero, a, b, other, step] = await Promise.all([
      json(...base, '--sigma', '0'),
      json(...base, '--sigma', '0.02', '--seed', '5'),
      json(...base, '--sigma', '0.02', '--seed', '5'),
      json(...base, '--sigma', '0.02', '--seed', '6'),
      json(...base, '--sigma', '0.02', '--sigma-of', 'step', '--seed', '5'),
    ]);
    const v0 = zero.results[0].adc.variation;
    expect(v0).toMatchObject({ sigma: 0, sigmaOf: 'range', sigmaAbs: 0, trials: 40, seed: 0 });
    expect(v0.meanMse).toBe(zero.results[0].mse);
    expect(v0.q05Mse).toBe(v0.nominalMse);
    expect(v0.q95Mse).toBe(v0.nominalMse);
    expect(a.adc).toEqual({ grid: null, sigma: 0.02, sigmaOf: 'range', trials: 40, seed: 5, minSpacing: null });
    expect(a.results[0].adc.variation).toEqual(b.results[0].adc.variation);
    expect(a.results[0].adc.variation.meanMse).not.toBe(other.results[0].adc.variation.meanMse);
    expect(a.results[0].adc.variation.meanMse).toBeGreaterThan(a.results[0].mse);
    expect(step.results[0].adc.variation.sigmaOf).toBe('step');
    expect(step.results[0].adc.variation.sigmaAbs).toBeLessThan(a.results[0].adc.variation.sigmaAbs);
  });

  it('uses 1000 trials by default and flags references closer than --min-spacing', async () => {
    const r = await json(
      'design',
      'relu.npy',
      '--bits',
      '4',
      '--methods',
      'cdf,linear',
      '--sigma',
      '0.001',
      '--min-spacing',
      '0.05',
    );
    expect(r.adc.trials).toBe(1000);
    const range = r.input.max - r.input.min;
    const cdf = r.results.find((x: any) => x.method === 'cdf');
    const linear = r.results.find((x: any) => x.method === 'linear');
    // Linear references are R/15 apart, above 0.05·R; cdf's crowd into the dense low end.
    expect(linear.adc.spacing).toEqual({ minSpacing: 0.05 * range, warnings: [] });
    expect(cdf.adc.spacing.warnings.length).toBeGreaterThan(0);
    for (const w of cdf.adc.spacing.warnings) expect(w.gap).toBeLessThan(0.05 * range);
  });

  it('applies the ADC flags to every tensor of --all-tensors', async () => {
    const file = join(FORMATS, 'stored.npz');
    const all = await json('design', file, '--all-tensors', '--bits', '2', '--methods', 'optimal', '--grid', '8');
    for (const t of all.tensors) {
      expect(t.adc.grid).toBe(8);
      expect(t.results[0].adc.grid.resolution).toBe(8);
    }
  });

  it.each([
    [['--grid', '0'], /--grid 0: must be an integer in 1–24/],
    [['--grid', '25'], /--grid 25: must be an integer in 1–24/],
    [['--grid', '3.5'], /--grid 3\.5: must be an integer in 1–24/],
    [['--sigma', '-0.1'], /--sigma -0\.1: must be a number in 0–10/],
    [['--sigma', 'abc'], /--sigma abc: must be a number in 0–10/],
    [['--sigma', '11'], /--sigma 11: must be a number in 0–10/],
    [['--sigma', '0.1', '--trials', '0'], /--trials 0: must be an integer in 1–100000/],
    [['--sigma', '0.1', '--trials', '100001'], /--trials 100001: must be an integer in 1–100000/],
    [['--sigma', '0.1', '--sigma-of', 'lsb'], /--sigma-of lsb: must be one of range, step/],
    [['--trials', '10'], /--trials only applies with --sigma/],
    [['--sigma-of', 'step'], /--sigma-of only applies with --sigma/],
    [['--min-spacing', '-1'], /--min-spacing -1: must be a fraction of the range in 0–1/],
    [['--min-spacing', '2'], /--min-spacing 2: must be a fraction of the range in 0–1/],
  ])('rejects %j naming the allowed range', async (flags, pattern) => {
    expect(await failure('design', 'relu.npy', ...flags)).toMatch(pattern);
  });
});
