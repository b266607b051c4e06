import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { join } from 'node:path';
import { bytesSource, type ByteSource } from '../../../src/core/formats';

export const FIXTURES = join(__dirname, '../../fixtures/formats');

export interface ManifestTensor {
  name: string;
  shape: number[];
  dtype: string;
  count: number;
  sum: number;
  nonFinite: number;
  first: (number | string)[];
  last: number | string | null;
}

export interface Manifest {
  files: Record<string, { format: string; tensors: ManifestTensor[]; raw?: { dtype: string; byteOrder: 'little' | 'big' } }>;
  bad: Record<string, string>;
}

export const manifest: Manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8'));

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}

export function fixture(name: string): ByteSource {
  return bytesSource(name, fixtureBytes(name));
}

/** Manifest numbers are JSON: non-finite values are written as strings. */
export function manifestNumber(v: number | string | null): number {
  return typeof v === 'string' ? Number(v) : v === null ? NaN : v;
}

/** A minimal torch.save-style zip: one float32 storage of `numel` values 1.5 and a view into it. */
export function torchZip(shape: number[], strides: number[], offset: number, numel: number): Uint8Array {
  const parts: number[] = [0x80, 0x02];
  const str = (s: string): void => {
    parts.push(0x58, s.length, 0, 0, 0, ...Array.from(s, (c) => c.charCodeAt(0)));
  };
  const int = (v: number): void => {
    if (v >= 0 && v < 2 ** 31) parts.push(0x4a, v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);
    else {
      // LONG1 with 8 little-endian two's-complement bytes.
      const b = new DataView(new ArrayBuffer(8));
      b.setBigInt64(0, BigInt(v), true);
      parts.push(0x8a, 8, ...new Uint8Array(b.buffer));
    }
  };
  const global = (m: string, n: string): void => {
    parts.push(0x63, ...Array.from(`${m}\n${n}\n`, (c) => c.charCodeAt(0)));
  };
  global('torch._utils', '_rebuild_tensor_v2');
  parts.push(0x28, 0x28);
  str('storage');
  global('torch', 'FloatStorage');
  str('0');
  str('cpu');
  int(numel);
  parts.push(0x74, 0x51);
  int(offset);
  parts.push(0x28);
  shape.forEach(int);
  parts.push(0x74, 0x28);
  strides.forEach(int);
  parts.push(0x74, 0x89, 0x7d, 0x74, 0x52, 0x2e);
  return zipSync(
    { 'archive/data.pkl': new Uint8Array(parts), 'archive/data/0': new Uint8Array(new Float32Array(numel).fill(1.5).buffer) },
    { level: 0 },
  );
}
