/**
 * Writes float32 arrays as an uncompressed .npz (NumPy's own layout: one .npy v1.0 member per array), so
 * captured activations open through the app's ordinary file path like any uploaded multi-tensor file.
 */
import { zipSync } from 'fflate';

function npy(data: Float32Array, shape: readonly number[]): Uint8Array {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  // magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n.
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  const header = dict.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  // float32 little-endian: the platforms browsers run on are little-endian, as Float32Array is.
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
  return out;
}

export function writeNpz(
  arrays: readonly { name: string; shape: readonly number[]; data: Float32Array }[],
): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0 }]> = {};
  for (const a of arrays) files[`${a.name}.npy`] = [npy(a.data, a.shape), { level: 0 }];
  return zipSync(files, { mtime: new Date('2020-01-01T00:00:00Z') });
}

/** An activation name as an npz member: no path separators (npz members are file names). */
export function memberName(activation: string): string {
  const s = activation
    .replace(/^\/+/, '')
    .replace(/[/\\]+/g, '.')
    .replace(/[^A-Za-z0-9._:-]/g, '_');
  return s || 'activation';
}
