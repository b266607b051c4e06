/**
 * Page object of BS-KMQ Explorer: what a user does (open a link, pick a file, move a
 * slider) and what they see (charts, the metrics table, the statistics strip, notices),
 * named by the app's stable `data-testid`s. Specs talk only to this object.
 *
 * "Results are current" is the root's `data-state="ready"` (data loaded and no compute
 * stage busy, set by src/App.tsx); every wait below is on that or on a visible state,
 * never on a fixed delay.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import type { Report } from '../src/core/report';

/** Every chart's test id, in page order. */
export const CHARTS = ['histogram', 'transfer', 'occupancy', 'errorCurve', 'sweep'] as const;
/** Samples of the data set `openSmall` starts from: enough for every chart, quick to compute. */
export const SMALL_N = 2000;

export type ChartName = (typeof CHARTS)[number];

import type { PtqTable } from '../src/core/network/ptqTable';

/** The `window.bskmq` console API as the specs use it (src/console.ts). */
interface ConsoleApi {
  getReport(): Promise<Report | null>;
  setParams(partial: Record<string, unknown>): string[];
  getParams(): Record<string, unknown>;
  settled(): Promise<void>;
  /** Test hook: makes a compute worker ('interactive' or 'background') crash, to exercise recovery. */
  crashWorker(role: string): void;
  /** Test hook: the next call of `method` in that worker hangs; every watched call gets `budgetMs`. */
  stallWorker(role: string, method: string, budgetMs: number): Promise<void>;
  getNetworkReport(): Promise<PtqTable | null>;
}
declare global {
  interface Window {
    bskmq?: ConsoleApi;
  }
}

/** A file to upload: a path on disk or bytes made in the test. */
export type UploadFile = string | { name: string; mimeType: string; buffer: Buffer };

export class ExplorerPage {
  readonly root: Locator;
  readonly notice: Locator;
  readonly stats: Locator;
  readonly metricsRows: Locator;
  readonly fileInput: Locator;
  readonly tensorPicker: Locator;
  readonly generator: Locator;
  readonly bits: Locator;
  readonly bandLow: Locator;
  readonly bandHigh: Locator;
  readonly pin: Locator;
  readonly focus: Locator;
  readonly themeButton: Locator;

  constructor(readonly page: Page) {
    this.root = page.locator('#root > .app');
    this.notice = page.getByTestId('notice');
    this.stats = page.getByTestId('data.stats');
    this.metricsRows = page.getByTestId('table.metrics').locator('tbody tr');
    this.fileInput = page.getByTestId('data.file');
    this.tensorPicker = page.getByTestId('data.tensor');
    this.generator = page.getByTestId('data.generator');
    this.bits = page.getByTestId('controls.bits');
    this.bandLow = page.getByTestId('controls.bandLow');
    this.bandHigh = page.getByTestId('controls.bandHigh');
    this.pin = page.getByTestId('controls.pin');
    this.focus = page.getByTestId('controls.focus');
    this.themeButton = page.getByTestId('display.theme');
  }

  /**
   * Opens the app with a query string (without `?`) and waits until every view is computed,
   * or, with `expectReady: false`, until it has settled in whatever state (a failed load).
   */
  async open(query = '', { expectReady = true } = {}): Promise<void> {
    await this.page.goto(query ? `/?${query}` : '/');
    if (expectReady) await this.waitReady();
    else await this.waitSettled();
  }

  /** Opens the app on a small generated data set, for stories that load their own data next. */
  async openSmall(): Promise<void> {
    await this.open(`g.n=${SMALL_N}`);
  }

  /** Waits until the data is loaded and no compute stage is busy. */
  async waitReady(): Promise<void> {
    await expect(this.root).toHaveAttribute('data-state', 'ready');
  }

  /**
   * Waits until the results of the last change are on screen: the console's `settled()`
   * (every stage requested by the change has finished), then the root's `ready`.
   */
  async waitCurrent(): Promise<void> {
    await this.page.evaluate(() => window.bskmq!.settled());
    await this.waitReady();
  }

  /** Waits until the app has settled in any final state (ready, or error when nothing could load). */
  async waitSettled(): Promise<void> {
    await expect(this.root).toHaveAttribute('data-state', /^(ready|error|awaiting-file)$/);
  }

  chart(name: ChartName): Locator {
    return this.page.getByTestId(`chart.${name}`);
  }

  /** Number of elements matching `selector` inside a chart's <svg>. */
  async countMarks(name: ChartName, selector: string): Promise<number> {
    return this.chart(name).locator(`svg ${selector}`).count();
  }

