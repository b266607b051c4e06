/**
 * Numbers as text: CSV, TSV, semicolon- or whitespace-separated columns (a header row is detected
 * and skipped, `#` lines are comments), and JSON arrays (nested arrays are flattened; a regular
 * nesting gives the shape). Parsed in chunks, so a large text file can be streamed too.
 */
import type { NumericArray } from '../pointset';
import { FormatError } from './errors';
import { fileStem } from './numpy';
import { CHUNK_BYTES, readExact, type ByteSource } from './source';
import type { DecodedTensor, TensorHandle, TensorInfo } from './types';
import { decodeLatin1 } from './utf8';

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NAMED: Readonly<Record<string, number>> = {
  nan: NaN, '+nan': NaN, '-nan': NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity,
  infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity, null: NaN,
};
const EMIT = 65536;

/** A number token's value, or undefined when the token is not a number. */
function parseToken(token: string): number | undefined {
  if (NUMBER.test(token)) return +token;
  const named = NAMED[token.toLowerCase()];
  return named === undefined && !Object.prototype.hasOwnProperty.call(NAMED, token.toLowerCase()) ? undefined : named;
}

/** Shape and count found by a pass over the text. */
interface TextSummary {
  count: number;
  shape: number[];
}

/** Parses text pushed in chunks and emits its numbers in chunks of up to 65536. */
class TextScanner {
  private buffer = new Float64Array(EMIT);
  private filled = 0;
  private carry = '';
  private mode: 'json' | 'delimited' | null = null;
  private consumed = 0;
  count = 0;
  // Delimited state.
  private line = 0;
  private dataRows = 0;
  private columns = -1;
  private regularRows = true;
  private headerSkipped = false;
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

  push(chunk: string, final: boolean): void {
    let text = this.carry + chunk;
    if (this.mode === null) {
      if (text.charCodeAt(0) === 0xef && text.charCodeAt(1) === 0xbb && text.charCodeAt(2) === 0xbf) {
        text = text.slice(3);
        this.consumed += 3;
      }
      const first = /\S/.exec(text);
      if (!first && !final) {
        this.carry = text;
        return;
      }
      this.mode = first && first[0] === '[' ? 'json' : 'delimited';
    }
    const rest = this.mode === 'json' ? this.pushJson(text, final) : this.pushDelimited(text, final);
    this.consumed += text.length - rest.length;
    this.carry = rest;
    if (final) this.flush();
  }

  private fail(detail: string): never {
    throw new FormatError({ file: this.file }, detail);
  }

  private pushDelimited(text: string, final: boolean): string {
    let start = 0;
    for (;;) {
      let nl = text.indexOf('\n', start);
      if (nl < 0) {
        if (!final) return text.slice(start);
        if (start >= text.length) return '';
        nl = text.length;
      }
      this.parseLine(text.slice(start, nl));
      start = nl + 1;
      if (start > text.length) return '';
    }
  }

  private parseLine(raw: string): void {
    this.line++;
    const line = raw.trim();
    if (line === '' || line[0] === '#') return;
    const sep = line.includes(',') ? ',' : line.includes('\t') ? '\t' : line.includes(';') ? ';' : null;
    const tokens = sep ? line.split(sep).map((t) => t.trim()) : line.split(/\s+/);
    const values: number[] = [];
    for (let c = 0; c < tokens.length; c++) {
      const t = tokens[c];
      const v = t === '' && sep ? NaN : parseToken(t);
      if (v === undefined) {
        if (this.dataRows === 0 && !this.headerSkipped) {
          // The first row with a word in it is the header.
          this.headerSkipped = true;
          return;
        }
        const shown = t.length > 40 ? `${t.slice(0, 40)}…` : t;
        this.fail(`line ${this.line}, column ${c + 1}: '${shown}' is not a number`);
      }
      values.push(v);
    }
    this.dataRows++;
    if (this.columns < 0) this.columns = values.length;
    else if (this.columns !== values.length) this.regularRows = false;
    for (const v of values) this.put(v);
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
      return { count: this.count, shape: this.regular && product === this.count ? shape : [this.count] };
    }
    if (this.dataRows === 0) this.fail('no numbers found: expected CSV, TSV, whitespace-separated numbers or a JSON array');
    if (!this.regularRows || this.columns <= 1 || this.dataRows === 1) return { count: this.count, shape: [this.count] };
    return { count: this.count, shape: [this.dataRows, this.columns] };
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
    scanner.push(decodeLatin1(bytes), done === source.size);
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
  const info: TensorInfo = { name: fileStem(source.name), shape: summary.shape, dtype: 'float64', count: summary.count };
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
