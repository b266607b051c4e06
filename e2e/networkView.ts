/** Page object of the Network panel. */
import { expect, type Locator, type Page } from '@playwright/test';
import type { PtqTable } from '../src/core/network/ptqTable';

export class NetworkView {
  readonly panel: Locator;
  readonly table: Locator;
  readonly chart: Locator;
  readonly model: Locator;
  readonly inputs: Locator;
  readonly demo: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('network.panel');
    this.table = page.getByTestId('network.table');
    this.chart = page.getByTestId('chart.accuracy');
    this.model = page.getByTestId('network.model');
    this.inputs = page.getByTestId('network.inputs');
    this.demo = page.getByTestId('network.demo');
  }

  /** Waits until every shown method's accuracy at bits 1–8 is computed. */
  async waitComplete(): Promise<void> {
    await expect(this.panel).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  }

  /** Accuracy at the current bits per method, from the table's data-value. */
  async accuracies(): Promise<Record<string, number>> {
    return this.table
      .locator('tbody tr')
      .evaluateAll((rows) =>
        Object.fromEntries(
          rows.map((r) => [r.getAttribute('data-method'), Number(r.querySelector('td')!.getAttribute('data-value'))]),
        ),
      );
  }

  async report(): Promise<PtqTable | null> {
    return this.page.evaluate(() => window.bskmq!.getNetworkReport());
  }
}
