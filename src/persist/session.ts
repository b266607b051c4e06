/**
 * Persistence of the last session: the loaded data and the parameter
 * and display slices come back after a reload, and "Forget this data" deletes them.
 * Everything stays in this browser (IndexedDB); nothing is uploaded anywhere.
 *
 * Precedence when the page opens (planStartup):
 * 1. A URL with any state key — a data source, a parameter or a display option; page
 *    switches such as `anim=0` do not count — wins over the stored session: the page shows
 *    exactly what the link says (a shared link must reproduce its view), even `?b=5`
 *    alone (which says "the default data at 5 bits").
 * 2. Such a link to an uploaded file (`file` + `sha`) whose name equals the stored file's
 *    and whose hash the stored file's SHA-256 starts with loads the stored file without
 *    asking for it. Any other file link asks for its file, as without persistence.
 * 3. A bare URL (no query, or page switches only) restores the stored session. It is
 *    stored as its URL query and decoded by the same codec, so restoring it is opening
 *    that link: a stale or damaged record falls back to defaults with a notice.
 * 4. Nothing stored: the default view.
 * Once the data loads, whatever is on screen becomes the stored session (one slot: the
 * last view), so after a shared link the link's view is what a bare reload restores.
 *
 * What is stored, in two records so a parameter change rewrites a few hundred bytes,
 * never the file:
 * - `session`: the state as its URL query, the raw-binary options the file was read
 *   with, and a note on the file (name, SHA-256, size, whether the file itself is kept);
 * - `file`: the uploaded File/Blob itself with its name, SHA-256 and raw options.
 *   IndexedDB keeps Blobs on disk; read back it is a disk-backed Blob, not bytes in memory.
 * The default view is never stored: reaching it deletes both records.
 *
 * Limits: the file itself is kept up to STORE_BLOB_LIMIT (1 GiB, the size up to which the
 * app hashes files, so a kept file can always be checked against a link) and while the
 * browser's quota has room. Beyond that, or when a write fails with QuotaExceededError,
 * only the settings and the file's name and hash are kept: after a reload the page asks
 * for the file, as a link to an uploaded file does, and checks its hash. A notice says so
 * once per file; nothing throws. Without IndexedDB (some private modes) the app works
 * without persistence and says so once, as an info notice.
 */
import type { RawReadOptions } from '../core/formats';
import { DEFAULT_PARAMS } from '../core/params';
import type { AppState, AppStore } from '../state/store';
import { DEFAULT_DISPLAY, type DataSource } from '../state/types';
import {
  decodeUrlState,
  defaultSource,
  encodeUrlState,
  PASSTHROUGH_KEYS,
  type CodecContext,
  type DecodeResult,
} from '../state/urlCodec';
import { isQuotaError, type KeyValueStore } from './keyValue';

/** Files larger than this are not kept (their settings, name and hash are). Equals the app's hashing limit. */
export const STORE_BLOB_LIMIT = 1024 ** 3;
/** Record keys in the object store. */
export const SESSION_KEY = 'session';
export const FILE_KEY = 'file';
/** Records of another version are ignored (and replaced by the next save). */
export const RECORD_VERSION = 1;
/** Parameter and display changes are written once they rest this long (a slider drag writes once). */
export const SAVE_DEBOUNCE_MS = 400;

/** The file the pipeline holds (picked, dropped or restored) and how it was read. */
export interface LoadedBlob {
  blob: Blob;
  name: string;
  raw: RawReadOptions | null;
  /** Full hex SHA-256; null when the file was too large to hash. */
  sha256: string | null;
}

/** What the session needs of the pipeline (src/compute/pipeline.ts implements it). */
export interface SessionPipeline {
  /** The file behind the loaded data; null when the data came from a generator or a URL. */
  readonly loadedBlob: LoadedBlob | null;
  /** Makes a file source with this name and link hash load `file` (read with `raw`) without asking. */
  rememberFile(file: File, linkSha: string | null, raw: RawReadOptions | null): void;
  /** Drops every remembered file, so a file source asks for its file again. */
  forgetFiles(): void;
  loadSource(source: DataSource): Promise<void>;
}

