/**
 * A small key–value store over one IndexedDB object store, with promises.
 *
 * IndexedDB keeps Blobs by reference on disk, so a stored File is not held in memory
 * when it is read back; that is why persistence uses it rather than localStorage.
 * No dependency: the handful of requests the app needs are wrapped here.
 */
import type { KeyValueStore } from './keyValue';

/** IndexedDB is missing, refused (private mode, disabled storage) or did not answer. */
export class StorageUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'StorageUnavailableError';
  }
}

export interface OpenOptions {
  dbName: string;
  storeName: string;
  /** The IndexedDB factory; `globalThis.indexedDB` by default. */
  factory?: IDBFactory;
  /** Give up (as unavailable) when opening takes longer: some private modes never answer. */
  timeoutMs?: number;
}

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

/** Resolves when the transaction commits; rejects with its error (e.g. QuotaExceededError) when it aborts. */
function committed(tx: IDBTransaction): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new DOMException('The write was aborted', 'AbortError'));
    tx.onerror = () => undefined; // onabort follows with the same error
  });
}

/**
 * Opens (creating if needed) the database with one object store and returns a store over it.
 * Rejects with StorageUnavailableError when IndexedDB cannot be used.
 */
export function openKeyValueStore(options: OpenOptions): Promise<KeyValueStore> {
  const { dbName, storeName, factory, timeoutMs = 3000 } = options;
  const idb = factory ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!idb) return Promise.reject(new StorageUnavailableError('IndexedDB is not available in this browser'));
  return new Promise<KeyValueStore>((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      reject(new StorageUnavailableError(why));
    };
    const timer = setTimeout(() => fail(`IndexedDB did not open within ${timeoutMs} ms`), timeoutMs);
    let request: IDBOpenDBRequest;
    try {
      request = idb.open(dbName, 1);
    } catch (e) {
      clearTimeout(timer);
      fail(`IndexedDB refused to open: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(storeName)) db.createObjectStore(storeName);
    };
    request.onblocked = () => undefined; // another tab holds an older version: wait (the timeout bounds it)
    request.onerror = () => {
      clearTimeout(timer);
      fail(`IndexedDB refused to open: ${request.error?.message ?? 'unknown error'}`);
    };
    request.onsuccess = () => {
      clearTimeout(timer);
      const db = request.result;
      if (settled) {
        db.close();
        return;
      }
      settled = true;
      // Let a newer version in another tab upgrade instead of blocking it forever.
      db.onversionchange = () => db.close();
      resolve(storeOver(db, storeName));
    };
  });
}

function storeOver(db: IDBDatabase, storeName: string): KeyValueStore {
  return {
    async get(key) {
      const tx = db.transaction(storeName, 'readonly');
      return promised(tx.objectStore(storeName).get(key));
    },
    async put(key, value) {
      const tx = db.transaction(storeName, 'readwrite');
      const done = committed(tx);
      tx.objectStore(storeName).put(value, key);
      return done;
    },
    async delete(key) {
      const tx = db.transaction(storeName, 'readwrite');
      const done = committed(tx);
      tx.objectStore(storeName).delete(key);
      return done;
    },
  };
}
