/**
 * Things go wrong: a broken file or a download that fails says what happened in the
 * notice area, and the data already loaded stays loaded and drawn.
 */
import { createRng } from '../src/core/rng';
import type { ExplorerPage } from './app';
import { expect, fixture, manifest, test } from './fixtures';

/** Seeded random bytes: no format's magic, header or zip directory. */
function randomBytes(length: number, seed: number): Buffer {
  const rng = createRng(seed);
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(rng() * 256);
  return out;
}

/** What must survive a failed load: the statistics, the report's input and levels, drawn charts. */
async function snapshot(app: ExplorerPage) {
  const report = await app.report();
  return {
    stats: await app.statsValues(),
    input: report.input,
    levels: report.results.map((r) => r.levels),
    source: await app.page.getByTestId('data.source').innerText(),
  };
}

async function expectStillLoaded(app: ExplorerPage, before: Awaited<ReturnType<typeof snapshot>>) {
  await app.waitCurrent();
  expect(await snapshot(app)).toEqual(before);
  expect(await app.countMarks('histogram', 'rect.bar')).toBeGreaterThan(10);
  expect(await app.countMarks('histogram', 'line.level')).toBe(8);
  expect(await app.countMarks('errorCurve', 'path.curve')).toBe(7);
  expect(await app.tableMethods()).toHaveLength(7);
  // Still usable: a control still recomputes.
  await app.stepSlider(app.bits, 'ArrowRight');
  expect((await app.report()).input).toEqual(before.input);
  expect(await app.countMarks('histogram', 'line.level')).toBe(16);
}

test.describe('errors', () => {
  test.beforeEach(async ({ app }) => {
    await app.openSmall();
    await app.uploadAndWait(fixture('relu_10k.npy'));
  });

  test('a truncated .npy names the problem and keeps the loaded data', async ({ app }) => {
    const before = await snapshot(app);
    await app.upload(fixture('truncated.npy'));
    const message = app.notice.locator('.notice-error');
    await expect(message).toContainText('truncated.npy');
    await expect(message).toContainText(manifest.bad['truncated.npy']);
    await expectStillLoaded(app, before);
  });

  test('random bytes named .npy and .safetensors are refused with a message naming the file', async ({ app }) => {
    const before = await snapshot(app);
    await app.upload({ name: 'noise.npy', mimeType: 'application/octet-stream', buffer: randomBytes(4096, 1) });
    await expect(app.notice.locator('.notice-error').filter({ hasText: 'noise.npy' })).toContainText(/magic/i);
    await app.upload({ name: 'noise.safetensors', mimeType: 'application/octet-stream', buffer: randomBytes(4096, 2) });
    await expect(app.notice.locator('.notice-error').filter({ hasText: 'noise.safetensors' })).toBeVisible();
    await expectStillLoaded(app, before);
  });

  test('a truncated .pt zip is refused and the loaded data stays', async ({ app }) => {
    const before = await snapshot(app);
    await app.upload(fixture('truncated.pt'));
    await expect(app.notice.locator('.notice-error').filter({ hasText: 'truncated.pt' })).toContainText(
      manifest.bad['truncated.pt'],
    );
    await expectStillLoaded(app, before);
  });
});

test.describe('remote files', () => {
  test('a ?src= URL answered with 404 shows a notice naming the URL and the status', async ({ app, context }) => {
    // vite preview answers every path with index.html, so the 404 comes from the network layer.
    await context.route(
      (url) => url.pathname === '/no-such-activations.npy',
      (route) => route.fulfill({ status: 404, body: 'Not Found' }),
    );
    await app.open('src=/no-such-activations.npy', { expectReady: false });
    const message = app.notice.locator('.notice-error');
    await expect(message).toContainText('no-such-activations.npy');
    await expect(message).toContainText('404');
  });

  test('a ?src= server that refuses the connection shows a notice naming the URL', async ({ app }) => {
    // Another origin than the page's: the download is asked about first.
    await app.page.goto(`/?src=${encodeURIComponent('http://127.0.0.1:9/activations.npy')}`);
    await app.page.getByTestId('remote-consent.accept').click();
    await app.waitSettled();
    await expect(app.notice.locator('.notice-error')).toContainText('http://127.0.0.1:9/activations.npy');
  });

  test('a ?src= URL that answers a web page instead of a tensor file says so', async ({ app }) => {
    await app.open('src=/activations.npy', { expectReady: false });
    await expect(app.notice.locator('.notice-error')).toContainText(/activations\.npy.*web page/);
  });
});
