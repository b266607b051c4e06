/**
 * Zip members' bytes, stored or deflated (through fflate): whole members, a prefix for listing, a
 * byte range, and a chunked stream. Inflating is fed small slices of compressed data, so one
 * step never produces more than MAX_STEP_OUTPUT bytes whatever the compression ratio; every read
 * of a whole member checks its CRC-32 as numpy does.
 */
import { Inflate, inflateSync } from 'fflate';
import { crc32 } from './crc32';
import { FormatError } from './errors';
import { readExact, type ByteSource } from './source';
import type { ZipEntry } from './zip';

/** Deflate cannot expand data by more than about 1032:1; a bigger claim is a lie. */
const MAX_RATIO = 1032;
/** Compressed bytes handed to the inflater at once: at most MAX_RATIO times this comes out. */
const INFLATE_SLICE = 32 * 1024;
/** Bound on the inflated bytes one push can produce. */
export const MAX_STEP_OUTPUT = INFLATE_SLICE * MAX_RATIO;

/** The message numpy's zipfile gives, with both checksums. */
export function crcError(source: ByteSource, entry: ZipEntry, got: number): FormatError {
  const hex = (v: number): string => `0x${v.toString(16).padStart(8, '0')}`;
  return new FormatError(
    { file: source.name, tensor: entry.name },
    `Bad CRC-32: the member's data have CRC-32 ${hex(got)} but the zip directory says ${hex(entry.crc32)}; the file is corrupt`,
  );
}

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
  const crc = crc32(out);
  if (crc !== entry.crc32) throw crcError(source, entry, crc);
  return out.subarray(0, entry.size);
}

/** A whole small member (stored or deflated), CRC-checked. */
export async function readMember(source: ByteSource, entry: ZipEntry, dataOffset: number): Promise<Uint8Array> {
  if (entry.method !== 0) return inflateMember(source, entry, dataOffset);
  const bytes = await readExact(source, dataOffset, entry.size, 'zip member', entry.name);
  const crc = crc32(bytes);
  if (crc !== entry.crc32) throw crcError(source, entry, crc);
  return bytes;
}

/**
 * Feeds every byte of a member (stored or deflated), in order and in pieces of bounded size, to
 * `onData`, then checks the member's CRC-32; `onRead` gets the file bytes consumed.
 */
export async function memberChunks(
  source: ByteSource,
  entry: ZipEntry,
  dataOffset: number,
  chunkBytes: number,
  onData: (bytes: Uint8Array) => void,
  onRead?: (done: number) => void,
): Promise<void> {
  let crc = 0;
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) {
      throw new FormatError(
        { file: source.name, tensor: entry.name },
        `stored zip member has ${entry.compressedSize} bytes but its directory says ${entry.size}`,
      );
    }
    for (let done = 0; done < entry.size;) {
      const n = Math.min(chunkBytes, entry.size - done);
      const bytes = await readExact(source, dataOffset + done, n, 'zip member', entry.name);
      crc = crc32(bytes, crc);
      onData(bytes);
      done += n;
      onRead?.(done);
    }
  } else {
    await inflateChunks(
      source,
      entry,
      dataOffset,
      chunkBytes,
      (bytes) => {
        crc = crc32(bytes, crc);
        onData(bytes);
      },
      onRead,
    );
  }
  if (crc !== entry.crc32) throw crcError(source, entry, crc);
}

/** Bytes [from, from + length) of a member, read through the whole member so its CRC-32 is checked. */
export async function memberRange(
  source: ByteSource,
  entry: ZipEntry,
  dataOffset: number,
  from: number,
  length: number,
  chunkBytes: number,
): Promise<Uint8Array> {
  let out: Uint8Array;
  try {
    out = new Uint8Array(length);
  } catch {
    throw new FormatError(
      { file: source.name, tensor: entry.name },
      `${length} bytes do not fit in memory at once: stream the tensor instead`,
    );
  }
  let pos = 0;
  const end = from + length;
  await memberChunks(source, entry, dataOffset, chunkBytes, (bytes) => {
    const a = Math.max(pos, from);
    const b = Math.min(pos + bytes.length, end);
    if (b > a) out.set(bytes.subarray(a - pos, b - pos), a - from);
    pos += bytes.length;
  });
  return out;
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
      throw new FormatError(
        { file: source.name, tensor: entry.name },
        `zip member inflates to more than the ${entry.size} bytes its directory says`,
      );
    }
    if (onData(chunk) === true) stop = true;
  });
  for (let done = 0; done < entry.compressedSize && !stop;) {
    const n = Math.min(chunkBytes, entry.compressedSize - done);
    const part = await readExact(source, dataOffset + done, n, 'deflated zip member', entry.name);
    for (let at = 0; at < n && !stop; at += INFLATE_SLICE) {
      const slice = part.subarray(at, Math.min(n, at + INFLATE_SLICE));
      try {
        inflater.push(slice, done + at + slice.length === entry.compressedSize);
      } catch (e) {
        throw corrupt(source, entry, e);
      }
    }
    done += n;
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
export async function inflatePrefix(
  source: ByteSource,
  entry: ZipEntry,
  dataOffset: number,
  length: number,
): Promise<Uint8Array> {
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
