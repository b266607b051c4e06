import { readFileSync } from 'node:fs';
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
  files: Record<
    string,
    { format: string; tensors: ManifestTensor[]; raw?: { dtype: string; byteOrder: 'little' | 'big' } }
  >;
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
