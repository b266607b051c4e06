/**
 * A user's own network: a small model exported by PyTorch in the test setup uploads through the Network
 * panel, and the app's accuracy of every method at every bits equals PyTorch's evaluation of the same
 * model with the same thresholds and levels. Then every bad input gets one notice naming the problem,
 * and the network and tensors already loaded stay.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import onnxProto from 'onnx-proto';
import { expect, REPO, test } from './fixtures';
import type { ExplorerPage } from './app';
import { NetworkView } from './networkView';

/** The Python with torch (Debian's python3-torch; scripts/system-deps.sh installs it). */
const PYTHON = process.env.BSKMQ_TORCH_PYTHON ?? '/usr/bin/python3';
const SCRIPT = resolve(REPO, 'e2e/network/torch_model.py');
const METHODS = ['linear', 'cdf', 'lloydmax', 'kmeans', 'kmeanspp', 'bskmq', 'optimal'];

let dir = '';

function python(args: string[]): string {
  const r = spawnSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8', timeout: 120_000 });
  if (r.error || r.status !== 0) {
    throw new Error(
      `${PYTHON} ${SCRIPT} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr}`,
    );
  }
  return r.stdout;
}

test.beforeAll(() => {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `these tests need PyTorch and NumPy in ${PYTHON} (Debian: python3-torch python3-numpy; scripts/system-deps.sh ` +
        `installs them, or set BSKMQ_TORCH_PYTHON): ${probe.error?.message ?? probe.stderr.trim().split('\n').pop()}`,
    );
  }
  dir = mkdtempSync(join(tmpdir(), 'bskmq-net-'));
  python(['export', dir]);
});

test.afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Uploads the small model and its inputs and waits for every accuracy. */
async function openSmallNetwork(app: ExplorerPage, net: NetworkView): Promise<void> {
  await app.openSmall();
  await net.model.setInputFiles(join(dir, 'small.onnx'));
  await expect(net.page.getByTestId('network.summary')).toContainText('small.onnx');
  await net.inputs.setInputFiles(join(dir, 'small.npz'));
  await net.waitComplete();
  await app.waitCurrent();
}

