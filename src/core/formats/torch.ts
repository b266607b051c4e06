/**
 * PyTorch zip checkpoints (`torch.save` since 1.6): `<archive>/data.pkl` is a pickle whose tensors
 * refer to storages `<archive>/data/<key>` through persistent ids.
 *
 * The pickle is read by ./pickle with a table that maps the handful of PyTorch rebuild functions
 * to inert descriptors; every other global stays a name: nothing in the file is imported or executed.
 */
import { checkPlan, type TensorPlan } from './binary';
import type { ByteOrder, DTypeName } from './dtype';
import { FormatError } from './errors';
import { readMember } from './inflate';
import { PickleError, PyGlobal, PyObject, unpickle, type PickleHooks } from './pickle';
import { fileStem } from './numpy';
import type { ByteSource } from './source';
import { decodeLatin1 } from './utf8';
import { checkedCount, MAX_TENSORS } from './validate';
import { zipDataOffset, type ZipEntry } from './zip';

const STORAGE_DTYPES: Readonly<Record<string, DTypeName>> = {
  DoubleStorage: 'float64',
  FloatStorage: 'float32',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
  UntypedStorage: 'uint8',
};

/** A storage as the persistent id describes it. */
class StorageRef {
  constructor(
    readonly key: string,
    readonly dtype: DTypeName | null,
    readonly typeName: string,
  ) {}
}

/** What `_rebuild_tensor_v2` would have built: a view into a storage. */
class TensorRef {
  constructor(
    readonly storage: unknown,
    readonly offset: unknown,
    readonly shape: unknown,
    readonly strides: unknown,
  ) {}
}

/** A tensor kind we recognise but do not decode (quantized, sparse, nested…). */
class UnsupportedTensor {
  constructor(readonly why: string) {}
}

/** Largest data.pkl we parse: real checkpoints' pickles are a few MB. */
const MAX_PICKLE = 256 * 1024 * 1024;
/** Bound on the container visits made when collecting tensors. */
const MAX_NODES = 1_000_000;
/** Deepest container nesting followed. */
const MAX_DEPTH = 200;

/** The archive's pickle member, if this zip is a PyTorch checkpoint. */
export function findTorchPickle(entries: ZipEntry[]): ZipEntry | undefined {
  let best: ZipEntry | undefined;
  for (const e of entries) {
    if (/^([^/]+\/)?data\.pkl$/.test(e.name) && (!best || e.name.length < best.name.length)) best = e;
  }
  return best;
}

/** The message for a pre-1.6 (non-zip) checkpoint. */
export function legacyTorchError(file: string): FormatError {
  return new FormatError(
    { file, offset: 0 },
    'legacy (pre-1.6, non-zip) PyTorch checkpoint or bare pickle, which is not supported: re-save it with a current ' +
      "PyTorch: torch.save(torch.load(f), 'new.pt')",
  );
}

