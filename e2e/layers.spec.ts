/**
 * A researcher drops a checkpoint with several layers and compares them at a glance:
 * the layers view lists every tensor with the numbers `bskmq design --all-tensors`
 * prints, sorts by any column, follows the bits, and a click focuses a tensor.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { reportDifferences } from './compareReports';
import type { Report } from '../src/core/report';
import { npz } from '../test/support/encoders';
import { LayersView, type LayersRow } from './layersView';
import { cliDesign, expect, fixture, manifest, REPO, test } from './fixtures';

const METHODS = ['linear', 'cdf', 'lloydmax', 'kmeans', 'kmeanspp', 'bskmq', 'optimal'];
const REL = 1e-9;

interface Batch {
  file: string;
  tensors: (Report | { input: { tensor: string }; error: string })[];
}

/** `bskmq design FILE --all-tensors ARGS…`. */
function cliBatch(file: string, args: string[]): Batch {
  return cliDesign(file, ['--all-tensors', ...args]) as unknown as Batch;
}

/** Differences between the table's rows and the command line's batch, one line each. */
function differences(rows: LayersRow[], batch: Batch): string[] {
  const out: string[] = [];
  const near = (a: number | null, b: number | null) =>
    a === b || (a !== null && b !== null && Math.abs(a - b) <= REL * Math.max(Math.abs(a), Math.abs(b)));
  for (const entry of batch.tensors) {
    const name = entry.input.tensor;
    const row = rows.find((r) => r.tensor === name);
    if (!row) {
      out.push(`${name}: no row`);
      continue;
    }
    if ('error' in entry) {
      if (row.error === null) out.push(`${name}: the CLI failed (${entry.error}) but the row has numbers`);
      continue;
    }
    const byMethod = Object.fromEntries(entry.results.map((r) => [r.method, r]));
    const expected: Record<string, number | null> = {
      count: entry.input.count,
      spikeLow: entry.input.spikeLow,
      spikeHigh: entry.input.spikeHigh,
      bitsEquivalent: byMethod.bskmq.bitsEquivalent,
    };
    for (const m of METHODS) expected[`mse.${m}`] = byMethod[m].mse;
    for (const [col, want] of Object.entries(expected)) {
      const got = row.values[col];
      if (!near(got, want)) out.push(`${name} ${col}: app ${got} vs cli ${want}`);
    }
  }
  return out;
}