export type NotKeptReason = 'too-large' | 'quota' | 'error';

/** The session's note about its file. */
export interface FileNote {
  name: string;
  sha256: string | null;
  size: number;
  /** True when the file itself is stored (the `file` record). */
  kept: boolean;
  why: NotKeptReason | null;
}

export interface SessionRecord {
  version: typeof RECORD_VERSION;
  savedAt: number;
  /** The state as the URL codec writes it (never '': the default view is not stored). */
  query: string;
  raw: RawReadOptions | null;
  file: FileNote | null;
}

export interface FileRecord {
  version: typeof RECORD_VERSION;
  name: string;
  sha256: string | null;
  size: number;
  raw: RawReadOptions | null;
  blob: Blob;
}

export type StartupOrigin = 'link' | 'session' | 'default';

export interface StartupPlan extends DecodeResult {
  /** Where the opening state comes from (see the precedence above). */
  origin: StartupOrigin;
  /** The stored file to hand to the pipeline because the opening source names it; else null. */
  storedFile: FileRecord | null;
}

/** What the data panel shows about persistence. */
export interface PersistStatus {
  /** Still reading the stored session. */
  starting: boolean;
  /** False when the browser refuses storage; `reason` says why. */
  available: boolean;
  reason: string | null;
  /** The stored session in words ("relu.npy (40 KiB) and its settings"); null when nothing is stored. */
  stored: { label: string; file: FileNote | null } | null;
}

function isRaw(v: unknown): v is RawReadOptions {
  const r = v as RawReadOptions | null;
  return !!r && typeof r.dtype === 'string' && (r.byteOrder === 'little' || r.byteOrder === 'big');
}

function isNote(v: unknown): v is FileNote {
  const n = v as FileNote | null;
  return (
    !!n &&
    typeof n.name === 'string' &&
    (n.sha256 === null || typeof n.sha256 === 'string') &&
    typeof n.size === 'number' &&
    typeof n.kept === 'boolean'
  );
}

/** A stored session record, or null when `v` is not one of this version. */
export function parseSessionRecord(v: unknown): SessionRecord | null {
  const r = v as SessionRecord | null;
  if (!r || typeof r !== 'object' || r.version !== RECORD_VERSION || typeof r.query !== 'string') return null;
  return {
    version: RECORD_VERSION,
    savedAt: typeof r.savedAt === 'number' ? r.savedAt : 0,
    query: r.query,
    raw: isRaw(r.raw) ? r.raw : null,
    file: isNote(r.file) ? { ...r.file, why: r.file.why ?? null } : null,
  };
}

/** A stored file record, or null when `v` is not one of this version. */
export function parseFileRecord(v: unknown): FileRecord | null {
  const r = v as FileRecord | null;
  if (!r || typeof r !== 'object' || r.version !== RECORD_VERSION || typeof r.name !== 'string') return null;
  const blob = r.blob as unknown;
  if (!blob || typeof (blob as Blob).size !== 'number' || typeof (blob as Blob).slice !== 'function') return null;
  return {
    version: RECORD_VERSION,
    name: r.name,
    sha256: typeof r.sha256 === 'string' ? r.sha256 : null,
    size: (blob as Blob).size,
    raw: isRaw(r.raw) ? r.raw : null,
    blob: blob as Blob,
  };
}

/** True when the query holds any state (not just page switches such as `anim`). */
export function hasExplicitState(search: string): boolean {
  const q = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  for (const key of q.keys()) if (!(PASSTHROUGH_KEYS as readonly string[]).includes(key)) return true;
  return false;
}

/** True when a file source names the stored file: same name, and a link hash the stored SHA-256 starts with. */
export function storedFileMatches(source: DataSource, file: FileRecord | null): file is FileRecord {
  return (
    source.kind === 'file' &&
    file !== null &&
    source.name === file.name &&
    source.sha256 !== null &&
    file.sha256 !== null &&
    file.sha256.startsWith(source.sha256)
  );
}

