/**
 * Page object of the per-layer batch view (src/components/LayersPanel.tsx), next to
 * ExplorerPage: the layers table's rows (`data-tensor`), their cells' full-precision
 * numbers (`data-col` → `data-value`), the method marked best per row, sorting by a header,
 * focusing a row, and the exports of every tensor at once.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';

/** One row of the layers table: its tensor and each column's number (null where empty). */
export interface LayersRow {
  tensor: string;
  values: Record<string, number | null>;
  /** The text of a failed tensor's error cell, null when it was designed. */
  error: string | null;
  current: boolean;
}

export class LayersView {
  readonly panel: Locator;
  readonly table: Locator;
  readonly rows: Locator;
  readonly progress: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('layers.panel');
    this.table = page.getByTestId('layers.table');
    this.rows = this.table.locator('tbody tr');
    this.progress = page.getByTestId('layers.progress');
  }

  /** Waits until every tensor's row is computed for the current parameters. */
  async waitDone(): Promise<void> {
    await expect(this.panel).toHaveAttribute('data-state', 'done');
    await expect(this.progress).toHaveCount(0);
  }

  /** Tensor names of the rows, top to bottom. */
  async tensors(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-tensor') ?? ''));
  }

  /** Every row with its cells' numbers. */
  async read(): Promise<LayersRow[]> {
    return this.rows.evaluateAll((rows) =>
      rows.map((r) => {
        const values: Record<string, number | null> = {};
        for (const td of Array.from(r.querySelectorAll('td[data-col]'))) {
          const raw = td.getAttribute('data-value') ?? '';
          values[td.getAttribute('data-col') ?? ''] = raw === '' ? null : Number(raw);
        }
        return {
          tensor: r.getAttribute('data-tensor') ?? '',
          values,
          error: r.querySelector('td.layer-error')?.textContent ?? null,
          current: r.getAttribute('aria-current') === 'true',
        };
      }),
    );
  }

  /** Clicks a column's header (`tensor`, `count`, `spikeLow`, `mse.bskmq`, `bitsEquivalent`…). */
  async sortBy(column: string): Promise<void> {
    await this.table.locator(`thead button[data-sort="${column}"]`).click();
  }

  /** The header's aria-sort (`ascending`, `descending`, or null). */
  async sortState(column: string): Promise<string | null> {
    const header = this.table.locator('thead th', { has: this.page.locator(`button[data-sort="${column}"]`) });
    return header.getAttribute('aria-sort');
  }

  row(tensor: string): Locator {
    return this.table.locator(`tbody tr[data-tensor=${JSON.stringify(tensor)}]`);
  }

  /** Clicks a tensor's row (a cell, not its name button: the whole row focuses). */
  async clickRow(tensor: string): Promise<void> {
    await this.row(tensor).locator('td').first().click();
  }

  /** The methods whose MSE cells are marked best in a tensor's row (ties are all marked). */
  async bestMethods(tensor: string): Promise<string[]> {
    const cells = this.row(tensor).locator('td[data-best="true"]');
    return cells.evaluateAll((tds) => tds.map((td) => (td.getAttribute('data-col') ?? '').replace(/^mse\./, '')));
  }

  /** Clicks one of the layers exports (`json`, `csv`, `numpy`) and returns the downloaded file. */
  async download(kind: 'json' | 'csv' | 'numpy'): Promise<{ name: string; text: string }> {
    const button = this.page.getByTestId(`layers.export.${kind}`);
    await expect(button).toBeEnabled();
    const [download] = await Promise.all([this.page.waitForEvent('download'), button.click()]);
    return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
  }
}
