/**
 * Numbers as text: CSV, TSV, semicolon- or whitespace-separated columns (a header row is detected
 * and skipped, `#` lines are comments), and JSON arrays (nested arrays are flattened; a regular
 * nesting gives the shape). Parsed in chunks, so a large text file can be streamed too.
 */
import type { NumericArray } from '../pointset';
import { FormatError, plural } from './errors';
import { fileStem } from './numpy';
import { CHUNK_BYTES, readExact, type ByteSource } from './source';
import type { DecodedTensor, TensorHandle, TensorInfo } from './types';
import { decodeLatin1 } from './utf8';

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NAMED: Readonly<Record<string, number>> = {
  nan: NaN,
  '+nan': NaN,
  '-nan': NaN,
  inf: Infinity,
  '+inf': Infinity,
  '-inf': -Infinity,
  infinity: Infinity,
  '+infinity': Infinity,
  '-infinity': -Infinity,
  null: NaN,
};
const EMIT = 65536;

/** A number token's value, or undefined when the token is not a number. */
function parseToken(token: string): number | undefined {
  if (NUMBER.test(token)) return +token;
  const named = NAMED[token.toLowerCase()];
  return named === undefined && !Object.prototype.hasOwnProperty.call(NAMED, token.toLowerCase()) ? undefined : named;
}

/** Shape and count found by a pass over the text, and what was skipped on the way. */
interface TextSummary {
  count: number;
  shape: number[];
  notes: string[];
}

/** Longest field accepted in delimited text (numbers are at most a few dozen characters). */
const MAX_FIELD = 4096;
/** Characters of a skipped header line repeated in its note. */
const HEADER_SHOWN = 80;
const NL = 10,
  CR = 13,
  SPACE = 32,
  TAB = 9,
  COMMA = 44,
  SEMI = 59,
  HASH = 35;

/**
 * Parses text pushed in chunks and emits its numbers in chunks of up to 65536. Delimited text is
 * scanned byte by byte with no line held: one line of any length costs one field's bytes.
 */
class TextScanner {
  private buffer = new Float64Array(EMIT);
  private filled = 0;
  private carry = '';
  private mode: 'json' | 'delimited' | null = null;
  private consumed = 0;
  private bomChecked = false;
  count = 0;
  readonly notes: string[] = [];
  // Delimited state.
  private line = 1;
  private dataRows = 0;
  private columns = -1;
  private firstDataLine = 0;
  private headerSkipped = false;
  /** What the current line is: not yet known, data, a comment or the skipped header. */
  private lineKind: 'start' | 'data' | 'comment' | 'header' = 'start';
  /** The line's separator once seen: ',' or ';', ' ' for whitespace, 0 while unknown. */
  private sep = 0;
  private field = new Uint8Array(MAX_FIELD);
  private fieldLength = 0;
  /** A value (or an empty field) was taken in the current field / a gap followed the last value. */
  private fieldTaken = false;
  private gap = false;
  private lineValues = 0;
  private lineHead = '';
  // JSON state.
  private depth = 0;
  private counts: number[] = [];
  private lengths: number[] = [];
  private leafDepth = -1;
  private regular = true;
  private expectValue = true;
  private done = false;
  private sawTop = false;

  constructor(
    private readonly file: string,
    private readonly emit: (values: Float64Array) => void,
  ) {}

  private put(v: number): void {
    this.buffer[this.filled++] = v;
    this.count++;
    if (this.filled === EMIT) this.flush();
  }

  private flush(): void {
    if (this.filled === 0) return;
    this.emit(this.buffer.subarray(0, this.filled));
    this.buffer = new Float64Array(EMIT);
    this.filled = 0;
  }

