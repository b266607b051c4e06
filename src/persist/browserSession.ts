/**
 * The session persistence wired to this browser: IndexedDB through src/persist/db.ts and
 * the storage estimate of `navigator.storage`. The logic itself is in session.ts.
 */
import type { AppStore } from '../state/store';
import type { CodecContext } from '../state/urlCodec';
import { openKeyValueStore } from './db';
import { SessionPersistence, type SessionPipeline } from './session';

/** The database and object store the session lives in (this origin only). */
export const DB_NAME = 'bskmq-explorer';
export const DB_STORE = 'session';

export function createBrowserSession(deps: {
  store: AppStore;
  pipeline: SessionPipeline;
  ctx: CodecContext;
}): SessionPersistence {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  return new SessionPersistence({
    ...deps,
    open: () => openKeyValueStore({ dbName: DB_NAME, storeName: DB_STORE }),
    estimate: storage?.estimate ? () => storage.estimate() : undefined,
  });
}
