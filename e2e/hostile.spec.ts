/**
 * Files and links built to break the page: a pickle whose length runs backwards (it used to
 * hang the reader), boundaries whose range overflows, a tensor name no URL can hold. Each gets
 * a notice, and the page stays usable: the next upload, a reload, a link.
 */
import { zipSync } from 'fflate';
import { expect, fixture, manifest, test } from './fixtures';

/** A torch zip whose archive/data.pkl is POP, BINBYTES of length -6, STOP: 9 bytes. */
const HANG_PT = Buffer.from(
  zipSync({ 'archive/data.pkl': new Uint8Array([0x80, 0x02, 0x30, 0x42, 0xfa, 0xff, 0xff, 0xff, 0x2e]) }, { level: 0 }),
);

/** A safetensors file with tensors "a" and "\ud800x" (a lone surrogate, written as the JSON escape). */
function surrogateSafetensors(): Buffer {
  const a = Float32Array.from({ length: 500 }, (_, i) => Math.max(0, Math.sin(i * 0.7) * 2));
  const b = Float32Array.from({ length: 700 }, (_, i) => Math.cos(i * 0.3) * 3);
  let json =
    `{"a":{"dtype":"F32","shape":[500],"data_offsets":[0,${a.byteLength}]},` +
    `"\\ud800x":{"dtype":"F32","shape":[700],"data_offsets":[${a.byteLength},${a.byteLength + b.byteLength}]}}`;
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const head = Buffer.alloc(8);
  head.writeUInt32LE(json.length, 0);
  return Buffer.concat([head, Buffer.from(json, 'latin1'), Buffer.from(a.buffer), Buffer.from(b.buffer)]);
}

const RELU = 'relu_10k.npy';

test.describe('hostile input', () => {
  test('the 9-byte hang pickle gets a notice at once, and the next upload loads', async ({ app }) => {
    await app.openSmall();
    const started = Date.now();
    await app.upload({ name: 'hang.pt', mimeType: 'application/octet-stream', buffer: HANG_PT });
    const message = app.notice.locator('.notice-error').filter({ hasText: 'hang.pt' });
    // Well inside the watchdog's 30 s base budget: the reader refuses it, nothing waits for a timeout.
    await expect(message).toContainText('not a valid pickle', { timeout: 30_000 });
    expect(Date.now() - started).toBeLessThan(30_000);
    await app.waitSettled();
    await app.uploadAndWait(fixture(RELU));
    expect((await app.report()).input.count).toBe(manifest.files[RELU].tensors[0].count);
    expect(await app.tableMethods()).toHaveLength(7);
  });

  test('?lo=-1e308&hi=1e308 gets a notice and a working page, also after a reload', async ({ app, page }) => {
    for (const step of ['open', 'reload'] as const) {
      if (step === 'open') await app.open('g.n=20000&lo=-1e308&hi=1e308');
      else {
        await page.goto('/?g.n=20000&lo=-1e308&hi=1e308');
        await app.waitReady();
      }
      await expect(app.notice, step).toContainText('1e308');
      await expect(app.notice.locator('.notice-warning, .notice-error').first(), step).toBeVisible();
      const report = await app.report();
      expect(report.results.length, step).toBeGreaterThan(0);
      for (const r of report.results) expect(r.mse, `${step}: ${r.method} ${r.bits}`).not.toBeNull();
      expect(await app.tableMethods()).toHaveLength(7);
      expect(await app.countMarks('histogram', 'rect.bar')).toBeGreaterThan(10);
      // A plain reload of whatever the page left in the address bar works too.
      await page.reload();
      await app.waitReady();
      expect(await app.tableMethods()).toHaveLength(7);
    }
  });

  test('a tensor named "\\ud800x" keeps the page; its link reopens that tensor', async ({ app, page }) => {
    await app.openSmall();
    const file = {
      name: 'surrogate.safetensors',
      mimeType: 'application/octet-stream',
      buffer: surrogateSafetensors(),
    };
    await app.uploadAndWait(file);
    await app.tensorPicker.selectOption({ index: 1 });
    await app.waitCurrent();
    const report = await app.report();
    expect(report.input.tensor).toBe('\ud800x');
    expect(report.input.count).toBe(700);
    expect(await app.tableMethods()).toHaveLength(7);
    expect(await app.countMarks('histogram', 'rect.bar')).toBeGreaterThan(5);
    // The link names the tensor in a form a URL can hold (tj=, a JSON string).
    await expect.poll(() => app.query().get('tj')).toBe(JSON.stringify('\ud800x'));
    const link = page.url();
    await page.goto(link);
    await app.waitSettled();
    await expect(app.root).toBeVisible();
    // A file link asks for its file unless it was kept; either way that tensor comes back.
    if ((await app.root.getAttribute('data-state')) === 'awaiting-file') await app.uploadAndWait(file);
    else await app.waitReady();
    const again = await app.report();
    expect(again.input.tensor).toBe('\ud800x');
    expect(again.results.map((r) => r.levels)).toEqual(report.results.map((r) => r.levels));
  });
});