test.describe('the layers view', () => {
  test.beforeEach(async ({ app }) => {
    await app.openSmall();
  });

  test('lists every tensor of a multi-tensor file with the values of `design --all-tensors`', async ({ app, page }) => {
    const layers = new LayersView(page);
    await app.uploadAndWait(fixture('deflated.npz'));
    await app.setParams({ bits: 3 });
    await layers.waitDone();
    expect(await layers.tensors()).toEqual(manifest.files['deflated.npz'].tensors.map((t) => t.name));
    const batch = cliBatch(fixture('deflated.npz'), ['--bits', '3']);
    expect(differences(await layers.read(), batch)).toEqual([]);

    // A bits change recomputes the batch (the old rows stay until replaced) and matches the CLI again.
    await app.setParams({ bits: 5 });
    await layers.waitDone();
    expect(differences(await layers.read(), cliBatch(fixture('deflated.npz'), ['--bits', '5']))).toEqual([]);
  });

  test('a crashed layers worker is replaced: the notice names it and the next batch equals `design --all-tensors`', async ({
    app,
    page,
  }) => {
    const layers = new LayersView(page);
    await app.uploadAndWait(fixture('deflated.npz'));
    await app.setParams({ bits: 3 });
    await layers.waitDone();
    const report = await app.report();
    await page.evaluate(() => window.bskmq!.crashWorker('layers'));
    await expect(app.notice.locator('.notice-error', { hasText: 'The layers compute worker stopped' })).toBeVisible();
    // The focused tensor's data lives in the other workers: untouched.
    expect((await app.report()).results).toEqual(report.results.map((r) => ({ ...r, seconds: expect.any(Number) })));
    await app.setParams({ bits: 4 });
    await layers.waitDone();
    expect(differences(await layers.read(), cliBatch(fixture('deflated.npz'), ['--bits', '4']))).toEqual([]);
  });

  test('a suppression change mid-batch drops the stale rows: the final table is the last setting', async ({
    app,
    page,
  }) => {
    const layers = new LayersView(page);
    await app.uploadAndWait(fixture('model.safetensors'));
    await layers.waitDone();
    // Three changes in a row, without waiting: only the last one's numbers may remain.
    await page.evaluate(() => {
      window.bskmq!.setParams({ bits: 2 });
      window.bskmq!.setParams({ bandLow: 0.1 });
      window.bskmq!.setParams({ bits: 4, bandLow: 0.05, pin: 'none' });
    });
    await app.waitCurrent();
    await layers.waitDone();
    const rows = await layers.read();
    expect(rows.map((r) => r.tensor)).toEqual(manifest.files['model.safetensors'].tensors.map((t) => t.name));
    const batch = cliBatch(fixture('model.safetensors'), ['--bits', '4', '--band-low', '0.05', '--pin', 'none']);
    expect(differences(rows, batch)).toEqual([]);
  });

  test('sorts by any column, both ways, and clicking a row focuses its tensor', async ({ app, page }) => {
    const layers = new LayersView(page);
    await app.uploadAndWait(fixture('deflated.npz'));
    await layers.waitDone();
    const rows = await layers.read();
    const byMse = [...rows].sort((a, b) => a.values['mse.bskmq']! - b.values['mse.bskmq']!).map((r) => r.tensor);
    await layers.sortBy('mse.bskmq');
    expect(await layers.sortState('mse.bskmq')).toBe('ascending');
    expect(await layers.tensors()).toEqual(byMse);
    await layers.sortBy('mse.bskmq');
    expect(await layers.sortState('mse.bskmq')).toBe('descending');
    expect(await layers.tensors()).toEqual([...byMse].reverse());
    await layers.sortBy('count');
    const counts = (await layers.read()).map((r) => r.values.count!);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    await layers.sortBy('tensor');
    expect(await layers.tensors()).toEqual(['w', 'x', 'y', 'z']);

    expect((await layers.read()).find((r) => r.current)?.tensor).toBe('x');
    await layers.clickRow('w');
    await expect(app.tensorPicker).toHaveValue('w');
    await app.waitCurrent();
    const report = await app.report();
    expect(report.input.tensor).toBe('w');
    await expect(layers.row('w')).toHaveAttribute('aria-current', 'true');
    // Focusing a tensor keeps the batch: same rows, no recomputation.
    await expect(layers.panel).toHaveAttribute('data-state', 'done');
    expect(
      differences(await layers.read(), cliBatch(fixture('deflated.npz'), ['--bits', String(report.params.bits)])),
    ).toEqual([]);
  });

  test('a tensor with no finite values shows its error and the others are designed', async ({ app, page }) => {
    const layers = new LayersView(page);
    const good = Float32Array.from({ length: 500 }, (_, i) => Math.max(0, Math.sin(i * 1.7) * 2));
    const buffer = Buffer.from(npz({ good, nan: new Float32Array(8).fill(NaN) }, { deflate: true }));
    await app.uploadAndWait({ name: 'mixed.npz', mimeType: 'application/octet-stream', buffer });
    await layers.waitDone();
    const rows = await layers.read();
    expect(rows.map((r) => r.tensor)).toEqual(['good', 'nan']);
    expect(rows[0].error).toBeNull();
    expect(rows[0].values['mse.bskmq']).toBeGreaterThan(0);
    expect(rows[1].error).toMatch(/no finite values/);
  });

  test('exports every tensor at once: the JSON equals `design --all-tensors`, the CSV and NumPy dict hold the same references; the table marks the best method and × optimal; a row click shows the charts', async ({
    app,
    page,
  }) => {
    test.setTimeout(120_000);
    const layers = new LayersView(page);
    await app.uploadAndWait(fixture('deflated.npz'));
    const shown = ['linear', 'cdf', 'kmeanspp', 'bskmq', 'optimal'];
    await app.setParams({ bits: 3, methods: shown });
    await layers.waitDone();
    const cli = cliBatch(fixture('deflated.npz'), ['--bits', '3', '--methods', shown.join(',')]);

    const json = await layers.download('json');
    expect(json.name).toBe('bskmq_deflated.npz_layers_3b.json');
    const exported = JSON.parse(json.text) as Batch;
    expect(reportDifferences(exported, cli, { rel: 1e-12, ignore: ['seconds'] })).toEqual([]);

    // CSV: one row per tensor, method and code, with the JSON's exact references and levels.
    const csv = await layers.download('csv');
    const lines = csv.text.trimEnd().split('\n');
    expect(lines[0]).toBe('tensor,method,code,reference,level');
    const expectedRows: string[] = [];
    for (const entry of cli.tensors) {
      if ('error' in entry) continue;
      for (const r of entry.results) {
        r.levels.forEach((level, j) => {
          const ref = j === 0 ? '' : String(r.thresholds[j - 1]);
          expectedRows.push(`${entry.input.tensor},${r.method},${j},${ref},${String(level)}`);
        });
      }
    }
    expect(
      lines.slice(1).map((l) =>
        l
          .split(',')
          .map((x, i) => (i >= 3 && x !== '' ? String(Number(x)) : x))
          .join(','),
      ),
    ).toEqual(expectedRows);

    // NumPy: run by Python, QUANTIZERS[tensor][method] holds the same arrays and quantize() applies them.
    const numpy = await layers.download('numpy');
    expect(numpy.name).toBe('bskmq_deflated.npz_layers_3b.py');
    const run = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        `${numpy.text}
import json
out = {t: {m: {k: v.tolist() for k, v in q.items()} for m, q in ms.items()} for t, ms in QUANTIZERS.items()}
print(json.dumps({"q": out, "x": quantize([0.0, 0.3, 1.0, 9.0], "x").tolist()}))
`,
      ],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    const py = JSON.parse(run.stdout) as {
      q: Record<string, Record<string, { thresholds: number[]; levels: number[] }>>;
      x: number[];
    };
    const designed = cli.tensors.filter((t): t is Report => !('error' in t));
    expect(Object.keys(py.q)).toEqual(designed.map((t) => t.input.tensor));
    for (const t of designed) {
      for (const r of t.results)
        expect(py.q[t.input.tensor!][r.method]).toEqual({ thresholds: r.thresholds, levels: r.levels });
    }
    const bsX = designed.find((t) => t.input.tensor === 'x')!.results.find((r) => r.method === 'bskmq')!;
    const codeOf = (v: number) => bsX.thresholds.filter((t) => t! <= v).length;
    expect(py.x).toEqual([0, 0.3, 1, 9].map((v) => bsX.levels[codeOf(v)]));

    // The table: × optimal is the focused method's vsOptimal, ★ marks the heuristic with the lowest MSE.
    const rows = await layers.read();
    for (const t of designed) {
      const row = rows.find((r) => r.tensor === t.input.tensor)!;
      const bs = t.results.find((r) => r.method === 'bskmq')!;
      expect(row.values.vsOptimal).toBeCloseTo(bs.vsOptimal!, 12);
      const heuristics = t.results.filter((r) => r.method !== 'optimal');
      const lowest = Math.min(...heuristics.map((r) => r.mse!));
      const tied = heuristics.filter((r) => Math.abs(r.mse! - lowest) <= 1e-9 * Math.abs(lowest)).map((r) => r.method);
      expect(await layers.bestMethods(t.input.tensor!)).toEqual(tied);
    }
    // Focusing another method changes the column, not the batch.
    await app.focus.selectOption('kmeanspp');
    await app.waitCurrent();
    const kpp = designed[0].results.find((r) => r.method === 'kmeanspp')!;
    await expect(layers.row(designed[0].input.tensor!).locator('td[data-col="vsOptimal"]')).toHaveAttribute(
      'data-value',
      String(kpp.vsOptimal),
    );
    await expect(layers.panel).toHaveAttribute('data-state', 'done');

    // A row click focuses its tensor and scrolls the charts into view.
    await layers.panel.scrollIntoViewIfNeeded();
    await expect(page.locator('#levels')).not.toBeInViewport();
    await layers.clickRow('w');
    await expect(app.tensorPicker).toHaveValue('w');
    await expect(page.locator('#levels')).toBeInViewport();
  });

  test('is not shown for single-tensor data', async ({ app, page }) => {
    const layers = new LayersView(page);
    await expect(layers.panel).toHaveCount(0);
    await app.uploadAndWait(fixture('relu_10k.npy'));
    await expect(layers.panel).toHaveCount(0);
  });

  test('screenshot at 1280×720 (dark theme)', async ({ app, page }, testInfo) => {
    const layers = new LayersView(page);
    await page.setViewportSize({ width: 1280, height: 720 });
    await app.open('g.n=2000&th=dark');
    await app.uploadAndWait(fixture('model.safetensors'));
    await layers.waitDone();
    await layers.sortBy('mse.bskmq');
    await layers.panel.scrollIntoViewIfNeeded();
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, 'no sideways scrolling').toBeLessThanOrEqual(0);
    const dir = resolve(REPO, process.env.E2E_OUTPUT ?? 'test-results', 'screenshots');
    for (const [name, shot] of [
      ['layers-1280x720-dark', () => page.screenshot({ path: resolve(dir, 'layers-1280x720-dark.png') })],
      ['layers-panel-dark', () => layers.panel.screenshot({ path: resolve(dir, 'layers-panel-dark.png') })],
    ] as const) {
      await shot();
      await testInfo.attach(name, { path: resolve(dir, `${name}.png`), contentType: 'image/png' });
    }
  });
});
