/**
 * A `?src=` link to another site asks before downloading, names the site, remembers an
 * accepted site, and keeps the data shown when the user declines. The other site is
 * played by Playwright's router (any host name works, nothing leaves the machine).
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, fixture, manifest, test } from './fixtures';

const FOREIGN = 'https://data.example.org';
const FILE = 'f32_c.npy';
const FOREIGN_URL = `${FOREIGN}/acts/${FILE}`;
const BODY = readFileSync(fixture(FILE));
const COUNT = manifest.files[FILE].tensors[0].count;

/** Serves the fixture as the other site would (CORS allowed), counting the requests it got. */
async function serveForeign(page: Page): Promise<{ requests: () => number }> {
  let n = 0;
  await page.route(`${FOREIGN}/**`, (route) => {
    n++;
    return route.fulfill({
      status: 200,
      body: BODY,
      headers: { 'content-type': 'application/octet-stream', 'access-control-allow-origin': '*' },
    });
  });
  return { requests: () => n };
}

const dialog = (page: Page) => page.getByTestId('remote-consent');

test.describe('?src= from another site', () => {
  test('asks, naming the site, and downloads only after the user accepts', async ({ app, page }) => {
    const server = await serveForeign(page);
    await page.goto(`/?src=${encodeURIComponent(FOREIGN_URL)}`);
    await expect(dialog(page)).toBeVisible();
    await expect(page.getByTestId('remote-consent.origin')).toHaveText(FOREIGN);
    await expect(dialog(page)).toContainText(FOREIGN_URL);
    expect(server.requests()).toBe(0);
    if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/remote-consent.png` });
    await page.getByTestId('remote-consent.accept').click();
    await expect(dialog(page)).toBeHidden();
    await app.waitReady();
    await expect(page.getByTestId('data.source')).toContainText(FOREIGN_URL);
    const report = await app.report();
    expect(report.input.count).toBe(COUNT);
    expect(server.requests()).toBe(1);
  });

  test('an accepted site is remembered: a reload and another link from it load without asking', async ({
    app,
    page,
  }) => {
    const server = await serveForeign(page);
    await page.goto(`/?src=${encodeURIComponent(FOREIGN_URL)}`);
    await page.getByTestId('remote-consent.accept').click();
    await app.waitReady();
    await page.reload();
    await app.waitReady();
    await expect(dialog(page)).toHaveCount(0);
    await page.goto(`/?src=${encodeURIComponent(`${FOREIGN}/other/${FILE}`)}&bits=2`);
    await app.waitReady();
    await expect(dialog(page)).toHaveCount(0);
    expect((await app.report()).input.count).toBe(COUNT);
    expect(server.requests()).toBe(3);
  });

  test('declining on a fresh page shows the built-in data and downloads nothing', async ({ app, page }) => {
    const server = await serveForeign(page);
    await page.goto(`/?src=${encodeURIComponent(FOREIGN_URL)}`);
    await page.getByTestId('remote-consent.decline').click();
    await app.waitReady();
    await expect(app.notice).toContainText(`Not downloaded: ${FOREIGN_URL} (from ${FOREIGN})`);
    await expect(app.generator).toHaveValue('relu6');
    expect((await app.report()).input.file).toBeNull();
    expect(server.requests()).toBe(0);
    // Declining is not remembered: the link asks again.
    await page.goto(`/?src=${encodeURIComponent(FOREIGN_URL)}`);
    await expect(dialog(page)).toBeVisible();
  });

  test('declining keeps the data already loaded (Back to a link of another site)', async ({ app, page }) => {
    const server = await serveForeign(page);
    await page.goto(`/?src=${encodeURIComponent(FOREIGN_URL)}`);
    await page.getByTestId('remote-consent.decline').click();
    await app.waitReady();
    // The built-in data is now loaded; Back returns to the foreign link, which asks again.
    await app.waitCurrent();
    const before = await app.report();
    await page.goBack();
    await expect(dialog(page)).toBeVisible();
    await page.getByTestId('remote-consent.decline').click();
    await expect(app.notice).toContainText('The data already loaded stays');
    await app.waitCurrent();
    const after = await app.report();
    expect(after.input).toEqual(before.input);
    expect(after.results.map((r) => r.levels)).toEqual(before.results.map((r) => r.levels));
    expect(server.requests()).toBe(0);
  });

  test('a same-origin ?src= loads without asking', async ({ app, page }) => {
    await page.route(
      (url) => url.pathname === `/same/${FILE}`,
      (route) => route.fulfill({ status: 200, body: BODY, headers: { 'content-type': 'application/octet-stream' } }),
    );
    await page.goto(`/?src=${encodeURIComponent(`/same/${FILE}`)}`);
    await app.waitReady();
    await expect(dialog(page)).toHaveCount(0);
    expect((await app.report()).input.count).toBe(COUNT);
  });
});