/** Decides the opening state from the URL and what is stored (the precedence in the header). Pure. */
export function planStartup(
  search: string,
  stored: { session: SessionRecord | null; file: FileRecord | null },
  ctx: CodecContext,
): StartupPlan {
  if (hasExplicitState(search)) {
    const d = decodeUrlState(search, ctx);
    return { ...d, origin: 'link', storedFile: storedFileMatches(d.source, stored.file) ? stored.file : null };
  }
  if (stored.session) {
    const d = decodeUrlState(stored.session.query, ctx);
    return {
      ...d,
      issues: d.issues.map((i) => `Stored session: ${i}`),
      origin: 'session',
      storedFile: storedFileMatches(d.source, stored.file) ? stored.file : null,
    };
  }
  return { ...decodeUrlState('', ctx), origin: 'default', storedFile: null };
}

/** "12.3 MiB". */
export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** The stored session in words, for the data panel. */
export function describeStored(session: SessionRecord, ctx: CodecContext): PersistStatus['stored'] {
  const f = session.file;
  if (f) {
    const label = f.kept
      ? `“${f.name}” (${formatSize(f.size)}) and its settings`
      : `the settings for “${f.name}” (the file itself is not kept)`;
    return { label, file: f };
  }
  const source = decodeUrlState(session.query, ctx).source;
  if (source.kind === 'generator') return { label: `the ${source.name} generator and its settings`, file: null };
  if (source.kind === 'url') return { label: `the link ${source.url} and its settings`, file: null };
  return { label: 'the settings', file: null };
}

export interface SessionDeps {
  store: AppStore;
  pipeline: SessionPipeline;
  ctx: CodecContext;
  /** Opens the storage; rejects (any error) when the browser refuses it. */
  open: () => Promise<KeyValueStore>;
  /** The browser's storage estimate (navigator.storage.estimate); absent or failing = unknown. */
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
  now?: () => number;
  debounceMs?: number;
  blobLimit?: number;
}

/**
 * Restores the stored session at start-up, saves the view as it changes, and forgets it
 * on request. Never throws into the app: storage problems become notices.
 */
export class SessionPersistence {
  private kv: KeyValueStore | null = null;
  private status: PersistStatus = { starting: true, available: true, reason: null, stored: null };
  private readonly listeners = new Set<() => void>();
  private unsubscribe: (() => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<void> = Promise.resolve();
  /** Saving stops while forgetting, so the forgotten view is not written back. */
  private paused = false;
  private seenVersion = -1;
  /** The blob behind the `file` record (identity), so an unchanged file is not rewritten. */
  private keptBlob: Blob | null = null;
  private keptNote: FileNote | null = null;
  private warnedSessionWrite = false;
  /** Set while a restored session's data is loading: if it cannot load, the default view is shown instead. */
  private restoring = false;
  private readonly now: () => number;
  private readonly debounceMs: number;
  private readonly blobLimit: number;

  constructor(private readonly deps: SessionDeps) {
    this.now = deps.now ?? (() => Date.now());
    this.debounceMs = deps.debounceMs ?? SAVE_DEBOUNCE_MS;
    this.blobLimit = deps.blobLimit ?? STORE_BLOB_LIMIT;
  }

  getStatus = (): PersistStatus => this.status;

  /** Subscribes to status changes (React's useSyncExternalStore shape). */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private setStatus(partial: Partial<PersistStatus>): void {
    this.status = { ...this.status, ...partial };
    for (const l of this.listeners) l();
  }

  /**
   * Opens the storage, reads the stored session and applies the start-up precedence:
   * a restored session is written into the store (params, display, data source) and a
   * stored file the opening source names is handed to the pipeline. Call before the URL
   * sync and the pipeline start, so the restored state is the page's opening state.
   */
  async restore(search: string): Promise<StartupPlan> {
    const { store, pipeline, ctx } = this.deps;
    let session: SessionRecord | null = null;
    let file: FileRecord | null = null;
    try {
      this.kv = await this.deps.open();
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      this.setStatus({ starting: false, available: false, reason });
      store
        .getState()
        .notify(
          'info',
          'This browser does not let the page keep data here (private mode or storage turned off): ' +
            'everything works, but your data and settings will not come back after a reload.',
        );
    }
    if (this.kv) {
      try {
        [session, file] = await Promise.all([
          this.kv.get(SESSION_KEY).then(parseSessionRecord),
          this.kv.get(FILE_KEY).then(parseFileRecord),
        ]);
      } catch {
        session = file = null;
      }
    }
    const plan = planStartup(search, { session, file }, ctx);
    const st = store.getState();
    if (plan.origin === 'session') {
      this.restoring = true;
      st.replaceParams(plan.params);
      st.setDisplay(plan.display);
      st.setData({ source: plan.source });
      for (const issue of plan.issues) st.notify('warning', issue);
      const note = session?.file;
      if (plan.source.kind === 'file' && !plan.storedFile && note && note.name === plan.source.name && !note.kept) {
        const why = whyText(note.why, this.blobLimit);
        const text = `Your last session's file “${note.name}” was not kept in this browser (${why}); choose it again.`;
        st.notify('info', text);
      }
    }
    if (plan.storedFile && plan.source.kind === 'file') {
      const f = plan.storedFile;
      const asFile = typeof File !== 'undefined' && f.blob instanceof File ? f.blob : new File([f.blob], f.name);
      pipeline.rememberFile(asFile, plan.source.sha256, f.raw);
      // The pipeline will hand this very object back as its loaded blob: no rewrite needed.
      this.keptBlob = asFile;
      this.keptNote = { name: f.name, sha256: f.sha256, size: f.size, kept: true, why: null };
    }
    if (this.kv) this.setStatus({ starting: false, stored: session ? describeStored(session, ctx) : null });
    return plan;
  }

  /** Starts saving the view whenever loaded data, parameters or display change. */
  start(): void {
    if (this.unsubscribe) return;
    this.seenVersion = this.deps.store.getState().data.dataVersion;
    this.unsubscribe = this.deps.store.subscribe((s, prev) => this.onChange(s, prev));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Resolves once every scheduled write has finished (pending debounced writes run now). */
  async flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
      this.enqueue(() => this.save());
    }
    await this.chain;
  }

