/**
 * Page object of the per-layer batch view (src/components/LayersPanel.tsx), next to
 * ExplorerPage: the layers table's rows (`data-tensor`), their cells' full-precision
 * numbers (`data-col` → `data-value`), sorting by a header and focusing a row.
 */
import { expect, type Locator, type Page } from '@playwright/test';

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
}