  /** The `d` of a chart's path, '' when absent. */
  async pathData(name: ChartName, selector: string): Promise<string> {
    const path = this.chart(name).locator(`svg ${selector}`).first();
    return (await path.count()) === 0 ? '' : ((await path.getAttribute('d')) ?? '');
  }

  /** A snapshot of every chart's SVG markup, to tell whether a view was redrawn. */
  async chartMarkup(): Promise<Record<ChartName, string>> {
    const out = {} as Record<ChartName, string>;
    for (const name of CHARTS) out[name] = await this.chart(name).locator('svg').innerHTML();
    return out;
  }

  /** Methods of the metrics table's rows, top to bottom. */
  async tableMethods(): Promise<string[]> {
    return this.metricsRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-method') ?? ''));
  }

  /** Cell texts of one method's row (without the method cell). */
  async tableRow(method: string): Promise<string[]> {
    return this.page.getByTestId('table.metrics').locator(`tbody tr[data-method="${method}"] td`).allInnerTexts();
  }

  /** The statistics strip as label → shown text. */
  async statsValues(): Promise<Record<string, string>> {
    return this.stats
      .locator('.stat')
      .evaluateAll((items) =>
        Object.fromEntries(
          items.map((el) => [el.querySelector('dt')?.textContent ?? '', el.querySelector('dd')?.textContent ?? '']),
        ),
      );
  }

  /** Picks files through the file input, as the "Or open a file" picker does. */
  async upload(file: UploadFile): Promise<void> {
    await this.fileInput.setInputFiles(file);
  }

  /** Uploads a file and waits until its data is loaded and every view is computed. */
  async uploadAndWait(file: UploadFile): Promise<void> {
    const name = typeof file === 'string' ? (file.split('/').pop() ?? file) : file.name;
    await this.upload(file);
    await expect(this.page.getByTestId('data.source')).toContainText(name);
    await this.waitCurrent();
  }

  /** Moves a range slider to a value as a user's drag would end (an `input` event with the new value). */
  async setSlider(slider: Locator, value: number): Promise<void> {
    await slider.fill(String(value));
    await this.waitCurrent();
  }

  /** Chooses an option of a select (focus, pin, tensor…) and waits for the results. */
  async choose(select: Locator, value: string): Promise<void> {
    await select.selectOption(value);
    await this.waitCurrent();
  }

  /** Steps a range slider with the keyboard. */
  /** The first-visit line and its dismiss button. */
  get intro(): Locator {
    return this.page.getByTestId('intro');
  }

  /**
   * Moves keyboard focus onto `target` with the Tab key (from the element before it), as a
   * keyboard user gets there, and returns the text of the tooltip it is described by.
   */
  async tabTo(target: Locator): Promise<Locator> {
    await target.focus();
    await this.page.keyboard.press('Shift+Tab');
    await this.page.keyboard.press('Tab');
    await expect(target).toBeFocused();
    const ids = (await target.getAttribute('aria-describedby')) ?? '';
    const tipId = ids.split(' ').find((id) => id !== '');
    expect(tipId, 'the focused element is described by a tooltip').toBeDefined();
    return this.page.locator(`[id="${tipId}"][role="tooltip"]`);
  }

  async stepSlider(slider: Locator, key: 'ArrowRight' | 'ArrowLeft', times = 1): Promise<void> {
    await slider.focus();
    for (let i = 0; i < times; i++) await slider.press(key);
    await this.waitCurrent();
  }

  /** The current report from the console API (resolves once it is computed). */
  async report(): Promise<Report> {
    const report = await this.page.evaluate(() => window.bskmq!.getReport());
    expect(report, 'getReport() returned a report').not.toBeNull();
    return report as Report;
  }

  /** Applies parameters through the console API and waits for the views. Returns the API's issues. */
  async setParams(partial: Record<string, unknown>): Promise<string[]> {
    const issues = await this.page.evaluate((p) => window.bskmq!.setParams(p), partial);
    await this.waitCurrent();
    return issues;
  }

  async params(): Promise<Record<string, unknown>> {
    return this.page.evaluate(() => window.bskmq!.getParams());
  }

  /** The query of the address bar, as URLSearchParams. */
  query(): URLSearchParams {
    return new URL(this.page.url()).searchParams;
  }

  /** The levels of one method in the current report. */
  async levelsOf(method: string): Promise<(number | null)[]> {
    const r = await this.report();
    const result = r.results.find((x) => x.method === method);
    expect(result, `report has ${method}`).toBeDefined();
    return result!.levels;
  }

