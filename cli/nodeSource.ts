/**
 * A ByteSource over a file on disk (node fs.promises), for the CLI and benchmarks: reads are
 * positioned, so only what a parser asks for is ever in memory.
 */
import { statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ByteSource } from '../src/core/formats/index';

/** A ByteSource over a file; `close()` releases the descriptor (it is opened on the first read). */
export interface NodeByteSource extends ByteSource {
  readonly path: string | Buffer;
  close(): Promise<void>;
}

/**
 * A ByteSource over `path`; `name` (default: the base name) is what error messages show. The size
 * is taken now (throws the fs error if the file is missing); the file is opened on the first read.
 * Every read returns a fresh Uint8Array at byte offset 0 (8-byte aligned), so decoders can view it
 * as float32/float64 without copying.
 */
export function nodeSource(path: string | Buffer, name: string = basename(path.toString())): NodeByteSource {
  const size = statSync(path).size;
  let handle: Promise<FileHandle> | null = null;
  return {
    name,
    path,
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const start = Math.max(0, Math.min(offset, size));
      const n = Math.max(0, Math.min(length, size - start));
      const out = new Uint8Array(n);
      if (n === 0) return out;
      handle ??= open(path, 'r');
      const fh = await handle;
      let done = 0;
      while (done < n) {
        // One read call is limited to 2 GiB; read big ranges in 1 GiB steps.
        const { bytesRead } = await fh.read(out, done, Math.min(n - done, 2 ** 30), start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === n ? out : out.subarray(0, done);
    },
    async close(): Promise<void> {
      if (!handle) return;
      const h = handle;
      handle = null;
      await (await h).close();
    },
  };
}

/** Runs `use` on a node source of `path` and closes it afterwards, also on errors. */
export async function withNodeSource<T>(path: string, use: (source: NodeByteSource) => Promise<T>): Promise<T> {
  const source = nodeSource(path);
  try {
    return await use(source);
  } finally {
    await source.close();
  }
}
