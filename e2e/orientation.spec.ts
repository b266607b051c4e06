/**
 * A newcomer's first minutes: a first-visit line says what the page is and what to do (and
 * stays away once dismissed), L, U and R are defined where they are used, every tooltip is
 * reachable by keyboard, a refused number says what is allowed, and charts that are not
 * drawn yet say they are computing.
 */
import { PARAM_HELP, PARAM_SPECS } from '../src/core/params';
import { expect, test } from './fixtures';

test.describe('orientation', () => {
  test('the first-visit line says what the page is; dismissed, it stays away after a reload', async ({ app, page }) => {
    await app.openSmall();
    await expect(app.intro).toBeVisible();
    await expect(app.intro).toContainText('ADC');
    await expect(app.intro).toContainText('Bits');
    await page.getByTestId('intro.dismiss').click();
    await expect(app.intro).toHaveCount(0);
    await page.reload();
    await app.waitReady();
    await expect(app.intro).toHaveCount(0);
  });

  test('L, U and R are defined beside the settings that use them', async ({ app, page }) => {
    await app.openSmall();
    const definition = page.getByTestId('controls.luDefinition');
    await expect(definition).toBeVisible();
    await expect(definition).toContainText('L and U: the lowest and highest input the ADC covers');
    await expect(definition).toContainText('R = U − L');
  });

  test('tooltips show on keyboard focus and describe the focused control', async ({ app, page }) => {
    await app.openSmall();
    const bitsTip = await app.tabTo(app.bits);
    await expect(bitsTip).toBeVisible();
    await expect(bitsTip).toHaveText(PARAM_HELP.bits);
    const bandTip = await app.tabTo(app.bandLow);
    await expect(bandTip).toBeVisible();
    await expect(bandTip).toContainText('BS-KMQ low band');
    // A statistic of the strip is focusable only for its tooltip.
    const stat = page.getByTestId('data.stats').locator('.stat').first();
    const statTip = await app.tabTo(stat);
    await expect(statTip).toBeVisible();
    await expect(statTip).toHaveText('Finite samples');
    // A metrics header, and a button's tooltip.
    const header = page.getByTestId('table.metrics').locator('thead .tip-host').first();
    await expect(await app.tabTo(header)).toBeVisible();
    await expect(await app.tabTo(page.getByTestId('export.json'))).toContainText('JSON schema');
    // Away from the control, the tooltip hides again.
    await page
      .getByTestId('table.metrics')
      .locator('thead')
      .click({ position: { x: 1, y: 1 } });
    await expect(statTip).toBeHidden();
  });

  test('a refused number says the range its parameter allows, and the message goes with a valid value', async ({
    app,
    page,
  }) => {
    await app.openSmall();
    const restarts = page.getByTestId('controls.restarts');
    const error = page.getByTestId('controls.restarts.error');
    const spec = PARAM_SPECS.restarts;
    if (spec.kind !== 'number') throw new Error('restarts is numeric');
    await restarts.fill(String(spec.max + 1));
    await restarts.press('Enter');
    await expect(restarts).toHaveAttribute('aria-invalid', 'true');
    await expect(error).toHaveText(`Not applied: must be a whole number from ${spec.min} to ${spec.max}.`);
    expect((await restarts.getAttribute('aria-describedby'))?.split(' ')).toContain(await error.getAttribute('id'));
    await restarts.fill('2.5');
    await restarts.press('Enter');
    await expect(error).toBeVisible();
    await restarts.fill('3');
    await restarts.press('Enter');
    await app.waitCurrent();
    await expect(error).toHaveCount(0);
    expect((await app.report()).params.restarts).toBe(3);

    const low = page.getByTestId('controls.low');
    await low.fill('1e200');
    await low.press('Enter');
    await expect(page.getByTestId('controls.low.error')).toContainText("or empty for the data's minimum");
  });

  test('charts not drawn yet say "computing…", and the words go once they are drawn', async ({ app, page }) => {
    test.setTimeout(150_000);
    // 300 000 samples: the views take long enough to see the placeholders.
    await page.goto('/?g.n=300000');
    await expect(page.getByTestId('chart.pending').first()).toHaveText('computing…');
    await expect(app.root).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
    await expect(page.getByTestId('chart.pending')).toHaveCount(0);
  });

  test('no implementation jargon on screen', async ({ app, page }) => {
    await app.openSmall();
    const text = await page.locator('body').innerText();
    for (const jargon of ['WebAssembly', 'SPEC §', 'worker', 'npx ', 'bskmq design', '--all-tensors']) {
      expect(text, `the page shows "${jargon}"`).not.toContain(jargon);
    }
  });

  test('at 1280×720 the sidebar has no scroll area of its own; the BS-KMQ settings are reached by the page scroll', async ({
    app,
    page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await app.openSmall();
    const scrollers = await page.locator('.sidebar').evaluate((aside) =>
      [aside, ...Array.from(aside.querySelectorAll('*'))]
        .filter((el) => {
          const { overflowY } = getComputedStyle(el);
          return (overflowY === 'auto' || overflowY === 'scroll') && el.scrollHeight > el.clientHeight;
        })
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
    );
    expect(scrollers, 'elements of the sidebar that scroll on their own').toEqual([]);
    const aside = await page
      .locator('.sidebar')
      .evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight }));
    expect(aside.scroll).toBeLessThanOrEqual(aside.client);

    // The page scroll brings the band control into view, and it works from there.
    await app.bandLow.scrollIntoViewIfNeeded();
    await expect(app.bandLow).toBeInViewport({ ratio: 1 });
    await app.stepSlider(app.bandLow, 'ArrowRight');
    expect((await app.report()).params.bandLow).toBeGreaterThan(0);
    // Scrolled down to the charts' end, the settings are still in view (the sidebar sticks at its bottom).
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect(app.bandLow).toBeInViewport({ ratio: 1 });
  });
});
