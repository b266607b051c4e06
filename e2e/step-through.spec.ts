/**
 * The K-means step-through: its last frame is the method's designed quantizer,
 * stepping redraws the levels, the presentation link hides the controls; screenshots at both sizes.
 */
import { resolve } from 'node:path';
import { expect, REPO, test } from './fixtures';

const DIR = resolve(REPO, process.env.E2E_OUTPUT ?? 'test-results', 'screenshots');
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
];

for (const method of ['bskmq', 'kmeans', 'kmeanspp'] as const) {
  test(`the last frame of the ${method} step-through equals the method's levels in getReport()`, async ({
    app,
    page,
  }) => {
    await app.open(`g.n=4000&fo=${method}&b=3`);
    await app.waitStepReady();
    await page.getByTestId('step.last').click();
    const [i, n] = await app.stepFrame();
    expect(i).toBe(n);
    expect(n).toBeGreaterThan(2);
    const levels = await app.levelsOf(method);
    expect(await app.stepLevels()).toEqual(levels);
    // The scrub slider at its end is the same frame.
    await page.getByTestId('step.first').click();
    const scrub = page.getByTestId('step.scrub');
    await scrub.focus();
    await scrub.press('End');
    expect(await app.stepFrame()).toEqual([n, n]);
    expect(await app.stepLevels()).toEqual(levels);
  });
}

test('stepping changes the drawn levels and the frame counter, back and forth', async ({ app, page }) => {
  await app.open('g.n=4000&fo=kmeans&b=3');
  await app.waitStepReady();
  expect((await app.stepFrame())[0]).toBe(1);
  const first = await app.stepLevels();
  expect(first.length).toBe(1);
  await page.getByTestId('step.next').click();
  expect((await app.stepFrame())[0]).toBe(2);
  expect((await app.stepLevels()).length).toBe(2);
  // Past seeding: every Lloyd iteration moves some level until the last.
  await app.scrubTo(7);
  const seeded = await app.stepLevels();
  expect(seeded.length).toBe(8);
  await page.getByTestId('step.next').click();
  const iterated = await app.stepLevels();
  expect(iterated).not.toEqual(seeded);
  await expect(page.getByTestId('step.caption')).toContainText('Iteration 1');
  await page.getByTestId('step.prev').click();
  expect(await app.stepLevels()).toEqual(seeded);
  await expect(page.getByTestId('chart.stepMse').locator('svg path').first()).toBeVisible();
});

test('a new design resets the step-through to the new trace (bits change)', async ({ app, page }) => {
  await app.open('g.n=4000&fo=kmeanspp&b=2');
  await app.waitStepReady();
  await app.setParams({ bits: 4 });
  await app.waitStepReady();
  await page.getByTestId('step.last').click();
  expect(await app.stepLevels()).toEqual(await app.levelsOf('kmeanspp'));
  expect((await app.stepLevels()).length).toBe(16);
});

test('traces only once the reader scrolls near the panel, so it never holds up the sliders elsewhere', async ({
  app,
  page,
}) => {
  await app.open('g.n=4000&fo=kmeans&b=3');
  const viewport = page.viewportSize()!;
  const box = (await app.stepPanel.boundingBox())!;
  // Precondition of the claim: the panel starts more than a screen below the visible part.
  expect(box.y).toBeGreaterThan(2 * viewport.height);
  await app.setParams({ bits: 4 });
  await app.waitReady();
  // A negative claim needs time to pass: well beyond the trace's 150 ms debounce.
  await page.waitForTimeout(600);
  await expect(app.stepPanel).toHaveAttribute('data-state', 'busy');
  await app.waitStepReady();
  await page.getByTestId('step.last').click();
  expect(await app.stepLevels()).toEqual(await app.levelsOf('kmeans'));
});

test('BS-KMQ shows the run without suppression side by side, in sync', async ({ app, page }) => {
  // No pins: without suppression the boundary spikes pull free levels onto themselves.
  await app.open('g.n=4000&fo=bskmq&b=3&pn=none');
  await app.waitStepReady();
  await expect(page.getByTestId('chart.stepCompare')).toBeVisible();
  await page.getByTestId('step.last').click();
  const on = await app.stepLevels();
  const off = await app.stepLevels('chart.stepCompare');
  expect(off).toHaveLength(8);
  expect(off).not.toEqual(on);
  await page.getByTestId('step.compare').uncheck();
  await expect(page.getByTestId('chart.stepCompare')).toHaveCount(0);
  // The companion run is BS-KMQ with suppressWeight = 1: its final levels are that design's.
  await app.setParams({ suppressWeight: 1 });
  expect(await app.levelsOf('bskmq')).toEqual(off);
});

test('the presentation link opens the step-through alone, large, without controls', async ({ app, page }) => {
  await app.open('g.n=4000&fo=bskmq&b=3');
  await app.waitStepReady();
  await page.getByTestId('step.present').click();
  await expect(page).toHaveURL(/present=step/);
  await app.waitReady();
  await app.waitStepReady();
  await expect(page.getByTestId('chart.step')).toBeVisible();
  for (const id of [
    'step.play',
    'step.next',
    'step.prev',
    'step.scrub',
    'controls.bits',
    'data.generator',
    'table.metrics',
  ]) {
    await expect(page.getByTestId(id), `${id} hidden`).toHaveCount(0);
  }
  // Keyboard stepping still works.
  await page.keyboard.press('End');
  const [i, n] = await app.stepFrame();
  expect(i).toBe(n);
  expect(await app.stepLevels()).toEqual(await app.levelsOf('bskmq'));
  await page.keyboard.press('ArrowLeft');
  expect((await app.stepFrame())[0]).toBe(n - 1);
  expect(app.query().get('fo')).toBeNull();
});

