/**
 * A ByteSource over a file on disk (node fs.promises), for the CLI and benchmarks: reads are
 * positioned, so only what a parser asks for is ever in memory.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ByteSource } from '../src/core/formats/index';

/** A ByteSource that must be closed when done. */
export interface NodeByteSource extends ByteSource {
  readonly path: string;
  close(): Promise<void>;
}

/**
 * Opens `path` for positioned reads. `name` (default: the base name) is what error messages show.
 * Every read returns a fresh Uint8Array at byte offset 0 (8-byte aligned), so decoders can view it
 * as float32/float64 without copying.
 */
export async function openNodeSource(path: string, name: string = basename(path)): Promise<NodeByteSource> {
  const handle: FileHandle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    name,
    path,
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const start = Math.max(0, Math.min(offset, size));
      const n = Math.max(0, Math.min(length, size - start));
      const out = new Uint8Array(n);
      let done = 0;
      while (done < n) {
        const { bytesRead } = await handle.read(out, done, n - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === n ? out : out.subarray(0, done);
    },
    close: () => handle.close(),
  };
}

/** Runs `use` on a node source of `path` and closes it afterwards, also on errors. */
export async function withNodeSource<T>(path: string, use: (source: NodeByteSource) => Promise<T>): Promise<T> {
  const source = await openNodeSource(path);
  try {
    return await use(source);
  } finally {
    await source.close();
  }
}
