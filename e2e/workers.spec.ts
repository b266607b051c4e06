/**
 * A compute worker crashes mid-session (the console's `crashWorker` test hook throws an
 * uncaught error inside it, as a real crash would): the page says which worker stopped,
 * restarts it with the data it held, and the user carries on with the same data, the same
 * numbers and working controls.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { METHODS } from '../src/core/params';
import type { Report } from '../src/core/report';
import { SMALL_N, type ExplorerPage } from './app';
import { reportDifferences } from './compareReports';
import { cliDesign, expect, fixture, manifest, REPO, test } from './fixtures';

declare global {
  interface Window {
    /** Every `data-busy` value the root showed since the last crash this spec caused. */
    busySinceCrash?: string[];
  }
}

/** Exactly the same numbers: only the timing fields may differ. */
const SAME = { rel: 0, ignore: ['seconds'] };
/** As the other specs compare the page with the command line. */
const AS_CLI = { rel: 1e-9, ignore: ['seconds'] };

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** What the user sees of the loaded data and what the console reports for it. */
async function snapshot(app: ExplorerPage) {
  // A file or link is named under the picker; a generator only by the generator select.
  const sourceLine = app.page.getByTestId('data.source');
  return {
    stats: await app.statsValues(),
    source: (await sourceLine.count()) ? await sourceLine.innerText() : `generator ${await app.generator.inputValue()}`,
    report: await app.report(),
  };
}

/**
 * Crashes a compute worker and waits until the page has recovered: the notice naming the
 * worker is shown, `stage` (one the worker computes) has been busy again since the crash,
 * which only a restarted worker holding the data lets finish, and every view is current.
 */
async function crashAndRecover(app: ExplorerPage, role: 'interactive' | 'background', stage: string): Promise<void> {
  await app.page.evaluate(() => {
    const root = document.querySelector('#root > .app')!;
    const seen: string[] = [];
    window.busySinceCrash = seen;
    new MutationObserver(() => seen.push(root.getAttribute('data-busy') ?? '')).observe(root, {
      attributes: true,
      attributeFilter: ['data-busy'],
    });
  });
  await app.page.evaluate((r) => window.bskmq!.crashWorker(r), role);
  const notice = app.notice.locator('.notice-error', { hasText: `The ${role} compute worker stopped` });
  await expect(notice).toContainText('restarting it and re-sending the data');
  await expect
    .poll(() => app.page.evaluate((s) => window.busySinceCrash!.some((b) => b.split(' ').includes(s)), stage), {
      message: `the ${stage} stage ran again after the ${role} worker crashed`,
    })
    .toBe(true);
  await app.waitCurrent();
  await expectOnlyCrashNotice(app, role);
}

/** The crash is the only error shown: no stage failed on a worker without data, the restart did not fail. */
async function expectOnlyCrashNotice(app: ExplorerPage, role: string): Promise<void> {
  const errors = await app.notice.locator('.notice-error .notice-text').allInnerTexts();
  expect(errors).toEqual([expect.stringContaining(`The ${role} compute worker stopped`)]);
}

function expectSameReport(after: Report, before: Report): void {
  expect(reportDifferences(after, before, SAME)).toEqual([]);
}

