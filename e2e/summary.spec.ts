/**
 * A researcher opens the activation summary bskmq_torch wrote for a whole calibration set: each
 * layer is a tensor in the picker and a row of the layers view, the statistics strip says it is a
 * summary and of how many samples, and the numbers equal `bskmq design` on the same file.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LayersView } from './layersView';
import { cliDesign, expect, REPO, test } from './fixtures';

const SUMMARY_DIR = resolve(REPO, 'test/fixtures/summary');
const summaryFixture = (name: string) => resolve(SUMMARY_DIR, name);
const REL = 1e-9;

test.describe('activation summary files', () => {
  test.beforeEach(async ({ app }) => {
    await app.openSmall();
  });

  test('open by drop or picker: every layer is a tensor and a row, the strip says summary, numbers equal the CLI', async ({
    app,
    page,
  }, testInfo) => {
    const layers = new LayersView(page);
    await app.uploadAndWait(summaryFixture('layers.npz'));
    await expect(app.tensorPicker).toBeVisible();
    const options = await app.tensorPicker
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).toEqual(['features.1', 'block.gelu', 'head.tanh']);
    await expect(app.stats).toContainText('summary of 4,000 samples');
    await expect(app.stats).toContainText('binned');

    await app.setParams({ bits: 3 });
    const report = await app.report();
    const cli = cliDesign(summaryFixture('layers.npz'), ['--bits', '3']);
    expect(report.input).toEqual(cli.input);
    expect(report.pointSet).toEqual(cli.pointSet);
    for (const r of report.results) {
      const c = cli.results.find((x) => x.method === r.method)!;
      expect(Math.abs(r.mse! - c.mse!), r.method).toBeLessThanOrEqual(REL * c.mse!);
    }

    await layers.waitDone();
    const rows = await layers.read();
    expect(rows.map((r) => r.tensor)).toEqual(['features.1', 'block.gelu', 'head.tanh']);
    expect(rows.map((r) => r.values.count)).toEqual([4000, 3000, 2000]);
    expect(rows.every((r) => r.error === null && (r.values['mse.bskmq'] ?? 0) > 0)).toBe(true);

    // A layer with non-finite samples: counted, not binned.
    await app.tensorPicker.selectOption('head.tanh');
    await app.waitCurrent();
    await expect(app.stats).toContainText('summary of 2,000 samples');
    expect((await app.report()).input.nonFinite).toBe(3);

    const shot = resolve(REPO, process.env.E2E_OUTPUT ?? 'test-results', 'screenshots', 'summary-1280x720.png');
    await page.screenshot({ path: shot, fullPage: false });
    await testInfo.attach('summary', { path: shot, contentType: 'image/png' });
  });

  test('a summary of 2^30 samples opens through ?src= and says how many samples it holds', async ({ app, context }) => {
    const bytes = readFileSync(summaryFixture('billion.npz'));
    await context.route(
      (url) => url.pathname === '/calibration-summary.bin',
      (route) => route.fulfill({ status: 200, body: bytes, headers: { 'content-type': 'application/octet-stream' } }),
    );
    await app.open('src=/calibration-summary.bin');
    await app.waitCurrent();
    await expect(app.stats).toContainText('summary of 1,073,741,824 samples');
    const report = await app.report();
    expect(report.input.count).toBe(2 ** 30);
  });

  test('a summary of another version shows a notice naming the file and keeps the loaded data', async ({ app }) => {
    const before = await app.report();
    await app.upload(summaryFixture('version2.npz'));
    await expect(app.notice).toContainText('version2.npz: bskmq-summary version 2; this reader knows version 1');
    expect((await app.report()).input).toEqual(before.input);
  });
});
