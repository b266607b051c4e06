/**
 * Deflated zip members through fflate: whole members for decode, a prefix for listing, and a
 * chunked stream for streaming.
 */
import { Inflate, inflateSync } from 'fflate';
import { FormatError } from './errors';
import { readExact, type ByteSource } from './source';
import type { ZipEntry } from './zip';

/** Deflate cannot expand data by more than about 1032:1; a bigger claim is a lie. */
const MAX_RATIO = 1032;

function corrupt(source: ByteSource, entry: ZipEntry, e: unknown): FormatError {
  if (e instanceof FormatError) return e;
  const why = e instanceof Error ? e.message : String(e);
  return new FormatError({ file: source.name, tensor: entry.name }, `deflated data are corrupt (${why})`);
}

/** Checks the sizes a member claims before anything is allocated for it. */
export function checkDeflateSizes(source: ByteSource, entry: ZipEntry): void {
  if (entry.method !== 8) {
    throw new FormatError(
      { file: source.name, tensor: entry.name },
      `zip compression method ${entry.method} is not supported (only stored and deflated)`,
    );
  }
  if (entry.size > entry.compressedSize * MAX_RATIO + 1024) {
    throw new FormatError(
      { file: source.name, tensor: entry.name },
      `zip member claims ${entry.size} bytes from ${entry.compressedSize} compressed bytes, more than deflate can produce`,
    );
  }
}

/** Inflates a whole member into exactly `entry.size` bytes. */
export async function inflateMember(source: ByteSource, entry: ZipEntry, dataOffset: number): Promise<Uint8Array> {
  checkDeflateSizes(source, entry);
  const compressed = await readExact(source, dataOffset, entry.compressedSize, 'deflated zip member', entry.name);
  let out: Uint8Array;
  try {
    // One extra byte shows whether the data inflate to more than the directory says.
    out = inflateSync(compressed, { out: new Uint8Array(entry.size + 1) });
  } catch (e) {
    throw corrupt(source, entry, e);
  }
  if (out.length !== entry.size) {
    throw new FormatError(
      { file: source.name, tensor: entry.name },
      `zip member inflates to ${out.length > entry.size ? 'more than' : 'only'} ${out.length > entry.size ? entry.size : out.length} bytes; the directory says ${entry.size}`,
    );
  }
  return out.subarray(0, entry.size);
}

/**
 * Feeds a member's inflated bytes, in order, to `onData`, reading `chunkBytes` of compressed data at
 * a time; `onRead` gets the compressed bytes consumed. `onData` may return true to stop early.
 */
export async function inflateChunks(
  source: ByteSource,
  entry: ZipEntry,
  dataOffset: number,
  chunkBytes: number,
  onData: (bytes: Uint8Array) => boolean | void,
  onRead?: (done: number) => void,
): Promise<number> {
  checkDeflateSizes(source, entry);
  let produced = 0;
  let stop = false;
  const inflater = new Inflate((chunk) => {
    if (stop) return;
    produced += chunk.length;
    if (produced > entry.size) {
      throw new FormatError({ file: source.name, tensor: entry.name }, `zip member inflates to more than the ${entry.size} bytes its directory says`);
    }
    if (onData(chunk) === true) stop = true;
  });
  for (let done = 0; done < entry.compressedSize && !stop;) {
    const n = Math.min(chunkBytes, entry.compressedSize - done);
    const part = await readExact(source, dataOffset + done, n, 'deflated zip member', entry.name);
    done += n;
    try {
      inflater.push(part, done === entry.compressedSize);
    } catch (e) {
      throw corrupt(source, entry, e);
    }
    onRead?.(done);
  }
  if (!stop && produced !== entry.size) {
    throw new FormatError(
      { file: source.name, tensor: entry.name },
      `zip member inflates to ${produced} bytes; the directory says ${entry.size}`,
    );
  }
  return produced;
}

/** The first `length` inflated bytes of a member (fewer if the member is shorter). */
export async function inflatePrefix(source: ByteSource, entry: ZipEntry, dataOffset: number, length: number): Promise<Uint8Array> {
  const want = Math.min(length, entry.size);
  const out = new Uint8Array(want);
  let got = 0;
  await inflateChunks(source, entry, dataOffset, 64 * 1024, (bytes) => {
    const n = Math.min(bytes.length, want - got);
    out.set(bytes.subarray(0, n), got);
    got += n;
    return got >= want;
  });
  return out.subarray(0, got);
}
