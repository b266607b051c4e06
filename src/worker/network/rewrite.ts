/**
 * The one rewrite of a user's ONNX model that lets a single onnxruntime session serve every method and
 * bit width: each activation output passes through a threshold quantizer whose thresholds, levels and
 * bypass flag are graph inputs, and each activation's float value (the quantizer's input) is a graph
 * output for capture. Decoding and encoding go through onnx-proto (the ONNX schema compiled by
 * protobuf.js), never a hand-written parser.
 *
 * The quantizer finds code = the number of thresholds ≤ x (a value on a threshold goes up) by a binary
 * search unrolled over MAX_BITS steps, elementwise on x's own shape: with the thresholds padded by +∞ to
 * 2^MAX_BITS − 1 entries, step k (k = 2^(MAX_BITS−1) … 1) adds k to the code when x ≥ thresholds[code + k − 1].
 * That costs MAX_BITS gathers and comparisons per element whatever the bit width, where comparing x with
 * every threshold would cost 2^bits. The code is then clamped to the number of thresholds (x = +∞ or NaN
 * passes the padding) and `Gather(levels, code)` gives the value; `Where(bypass, x, Q(x))` gives the float
 * value when the layer's bypass flag is set.
 */
import onnxProto from 'onnx-proto';
import { MAX_BITS } from '../../core/params';

const { onnx } = onnxProto;
type ModelProto = InstanceType<typeof onnx.ModelProto>;
type NodeProto = onnxProto.onnx.INodeProto & { opType: string; input: string[]; output: string[] };
type ValueInfoProto = onnxProto.onnx.IValueInfoProto & { name: string };
/** A decoded graph: protobuf.js gives every repeated field an array, so these are never null here. */
interface Graph {
  node: NodeProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  initializer: (onnxProto.onnx.ITensorProto & { name: string })[];
  valueInfo: ValueInfoProto[];
}

/** Operators whose outputs are the activations a user quantizes. */
export const ACTIVATION_OPS = ['Relu', 'Clip', 'LeakyRelu', 'HardSigmoid', 'Sigmoid', 'Tanh', 'Gelu'] as const;

/** Default-domain opsets onnxruntime-web runs and the quantizer's operators exist in (Where needs 9). */
export const MIN_OPSET = 9;
export const MAX_OPSET = 22;

/** A rejected model, with a one-line message that names the file and the problem. */
export class ModelError extends Error {
  override name = 'ModelError';
}

export interface ActivationSpec {
  /** The activation tensor's name in the original model. */
  name: string;
  /** The operator that produces it. */
  op: string;
  /** Its shape from the model's value_info when the exporter wrote one (symbolic dims as strings), else null. */
  shape: (number | string)[] | null;
  /** Graph input names of its quantizer and the graph output that captures its float value. */
  thresholdsInput: string;
  levelsInput: string;
  bypassInput: string;
  captureOutput: string;
}

export interface RewrittenModel {
  bytes: Uint8Array;
  opset: number;
  /** The model's data input (the first graph input that is not an initializer). */
  input: { name: string; shape: (number | string)[] };
  /** The model's first output, read as logits for top-1. */
  output: string;
  activations: ActivationSpec[];
}

function dimsOf(vi: ValueInfoProto | undefined | null): (number | string)[] | null {
  const shape = vi?.type?.tensorType?.shape;
  if (!shape?.dim) return null;
  return shape.dim.map((d) => (d.dimParam ? d.dimParam : d.dimValue != null ? Number(d.dimValue) : '?'));
}

function tensorInfo(name: string, elemType: number, dims: (number | string)[] | null): ValueInfoProto {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        ...(dims
          ? { shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } }
          : {}),
      },
    },
  }) as ValueInfoProto;
}

function node(opType: string, inputs: string[], outputs: string[], name: string, attrs: object[] = []): NodeProto {
  return onnx.NodeProto.create({ opType, input: inputs, output: outputs, name, attribute: attrs }) as NodeProto;
}

/**
 * Decodes `bytes` as an ONNX model and rewrites it; throws a ModelError for a file that is not ONNX, an
 * opset outside MIN_OPSET–MAX_OPSET or a model without activation nodes.
 */
