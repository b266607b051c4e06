/**
 * A researcher picks their activation dump: each container format loads, a multi-tensor
 * file lists its tensors, and the statistics strip counts what NumPy/PyTorch wrote.
 */
import { expect, fixture, manifest, test } from './fixtures';

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

const FILES = [
  { file: 'relu_10k.npy', format: 'npy' },
  { file: 'deflated.npz', format: 'npz' },
  { file: 'model.safetensors', format: 'safetensors' },
  { file: 'state_dict.pth', format: 'torch' },
  { file: 'nested.pt', format: 'torch' },
];

test.describe('uploading files', () => {
  test.beforeEach(async ({ app }) => {
    await app.openSmall();
  });

  // One page for every format, one upload after another: each replaces the one before (the page's setup is paid once).
  test("each container format loads its first tensor with the manifest's count", async ({ app }) => {
    for (const { file, format } of FILES) {
      await test.step(`a ${format} file (${file})`, async () => {
        const entry = manifest.files[file];
        expect(entry.format).toBe(format);
        const first = entry.tensors[0];
        await app.uploadAndWait(fixture(file));
        const stats = await app.statsValues();
        expect(stats['n']).toBe(formatCount(first.count - first.nonFinite));
        expect(stats['non-finite']).toBe(formatCount(first.nonFinite));
        const report = await app.report();
        expect(report.input).toMatchObject({
          file,
          count: first.count,
          nonFinite: first.nonFinite,
          shape: first.shape,
          dtype: first.dtype,
        });
        if (entry.tensors.length > 1) expect(report.input.tensor).toBe(first.name);
        // The mean times the finite count gives back the sum NumPy computed.
        expect(report.input.mean! * (first.count - first.nonFinite)).toBeCloseTo(first.sum, 3);
        expect(await app.tableMethods()).toHaveLength(7);
        expect(await app.countMarks('histogram', 'line.level')).toBeGreaterThan(0);
      });
    }
  });

  test('the tensor picker lists every tensor of a multi-tensor file and switches between them', async ({ app }) => {
    const { tensors } = manifest.files['deflated.npz'];
    await app.uploadAndWait(fixture('deflated.npz'));
    const options = await app.tensorPicker
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).toEqual(tensors.map((t) => t.name));
    for (const t of tensors) {
      const label = app.tensorPicker.locator(`option[value="${t.name}"]`);
      await expect(label).toContainText(`[${t.shape.join('×')}] ${t.dtype}`);
    }
    const w = tensors.find((t) => t.name === 'w')!;
    await app.tensorPicker.selectOption('w');
    await expect(app.stats).toContainText(formatCount(w.count));
    await app.waitReady();
    const report = await app.report();
    expect(report.input).toMatchObject({ tensor: 'w', count: w.count, shape: w.shape, dtype: w.dtype });
    expect((await app.statsValues())['n']).toBe(formatCount(w.count));
    expect(app.query().get('t')).toBe('w');
  });

  test('a state dict in a .pt zip lists its parameters by their dotted names', async ({ app }) => {
    await app.uploadAndWait(fixture('state_dict.pth'));
    const options = await app.tensorPicker
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).toEqual(manifest.files['state_dict.pth'].tensors.map((t) => t.name));
  });

  test('a second upload without an opened link gives no link notice, and switching to a generator shows none', async ({
    app,
  }) => {
    await app.uploadAndWait(fixture('relu_10k.npy'));
    await app.uploadAndWait(fixture('deflated.npz'));
    await expect(app.notice).toBeHidden();
    await app.generator.selectOption('relu6');
    await app.waitReady();
    await expect(app.notice).toBeHidden();
  });
});