  push(chunk: Uint8Array, final: boolean): void {
    let bytes = chunk;
    if (!this.bomChecked && bytes.length >= 3) {
      this.bomChecked = true;
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        bytes = bytes.subarray(3);
        this.consumed += 3;
      }
    }
    if (this.mode === null) {
      let i = 0;
      while (i < bytes.length && (bytes[i] === SPACE || (bytes[i] >= TAB && bytes[i] <= CR))) i++;
      if (i === bytes.length && !final) {
        // Only blank space so far: decide on the next chunk (delimited mode counts these lines).
        this.mode = null;
        this.pendingBlank.push(bytes);
        return;
      }
      this.mode = i < bytes.length && bytes[i] === 0x5b ? 'json' : 'delimited';
      for (const b of this.pendingBlank) this.feed(b, false);
      this.pendingBlank = [];
    }
    this.feed(bytes, final);
    if (final) this.flush();
  }

  private pendingBlank: Uint8Array[] = [];

  private feed(bytes: Uint8Array, final: boolean): void {
    if (this.mode === 'json') {
      const text = this.carry + decodeLatin1(bytes);
      const rest = this.pushJson(text, final);
      this.consumed += text.length - rest.length;
      this.carry = rest;
    } else {
      this.pushDelimited(bytes, final);
    }
  }

  private fail(detail: string): never {
    throw new FormatError({ file: this.file }, detail);
  }

  private shownField(): string {
    const t = decodeLatin1(this.field, 0, Math.min(this.fieldLength, 40));
    return this.fieldLength > 40 ? `${t}…` : t;
  }

  private pushDelimited(bytes: Uint8Array, final: boolean): void {
    const n = bytes.length;
    for (let i = 0; i < n; i++) {
      const c = bytes[i];
      const kind = this.lineKind;
      if (kind === 'comment' || kind === 'header') {
        if (c === NL) this.endLine();
        else if (kind === 'header' && this.lineHead.length < HEADER_SHOWN) this.lineHead += String.fromCharCode(c);
        continue;
      }
      if (c === NL) {
        this.endField(false);
        this.endLine();
        continue;
      }
      if (this.lineHead.length < HEADER_SHOWN && c !== CR) this.lineHead += String.fromCharCode(c);
      if (c === SPACE || c === TAB || c === CR || c === 11 || c === 12) {
        if (this.fieldLength > 0) this.endField(true);
        continue;
      }
      if (c === COMMA || c === SEMI) {
        if (this.sep === SPACE) {
          this.fail(`line ${this.line} mixes '${String.fromCharCode(c)}' with values separated by spaces or tabs`);
        }
        if (this.sep !== 0 && this.sep !== c) this.fail(`line ${this.line} mixes ',' and ';' as separators`);
        this.sep = c;
        if (this.fieldLength > 0) this.endField(false);
        if (this.lineKind !== 'data' && this.lineKind !== 'start') continue;
        if (!this.fieldTaken) this.take(NaN);
        this.fieldTaken = false;
        this.gap = false;
        continue;
      }
      if (c === HASH && kind === 'start' && this.fieldLength === 0) {
        this.lineKind = 'comment';
        continue;
      }
      if (this.fieldLength === 0) {
        if (this.gap) {
          // A second value after spaces: either this line is whitespace-separated, or a field holds two values.
          if (this.sep === 0) this.sep = SPACE;
          else if (this.sep !== SPACE) {
            this.fail(
              `line ${this.line}, column ${this.column() + 1}: two values in one '${String.fromCharCode(this.sep)}'-separated field`,
            );
          }
        }
      }
      if (this.fieldLength === MAX_FIELD) {
        this.fail(
          `line ${this.line}, column ${this.column() + 1}: a field longer than ${MAX_FIELD} characters ('${this.shownField()}')`,
        );
      }
      this.field[this.fieldLength++] = c;
      // U+2212 MINUS SIGN (UTF-8 e2 88 92) reads as '-'.
      if (
        c === 0x92 &&
        this.fieldLength >= 3 &&
        this.field[this.fieldLength - 2] === 0x88 &&
        this.field[this.fieldLength - 3] === 0xe2
      ) {
        this.fieldLength -= 2;
        this.field[this.fieldLength - 1] = 0x2d;
      }
    }
    if (final) {
      if (this.lineKind === 'comment' || this.lineKind === 'header') this.endLine();
      else {
        this.endField(false);
        this.endLine();
      }
    }
  }

  /** Index of the field being read in the current line. */
  private column(): number {
    return this.lineValues;
  }

  /** Ends the field being read (if any); `gap`: whitespace follows it. */
  private endField(gap: boolean): void {
    if (this.fieldLength === 0) return;
    const token = decodeLatin1(this.field, 0, this.fieldLength);
    const v = parseToken(token);
    if (v === undefined) {
      if (this.dataRows === 0 && !this.headerSkipped && this.lineValues === 0) {
        // The first line whose first field is a word is a header: skipped, and said so.
        this.headerSkipped = true;
        this.lineKind = 'header';
        this.fieldLength = 0;
        return;
      }
      this.fail(`line ${this.line}, column ${this.column() + 1}: '${this.shownField()}' is not a number`);
    }
    this.fieldLength = 0;
    this.take(v);
    this.fieldTaken = true;
    this.gap = gap;
  }

  private take(v: number): void {
    this.lineKind = 'data';
    this.lineValues++;
    this.put(v);
  }

  private endLine(): void {
    if (this.lineKind === 'header') {
      this.notes.push(
        `line ${this.line} was taken as a header and skipped: '${this.lineHead.trim()}${this.lineHead.length >= HEADER_SHOWN ? '…' : ''}'`,
      );
    } else if (this.lineKind === 'data') {
      // A trailing separator ends with an empty field.
      if (this.sep !== 0 && this.sep !== SPACE && !this.fieldTaken) this.take(NaN);
      this.dataRows++;
      if (this.columns < 0) {
        this.columns = this.lineValues;
        this.firstDataLine = this.line;
      } else if (this.columns !== this.lineValues) {
        this.fail(
          `line ${this.line} has ${plural(this.lineValues, 'value')} but line ${this.firstDataLine} has ${this.columns}: ` +
            'rows of different lengths are not accepted (a JSON array may be ragged)',
        );
      }
    }
    this.line++;
    this.lineKind = 'start';
    this.sep = 0;
    this.fieldLength = 0;
    this.fieldTaken = false;
    this.gap = false;
    this.lineValues = 0;
    this.lineHead = '';
  }

  private pushJson(text: string, final: boolean): string {
    const n = text.length;
    let i = 0;
    while (i < n) {
      const ch = text[i];
      if (ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t') {
        i++;
        continue;
      }
      const at = this.consumed + i;
      if (this.done) this.fail(`unexpected '${ch}' after the end of the JSON array (character ${at})`);
      if (ch === '[') {
        if (!this.expectValue) this.fail(`expected ',' or ']' before '[' at character ${at}`);
        if (this.depth > 0) this.counts[this.depth]++;
        this.depth++;
        if (this.depth > 64) this.fail('JSON arrays nest deeper than 64 levels');
        this.counts[this.depth] = 0;
        this.sawTop = true;
        i++;
        continue;
      }
      if (ch === ']') {
        if (this.depth === 0) this.fail(`unmatched ']' at character ${at}`);
        if (this.expectValue && this.counts[this.depth] > 0) this.fail(`trailing ',' before ']' at character ${at}`);
        const len = this.counts[this.depth];
        if (this.lengths[this.depth] === undefined) this.lengths[this.depth] = len;
        else if (this.lengths[this.depth] !== len) this.regular = false;
        this.depth--;
        this.expectValue = false;
        if (this.depth === 0) this.done = true;
        i++;
        continue;
      }
      if (ch === ',') {
        if (this.expectValue || this.depth === 0) this.fail(`unexpected ',' at character ${at}`);
        this.expectValue = true;
        i++;
        continue;
      }
      let j = i;
      while (j < n && !' \n\r\t[],'.includes(text[j])) j++;
      if (j === n && !final) return text.slice(i);
      const token = text.slice(i, j);
      const v = parseToken(token);
      if (v === undefined || !this.expectValue) {
        const shown = token.length > 40 ? `${token.slice(0, 40)}…` : token;
        this.fail(
          v === undefined
            ? `JSON must be (nested) arrays of numbers; found '${shown}' at character ${at}`
            : `expected ',' or ']' before '${shown}' at character ${at}`,
        );
      }
      // JSON mode starts with '[', so a value here is always inside an array.
      this.counts[this.depth]++;
      if (this.leafDepth < 0) this.leafDepth = this.depth;
      else if (this.leafDepth !== this.depth) this.regular = false;
      this.put(v);
      this.expectValue = false;
      i = j;
    }
    if (final && this.depth > 0) this.fail(`JSON ends inside an array (${this.depth} left open)`);
    return '';
  }

  /** Shape and count once the last chunk has been pushed. */
  summary(): TextSummary {
    if (this.mode === 'json') {
      if (!this.sawTop) this.fail('JSON holds no array');
      const dims = this.lengths.slice(1);
      const leaf = this.leafDepth < 0 ? dims.length : this.leafDepth;
      const shape = dims.slice(0, leaf);
      const product = shape.reduce((a, b) => a * b, 1);
      return {
        count: this.count,
        shape: this.regular && product === this.count ? shape : [this.count],
        notes: this.notes,
      };
    }
    if (this.dataRows === 0)
      this.fail('no numbers found: expected CSV, TSV, whitespace-separated numbers or a JSON array');
    if (this.columns <= 1 || this.dataRows === 1) return { count: this.count, shape: [this.count], notes: this.notes };
    return { count: this.count, shape: [this.dataRows, this.columns], notes: this.notes };
  }
}