export function rewriteModel(bytes: Uint8Array, fileName: string): RewrittenModel {
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new ModelError(
      `${fileName}: not an ONNX model (protobuf decoding failed: ${e instanceof Error ? e.message : e})`,
    );
  }
  const graph = model.graph as unknown as Graph | null;
  if (!graph || !graph.node?.length || !graph.output?.length || !graph.input?.length) {
    throw new ModelError(`${fileName}: not an ONNX model (no graph with nodes, inputs and outputs)`);
  }
  const opsetEntry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  const opset = opsetEntry ? Number(opsetEntry.version) : NaN;
  if (!Number.isInteger(opset)) throw new ModelError(`${fileName}: the model declares no default-domain opset`);
  if (opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new ModelError(
      `${fileName}: opset ${opset} is not supported (onnxruntime-web here runs opsets ${MIN_OPSET}–${MAX_OPSET})`,
    );
  }
  const initNames = new Set((graph.initializer ?? []).map((t) => t.name));
  const dataInput = graph.input.find((i) => !initNames.has(i.name));
  if (!dataInput) throw new ModelError(`${fileName}: the model has no data input (every input is an initializer)`);
  const infoByName = new Map<string, ValueInfoProto>();
  for (const vi of [...(graph.valueInfo ?? []), ...graph.output]) infoByName.set(vi.name, vi);

  const acts = graph.node.filter(
    (n) =>
      (ACTIVATION_OPS as readonly string[]).includes(n.opType) && (!n.domain || n.domain === 'ai.onnx') && n.output[0],
  );
  if (acts.length === 0) {
    throw new ModelError(`${fileName}: the model has no activation node (${ACTIVATION_OPS.join(', ')})`);
  }

  const INT32 = onnx.TensorProto.DataType.INT32;
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const BOOL = onnx.TensorProto.DataType.BOOL;
  const PAD = 2 ** MAX_BITS - 1;
  const padding = 'bskmq/threshold_padding';
  graph.initializer.push(
    onnx.TensorProto.create({ name: padding, dataType: FLOAT, dims: [PAD], floatData: new Array(PAD).fill(Infinity) }),
  );
  const int32 = (v: number) => {
    const n = `bskmq/i32_${v}`;
    if (!initNames.has(n)) {
      initNames.add(n);
      graph.initializer.push(onnx.TensorProto.create({ name: n, dataType: INT32, dims: [1], int32Data: [v] }));
    }
    return n;
  };
  const castTo = (to: number) => [{ name: 'to', type: 2, i: to }];

  const activations: ActivationSpec[] = [];
  const added: NodeProto[][] = [];
  acts.forEach((act, i) => {
    const name = act.output[0];
    const p = `bskmq/q${i}`;
    const float = `${p}/float`;
    const spec: ActivationSpec = {
      name,
      op: act.opType,
      shape: dimsOf(infoByName.get(name)),
      thresholdsInput: `${p}/thresholds`,
      levelsInput: `${p}/levels`,
      bypassInput: `${p}/bypass`,
      captureOutput: float,
    };
    act.output[0] = float;
    const thr = `${p}/thresholds_padded`;
    const nodes: NodeProto[] = [
      node('Concat', [spec.thresholdsInput, padding], [thr], `${p}/Pad`, [{ name: 'axis', type: 2, i: 0 }]),
    ];
    let code: string | null = null;
    for (let step = MAX_BITS - 1; step >= 0; step--) {
      const k = 2 ** step;
      const s = `${p}/s${step}`;
      // The first step compares with one threshold (broadcast); later ones gather per element at code + k − 1.
      const idx = code === null ? int32(k - 1) : `${s}/idx`;
      if (code !== null) nodes.push(node('Add', [code, int32(k - 1)], [idx], `${s}/Idx`));
      nodes.push(
        node('Gather', [thr, idx], [`${s}/t`], `${s}/Gather`, [{ name: 'axis', type: 2, i: 0 }]),
        node('Less', [float, `${s}/t`], [`${s}/lt`], `${s}/Less`),
        node('Not', [`${s}/lt`], [`${s}/ge`], `${s}/Not`),
        node('Cast', [`${s}/ge`], [`${s}/ge_i`], `${s}/Cast`, castTo(INT32)),
        node('Mul', [`${s}/ge_i`, int32(k)], [`${s}/inc`], `${s}/Mul`),
      );
      if (code === null) code = `${s}/inc`;
      else {
        nodes.push(node('Add', [code, `${s}/inc`], [`${s}/code`], `${s}/Add`));
        code = `${s}/code`;
      }
    }
    // Clamp to the number of thresholds (Min on floats: integer Min needs opset 12).
    nodes.push(
      node('Shape', [spec.thresholdsInput], [`${p}/T`], `${p}/T`),
      node('Cast', [`${p}/T`], [`${p}/Tf`], `${p}/CastT`, castTo(FLOAT)),
      node('Cast', [code!], [`${p}/code_f`], `${p}/CastCode`, castTo(FLOAT)),
      node('Min', [`${p}/code_f`, `${p}/Tf`], [`${p}/clamped_f`], `${p}/Clamp`),
      node('Cast', [`${p}/clamped_f`], [`${p}/code`], `${p}/CastBack`, castTo(INT32)),
      node('Gather', [spec.levelsInput, `${p}/code`], [`${p}/q`], `${p}/Gather`, [{ name: 'axis', type: 2, i: 0 }]),
      node('Where', [spec.bypassInput, float, `${p}/q`], [name], `${p}/Where`),
    );
    added.push(nodes);
    graph.input.push(tensorInfo(spec.thresholdsInput, FLOAT, [`${p}/T`]));
    graph.input.push(tensorInfo(spec.levelsInput, FLOAT, [`${p}/K`]));
    graph.input.push(tensorInfo(spec.bypassInput, BOOL, [1]));
    graph.output.push(tensorInfo(float, FLOAT, spec.shape));
    activations.push(spec);
  });
  // Nodes stay topologically sorted: each quantizer goes right after the node it follows.
  const nodes: NodeProto[] = [];
  for (const n of graph.node) {
    nodes.push(n);
    const i = acts.indexOf(n);
    if (i >= 0) nodes.push(...added[i]);
  }
  graph.node = nodes;
  // value_info of a renamed tensor would now describe the quantizer's output under the old name; keep it.
  return {
    bytes: onnx.ModelProto.encode(model).finish(),
    opset,
    input: { name: dataInput.name, shape: dimsOf(dataInput) ?? [] },
    output: graph.output[0].name,
    activations,
  };
}
