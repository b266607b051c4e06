/**
 * Screenshots of the default view at both target sizes, light and dark, saved under
 * test-results/screenshots/ (ignored by git) and attached to the report, for a person
 * to look at.
 * The checks here catch what a screenshot would show broken: a chart wider than its
 * card, a flat chart, a page that scrolls sideways.
 */
import { resolve } from 'node:path';
import { CHARTS, type ExplorerPage } from './app';
import { expect, REPO, test } from './fixtures';

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];
const DIR = resolve(REPO, 'test-results/screenshots');

async function expectLaidOut(app: ExplorerPage): Promise<void> {
  for (const name of CHARTS) {
    const chart = app.chart(name);
    await expect(chart.locator('svg')).toBeVisible();
    const box = (await chart.boundingBox())!;
    const card = (await app.page.locator('figure', { has: chart }).boundingBox())!;
    expect(box.height, `${name} height`).toBeGreaterThan(100);
    expect(box.x + box.width, `${name} inside its card`).toBeLessThanOrEqual(card.x + card.width + 1);
  }
  const overflow = await app.page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, 'no sideways scrolling').toBeLessThanOrEqual(0);
}

for (const size of SIZES) {
  test(`default view at ${size.width}×${size.height}, light and dark`, async ({ app, page }, testInfo) => {
    await page.setViewportSize(size);
    await app.open('th=light');
    for (const theme of ['light', 'dark'] as const) {
      // The theme button cycles light → system → dark; the charts only repaint.
      while (
        (await page.locator('html').getAttribute('data-theme')) !== theme ||
        !(await app.themeButton.innerText()).includes(theme)
      ) {
        await app.themeButton.click();
      }
      await app.waitReady();
      await expectLaidOut(app);
      const base = `default-${size.width}x${size.height}-${theme}`;
      for (const [suffix, fullPage] of [
        ['', false],
        ['-full', true],
      ] as const) {
        const path = resolve(DIR, `${base}${suffix}.png`);
        await page.screenshot({ path, fullPage });
        await testInfo.attach(`${base}${suffix}`, { path, contentType: 'image/png' });
      }
    }
  });
}
