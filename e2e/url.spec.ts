/**
 * A link is the view: a teacher shares it, a reader opens it and sees the same levels
 * to the last digit; Back and Forward walk through the changes; a mangled link falls
 * back to defaults and says so.
 */
import { DEFAULT_PARAMS } from '../src/core/params';
import type { Report } from '../src/core/report';
import { expect, test } from './fixtures';

/** What a link must reproduce exactly: every result but its compute time. */
function designs(report: Report) {
  return report.results.map(({ seconds: _seconds, ...rest }) => rest);
}

test.describe('shareable URL', () => {
  test('changed parameters go into the URL and a reload reproduces the levels to the last digit', async ({
    app,
    page,
  }) => {
    await app.open('g.n=20000&g.seed=5');
    await app.stepSlider(app.bits, 'ArrowRight', 2);
    await app.setSlider(app.bandLow, 0.07);
    await app.choose(app.pin, 'none');
    await app.choose(app.focus, 'kmeans');
    const q = app.query();
    expect(q.get('v')).toBe('1');
    expect(q.get('g.n')).toBe('20000');
    expect(q.get('b')).toBe('5');
    expect(q.get('bl')).toBe('0.07');
    expect(q.get('pn')).toBe('none');
    expect(q.get('fo')).toBe('kmeans');
    const before = await app.report();
    const url = page.url();

    await page.reload();
    await app.waitReady();
    expect(page.url()).toBe(url);
    await expect(app.bits).toHaveValue('5');
    await expect(app.bandLow).toHaveValue('0.07');
    await expect(app.pin).toHaveValue('none');
    await expect(app.focus).toHaveValue('kmeans');
    const after = await app.report();
    expect(after.params).toEqual(before.params);
    expect(designs(after)).toEqual(designs(before));

    // The same link opened from scratch (a fresh navigation, as a reader would).
    await page.goto('about:blank');
    await page.goto(url);
    await app.waitReady();
    expect(designs(await app.report())).toEqual(designs(before));
  });

  test('Back and Forward step through parameter changes and restore their results', async ({ app, page }) => {
    await app.open('g.n=20000');
    const r3 = await app.report();
    await app.setSlider(app.bits, 4);
    const r4 = await app.report();
    await app.choose(app.pin, 'none');
    const r4none = await app.report();
    expect(app.query().get('pn')).toBe('none');

    await page.goBack();
    await expect.poll(() => app.query().get('pn')).toBeNull();
    await app.waitCurrent();
    await expect(app.pin).toHaveValue('auto');
    await expect(app.bits).toHaveValue('4');
    expect(designs(await app.report())).toEqual(designs(r4));

    await page.goBack();
    await expect.poll(() => app.query().get('b')).toBeNull();
    await app.waitCurrent();
    await expect(app.bits).toHaveValue('3');
    expect(designs(await app.report())).toEqual(designs(r3));

    await page.goForward();
    await expect.poll(() => app.query().get('b')).toBe('4');
    await page.goForward();
    await expect.poll(() => app.query().get('pn')).toBe('none');
    await app.waitCurrent();
    await expect(app.pin).toHaveValue('none');
    expect(designs(await app.report())).toEqual(designs(r4none));
  });

  test('a generator option in the URL selects that data', async ({ app }) => {
    await app.open('g=relu-gaussian&g.n=5000&g.seed=3');
    await expect(app.generator).toHaveValue('relu-gaussian');
    const report = await app.report();
    expect(report.input.count).toBe(5000);
    expect((await app.statsValues())['n']).toBe('5,000');
  });

  test('garbage values fall back to defaults with a visible notice, never a crash', async ({ app }) => {
    await app.open('v=1&b=banana&bl=7&pn=sideways&m=linear,nope&th=neon&zz=1');
    await expect(app.notice).toBeVisible();
    for (const bad of ['banana', 'sideways', 'nope', 'neon', 'zz']) await expect(app.notice).toContainText(bad);
    const params = await app.params();
    expect(params).toMatchObject({
      bits: DEFAULT_PARAMS.bits,
      bandLow: DEFAULT_PARAMS.bandLow,
      pin: DEFAULT_PARAMS.pin,
    });
    expect(params.methods).toEqual([...DEFAULT_PARAMS.methods]);
    await expect(app.bits).toHaveValue(String(DEFAULT_PARAMS.bits));
    // The invalid values are dropped from the address bar, and the view is the default one, drawn.
    for (const key of ['b', 'bl', 'pn', 'm', 'th', 'zz']) expect(app.query().get(key), key).toBeNull();
    expect(await app.countMarks('histogram', 'line.level')).toBe(8);
    expect(await app.tableMethods()).toHaveLength(7);
  });

  test('the address bar follows a change once the views are drawn, and Copy link right after a change copies it', async ({
    app,
    page,
    context,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await app.open('g.n=20000');
    // One task: the change, then the click, before the page could write the address bar itself.
    const before = await page.evaluate(() => {
      const was = window.location.search;
      window.bskmq!.setParams({ bits: 6 });
      (document.querySelector('[data-testid="share.copy"]') as HTMLButtonElement).click();
      return was;
    });
    expect(new URLSearchParams(before).get('b')).toBeNull();
    await expect(page.getByTestId('share.copy')).toHaveText('Link copied');
    const copied = new URL(await page.evaluate(() => navigator.clipboard.readText()));
    expect(copied.searchParams.get('b')).toBe('6');
    await app.waitReady();
    expect(app.query().get('b')).toBe('6');
    // One history entry for the change, as if it had been written at once.
    await page.goBack();
    await expect.poll(() => app.query().get('b')).toBeNull();
  });
});
