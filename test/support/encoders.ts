/**
 * Writers of the binary formats the tests and benchmarks feed the parsers: `.npy`, `.npz`, `.safetensors` and
 * PyTorch zip checkpoints (a hand-written pickle). Each writes what NumPy, safetensors or `torch.save` would for
 * the same data, or, given a header that lies, exactly the bytes asked for, so the fuzz tests can hit both sides of
 * every check. Fixtures written by the real libraries live in test/fixtures/; these cover what a fixture cannot
 * (sizes, random headers). Float data is written little-endian, as on the machines the tests run on.
 */
import { zipSync } from 'fflate';
import { npyHeader } from '../../cli/npyWriter';

function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A `.npy` (v1.0, C order) of float32 `values`, 1-d unless `shape` says otherwise. */
export function npy(values: Float32Array, shape: readonly number[] = [values.length]): Uint8Array {
  return concat([npyHeader(shape), bytesOf(values)]);
}

/** A `.npy` whose header declares `descr`, `shape` and `fortran` followed by `payload` zero bytes, true or not. */
export function npyWithHeader(descr: string, shape: readonly number[], fortran: boolean, payload: number): Uint8Array {
  return concat([npyHeader(shape, descr, fortran), new Uint8Array(payload)]);
}

/** A `.npz`: one float32 `.npy` member per entry, stored, or deflated as `np.savez_compressed` does. */
export function npz(members: Record<string, Float32Array>, options: { deflate?: boolean } = {}): Uint8Array {
  const files = Object.fromEntries(Object.entries(members).map(([name, v]) => [`${name}.npy`, npy(v)]));
  return zipSync(files, { level: options.deflate ? 6 : 0 });
}

/**
 * A `.safetensors` from its header object and payload: an 8-byte little-endian header length, the JSON header
 * padded with spaces so the data starts 8-byte aligned, then the payload (bytes, or that many zero bytes).
 */
export function safetensorsRaw(header: object, payload: Uint8Array | number): Uint8Array {
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const head = new Uint8Array(8 + json.length);
  new DataView(head.buffer).setUint32(0, json.length, true);
  for (let i = 0; i < json.length; i++) head[8 + i] = json.charCodeAt(i);
  return concat([head, typeof payload === 'number' ? new Uint8Array(payload) : payload]);
}

/** A `.safetensors` of 1-d float32 tensors, in the given order. */
export function safetensors(tensors: Record<string, Float32Array>): Uint8Array {
  const header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> = {};
  let offset = 0;
  for (const [name, data] of Object.entries(tensors)) {
    header[name] = { dtype: 'F32', shape: [data.length], data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  return safetensorsRaw(header, concat(Object.values(tensors).map(bytesOf)));
}

/** Protocol-2 pickle opcodes, written by hand: what `torch.save` emits for one tensor. */
class Pickle {
  readonly bytes: number[] = [0x80, 0x02];
  op(...codes: number[]): this {
    this.bytes.push(...codes);
    return this;
  }
  str(s: string): this {
    return this.op(0x58, s.length, 0, 0, 0, ...Array.from(s, (c) => c.charCodeAt(0)));
  }
  int(v: number): this {
    if (v >= 0 && v < 2 ** 31) return this.op(0x4a, v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);
    // LONG1 with 8 little-endian two's-complement bytes.
    const b = new DataView(new ArrayBuffer(8));
    b.setBigInt64(0, BigInt(v), true);
    return this.op(0x8a, 8, ...new Uint8Array(b.buffer));
  }
  global(module: string, name: string): this {
    return this.op(0x63, ...Array.from(`${module}\n${name}\n`, (c) => c.charCodeAt(0)));
  }
  /** `_rebuild_tensor_v2(storage '0' of `numel` floats, offset, shape, strides, False, {})`. */
  tensor(numel: number, offset: number, shape: readonly number[], strides: readonly number[]): this {
    this.global('torch._utils', '_rebuild_tensor_v2').op(0x28, 0x28).str('storage').global('torch', 'FloatStorage');
    this.str('0').str('cpu').int(numel).op(0x74, 0x51).int(offset).op(0x28);
    shape.forEach((v) => this.int(v));
    this.op(0x74, 0x28);
    strides.forEach((v) => this.int(v));
    return this.op(0x74, 0x89, 0x7d, 0x74, 0x52);
  }
}

function torchArchive(pickle: Pickle, storage: Uint8Array): Uint8Array {
  return zipSync(
    { 'archive/data.pkl': new Uint8Array(pickle.op(0x2e).bytes), 'archive/data/0': storage },
    { level: 0 },
  );
}

/** A PyTorch zip checkpoint of one bare tensor: a view (`shape`, `strides`, `offset`) into `numel` values 1.5. */
export function torchZip(shape: number[], strides: number[], offset: number, numel: number): Uint8Array {
  return torchArchive(new Pickle().tensor(numel, offset, shape, strides), bytesOf(new Float32Array(numel).fill(1.5)));
}

/** What `torch.save({name: t})` writes for a 1-d float32 tensor `t`. */
export function torchDict(name: string, data: Float32Array): Uint8Array {
  const p = new Pickle().op(0x7d, 0x28).str(name).tensor(data.length, 0, [data.length], [1]);
  return torchArchive(p.op(0x75), bytesOf(data));
}
