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

  constructor(context: FormatErrorContext, detail: string) {
    const where = context.tensor !== undefined && context.tensor !== '' ? `${context.file}: ${context.tensor}: ` : `${context.file}: `;
    const at = context.offset !== undefined ? ` (at byte ${context.offset})` : '';
    super(where + detail + at);
    this.name = 'FormatError';
    this.file = context.file;
    this.tensor = context.tensor;
    this.offset = context.offset;
    this.detail = detail;
  }
}

/** Plural helper for messages: `count(3, 'value')` → "3 values". */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
