import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import onnxProto from 'onnx-proto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeOf } from '../../src/core/quantizer';
import { ModelError, rewriteModel } from '../../src/worker/network/rewrite';

const { onnx } = onnxProto;
ort.env.wasm.numThreads = 1;

/** y = Relu(x) or Sigmoid(x) over x [n], opset `opset`. */
function tinyModel(op: string, opset = 13): Uint8Array {
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const vi = (name: string) => ({
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'n' }] } } },
  });
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 7,
      opsetImport: [{ domain: '', version: opset }],
      graph: {
        name: 'tiny',
        node: [
          { opType: op, input: ['x'], output: ['a'], name: 'act' },
          { opType: 'Identity', input: ['a'], output: ['y'], name: 'out' },
        ],
        input: [vi('x')],
        output: [vi('y')],
      },
    }),
  ).finish();
}

async function runRewritten(bytes: Uint8Array, x: number[], thresholds: number[], levels: number[], bypass: boolean) {
  const m = rewriteModel(bytes, 'tiny.onnx');
  const session = await ort.InferenceSession.create(m.bytes);
  const a = m.activations[0];
  const out = await session.run({
    x: new ort.Tensor('float32', Float32Array.from(x), [x.length]),
    [a.thresholdsInput]: new ort.Tensor('float32', Float32Array.from(thresholds), [thresholds.length]),
    [a.levelsInput]: new ort.Tensor('float32', Float32Array.from(levels), [levels.length]),
    [a.bypassInput]: new ort.Tensor('bool', new Uint8Array([bypass ? 1 : 0]), [1]),
  });
  return { y: Array.from(out.y.data as Float32Array), captured: Array.from(out[a.captureOutput].data as Float32Array) };
}

describe('rewriteModel', () => {
  it('quantizes an activation to levels[number of thresholds ≤ x], a value on a threshold going up', async () => {
    const x = [-1, 0, 0.5, 0.99, 1, 1.5, 2, 2.5, 7];
    const thresholds = [0.5, 1, 2];
    const levels = [0, 0.75, 1.5, 3];
    const { y, captured } = await runRewritten(tinyModel('Relu'), x, thresholds, levels, false);
    const want = x.map((v) => levels[codeOf(Float64Array.from(thresholds), Math.max(0, v))]);
    expect(y).toEqual(want);
    expect(captured).toEqual(Array.from(Float32Array.from(x, (v) => Math.max(0, v))));
  });

  it('the unrolled binary search equals levels[number of thresholds ≤ x] for every threshold count 1–255, values on thresholds and ±∞ included', async () => {
    const bytes = tinyModel('Relu');
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 255 }),
        fc.array(fc.float({ noNaN: true, min: -100, max: 100 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        async (count, extra, seed) => {
          let r = seed;
          const rnd = () => (r = (Math.imul(r, 1103515245) + 12345) >>> 0) / 2 ** 32;
          // float32 thresholds (what the engine feeds), sorted, with ties.
          const thresholds = Array.from(
            Float32Array.from({ length: count }, () => Math.round(rnd() * 100 * 8) / 8),
          ).sort((a, b) => a - b);
          const levels = Array.from({ length: count + 1 }, (_, i) => i);
          const x = [
            ...thresholds,
            ...Array.from(Float32Array.from(extra)),
            -Infinity,
            Infinity,
            thresholds[0] - 1,
            thresholds[count - 1] + 1,
          ];
          const { y } = await runRewritten(bytes, x, thresholds, levels, false);
          expect(y).toEqual(x.map((v) => levels[codeOf(Float64Array.from(thresholds), Math.max(0, v))]));
        },
      ),
      { seed: 16, numRuns: 20 },
    );
  });

  it('passes the float activation through when the bypass flag is set', async () => {
    const x = [-2, 0.25, 3];
    const { y } = await runRewritten(tinyModel('Sigmoid'), x, [0.5], [0, 1], true);
    y.forEach((v, i) => expect(v).toBeCloseTo(1 / (1 + Math.exp(-x[i])), 6));
  });

  it('builds a valid graph for opsets before 13', async () => {
    const { y } = await runRewritten(tinyModel('Relu', 11), [0.2, 0.8], [0.5], [0.1, 0.9], false);
    expect(y.map((v) => Math.round(v * 10) / 10)).toEqual([0.1, 0.9]);
  });

  it('adds one quantizer per activation of the demo network, with graph inputs and a capture output each', () => {
    const bytes = readFileSync(join(__dirname, '../../public/networks/digits.onnx'));
    const m = rewriteModel(bytes, 'digits.onnx');
    expect(m.activations.map((a) => a.op)).toEqual(['Relu', 'Clip', 'Relu']);
    expect(m.input.name).toBe('x');
    expect(m.output).toBe('logits');
    const g = onnx.ModelProto.decode(m.bytes).graph!;
    const inputs = (g.input ?? []).map((i) => i.name);
    const outputs = (g.output ?? []).map((o) => o.name);
    for (const a of m.activations) {
      expect(inputs).toEqual(expect.arrayContaining([a.thresholdsInput, a.levelsInput, a.bypassInput]));
      expect(outputs).toContain(a.captureOutput);
      expect((g.node ?? []).filter((n) => (n.output ?? []).includes(a.name)).map((n) => n.opType)).toEqual(['Where']);
    }
  });

  it('rejects a file that is not ONNX, an unsupported opset and a model without activations, naming the file', () => {
    expect(() => rewriteModel(new TextEncoder().encode('hello, not a model'), 'x.onnx')).toThrow(
      /x\.onnx: not an ONNX model/,
    );
    expect(() => rewriteModel(tinyModel('Relu', 5), 'old.onnx')).toThrow(/old\.onnx: opset 5 is not supported/);
    expect(() => rewriteModel(tinyModel('Abs'), 'abs.onnx')).toThrow(ModelError);
    expect(() => rewriteModel(tinyModel('Abs'), 'abs.onnx')).toThrow(/no activation node/);
  });
});
