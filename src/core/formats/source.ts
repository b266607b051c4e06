/**
 * Random-access byte sources: the one way parsers read files, so the same parser runs on node fs
 * (CLI), Blob.slice (browser worker) and in-memory bytes (tests).
 */
import { FormatError } from './errors';

/** Random-access bytes of a file: node fs in the CLI, Blob.slice in the browser, a Uint8Array in tests. */
export interface ByteSource {
  readonly name: string;
  readonly size: number;
  /**
   * Resolves to `length` bytes starting at `offset` (fewer only when the range passes the end).
   * The caller may keep or modify the returned array.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/**
 * A ByteSource over bytes already in memory (tests, small uploads). Reads return copies, so what a
 * decoder returns never aliases (and transferring it never detaches) the caller's buffer.
 */
export function bytesSource(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: bytes.length,
    read(offset: number, length: number): Promise<Uint8Array> {
      const start = Math.max(0, Math.min(offset, bytes.length));
      const end = Math.max(start, Math.min(offset + length, bytes.length));
      return Promise.resolve(bytes.slice(start, end));
    },
  };
}

/** Reads exactly `length` bytes at `offset`, or throws a FormatError naming what was being read. */
export async function readExact(
  source: ByteSource,
  offset: number,
  length: number,
  what: string,
  tensor?: string,
): Promise<Uint8Array> {
  if (!(offset >= 0 && length >= 0 && offset + length <= source.size)) {
    throw new FormatError(
      { file: source.name, tensor, offset },
      `${what} needs ${length} bytes at offset ${offset} but the file has ${source.size} bytes`,
    );
  }
  const bytes = length === 0 ? new Uint8Array(0) : await source.read(offset, length);
  if (bytes.length !== length) {
    throw new FormatError({ file: source.name, tensor, offset }, `${what}: read ${bytes.length} of ${length} bytes`);
  }
  return bytes;
}

/** Default size of the chunks streamed through `read`. */
export const CHUNK_BYTES = 16 * 1024 * 1024;