  /**
   * Clicks a button that downloads a file (an export) and returns the file's name and bytes.
   * Chromium's download limiter occasionally swallows the second of two downloads started in
   * quick succession (it prompts, and headless answers no); a user would click again, and so
   * does this — once, and only when no download and no notice arrived.
   */
  async download(testId: string): Promise<{ name: string; bytes: Buffer }> {
    const button = this.page.getByTestId(testId);
    await expect(button).toBeEnabled();
    let [download] = await Promise.all([
      this.page.waitForEvent('download', { timeout: 15_000 }).catch(() => null),
      button.click(),
    ]);
    if (!download) {
      await expect(this.page.getByTestId('notice'), `${testId} failed with a notice`).not.toContainText(
        'Export failed',
      );
      await expect(button).toBeEnabled();
      [download] = await Promise.all([this.page.waitForEvent('download'), button.click()]);
    }
    const path = await download.path();
    return { name: download.suggestedFilename(), bytes: await readFile(path) };
  }

  /** Types a value into a number field, commits it with Enter, and waits for the views. */
  async commitNumber(testId: string, value: number | string): Promise<void> {
    const field = this.page.getByTestId(testId);
    await field.fill(String(value));
    await field.press('Enter');
    await this.waitCurrent();
  }

  /** The K-means step-through panel (src/components/StepThrough.tsx). */
  get stepPanel(): Locator {
    return this.page.getByTestId('step.panel');
  }

  /** Waits until the step-through holds the trace of the current parameters. */
  async waitStepReady(timeout?: number): Promise<void> {
    // The panel traces only once the reader scrolls near it (src/components/StepThrough.tsx).
    await this.stepPanel.scrollIntoViewIfNeeded();
    await expect(this.stepPanel).toHaveAttribute('data-state', 'ready', timeout ? { timeout } : {});
  }

  /** The frame counter, as [shown frame, frame count] (1-based). */
  async stepFrame(): Promise<[number, number]> {
    const text = await this.page.getByTestId('step.frame').innerText();
    const m = /frame (\d+) \/ (\d+)/.exec(text);
    expect(m, `step.frame reads "frame i / n": ${text}`).not.toBeNull();
    return [Number(m![1]), Number(m![2])];
  }

  /** The exact levels drawn in a step chart (`chart.step` or `chart.stepCompare`). */
  async stepLevels(testId = 'chart.step'): Promise<number[]> {
    const text = await this.page.getByTestId(testId).locator('g.levels').getAttribute('data-levels');
    return (text ?? '').split(',').filter(Boolean).map(Number);
  }

  /** Moves the step-through's scrub slider to frame `index` (0-based) with the keyboard. */
  async scrubTo(index: number): Promise<void> {
    const scrub = this.page.getByTestId('step.scrub');
    await scrub.focus();
    await scrub.press('Home');
    for (let i = 0; i < index; i++) await scrub.press('ArrowRight');
    await expect(this.page.getByTestId('step.frame')).toContainText(`frame ${index + 1} /`);
  }

  /** "Forget this data" (src/components/PersistControl.tsx). */
  get forgetButton(): Locator {
    return this.page.getByTestId('data.forget');
  }

  /** What the data panel says this browser keeps of the session. */
  get persistStatus(): Locator {
    return this.page.getByTestId('data.persistStatus');
  }

  /**
   * The stored session as IndexedDB holds it (src/persist/session.ts): its URL query, or
   * null when nothing is stored, and the stored file's name, or null.
   */
  async storedSession(): Promise<{ query: string | null; file: string | null }> {
    return this.page.evaluate(
      () =>
        new Promise<{ query: string | null; file: string | null }>((resolve, reject) => {
          const open = indexedDB.open('bskmq-explorer');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains('session')) {
              db.close();
              resolve({ query: null, file: null });
              return;
            }
            const tx = db.transaction('session', 'readonly');
            const session = tx.objectStore('session').get('session');
            const file = tx.objectStore('session').get('file');
            tx.oncomplete = () => {
              db.close();
              resolve({ query: session.result?.query ?? null, file: file.result?.name ?? null });
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
    );
  }

  /** Waits until the stored session's query contains every `part` (writes are debounced). */
  async waitStored(...parts: string[]): Promise<void> {
    await expect
      .poll(async () => {
        const q = (await this.storedSession()).query ?? '';
        return parts.every((p) => q.split('&').includes(p));
      })
      .toBe(true);
  }
}