for (const size of SIZES) {
  test(`step-through screenshots at ${size.width}×${size.height}`, async ({ app, page }, testInfo) => {
    await page.setViewportSize(size);
    await app.open('g.n=20000&fo=bskmq&th=light');
    await app.waitStepReady();
    await app.scrubTo(9);
    const panel = app.stepPanel;
    await panel.scrollIntoViewIfNeeded();
    const box = (await panel.boundingBox())!;
    for (const id of ['chart.step', 'chart.stepCompare', 'chart.stepMse']) {
      const chart = (await page.getByTestId(id).boundingBox())!;
      expect(chart.height, `${id} drawn`).toBeGreaterThan(100);
      expect(chart.x + chart.width, `${id} inside the panel`).toBeLessThanOrEqual(box.x + box.width + 1);
    }
    const panelShot = resolve(DIR, `step-${size.width}x${size.height}.png`);
    await panel.screenshot({ path: panelShot });
    await testInfo.attach(`step-${size.width}x${size.height}`, { path: panelShot, contentType: 'image/png' });

    await page.goto('/?g.n=20000&fo=bskmq&th=light&present=step');
    await app.waitReady();
    await app.waitStepReady();
    for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, 'no sideways scrolling').toBeLessThanOrEqual(0);
    const presentShot = resolve(DIR, `step-present-${size.width}x${size.height}.png`);
    await page.screenshot({ path: presentShot });
    await testInfo.attach(`step-present-${size.width}x${size.height}`, { path: presentShot, contentType: 'image/png' });
  });
}

for (const size of SIZES) {
  test(`presentation at ${size.width}×${size.height}: every frame fits the screen, Esc lands at the panel`, async ({
    app,
    page,
  }) => {
    test.setTimeout(120_000);
    await page.setViewportSize(size);
    // The default view (ReLU6, 100 000 samples, 3 bits), the one a lecture opens first.
    await page.goto('/?present=step');
    await app.waitStepReady(60_000);
    const [, n] = await app.stepFrame();
    expect(n).toBeGreaterThan(5);
    const fits = () =>
      page.evaluate(() => {
        const mse = document.querySelector('[data-testid="chart.stepMse"]')!.getBoundingClientRect();
        return {
          page: document.documentElement.scrollHeight,
          view: window.innerHeight,
          mseBottom: mse.bottom,
          mseHeight: mse.height,
        };
      });
    for (let i = 1; i <= n; i++) {
      const f = await fits();
      expect(f.page, `frame ${i}: page height`).toBeLessThanOrEqual(f.view);
      expect(f.mseBottom, `frame ${i}: MSE chart on screen`).toBeLessThanOrEqual(f.view);
      expect(f.mseHeight, `frame ${i}: MSE chart drawn`).toBeGreaterThan(80);
      if (i < n) await page.keyboard.press('ArrowRight');
    }
    expect((await app.stepFrame())[0]).toBe(n);
    await page.screenshot({ path: resolve(DIR, `step-present-last-${size.width}x${size.height}.png`) });
    // The speed control and the skip over unchanged frames are there in presentation mode too.
    await expect(page.getByTestId('present.speed')).toBeVisible();
    await expect(page.getByTestId('present.skip')).toBeChecked();
    await page.keyboard.press('Escape');
    await expect(page).not.toHaveURL(/present=step/);
    await app.waitStepReady(60_000);
    await expect(page.getByTestId('controls.bits')).toBeAttached();
    await expect(app.stepPanel).toBeInViewport();
  });
}

test('playing skips the frames after the levels stop moving, at the chosen speed', async ({ app, page }) => {
  await app.open('fo=bskmq&b=5');
  await app.waitStepReady(60_000);
  await expect(page.getByTestId('step.settled')).toBeVisible();
  const [, n] = await app.stepFrame();
  await app.choose(page.getByTestId('step.speed'), '0.1');
  const t0 = Date.now();
  await page.getByTestId('step.play').click();
  await expect.poll(async () => (await app.stepFrame())[0], { timeout: 30_000 }).toBe(n);
  const settledText = (await page.getByTestId('step.settled').textContent()) ?? '';
  const settled = Number(/frame (\d+)/.exec(settledText)?.[1]);
  // At 0.1 s a frame up to the settled one and one jump to the end, well under n frames' time at 0.1 s.
  expect(Date.now() - t0).toBeLessThan(Math.max(3000, (settled + 6) * 100 + 2000));
  expect(settled).toBeLessThan(n - 1);
});

test('the Exit presentation link lands at the step-through, not the top of the page', async ({ app, page }) => {
  await page.goto('/?g.n=20000&present=step');
  await app.waitReady();
  await app.waitStepReady(60_000);
  await page.getByTestId('step.exit').click();
  await expect(page).not.toHaveURL(/present=step/);
  await app.waitReady();
  await app.waitStepReady(60_000);
  await expect(app.stepPanel).toBeInViewport();
});
