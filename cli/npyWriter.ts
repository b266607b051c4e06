/**
 * A minimal `.npy` writer: format version 1.0, little-endian float32 (`<f4`),
 * C order — what `np.load` reads and what `bskmq generate` produces.
 */
import { openSync, writeSync, closeSync } from 'node:fs';
import { endianness } from 'node:os';

/** Bytes of the magic string, version, header length and the header itself, padded as NumPy pads it. */
export function npyHeader(shape: readonly number[], descr = '<f4', fortran = false): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  // The data start must be 64-byte aligned (NEP 1 as NumPy ≥ 1.x writes it); the header ends in '\n'.
  const prefix = 10;
  const total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  const headerLength = total - prefix;
  if (headerLength > 0xffff) throw new RangeError('npy v1.0 header longer than 65535 bytes');
  const out = new Uint8Array(total);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, headerLength & 0xff, headerLength >> 8]);
  const text = dict.padEnd(headerLength - 1, ' ') + '\n';
  for (let i = 0; i < text.length; i++) out[prefix + i] = text.charCodeAt(i);
  return out;
}

/** Writes `values` to `path` as a 1-d float32 `.npy` file (NaN and ±Inf are kept as they are). */
export function writeNpyFloat32(path: string, values: Float32Array): void {
  let data = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (endianness() === 'BE') {
    const swapped = new Uint8Array(data.length);
    const view = new DataView(swapped.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
    data = swapped;
  }
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, npyHeader([values.length]));
    // Large arrays in slices: a single writeSync may write fewer bytes than asked.
    for (let off = 0; off < data.length;) off += writeSync(fd, data, off, Math.min(data.length - off, 1 << 24));
  } finally {
    closeSync(fd);
  }
}
