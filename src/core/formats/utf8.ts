/**
 * Byte → string decoding without TextDecoder (not in the core's ES2022 typings).
 */

/** Decodes UTF-8; malformed sequences become U+FFFD rather than throwing. */
export function decodeUtf8(bytes: Uint8Array): string {
  // Code units collect in a fixed buffer turned into a string per block: appending one
  // character at a time to a string builds a rope that costs gigabytes on a large header.
  const BLOCK = 8192;
  const units = new Uint16Array(BLOCK + 2);
  const parts: string[] = [];
  let u = 0;
  const flush = (): void => {
    parts.push(String.fromCharCode.apply(null, units.subarray(0, u) as unknown as number[]));
    u = 0;
  };
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    let cp = 0xfffd;
    let len = 1;
    if (b < 0x80) {
      cp = b;
    } else if (b >= 0xc2 && b < 0xe0 && i + 1 < n && (bytes[i + 1] & 0xc0) === 0x80) {
      cp = ((b & 0x1f) << 6) | (bytes[i + 1] & 0x3f);
      len = 2;
    } else if (b >= 0xe0 && b < 0xf0 && i + 2 < n && (bytes[i + 1] & 0xc0) === 0x80 && (bytes[i + 2] & 0xc0) === 0x80) {
      cp = ((b & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f);
      len = 3;
      if (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000)) cp = 0xfffd;
    } else if (
      b >= 0xf0 &&
      b < 0xf5 &&
      i + 3 < n &&
      (bytes[i + 1] & 0xc0) === 0x80 &&
      (bytes[i + 2] & 0xc0) === 0x80 &&
      (bytes[i + 3] & 0xc0) === 0x80
    ) {
      cp = ((b & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12) | ((bytes[i + 2] & 0x3f) << 6) | (bytes[i + 3] & 0x3f);
      len = 4;
      if (cp < 0x10000 || cp > 0x10ffff) cp = 0xfffd;
    }
    if (cp < 0x10000) units[u++] = cp;
    else {
      cp -= 0x10000;
      units[u++] = 0xd800 + (cp >> 10);
      units[u++] = 0xdc00 + (cp & 0x3ff);
    }
    i += len;
    if (u >= BLOCK) flush();
  }
  flush();
  return parts.join('');
}

/** Decodes bytes one char per byte (ASCII / latin-1): what numeric text and npy headers need. */
export function decodeLatin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const parts: string[] = [];
  const step = 8192;
  for (let i = start; i < end; i += step) {
    parts.push(String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + step)) as unknown as number[]));
  }
  return parts.join('');
}