test.describe('compute worker crash', () => {
  test('interactive worker crash: same data and report; bits then equal `bskmq design`', async ({ app }, testInfo) => {
    await app.openSmall();
    const before = await snapshot(app);
    expect(before.stats['n']).toBe(formatCount(SMALL_N));

    await crashAndRecover(app, 'interactive', 'report');
    const after = await snapshot(app);
    expect(after.stats).toEqual(before.stats);
    expect(after.source).toBe(before.source);
    expectSameReport(after.report, before.report);
    expect(await app.countMarks('histogram', 'line.level')).toBe(8);

    await app.stepSlider(app.bits, 'ArrowRight');
    await expect(app.bits).toHaveValue('4');
    const r4 = await app.report();
    expect(r4.params.bits).toBe(4);
    for (const r of r4.results) expect(r.levels, `${r.method} at 4 bits`).toHaveLength(16);
    expect(r4.results.map((r) => r.mse)).not.toEqual(before.report.results.map((r) => r.mse));
    expect(await app.countMarks('histogram', 'line.level')).toBe(16);
    expect(await app.statsValues()).toEqual(before.stats);

    // The same generated samples from the command line, designed at 4 bits.
    const npy = testInfo.outputPath('relu6-small.npy');
    const generate = ['generate', 'relu6', '--n', String(SMALL_N), '-o', npy];
    execFileSync(process.execPath, [resolve(REPO, 'bin/bskmq.mjs'), ...generate], { cwd: REPO });
    const cli = cliDesign(npy, ['--bits', '4']);
    // A generator has no file or tensor name; the .npy written from it has.
    expect(reportDifferences(r4, cli, { ...AS_CLI, ignore: ['seconds', 'input.file', 'input.tensor'] })).toEqual([]);
  });

  test('background worker crash: curves and sweep drawn again; a new sweep computes', async ({ app }) => {
    await app.openSmall();
    const before = await snapshot(app);
    const errorCurve = app.chart('errorCurve').locator('svg');
    const sweep = app.chart('sweep').locator('svg');
    const curveBefore = await errorCurve.innerHTML();
    const sweepBefore = await sweep.innerHTML();

    await crashAndRecover(app, 'background', 'baseCurves');
    const after = await snapshot(app);
    expect(after.stats).toEqual(before.stats);
    expectSameReport(after.report, before.report);
    // The optimal curve is refilled point by point by the new worker: the same curves once it is done.
    await expect(errorCurve.locator('path.curve')).toHaveCount(METHODS.length);
    await expect(errorCurve.locator('circle.point')).toHaveCount(METHODS.length * 8);
    await expect.poll(() => errorCurve.innerHTML(), { message: 'error curves as before the crash' }).toBe(curveBefore);
    expect(await sweep.innerHTML()).toBe(sweepBefore);

    // A BS-KMQ change needs a sweep and a BS-KMQ curve nobody computed yet, partly in the new worker.
    await app.choose(app.pin, 'none');
    expect((await app.report()).params.pin).toBe('none');
    await expect.poll(() => sweep.innerHTML(), { message: 'the sweep redrawn for pin = none' }).not.toBe(sweepBefore);
    expect((await app.pathData('sweep', 'path.curve')).length).toBeGreaterThan(20);
    expect(await app.countMarks('sweep', 'circle.point')).toBeGreaterThan(3);
    expect(await app.countMarks('sweep', 'g.reference')).toBe(2);
    expect(await app.countMarks('sweep', 'g.current')).toBe(1);
    await expect(errorCurve.locator('path.curve')).toHaveCount(METHODS.length);
    await expect(errorCurve.locator('circle.point')).toHaveCount(METHODS.length * 8);
    await expectOnlyCrashNotice(app, 'background');
  });

  test('interactive crash after an upload: the file is re-sent; bits equal `bskmq design`', async ({ app }) => {
    const file = 'relu_10k.npy';
    const { count } = manifest.files[file].tensors[0];
    await app.openSmall();
    await app.uploadAndWait(fixture(file));
    const before = await snapshot(app);
    expect(before.stats['n']).toBe(formatCount(count));
    expect(before.report.input.file).toBe(file);

    await crashAndRecover(app, 'interactive', 'report');
    const after = await snapshot(app);
    expect(after.stats).toEqual(before.stats);
    expect(after.source).toContain(file);
    expect(after.report.input).toMatchObject({ file, count });
    expectSameReport(after.report, before.report);

    // The new worker designs from the file's samples: 4 bits as the command line designs them.
    await app.stepSlider(app.bits, 'ArrowRight');
    const r4 = await app.report();
    expect(r4.params.bits).toBe(4);
    expect(reportDifferences(r4, cliDesign(fixture(file), ['--bits', '4']), AS_CLI)).toEqual([]);
  });

  test('a file with several tensors comes back with the tensor the user picked, not the first', async ({ app }) => {
    const file = 'deflated.npz';
    const z = manifest.files[file].tensors.find((t) => t.name === 'z')!;
    await app.openSmall();
    await app.uploadAndWait(fixture(file));
    await app.tensorPicker.selectOption('z');
    await expect(app.stats).toContainText(formatCount(z.count));
    await app.waitCurrent();
    const before = await snapshot(app);
    expect(before.report.input).toMatchObject({ file, tensor: 'z', count: z.count });

    await crashAndRecover(app, 'interactive', 'report');
    const after = await snapshot(app);
    expect(after.stats).toEqual(before.stats);
    expect(after.report.input).toMatchObject({ file, tensor: 'z', count: z.count });
    expectSameReport(after.report, before.report);
    await expect(app.tensorPicker).toHaveValue('z');

    await app.stepSlider(app.bits, 'ArrowRight');
    const r4 = await app.report();
    expect(r4.input).toMatchObject({ file, tensor: 'z', count: z.count });
    for (const r of r4.results) expect(r.levels, `${r.method} at 4 bits`).toHaveLength(16);
    expect(await app.statsValues()).toEqual(before.stats);
  });
});

test.describe('hung compute worker', () => {
  test('a worker that stops answering is replaced within its budget; the notice names the stage; the other views stay and the next change works', async ({
    app,
  }) => {
    await app.openSmall();
    const before = await snapshot(app);
    const histogramBars = await app.countMarks('histogram', 'rect');
    // The next report never answers, and every watched call is given 2 s.
    await app.page.evaluate(() => window.bskmq!.stallWorker('interactive', 'report', 2000));
    await app.stepSlider(app.bits, 'ArrowRight');
    const notice = app.notice.locator('.notice-error', { hasText: 'The interactive compute worker stopped' });
    await expect(notice).toContainText('the quantizers did not answer within 2.0 s', { timeout: 10_000 });
    await expect(notice).toContainText('The other results stay');
    expect(await app.countMarks('histogram', 'rect')).toBe(histogramBars);
    expect(await app.statsValues()).toEqual(before.stats);
    // The replacement holds the data: the next change is designed and drawn.
    await app.stepSlider(app.bits, 'ArrowRight');
    await expect(app.bits).toHaveValue('5');
    await app.waitCurrent();
    const r5 = await app.report();
    expect(r5.params.bits).toBe(5);
    for (const r of r5.results) expect(r.levels, `${r.method} at 5 bits`).toHaveLength(32);
  });
});
