/**
 * The storage interface the session logic is written against (IndexedDB in the app,
 * a Map in tests). DOM-free, so the session logic typechecks and tests under node.
 */

/** An asynchronous key–value store whose values may hold Blobs. */
export interface KeyValueStore {
  /** The value stored under `key`, or undefined. */
  get(key: string): Promise<unknown>;
  /** Stores `value` (structured-cloneable, Blobs included); resolves once the write has committed. */
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

/** True for the error a write gets when the browser's storage quota is used up. */
export function isQuotaError(e: unknown): boolean {
  const name = (e as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

/** A store in memory (tests; values are kept by reference, not cloned). */
export function memoryKeyValueStore(): KeyValueStore & { readonly data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    async get(key) {
      return data.get(key);
    },
    async put(key, value) {
      data.set(key, value);
    },
    async delete(key) {
      data.delete(key);
    },
  };
}
