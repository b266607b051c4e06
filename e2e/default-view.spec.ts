/**
 * A newcomer opens the app: ReLU6 data at 3 bits, every method, every chart drawn with
 * real marks, and the numbers equal the command line's on the same samples.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { METHODS } from '../src/core/params';
import { reportDifferences } from './compareReports';
import { cliDesign, expect, REPO, test } from './fixtures';

test.describe('default view', () => {
  test.beforeEach(async ({ app }) => {
    await app.open();
  });

  test('opens on the ReLU6 generator at 3 bits with every method in the metrics table', async ({ app }) => {
    await expect(app.generator).toHaveValue('relu6');
    await expect(app.bits).toHaveValue('3');
    expect(await app.tableMethods()).toEqual([...METHODS]);
    const report = await app.report();
    expect(report.params.bits).toBe(3);
    expect(report.results.map((r) => r.method)).toEqual([...METHODS]);
    for (const r of report.results) {
      expect(r.bits).toBe(3);
      expect(r.levels, `${r.method} levels`).toHaveLength(8);
    }
    const stats = await app.statsValues();
    expect(stats['n']).toBe('100,000');
    expect(stats['max']).toBe('6');
  });

  test('every chart is drawn with real marks', async ({ app }) => {
    // Histogram: bars, the two ReLU6 spikes (0 and the clamp), 8 BS-KMQ levels, 7 references, 6 rug rows.
    expect(await app.countMarks('histogram', 'rect.bar')).toBeGreaterThan(50);
    expect(await app.countMarks('histogram', 'g.spike')).toBe(2);
    expect(await app.countMarks('histogram', 'line.level')).toBe(8);
    expect(await app.countMarks('histogram', 'line.threshold')).toBeGreaterThanOrEqual(1);
    expect(await app.countMarks('histogram', 'g.rug-row')).toBe(6);
    expect(await app.countMarks('histogram', 'g.band')).toBe(2);
    await expect(app.chart('histogram').locator('text.spike-label').first()).toContainText('%');
    // Transfer: the focused staircase and linear's, each with 8 steps (≥ 16 path commands).
    for (const cls of ['path.staircase.focus', 'path.staircase.linear']) {
      const d = await app.pathData('transfer', cls);
      expect(d.match(/[MLHV]/g)?.length ?? 0, `${cls} path`).toBeGreaterThanOrEqual(16);
    }
    // Occupancy: one bar per used code of the focused method (8 codes at 3 bits).
    const bars = await app.countMarks('occupancy', 'rect.bar');
    const empty = await app.countMarks('occupancy', 'g.empty');
    expect(bars).toBeGreaterThan(0);
    expect(bars + empty).toBe(8);
    // Error vs bits: a curve per method over bits 1–8, the current bits marked on each.
    expect(await app.countMarks('errorCurve', 'g.series')).toBe(METHODS.length);
    expect(await app.countMarks('errorCurve', 'path.curve')).toBe(METHODS.length);
    expect(await app.countMarks('errorCurve', 'circle.point')).toBe(METHODS.length * 8);
    expect(await app.countMarks('errorCurve', 'circle.point.current')).toBe(METHODS.length);
    await expect(app.chart('errorCurve').locator('text.readout')).toContainText(/at 3 b ≈ linear at \d+(\.\d)? b/);
    // Sweep: BS-KMQ's curve over band widths, K-means and optimal reference lines, the current setting.
    expect((await app.pathData('sweep', 'path.curve')).length).toBeGreaterThan(20);
    expect(await app.countMarks('sweep', 'circle.point')).toBeGreaterThan(3);
    expect(await app.countMarks('sweep', 'g.reference')).toBe(2);
    expect(await app.countMarks('sweep', 'g.current')).toBe(1);
  });

  test('the workers run Lloyd in WebAssembly under a Content-Security-Policy without unsafe-eval', async ({ app }) => {
    const policy = await app.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(policy).not.toContain("'unsafe-eval'");
    await expect(app.page.getByTestId('table.kernel')).toHaveAttribute('data-kernel', 'wasm');
  });

  test('getReport() equals `bskmq design` on the same generated samples', async ({ app }, testInfo) => {
    const npy = testInfo.outputPath('relu6.npy');
    execFileSync(process.execPath, [resolve(REPO, 'bin/bskmq.mjs'), 'generate', 'relu6', '-o', npy], { cwd: REPO });
    const cli = cliDesign(npy, ['--bits', '3']);
    const app_ = await app.report();
    // A generator has no file or tensor name; the .npy written from it has.
    expect(reportDifferences(app_, cli, { rel: 1e-9, ignore: ['seconds', 'input.file', 'input.tensor'] })).toEqual([]);
  });
});