/** The callables a checkpoint may name; every other global stays an inert PyGlobal. */
function makeHooks(file: string): PickleHooks {
  const registry = new Map<string, (...args: unknown[]) => unknown>();
  const register = (module: string, name: string, fn: (...args: never[]) => unknown): void => {
    registry.set(`${module}.${name}`, fn as (...args: unknown[]) => unknown);
  };
  const storageTypes = new Map<unknown, string>();
  const rebuildTensor = (storage: unknown, offset: unknown, shape: unknown, strides: unknown): TensorRef =>
    new TensorRef(storage, offset, shape, strides);
  register('torch._utils', '_rebuild_tensor_v2', rebuildTensor);
  register('torch._utils', '_rebuild_tensor', rebuildTensor);
  register('torch._utils', '_rebuild_parameter', (data: unknown) => data);
  register('torch._utils', '_rebuild_parameter_with_state', (data: unknown) => data);
  register('torch._tensor', '_rebuild_from_type_v2', (func: unknown, _type: unknown, args: unknown) => {
    if (typeof func === 'function' && Array.isArray(args)) return (func as (...a: unknown[]) => unknown)(...args);
    return new UnsupportedTensor('a tensor subclass that is rebuilt by an unknown function');
  });
  for (const [name, why] of [
    ['_rebuild_qtensor', 'quantized tensors are not supported; dequantize them first (t.dequantize())'],
    ['_rebuild_sparse_tensor', 'sparse tensors are not supported; save t.to_dense()'],
    ['_rebuild_sparse_csr_tensor', 'sparse tensors are not supported; save t.to_dense()'],
    ['_rebuild_nested_tensor', 'nested tensors are not supported'],
    ['_rebuild_device_tensor_from_numpy', 'device tensors stored as NumPy arrays are not supported; save t.cpu()'],
    ['_rebuild_meta_tensor_no_storage', 'meta tensors have no data'],
    ['_rebuild_wrapper_subclass', 'wrapper-subclass tensors are not supported'],
    ['_rebuild_xla_tensor', 'XLA tensors are not supported; save t.cpu()'],
  ]) {
    register('torch._utils', name, () => new UnsupportedTensor(why));
  }
  for (const typeName of Object.keys(STORAGE_DTYPES)) {
    const marker = (): null => null;
    storageTypes.set(marker, typeName);
    register('torch', typeName, marker);
  }
  register('collections', 'OrderedDict', (items?: unknown) => {
    const map = new Map<unknown, unknown>();
    if (Array.isArray(items))
      for (const pair of items) if (Array.isArray(pair) && pair.length === 2) map.set(pair[0], pair[1]);
    return map;
  });
  register('torch', 'Size', (dims?: unknown) => (Array.isArray(dims) ? dims.slice() : []));
  register('torch', 'device', (name?: unknown) => String(name));
  return {
    global: (module, name) => registry.get(`${module}.${name}`),
    persistent(pid: unknown): StorageRef {
      if (!Array.isArray(pid) || pid[0] !== 'storage' || pid.length < 3) {
        throw new FormatError({ file }, `data.pkl has an unknown persistent id ${describe(pid)}`);
      }
      const marker = pid[1];
      const known = storageTypes.get(marker);
      const typeName = known ?? (marker instanceof PyGlobal ? `${marker.module}.${marker.name}` : describe(marker));
      return new StorageRef(String(pid[2]), known ? STORAGE_DTYPES[known] : null, typeName);
    },
  };
}

/** A short, safe rendering of an unpickled value for messages (it may hold BigInts or cycles). */
function describe(value: unknown): string {
  try {
    const s = JSON.stringify(value, (_k, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : v instanceof Map ? Object.fromEntries(v) : v,
    );
    return (s ?? String(value)).slice(0, 80);
  } catch {
    return String(value).slice(0, 80);
  }
}

interface Found {
  name: string;
  value: TensorRef | UnsupportedTensor;
}

/**
 * Every path to a tensor from the unpickled root (`layer.0.weight`): a container reached twice (a
 * sub-dict saved under two keys) is listed under each of its paths; a cycle is followed once.
 */
function collectTensors(root: unknown, stem: string, file: string): Found[] {
  const found: Found[] = [];
  const open = new Set<unknown>();
  let visits = 0;
  const visit = (value: unknown, path: string[]): void => {
    if (value instanceof TensorRef || value instanceof UnsupportedTensor) {
      if (found.length >= MAX_TENSORS) {
        throw new FormatError(
          { file },
          `data.pkl refers to tensors more than ${MAX_TENSORS} times (counting every path to each); at most ${MAX_TENSORS} are listed: save the tensors you need`,
        );
      }
      found.push({ name: path.length ? path.join('.') : stem, value });
      return;
    }
    if (
      value === null ||
      typeof value !== 'object' ||
      open.has(value) ||
      value instanceof StorageRef ||
      value instanceof PyGlobal
    )
      return;
    if (path.length >= MAX_DEPTH) {
      const at = path.slice(0, 3).join('.');
      throw new FormatError(
        { file },
        `data.pkl nests containers deeper than ${MAX_DEPTH} levels (under '${at}…'), which is not supported`,
      );
    }
    if (++visits > MAX_NODES) {
      throw new FormatError(
        { file },
        `data.pkl makes more than ${MAX_NODES} container visits (counting every path to each); at most ${MAX_NODES} are followed`,
      );
    }
    open.add(value);
    if (value instanceof Map) {
      for (const [k, v] of value) visit(v, [...path, typeof k === 'string' ? k : describe(k)]);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, [...path, String(i)]));
    } else if (value instanceof PyObject && value.state) {
      for (const [k, v] of value.state) visit(v, [...path, typeof k === 'string' ? k : describe(k)]);
    }
    open.delete(value);
  };
  visit(root, []);
  const names = new Map<string, number>();
  for (const f of found) {
    const n = names.get(f.name) ?? 0;
    names.set(f.name, n + 1);
    if (n > 0) f.name = `${f.name}#${n + 1}`;
  }
  return found;
}

