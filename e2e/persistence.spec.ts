/**
 * The last session comes back after a reload: the uploaded file, its
 * tensor and the parameters, from this browser's IndexedDB; "Forget this data" deletes
 * them; a shared link wins over what is stored. Each test starts with empty storage
 * (Playwright gives every test a fresh browser context).
 */
import { resolve } from 'node:path';
import type { Report } from '../src/core/report';
import type { ExplorerPage } from './app';
import { expect, fixture, REPO, test } from './fixtures';

/** Every result but its compute time: what a restored view must reproduce exactly. */
function designs(report: Report) {
  return report.results.map(({ seconds: _seconds, ...rest }) => rest);
}

/**
 * Waits until data is loaded (statistics shown), not for every view: the default view's
 * 200k-sample curves take a while on two shared cores and are not what these tests check.
 */
async function waitLoaded(app: ExplorerPage): Promise<void> {
  await expect(app.root).toHaveAttribute('data-state', /^(busy|ready)$/);
}

test.describe('persistence', () => {
  test('an uploaded file, its tensor and changed parameters come back after a reload', async ({
    app,
    page,
  }, testInfo) => {
    await app.openSmall();
    await app.uploadAndWait(fixture('deflated.npz'));
    await app.choose(app.tensorPicker, 'z');
    await app.stepSlider(app.bits, 'ArrowRight', 2);
    await app.setSlider(app.bandLow, 0.07);
    await app.choose(app.pin, 'none');
    await app.waitStored('file=deflated.npz', 't=z', 'b=5', 'bl=0.07', 'pn=none');
    expect((await app.storedSession()).file).toBe('deflated.npz');
    await expect(app.persistStatus).toContainText('deflated.npz');
    await expect(app.forgetButton).toBeEnabled();
    const stats = await app.statsValues();
    const report = await app.report();
    await page.getByTestId('data.persist').screenshot({ path: testInfo.outputPath('persist-panel.png') });
    await page.screenshot({
      path: resolve(REPO, process.env.E2E_OUTPUT ?? 'test-results', 'screenshots/persistence.png'),
    });

    const expectRestored = async () => {
      await app.waitReady();
      await expect(page.getByTestId('data.source')).toContainText('deflated.npz');
      await expect(app.tensorPicker).toHaveValue('z');
      await expect(app.bits).toHaveValue('5');
      await expect(app.bandLow).toHaveValue('0.07');
      await expect(app.pin).toHaveValue('none');
      expect(await app.statsValues()).toEqual(stats);
      const after = await app.report();
      expect(after.input).toEqual(report.input);
      expect(designs(after)).toEqual(designs(report));
      // Nothing asked for the file, nothing went wrong.
      await expect(app.notice).toBeHidden();
    };

    // A bare address restores the stored session (and writes it into the address bar).
    await page.goto('/');
    await expectRestored();
    expect(app.query().get('file')).toBe('deflated.npz');

    // Reloading the session's own link: name and hash match the stored file, so it loads without asking.
    await page.reload();
    await expectRestored();
  });

  test('a raw-binary file comes back read with the same dtype and byte order', async ({ app, page }) => {
    await app.openSmall();
    await page.getByTestId('data.raw').check();
    await page.getByTestId('data.rawDtype').selectOption('float32');
    await page.getByTestId('data.rawByteOrder').selectOption('little');
    await app.uploadAndWait(fixture('raw_f32le.bin'));
    const stats = await app.statsValues();
    expect(stats['n']).toBe('33');
    await app.waitStored('file=raw_f32le.bin');
    await page.goto('/');
    await app.waitReady();
    expect(await app.statsValues()).toEqual(stats);
    // The data panel says how the restored file is read.
    await expect(page.getByTestId('data.raw')).toBeChecked();
    await expect(page.getByTestId('data.rawDtype')).toHaveValue('float32');
    await expect(page.getByTestId('data.rawByteOrder')).toHaveValue('little');
  });

  test('"Forget this data" deletes the stored session: the next visit opens on the default view', async ({
    app,
    page,
  }) => {
    await app.openSmall();
    await app.uploadAndWait(fixture('relu_10k.npy'));
    await app.setSlider(app.bits, 6);
    await app.waitStored('file=relu_10k.npy', 'b=6');

    await app.forgetButton.click();
    await expect(app.notice).toContainText('Forgot “relu_10k.npy”');
    await waitLoaded(app);
    const defaults = await app.statsValues();
    // The address bar follows once the views are drawn (urlSync writes history after the stages settle).
    await expect.poll(() => app.query().toString()).toBe('');
    await expect(page.getByTestId('data.source')).toBeHidden();
    await expect(app.generator).toHaveValue('relu6');
    await expect(app.bits).toHaveValue('3');
    expect(await app.storedSession()).toEqual({ query: null, file: null });
    await expect(app.persistStatus).toContainText('Nothing is stored');
    await expect(app.forgetButton).toBeDisabled();

    for (const visit of [() => page.reload(), () => page.goto('/')]) {
      await visit();
      await waitLoaded(app);
      expect(app.query().toString()).toBe('');
      await expect(app.generator).toHaveValue('relu6');
      await expect(app.bits).toHaveValue('3');
      expect(await app.statsValues()).toEqual(defaults);
    }
  });

  test('a shared link wins over the stored session', async ({ app, page }) => {
    await app.openSmall();
    await app.uploadAndWait(fixture('relu_10k.npy'));
    await app.setSlider(app.bits, 5);
    await app.waitStored('file=relu_10k.npy', 'b=5');
    const sha = app.query().get('sha');
    expect(sha).toMatch(/^[0-9a-f]{16}$/);

    // A generator link shows exactly its data and parameters.
    await app.open('g.n=3000&b=2');
    await expect(page.getByTestId('data.source')).toBeHidden();
    await expect(app.bits).toHaveValue('2');
    expect((await app.statsValues())['n']).toBe('3,000');
    const shown = await app.report();
    expect(shown.params.bits).toBe(2);
    expect(shown.input.file).toBeNull();

    // A parameters-only link means the default data at those parameters, not the stored file.
    await page.goto('/?b=4');
    await waitLoaded(app);
    await expect(app.generator).toHaveValue('relu6');
    await expect(page.getByTestId('data.source')).toBeHidden();
    await expect(app.bits).toHaveValue('4');

    // A link to another file asks for that file instead of loading the stored one.
    await app.open('file=other.npy&sha=0123456789abcdef', { expectReady: false });
    await expect(app.root).toHaveAttribute('data-state', 'awaiting-file');
    await expect(app.notice).toContainText('other.npy');
  });
});