test('an uploaded PyTorch model: every accuracy equals PyTorch with the same thresholds and levels', async ({
  app,
  page,
}) => {
  test.setTimeout(120_000);
  const net = new NetworkView(page);
  await openSmallNetwork(app, net);
  await expect(app.tensorPicker.locator('option')).toHaveCount(2);
  const report = (await net.report())!;
  expect(report.samples).toEqual({ calibration: 100, evaluation: 100 });
  expect(report.labels).toBe(true);
  expect(report.model.activations.map((a) => a.shape)).toEqual([
    [100, 16],
    [100, 16],
  ]);
  expect(report.results).toHaveLength(METHODS.length * 8);
  const file = join(dir, 'report.json');
  writeFileSync(file, JSON.stringify(report));
  const torch = JSON.parse(python(['evaluate', dir, file])) as {
    evaluation: number;
    float: number;
    results: { method: string; bits: number; accuracy: number }[];
  };
  expect(torch.evaluation).toBe(100);
  expect(report.floatAccuracy).toBeCloseTo(torch.float, 9);
  let distinct = 0;
  for (const [i, r] of report.results.entries()) {
    const t = torch.results[i];
    expect([t.method, t.bits]).toEqual([r.method, r.bits]);
    // At most one prediction may differ (a value within float rounding of a threshold).
    expect(Math.abs(r.accuracy - t.accuracy) * torch.evaluation, `${r.method} at ${r.bits} b`).toBeLessThanOrEqual(
      1 + 1e-9,
    );
    distinct += r.accuracy !== report.floatAccuracy ? 1 : 0;
  }
  // The comparison means something: quantization changes the accuracy somewhere.
  expect(distinct).toBeGreaterThan(0);
  // The table shows the same numbers at the current bits.
  const bits = (await app.params()).bits as number;
  const shown = await net.accuracies();
  for (const m of METHODS)
    expect(shown[m]).toBeCloseTo(report.results.find((r) => r.method === m && r.bits === bits)!.accuracy, 12);
  await page.setViewportSize({ width: 1280, height: 1300 });
  await net.panel.evaluate((el) => el.scrollIntoView());
  await expect(page.getByTestId('network.progress')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screenshots/network-upload.png' });
});

const { onnx } = onnxProto;

/** small.onnx with one change made by `edit` to its decoded ModelProto. */
function editedModel(
  name: string,
  edit: (m: InstanceType<typeof onnx.ModelProto>) => void,
): { name: string; mimeType: string; buffer: Buffer } {
  const m = onnx.ModelProto.decode(readFileSync(join(dir, 'small.onnx')));
  edit(m);
  return { name, mimeType: 'application/octet-stream', buffer: Buffer.from(onnx.ModelProto.encode(m).finish()) };
}

type Bad = { name: string; mimeType: string; buffer: Buffer } | string;
const BAD: { what: string; field: 'model' | 'inputs'; file: () => Bad; message: RegExp }[] = [
  {
    what: 'a file that is not ONNX',
    field: 'model',
    file: () => ({
      name: 'notes.onnx',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('these are my notes, not a model\n'),
    }),
    message: /notes\.onnx: not an ONNX model/,
  },
  {
    what: 'an operator onnxruntime-web cannot run',
    field: 'model',
    file: () =>
      editedModel('custom-op.onnx', (m) => {
        m.graph!.node![2].opType = 'BskmqNoSuchOp';
      }),
    message: /custom-op\.onnx: onnxruntime-web cannot run this model: .*BskmqNoSuchOp/,
  },
  {
    what: 'an opset onnxruntime-web does not run',
    field: 'model',
    file: () =>
      editedModel('opset99.onnx', (m) => {
        m.opsetImport![0].version = 99;
      }),
    message: /opset99\.onnx: opset 99 is not supported/,
  },
  {
    what: 'a model with no activation node',
    field: 'model',
    file: () => join(dir, 'noact.onnx'),
    message: /noact\.onnx: the model has no activation node/,
  },
  {
    what: 'inputs whose shape does not fit the model',
    field: 'inputs',
    file: () => join(dir, 'wrong-shape.npz'),
    message: /wrong-shape\.npz: inputs of shape \[n, 10\] do not fit small\.onnx's input x/,
  },
  {
    what: 'labels of the wrong length',
    field: 'inputs',
    file: () => join(dir, 'wrong-labels.npz'),
    message: /wrong-labels\.npz: labels y hold 150 values but x has 200 samples/,
  },
];

// One page for every bad input, one after another: each must leave the network it found, so a run of mistakes
// never loses the loaded network (and the page's setup is paid once).
test('every bad input: one notice naming the problem, and the loaded network and tensors stay', async ({
  app,
  page,
}) => {
  test.setTimeout(240_000);
  const net = new NetworkView(page);
  await openSmallNetwork(app, net);
  const tensors = await app.tensorPicker.locator('option').allTextContents();
  expect(tensors).toHaveLength(2);
  for (const [i, bad] of BAD.entries()) {
    await test.step(bad.what, async () => {
      const before = await net.report();
      await net[bad.field].setInputFiles(bad.file());
      await expect(app.notice.locator('.notice')).toHaveCount(1);
      await expect(app.notice).toHaveText(bad.message);
      await expect(net.panel).toHaveAttribute('data-state', 'ready');
      await expect(page.getByTestId('network.summary')).toContainText('small.onnx');
      await expect(page.getByTestId('network.summary')).toContainText('small.npz');
      expect(await app.tensorPicker.locator('option').allTextContents()).toEqual(tensors);
      await expect(net.table.locator('tbody tr')).toHaveCount(METHODS.length);
      expect(await net.report()).toEqual(before);
      // The network still answers: a bits change fills the table again.
      await app.setParams({ bits: 2 + (i % 2) });
      await net.waitComplete();
      expect(Object.values(await net.accuracies()).every((a) => a > 0)).toBe(true);
      await app.notice.getByRole('button', { name: 'Dismiss this message' }).click();
      await expect(app.notice.locator('.notice')).toHaveCount(0);
    });
  }
});
