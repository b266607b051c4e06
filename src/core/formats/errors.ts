/**
 * The one error type every parser throws: callers (CLI, worker, UI) can show its message as is.
 */

/** Where in a file a problem was found. */
export interface FormatErrorContext {
  /** The file's name as the ByteSource gives it. */
  file: string;
  /** The tensor being listed or decoded, when the problem is in one tensor. */
  tensor?: string;
  /** Byte offset in the file (or in the decompressed zip member) where the problem was found. */
  offset?: number;
}

/**
 * Every parse problem: names the file, the tensor and the offset where relevant, what was found and
 * what was expected. The message starts with `file: ` (and `tensor: ` when known), so it reads
 * well on its own, e.g. "activations.npy: header says 4000000 float32 values (16000000 bytes) but
 * only 9999872 bytes follow".
 */
export class FormatError extends Error {
  readonly file: string;
  readonly tensor?: string;
  readonly offset?: number;
  /** The problem without the file/tensor prefix. */
  readonly detail: string;

  constructor(context: FormatErrorContext, rawDetail: string) {
    const file = clip(escapeControls(context.file), MAX_NAME);
    const tensor = context.tensor !== undefined ? clip(escapeControls(context.tensor), MAX_NAME) : undefined;
    const detail = clip(escapeControls(rawDetail), MAX_DETAIL);
    const where = tensor !== undefined && tensor !== '' ? `${file}: ${tensor}: ` : `${file}: `;
    const at = context.offset !== undefined ? ` (at byte ${context.offset})` : '';
    super(where + detail + at);
    this.name = 'FormatError';
    this.file = context.file;
    this.tensor = context.tensor;
    this.offset = context.offset;
    this.detail = detail;
  }
}

/** Longest file or tensor name a message repeats, and longest detail, in characters. */
const MAX_NAME = 200;
const MAX_DETAIL = 600;

/**
 * Text from a file made safe for one terminal line: control characters (C0, DEL, C1), line and
 * paragraph separators, bidirectional overrides and lone surrogates become `\xNN` / `\uNNNN`.
 */
export function escapeControls(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => {
      const code = c.charCodeAt(0);
      return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    },
  );
}

/** At most `max` characters, marking the cut with how much was left out. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** Plural helper for messages: `count(3, 'value')` → "3 values". */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