async function scan(
  source: ByteSource,
  chunkBytes: number,
  emit: (values: Float64Array) => void,
  onBytes?: (done: number) => void,
): Promise<TextSummary> {
  const scanner = new TextScanner(source.name, emit);
  if (source.size === 0) throw new FormatError({ file: source.name }, 'file is empty');
  for (let done = 0; done < source.size;) {
    const n = Math.min(chunkBytes, source.size - done);
    const bytes = await readExact(source, done, n, 'text');
    done += n;
    scanner.push(bytes, done === source.size);
    onBytes?.(done);
  }
  return scanner.summary();
}

function concat(parts: Float64Array[], count: number): Float64Array {
  const out = new Float64Array(count);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Opens a text file: one pass finds the count and shape (and keeps the values when the file is no
 * larger than `keepBelow` bytes, so a later decode does not parse twice).
 */
export async function openText(source: ByteSource, keepBelow: number, chunkBytes = CHUNK_BYTES): Promise<TensorHandle> {
  const keep = source.size <= keepBelow;
  const parts: Float64Array[] = [];
  const summary = await scan(source, chunkBytes, (v) => {
    if (keep) parts.push(v);
  });
  let cached: Float64Array | null = keep ? concat(parts, summary.count) : null;
  const info: TensorInfo = {
    name: fileStem(source.name),
    shape: summary.shape,
    dtype: 'float64',
    count: summary.count,
  };
  /** The values; the cache is handed over, not shared, so a caller may transfer or modify it. */
  async function values(): Promise<Float64Array> {
    if (cached) {
      const v = cached;
      cached = null;
      return v;
    }
    const got: Float64Array[] = [];
    await scan(source, chunkBytes, (v) => got.push(v));
    return concat(got, summary.count);
  }
  return {
    info,
    notes: summary.notes,
    byteSize: summary.count * 8,
    chunkTotal: source.size,
    async decode(): Promise<DecodedTensor> {
      return { ...info, shape: info.shape.slice(), data: await values() };
    },
    async chunks(onValues: (v: NumericArray) => void, onBytes: (done: number) => void): Promise<void> {
      if (cached) {
        onValues(cached);
        onBytes(source.size);
        return;
      }
      await scan(source, chunkBytes, onValues, onBytes);
    },
  };
}
