/**
 * The README's screenshots, taken from the built app (run `npx vite build` first):
 *
 *   npx tsx scripts/readme-screenshots.ts
 *
 * Starts `vite preview` on port 4207 itself, drives Debian's Chromium with Playwright and
 * writes PNGs to docs/screenshots/, each cropped to what it shows so it stays small:
 * overview-1280.png, overview-dark-1920.png, orientation.png, adc.png, exports.png, step-through.png, presentation.png,
 * layers.png, persistence.png and notice.png. Animations are off (reduced motion), data are the seeded
 * defaults and test/fixtures/formats files, so a re-run gives the same pictures.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = resolve(REPO, 'docs/screenshots');
const FIXTURES = resolve(REPO, 'test/fixtures/formats');
const PORT = Number(process.env.SCREENSHOT_PORT ?? 4207);
const BASE = `http://127.0.0.1:${PORT}`;
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Above this a PNG is too heavy for a README; the script says so rather than failing. */
const MAX_BYTES = 300 * 1024;

function startPreview(): ChildProcess {
  // vite's package exports do not list its bin; find it next to its package.json.
  const vite = resolve(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');
  return spawn(process.execPath, [vite, 'preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitForServer(server: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (server.exitCode !== null) throw new Error(`vite preview exited with code ${server.exitCode} (is dist/ built?)`);
    try {
      if ((await fetch(BASE)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not answer on ${BASE} within ${timeoutMs} ms`);
}

/** Opens the app with a query string and waits until every view is computed. */
async function open(page: Page, query: string): Promise<void> {
  await page.goto(`${BASE}/?${query}`);
  await waitReady(page);
}

async function waitReady(page: Page): Promise<void> {
  await page.waitForSelector('#root > .app[data-state="ready"]', { timeout: 60_000 });
  await page.evaluate(() => (window as unknown as { bskmq: { settled(): Promise<void> } }).bskmq.settled());
  await page.waitForSelector('#root > .app[data-state="ready"]', { timeout: 60_000 });
}

async function waitStepReady(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="step.panel"][data-state="ready"]', { timeout: 60_000 });
}

async function newPage(browser: Browser, width: number, height: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, reducedMotion: 'reduce' });
  return context.newPage();
}

async function report(name: string): Promise<void> {
  const { size } = await stat(resolve(OUT, name));
  const note = size > MAX_BYTES ? `  (over ${MAX_BYTES / 1024} KB: crop it further)` : '';
  console.log(`docs/screenshots/${name}  ${Math.round(size / 1024)} KB${note}`);
}

/** `overlay`: a popup (e.g. an open tooltip) that may reach past the element and belongs in the picture. */
async function shootElement(page: Page, selector: string, name: string, overlay?: string): Promise<void> {
  // The sticky top bar would be drawn over a section scrolled under it: let it scroll away for the picture.
  await page.evaluate(() => document.querySelector<HTMLElement>('.topbar')?.style.setProperty('position', 'static'));
  const element = page.locator(selector).first();
  await element.scrollIntoViewIfNeeded();
  const box = await element.boundingBox();
  const extra = overlay ? await page.locator(overlay).first().boundingBox() : null;
  if (box && extra) {
    const x = Math.min(box.x, extra.x);
    const y = Math.min(box.y, extra.y);
    const right = Math.max(box.x + box.width, extra.x + extra.width) + 8;
    const bottom = Math.max(box.y + box.height, extra.y + extra.height);
    await page.screenshot({ path: resolve(OUT, name), clip: { x, y, width: right - x, height: bottom - y } });
  } else {
    await element.screenshot({ path: resolve(OUT, name) });
  }
  await report(name);
}

async function shootViewport(page: Page, name: string, clipHeight?: number): Promise<void> {
  const viewport = page.viewportSize()!;
  await page.screenshot({
    path: resolve(OUT, name),
    clip: { x: 0, y: 0, width: viewport.width, height: clipHeight ?? viewport.height },
  });
  await report(name);
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const server = startPreview();
  let browser: Browser | null = null;
  try {
    await waitForServer(server);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });

    // The default view as a newcomer first sees it.
    let page = await newPage(browser, 1280, 720);
    await open(page, 'th=light');
    await shootViewport(page, 'overview-1280.png');

    // Orientation: a refused number says what is allowed; a setting's tooltip shown by keyboard focus.
    const restarts = page.getByTestId('controls.restarts');
    await restarts.fill('100');
    await restarts.press('Enter');
    await page.getByTestId('controls.bandLow').focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    await shootElement(page, 'section.panel.controls', 'orientation.png', '.tip:visible');
    await restarts.fill('4');
    await restarts.press('Enter');
    await waitReady(page);
    // The focused field's tooltip would show at the next picture's edge.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

    // The ADC view of the default design.
    await shootElement(page, '[data-testid="adc"]', 'adc.png');

    // The step-through mid-run: seeding done, a few Lloyd iterations in.
    await waitStepReady(page);
    const scrub = page.getByTestId('step.scrub');
    await scrub.focus();
    await scrub.press('Home');
    for (let i = 0; i < 9; i++) await scrub.press('ArrowRight');
    await shootElement(page, '[data-testid="step.panel"]', 'step-through.png');

    // A bad file after good data: the notice names the problem, the data stays loaded.
    await page.evaluate(() => {
      document.querySelector<HTMLElement>('.topbar')?.style.removeProperty('position');
      window.scrollTo(0, 0);
    });
    await page.getByTestId('data.file').setInputFiles(resolve(FIXTURES, 'truncated.npy'));
    await page.getByTestId('notice').first().waitFor({ state: 'visible' });
    await waitReady(page);
    await shootViewport(page, 'notice.png', 420);
    await page.context().close();

    // Wide screen, dark theme.
    page = await newPage(browser, 1920, 1080);
    await open(page, 'th=dark');
    await shootViewport(page, 'overview-dark-1920.png');
    await page.context().close();

    // Presentation mode (a link with present=step), a few frames in.
    page = await newPage(browser, 1280, 720);
    await open(page, 'th=light&present=step');
    await waitStepReady(page);
    for (let i = 0; i < 9; i++) await page.keyboard.press('ArrowRight');
    await shootViewport(page, 'presentation.png');
    await page.context().close();

    // The per-layer view of a multi-tensor checkpoint.
    page = await newPage(browser, 1280, 720);
    await open(page, 'th=light&g.n=2000');
    await page.getByTestId('data.file').setInputFiles(resolve(FIXTURES, 'deflated.npz'));
    await page.getByTestId('data.source').filter({ hasText: 'deflated.npz' }).waitFor();
    await waitReady(page);
    await page.waitForSelector('[data-testid="layers.panel"][data-state="done"]', { timeout: 60_000 });
    await shootElement(page, '[data-testid="layers.panel"]', 'layers.png');
    await shootElement(page, '[data-testid="export"]', 'exports.png');

    // After a reload the upload comes back from this browser's IndexedDB, with its control to forget it.
    await page.reload();
    await page.getByTestId('data.source').filter({ hasText: 'deflated.npz' }).waitFor({ timeout: 60_000 });
    await waitReady(page);
    await page.evaluate(() => document.querySelector<HTMLElement>('.topbar')?.style.removeProperty('position'));
    await page.evaluate(() => window.scrollTo(0, 0));
    await shootElement(page, 'section.panel.data', 'persistence.png');
    await page.context().close();
  } finally {
    await browser?.close();
    server.kill();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
