/**
 * Reading a zip archive's directory through a ByteSource, without loading the archive: the end
 * record, the (zip64) central directory and the local headers. Inflating is fflate's job.
 * See APPNOTE.TXT (PKWARE) §4.3.
 */
import { FormatError } from './errors';
import { readExact, type ByteSource } from './source';
import { decodeUtf8, decodeLatin1 } from './utf8';
import { MAX_TENSORS } from './validate';

const MAX_MEMBERS = 2 * MAX_TENSORS + 16;

/** One member of the archive, as the central directory describes it. */
export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflated. */
  method: number;
  compressedSize: number;
  size: number;
  /** Offset of the member's local header. */
  localOffset: number;
  /** CRC-32 of the uncompressed bytes, as the central directory records it. */
  crc32: number;
}

const u16 = (b: Uint8Array, i: number): number => b[i] | (b[i + 1] << 8);
const u32 = (b: Uint8Array, i: number): number => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16)) + b[i + 3] * 2 ** 24;
/** 64-bit little-endian as a number; values past 2^53 become large and fail later range checks. */
const u64 = (b: Uint8Array, i: number): number => u32(b, i) + u32(b, i + 4) * 2 ** 32;

/** True when the bytes start like a zip archive (a local header or an empty archive's end record). */
export function hasZipMagic(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6));
}

/** Lists the members of a zip archive from its central directory (one per name: the last). */
export async function readZipDirectory(source: ByteSource): Promise<ZipEntry[]> {
  const file = source.name;
  const tailLength = Math.min(source.size, 22 + 65535);
  const tailStart = source.size - tailLength;
  const tail = await readExact(source, tailStart, tailLength, 'zip end record');
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail[i] === 0x50 && tail[i + 1] === 0x4b && tail[i + 2] === 5 && tail[i + 3] === 6) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw new FormatError(
      { file },
      'zip archive has no end-of-central-directory record: the file is truncated or not a zip',
    );
  }
  let entries = u16(tail, eocd + 10);
  let cdSize = u32(tail, eocd + 12);
  let cdOffset = u32(tail, eocd + 16);
  if (entries === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || u32(tail, loc) !== 0x07064b50) {
      throw new FormatError({ file, offset: tailStart + eocd }, 'zip64 archive lacks its zip64 end locator');
    }
    const recordOffset = u64(tail, loc + 8);
    const rec = await readExact(source, recordOffset, 56, 'zip64 end record');
    if (u32(rec, 0) !== 0x06064b50) {
      throw new FormatError({ file, offset: recordOffset }, 'zip64 end record has a wrong signature');
    }
    entries = u64(rec, 32);
    cdSize = u64(rec, 40);
    cdOffset = u64(rec, 48);
  }
  // A checkpoint has a few members besides one per storage; more than this is not a tensor file.
  if (entries > MAX_MEMBERS)
    throw new FormatError({ file }, `zip archive has ${entries} members; at most ${MAX_MEMBERS} are read`);
  if (cdOffset + cdSize > source.size || entries * 46 > cdSize) {
    throw new FormatError(
      { file, offset: tailStart + eocd },
      `zip central directory (${entries} entries, ${cdSize} bytes at ${cdOffset}) does not fit in the ${source.size}-byte file`,
    );
  }
  const cd = await readExact(source, cdOffset, cdSize, 'zip central directory');
  const list: ZipEntry[] = [];
  let p = 0;
  for (let k = 0; k < entries; k++) {
    if (p + 46 > cd.length || u32(cd, p) !== 0x02014b50) {
      throw new FormatError({ file, offset: cdOffset + p }, `zip central directory entry ${k} is malformed`);
    }
    const flags = u16(cd, p + 8);
    const method = u16(cd, p + 10);
    const crc = u32(cd, p + 16);
    let compressedSize = u32(cd, p + 20);
    let size = u32(cd, p + 24);
    const nameLength = u16(cd, p + 28);
    const extraLength = u16(cd, p + 30);
    const commentLength = u16(cd, p + 32);
    let localOffset = u32(cd, p + 42);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > cd.length)
      throw new FormatError({ file, offset: cdOffset + p }, `zip central directory entry ${k} runs past its end`);
    const nameBytes = cd.subarray(p + 46, p + 46 + nameLength);
    const name = flags & 0x800 ? decodeUtf8(nameBytes) : decodeLatin1(nameBytes);
    // Zip64 extra field: the 64-bit values present are exactly those whose 32-bit field is saturated.
    let q = p + 46 + nameLength;
    const extraEnd = q + extraLength;
    while (q + 4 <= extraEnd) {
      const id = u16(cd, q);
      const len = u16(cd, q + 2);
      if (id === 1) {
        let r = q + 4;
        const take = (): number => {
          if (r + 8 > q + 4 + len)
            throw new FormatError({ file, offset: cdOffset + r }, `zip64 field of ${name} is too short`);
          const v = u64(cd, r);
          r += 8;
          return v;
        };
        if (size === 0xffffffff) size = take();
        if (compressedSize === 0xffffffff) compressedSize = take();
        if (localOffset === 0xffffffff) localOffset = take();
      }
      q += 4 + len;
    }
    if (flags & 1) throw new FormatError({ file, tensor: name }, 'zip member is encrypted; save it without a password');
    if (localOffset + 30 + compressedSize > source.size) {
      throw new FormatError(
        { file, tensor: name, offset: localOffset },
        `zip member of ${compressedSize} bytes at ${localOffset} runs past the end of the ${source.size}-byte file`,
      );
    }
    list.push({ name, method, compressedSize, size, localOffset, crc32: crc });
    p = end;
  }
  // A name written twice: Python's zipfile (so np.load) reads the last one, listed where the first was.
  const byName = new Map<string, ZipEntry>();
  for (const e of list) byName.set(e.name, e);
  return byName.size === list.length ? list : [...byName.values()];
}

/** Offset of a member's first data byte (after its local header), checked against the file. */
export async function zipDataOffset(source: ByteSource, entry: ZipEntry): Promise<number> {
  const head = await readExact(source, entry.localOffset, 30, 'zip local header', entry.name);
  if (u32(head, 0) !== 0x04034b50) {
    throw new FormatError(
      { file: source.name, tensor: entry.name, offset: entry.localOffset },
      'zip local header has a wrong signature',
    );
  }
  const start = entry.localOffset + 30 + u16(head, 26) + u16(head, 28);
  if (start + entry.compressedSize > source.size) {
    throw new FormatError(
      { file: source.name, tensor: entry.name, offset: start },
      `zip member data (${entry.compressedSize} bytes) run past the end of the ${source.size}-byte file`,
    );
  }
  return start;
}
