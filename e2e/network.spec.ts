/**
 * The Network panel: the built-in demo network, its accuracy per method against bits, captured
 * activations as the app's tensors, a PTQ table drawn by the same chart.
 */
import { resolve } from 'node:path';
import { expect, REPO, test } from './fixtures';
import { NetworkView } from './networkView';

const METHODS = ['linear', 'cdf', 'lloydmax', 'kmeans', 'kmeanspp', 'bskmq', 'optimal'];

test('?net=digits opens the demo: every method has an accuracy at every bits, and it changes with bits', async ({
  app,
  page,
}) => {
  test.setTimeout(240_000);
  const net = new NetworkView(page);
  await page.goto('/?g.n=2000&net=digits&b=2');
  await net.waitComplete();
  await expect(net.table.locator('tbody tr')).toHaveCount(7);
  const at2 = await net.accuracies();
  expect(Object.keys(at2).sort()).toEqual([...METHODS].sort());
  for (const m of METHODS) expect(at2[m]).toBeGreaterThan(0);
  expect(await net.chart.locator('path.curve').count()).toBe(7);
  expect(await net.chart.locator('circle.point').count()).toBe(7 * 8);
  await expect(net.chart.locator('.float-accuracy line')).toHaveCount(1);

  const report = await net.report();
  expect(report!.format).toBe('bskmq-ptq');
  expect(report!.results).toHaveLength(7 * 8);
  expect(report!.model.activations.map((a) => a.shape)).toEqual([
    [298, 8, 8, 8],
    [298, 16, 4, 4],
    [298, 32],
  ]);
  // Linear at 1 bit loses the network; at 8 bits every method is within 1 % of float.
  const acc = (m: string, b: number) => report!.results.find((r) => r.method === m && r.bits === b)!.accuracy;
  expect(acc('linear', 1)).toBeLessThan(report!.floatAccuracy - 0.2);
  for (const m of METHODS) expect(acc(m, 8)).toBeGreaterThanOrEqual(report!.floatAccuracy - 0.01);

  // The captured activations are the app's tensors: the picker lists them.
  await expect(app.tensorPicker.locator('option')).toHaveCount(3);
  await app.waitCurrent();

  // Bits → the table follows.
  await app.setParams({ bits: 1 });
  await expect.poll(async () => (await net.accuracies()).linear).toBeCloseTo(acc('linear', 1), 9);
  const at1 = await net.accuracies();
  expect(at1).not.toEqual(at2);
  await page.screenshot({ path: 'test-results/screenshots/network-demo.png', fullPage: true });
});

test('a PTQ table file is recognised by content and drawn by the accuracy chart', async ({ app, page }) => {
  const net = new NetworkView(page);
  await app.openSmall();
  await net.model.setInputFiles(resolve(REPO, 'test/fixtures/network/ptq-table.json'));
  await expect(net.table).toHaveAttribute('data-source', 'table');
  await expect(net.chart.locator('path.curve')).toHaveCount(3);
  await expect(net.chart.locator('.float-accuracy line')).toHaveCount(1);
  await net.panel.screenshot({ path: 'test-results/screenshots/network-ptq-table.png' });
});