function intList(value: unknown): number[] | null {
  if (!Array.isArray(value)) return null;
  for (const v of value) if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return null;
  return value as number[];
}

/** Plans every tensor of a PyTorch zip checkpoint; unsupported ones are reported by name. */
export async function planTorch(
  source: ByteSource,
  entries: ZipEntry[],
  pickle: ZipEntry,
): Promise<{ plans: TensorPlan[]; unsupported: Map<string, string> }> {
  const file = source.name;
  const prefix = pickle.name.slice(0, pickle.name.length - 'data.pkl'.length);
  if (pickle.size > MAX_PICKLE)
    throw new FormatError(
      { file, tensor: pickle.name },
      `data.pkl is ${pickle.size} bytes; at most ${MAX_PICKLE} are parsed`,
    );
  const memberBytes = async (entry: ZipEntry): Promise<Uint8Array> => {
    const start = await zipDataOffset(source, entry);
    return readMember(source, entry, start);
  };
  let byteOrder: ByteOrder = 'little';
  const orderEntry = entries.find((e) => e.name === `${prefix}byteorder`);
  if (orderEntry && orderEntry.size <= 16) {
    const text = decodeLatin1(await memberBytes(orderEntry)).trim();
    if (text === 'big') byteOrder = 'big';
    else if (text !== 'little')
      throw new FormatError({ file, tensor: orderEntry.name }, `byteorder says '${text}', expected 'little' or 'big'`);
  }
  const pkl = await memberBytes(pickle);
  let root: unknown;
  try {
    root = unpickle(pkl, makeHooks(file));
  } catch (e) {
    if (e instanceof FormatError) throw e;
    if (e instanceof PickleError)
      throw new FormatError(
        { file, tensor: pickle.name, offset: e.offset },
        `data.pkl is not a valid pickle: ${e.detail}`,
      );
    throw new FormatError(
      { file, tensor: pickle.name },
      `data.pkl is not a pickle this reader understands (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  const storages = new Map<string, ZipEntry>();
  for (const e of entries) if (e.name.startsWith(`${prefix}data/`)) storages.set(e.name.slice(prefix.length + 5), e);
  const plans: TensorPlan[] = [];
  const unsupported = new Map<string, string>();
  for (const { name, value } of collectTensors(root, fileStem(file), file)) {
    const ctx = { file, tensor: name };
    if (value instanceof UnsupportedTensor) {
      unsupported.set(name, value.why);
      continue;
    }
    const storage = value.storage;
    if (!(storage instanceof StorageRef)) throw new FormatError(ctx, 'tensor does not refer to a storage');
    if (!storage.dtype) {
      const why = /Complex/.test(storage.typeName)
        ? 'complex values cannot be quantized to real levels'
        : /QU?Int|Float8/.test(storage.typeName)
          ? 'quantized or 8-bit float storages are not supported; convert to float first'
          : 'not a storage type this reader knows';
      unsupported.set(name, `storage type ${storage.typeName} is not supported: ${why}`);
      continue;
    }
    const entry = storages.get(storage.key);
    if (!entry) throw new FormatError(ctx, `its storage '${prefix}data/${storage.key}' is missing from the archive`);
    const shape = intList(value.shape);
    const strides = intList(value.strides);
    const offset = value.offset;
    if (
      !shape ||
      !strides ||
      strides.length !== shape.length ||
      typeof offset !== 'number' ||
      !Number.isSafeInteger(offset) ||
      offset < 0
    ) {
      throw new FormatError(
        ctx,
        `tensor view is malformed: size ${JSON.stringify(value.shape)}, stride ${JSON.stringify(value.strides)}, storage offset ${JSON.stringify(value.offset)}`,
      );
    }
    const count = checkedCount(shape, storage.dtype, ctx);
    const plan: TensorPlan = {
      info: { name, shape, dtype: storage.dtype, count },
      dtype: storage.dtype,
      byteOrder,
      region: { kind: 'zip', entry },
      base: 0,
      layout: { offset, strides },
    };
    checkPlan(file, plan, 'checkpoint');
    plans.push(plan);
  }
  if (plans.length === 0 && unsupported.size > 0) {
    const [name, why] = unsupported.entries().next().value as [string, string];
    throw new FormatError({ file, tensor: name }, why);
  }
  return { plans, unsupported };
}
