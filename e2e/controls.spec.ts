/**
 * A researcher moves the bits and the BS-KMQ suppression controls: the levels, the
 * metrics and every chart follow, and what the page computed is what the command line
 * computes for the same file and parameters (docs/definitions.md, The report: "compare key by key").
 */
import type { Report } from '../src/core/report';
import { reportDifferences } from './compareReports';
import { cliDesign, expect, fixture, test } from './fixtures';

// input.file is compared too: the CLI writes the file's base name, as the app names an upload.
const TOLERANCE = { rel: 1e-9, ignore: ['seconds'] };

function bskmq(report: Report) {
  const r = report.results.find((x) => x.method === 'bskmq');
  expect(r, 'report has bskmq').toBeDefined();
  return r!;
}

test.describe('controls', () => {
  test('bits and the suppression controls change levels, metrics and charts; the result equals `bskmq design`', async ({
    app,
  }) => {
    await app.openSmall();
    await app.uploadAndWait(fixture('relu_10k.npy'));
    await app.report();
    const row3 = await app.tableRow('bskmq');
    const charts3 = await app.chartMarkup();

    // Bits 3 → 4 with the keyboard.
    await app.stepSlider(app.bits, 'ArrowRight');
    await expect(app.bits).toHaveValue('4');
    const r4 = await app.report();
    expect(r4.params.bits).toBe(4);
    for (const r of r4.results) expect(r.levels, `${r.method} at 4 bits`).toHaveLength(16);
    expect(await app.tableRow('bskmq')).not.toEqual(row3);
    expect(await app.countMarks('histogram', 'line.level')).toBe(16);
    const bars = await app.countMarks('occupancy', 'rect.bar');
    expect(bars + (await app.countMarks('occupancy', 'g.empty'))).toBe(16);
    await expect(app.chart('errorCurve').locator('text.readout')).toContainText('at 4 b');
    await expect(app.page.locator('figure', { has: app.chart('sweep') }).locator('figcaption')).toContainText('at 4 b');
    const charts4 = await app.chartMarkup();
    for (const name of ['histogram', 'transfer', 'occupancy', 'errorCurve', 'sweep'] as const) {
      expect(charts4[name], `${name} redrawn after a bits change`).not.toBe(charts3[name]);
    }
    expect(app.query().get('b')).toBe('4');

    // The low band, then the high band: BS-KMQ's levels and its interior/boundary split move.
    await app.setSlider(app.bandLow, 0.1);
    const rLow = await app.report();
    expect(rLow.params.bandLow).toBe(0.1);
    expect(bskmq(rLow).levels).not.toEqual(bskmq(r4).levels);
    expect(bskmq(rLow).mseBoundary).not.toBe(bskmq(r4).mseBoundary);
    expect(app.query().get('bl')).toBe('0.1');
    await app.setSlider(app.bandHigh, 0.05);
    const rHigh = await app.report();
    expect(rHigh.params.bandHigh).toBe(0.05);
    expect(bskmq(rHigh).mseInterior).not.toBe(bskmq(rLow).mseInterior);

    // No pinned levels: the spikes at 0 and 2.5 no longer hold levels of their own.
    await app.choose(app.pin, 'none');
    const rPin = await app.report();
    expect(rPin.params.pin).toBe('none');
    expect(bskmq(rPin).levels).not.toEqual(bskmq(rHigh).levels);
    expect(await app.tableRow('bskmq')).not.toEqual(await app.tableRow('kmeans'));
    // Methods without suppression settings do not move.
    expect(rPin.results.find((r) => r.method === 'optimal')).toEqual(
      expect.objectContaining({ levels: r4.results.find((r) => r.method === 'optimal')!.levels }),
    );

    const cli = cliDesign(fixture('relu_10k.npy'), [
      '--bits',
      '4',
      '--band-low',
      '0.1',
      '--band-high',
      '0.05',
      '--pin',
      'none',
    ]);
    expect(reportDifferences(rPin, cli, TOLERANCE)).toEqual([]);
    expect(rPin.input.file).toBe('relu_10k.npy');
  });

  test('percentile suppression, weights, seeding and boundaries on a picked tensor equal `bskmq design --tensor`', async ({
    app,
  }) => {
    await app.openSmall();
    await app.uploadAndWait(fixture('deflated.npz'));
    await app.choose(app.tensorPicker, 'x');
    const issues = await app.setParams({
      bits: 2,
      suppressMode: 'percentile',
      pctLow: 5,
      pctHigh: 2.5,
      suppressWeight: 0.25,
      pin: 'low',
      bsInit: 'plusplus',
      seed: 7,
      restarts: 2,
    });
    expect(issues).toEqual([]);
    await expect(app.page.getByTestId('controls.pctLow')).toHaveValue('5');
    const report = await app.report();
    const cli = cliDesign(fixture('deflated.npz'), [
      '--tensor',
      'x',
      '--bits',
      '2',
      '--suppress-mode',
      'percentile',
      '--pct-low',
      '5',
      '--pct-high',
      '2.5',
      '--suppress-weight',
      '0.25',
      '--pin',
      'low',
      '--bs-init',
      'plusplus',
      '--seed',
      '7',
      '--restarts',
      '2',
    ]);
    expect(reportDifferences(report, cli, TOLERANCE)).toEqual([]);

    // User-set boundaries L and U (a known clamp range).
    const range = { low: report.input.min! - 0.5, high: report.input.max! + 0.25 };
    await app.setParams({ ...range, suppressMode: 'band', bits: 3 });
    const bounded = await app.report();
    expect(bounded.results.find((r) => r.method === 'linear')!.levels[0]).toBe(range.low);
    const cliBounded = cliDesign(fixture('deflated.npz'), [
      '--tensor',
      'x',
      '--bits',
      '3',
      '--suppress-weight',
      '0.25',
      '--pin',
      'low',
      '--bs-init',
      'plusplus',
      '--seed',
      '7',
      '--restarts',
      '2',
      '--pct-low',
      '5',
      '--pct-high',
      '2.5',
      '--low',
      String(range.low),
      '--high',
      String(range.high),
    ]);
    expect(reportDifferences(bounded, cliBounded, TOLERANCE)).toEqual([]);
  });

  test('unchecking the focused method moves the focus to the method the charts show', async ({ app }) => {
    await app.openSmall();
    await expect(app.focus).toHaveValue('bskmq');
    await app.page.getByTestId('controls.method.bskmq').uncheck();
    await app.waitCurrent();
    const focus = await app.focus.inputValue();
    expect(focus).not.toBe('bskmq');
    const report = await app.report();
    expect(report.params.focus).toBe(focus);
    expect(report.results.map((r) => r.method)).not.toContain('bskmq');
    await expect(app.page.getByTestId('adc')).toContainText(`at ${report.params.bits} b`);
  });
});