  private onChange(s: AppState, prev: AppState): void {
    if (this.restoring && s.data.status === 'error') {
      // A stored file the browser evicted or cannot read any more: start from the default view.
      this.restoring = false;
      s.notify('info', 'The stored session could not be loaded; showing the default view instead.');
      void this.deps.pipeline.loadSource(defaultSource(this.deps.ctx));
      return;
    }
    if (s.data.status === 'ready' || s.data.status === 'awaiting-file') this.restoring = false;
    if (this.paused || !this.kv || s.data.status !== 'ready') return;
    const dataChanged = s.data.dataVersion !== this.seenVersion;
    const viewChanged = s.params !== prev.params || s.display !== prev.display || s.data.source !== prev.data.source;
    if (!dataChanged && !viewChanged) return;
    this.seenVersion = s.data.dataVersion;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.enqueue(() => this.save());
      },
      dataChanged ? 0 : this.debounceMs,
    );
  }

  private enqueue(job: () => Promise<void>): void {
    this.chain = this.chain.then(job).catch(() => undefined);
  }

  private async save(): Promise<void> {
    const kv = this.kv;
    const { store, ctx } = this.deps;
    const s = store.getState();
    if (!kv || this.paused || s.data.status !== 'ready') return;
    const source = s.data.source;
    const query = encodeUrlState({ params: s.params, source, display: s.display }, ctx);
    if (query === '') {
      await this.deleteAll(kv);
      this.setStatus({ stored: null });
      return;
    }
    let raw: RawReadOptions | null = null;
    let note: FileNote | null = null;
    if (source.kind === 'file') {
      const loaded = this.deps.pipeline.loadedBlob;
      if (loaded && loaded.name === source.name) {
        raw = loaded.raw;
        note = await this.keepFile(kv, loaded);
      } else note = { name: source.name, sha256: source.sha256, size: 0, kept: false, why: 'error' };
    } else if (this.keptBlob !== null || this.keptNote !== null) {
      await kv.delete(FILE_KEY).catch(() => undefined);
      this.keptBlob = null;
      this.keptNote = null;
    }
    const record: SessionRecord = { version: RECORD_VERSION, savedAt: this.now(), query, raw, file: note };
    try {
      await kv.put(SESSION_KEY, record);
      this.setStatus({ stored: describeStored(record, ctx) });
    } catch (e) {
      if (!this.warnedSessionWrite) {
        this.warnedSessionWrite = true;
        const why = isQuotaError(e) ? "the browser's storage is full" : errorText(e);
        const text = `Could not remember this session in the browser (${why}); it will not come back after a reload.`;
        store.getState().notify('warning', text);
      }
    }
  }

  /** Stores the loaded file unless it is the one already stored, too large, or over the quota. */
  private async keepFile(kv: KeyValueStore, loaded: LoadedBlob): Promise<FileNote> {
    if (this.keptBlob === loaded.blob && this.keptNote) return this.keptNote;
    const size = loaded.blob.size;
    const base = { name: loaded.name, sha256: loaded.sha256, size };
    let why: NotKeptReason | null = null;
    let detail = '';
    if (size > this.blobLimit || loaded.sha256 === null) why = 'too-large';
    else if (await this.noRoomFor(size)) why = 'quota';
    else {
      const record: FileRecord = { version: RECORD_VERSION, ...base, raw: loaded.raw, blob: loaded.blob };
      try {
        await kv.put(FILE_KEY, record);
      } catch (e) {
        why = isQuotaError(e) ? 'quota' : 'error';
        detail = errorText(e);
      }
    }
    if (why !== null) {
      // One slot: an older file must not linger on disk under a session that no longer names it.
      await kv.delete(FILE_KEY).catch(() => undefined);
      const because = whyText(why, this.blobLimit) + (detail ? `: ${detail}` : '');
      const text =
        `“${loaded.name}” (${formatSize(size)}) is not kept in this browser (${because}). ` +
        'Its settings are remembered; after a reload the page asks for the file again.';
      this.deps.store.getState().notify(why === 'too-large' ? 'info' : 'warning', text);
    }
    this.keptBlob = loaded.blob;
    this.keptNote = { ...base, kept: why === null, why };
    return this.keptNote;
  }

  private async noRoomFor(size: number): Promise<boolean> {
    if (!this.deps.estimate) return false;
    try {
      const { usage, quota } = await this.deps.estimate();
      return typeof usage === 'number' && typeof quota === 'number' && quota - usage < size;
    } catch {
      return false;
    }
  }

  private async deleteAll(kv: KeyValueStore): Promise<void> {
    await Promise.all([kv.delete(SESSION_KEY), kv.delete(FILE_KEY)]);
    this.keptBlob = null;
    this.keptNote = null;
  }

  /**
   * "Forget this data": deletes both records, drops the files the page remembers, and
   * returns the page to the default view (so a reload shows it too), then says so.
   */
  async forget(): Promise<void> {
    const { store, pipeline, ctx } = this.deps;
    this.paused = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.chain;
    const before = store.getState().data.source;
    const named = before.kind === 'file' ? `“${before.name}” and its settings` : 'the stored session';
    let failed: string | null = null;
    try {
      if (this.kv) await this.deleteAll(this.kv);
    } catch (e) {
      failed = errorText(e);
    }
    pipeline.forgetFiles();
    const st = store.getState();
    st.replaceParams({ ...DEFAULT_PARAMS, methods: [...DEFAULT_PARAMS.methods] });
    st.setDisplay({ ...DEFAULT_DISPLAY });
    try {
      await pipeline.loadSource(defaultSource(ctx));
    } finally {
      this.seenVersion = store.getState().data.dataVersion;
      this.paused = false;
    }
    if (failed !== null) {
      const advice = "Try again, or clear this site's data in the browser settings.";
      st.notify('error', `Could not delete the stored session: ${failed}. ${advice}`);
    } else {
      this.setStatus({ stored: null });
      st.notify('info', `Forgot ${named}: deleted from this browser's storage. Showing the default view.`);
    }
  }
}

function whyText(why: NotKeptReason | null, limit: number): string {
  if (why === 'too-large') return `larger than the ${formatSize(limit)} the page keeps`;
  if (why === 'quota') return "the browser's storage has no room for it";
  return 'the browser refused to store it';
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
