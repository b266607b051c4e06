/**
 * Keeps the address bar and the store in step (docs/definitions.md, Shareable state):
 * - a committed change pushes a history entry; while a slider is dragged, the first
 *   change of the gesture pushes and the rest replace it, so Back undoes the whole drag;
 * - a data-source refinement by a load (a file's hash, the tensor picked) replaces;
 * - Back/Forward decode the URL and apply it, reloading data only if the source changed.
 *
 * History writes wait until the views are redrawn: they are queued and written once no compute
 * stage is busy and the next frame is drawn (`afterPaint`), or URL_WRITE_MAX_DELAY_MS after the
 * change at the latest, because a history
 * write is not free: each pushState commits a same-document navigation that costs the browser
 * process and the page's main thread CPU the workers need right after a change. The queue keeps every push an entry of its own and folds a replace into the write before it, so the
 * history is the same as if each change were written at once. Copy link and leaving the page
 * write the queue first (`flush`); Back/Forward drop it (the page then shows the popped entry).
 */
import { anyStageBusy, type AppStore } from './store';
import { encodeUrlState, decodeUrlState, PASSTHROUGH_KEYS, type CodecContext, type UrlState } from './urlCodec';
import { DEFAULT_DISPLAY, type DataSource } from './types';
import { DEFAULT_PARAMS } from '../core/params';

/** The part of `window` the sync uses (structural, so tests pass a fake and node can typecheck it). */
export interface HistoryWindow {
  location: { readonly pathname: string; readonly search: string; readonly hash: string };
  history: {
    pushState(data: unknown, unused: string, url: string): void;
    replaceState(data: unknown, unused: string, url: string): void;
  };
  addEventListener(type: string, listener: (e: { target: unknown }) => void, capture?: boolean): void;
  removeEventListener(type: string, listener: (e: { target: unknown }) => void, capture?: boolean): void;
}

export interface UrlSyncDeps {
  store: AppStore;
  ctx: CodecContext;
  /** Loads a data source that Back/Forward brought back. */
  loadSource: (source: DataSource) => void;
  win: HistoryWindow;
  /** Runs `write` once the page has drawn its next frame; by default at once (tests, node). */
  afterPaint?: (write: () => void) => void;
}

/** The longest a change waits for the views before the address bar follows it anyway (a drag, a long fill). */
export const URL_WRITE_MAX_DELAY_MS = 250;

/** One queued history write. */
interface HistoryWrite {
  mode: 'push' | 'replace';
  url: string;
}

/** The running sync: `stop` ends it, `flush` writes the queued history changes now. */
export interface UrlSync {
  stop(): void;
  flush(): void;
}

export function urlStateOf(store: AppStore): UrlState {
  const s = store.getState();
  return { params: s.params, source: s.data.source, display: s.display };
}

/** The source alone as a query, to compare sources. */
export function sourceKey(source: DataSource, ctx: CodecContext): string {
  return encodeUrlState({ params: DEFAULT_PARAMS, display: DEFAULT_DISPLAY, source }, ctx);
}

/** Same file or URL, only the hash or tensor filled in by a load. */
function isRefinement(prev: DataSource, next: DataSource): boolean {
  if (prev.kind === 'file' && next.kind === 'file') {
    return (
      prev.name === next.name &&
      (prev.sha256 === null || prev.sha256 === next.sha256) &&
      (prev.tensor === null || prev.tensor === next.tensor)
    );
  }
  if (prev.kind === 'url' && next.kind === 'url') return prev.url === next.url && prev.tensor === null;
  return false;
}

export function startUrlSync({ store, ctx, loadSource, win, afterPaint = (w) => w() }: UrlSyncDeps): UrlSync {
  let applying = false;
  let gestureActive = false;
  let gesturePushed = false;
  let lastQuery = encodeUrlState(urlStateOf(store), ctx);
  let queued: HistoryWrite[] = [];
  let deadline: ReturnType<typeof setTimeout> | null = null;

  const flush = () => {
    if (deadline !== null) clearTimeout(deadline);
    deadline = null;
    const writes = queued;
    queued = [];
    for (const w of writes) {
      if (w.mode === 'push') win.history.pushState(null, '', w.url);
      else win.history.replaceState(null, '', w.url);
    }
  };
  let paintPending = false;
  /** Writes the queue after the next frame if no stage is busy then. */
  const flushWhenIdle = () => {
    if (paintPending) return;
    paintPending = true;
    afterPaint(() => {
      paintPending = false;
      if (queued.length > 0 && !anyStageBusy(store.getState())) flush();
    });
  };
  const drop = () => {
    if (deadline !== null) clearTimeout(deadline);
    deadline = null;
    queued = [];
  };
  const enqueue = (mode: HistoryWrite['mode'], url: string) => {
    const last = queued[queued.length - 1];
    // A replace overwrites the entry the write before it makes: one write with the newer URL.
    if (mode === 'replace' && last) last.url = url;
    else queued.push({ mode, url });
    deadline ??= setTimeout(flush, URL_WRITE_MAX_DELAY_MS);
    // The pipeline marks its stages busy in its own listener of this same store update, which runs
    // after this one: look once every listener has run.
    queueMicrotask(() => {
      if (queued.length > 0 && !anyStageBusy(store.getState())) flushWhenIdle();
    });
  };

  const passthrough = PASSTHROUGH_KEYS.flatMap((k) => {
    const v = new URLSearchParams(win.location.search).get(k);
    return v === null ? [] : [`${k}=${encodeURIComponent(v)}`];
  }).join('&');
  const urlFor = (q: string) => {
    const query = [q, passthrough].filter(Boolean).join('&');
    return win.location.pathname + (query ? `?${query}` : '') + win.location.hash;
  };
  // Normalise the opening URL (invalid values were replaced by defaults).
  win.history.replaceState(null, '', urlFor(lastQuery));

  const onPointerDown = (e: { target: unknown }) => {
    const t = e.target as { tagName?: string; type?: string } | null;
    if (t && t.tagName === 'INPUT' && t.type === 'range') {
      gestureActive = true;
      gesturePushed = false;
    }
  };
  const onPointerUp = () => {
    gestureActive = false;
    gesturePushed = false;
  };

  const unsubscribe = store.subscribe((s, prev) => {
    if (queued.length > 0 && s.results.busy !== prev.results.busy && !anyStageBusy(s)) flushWhenIdle();
    if (applying) return;
    if (s.params === prev.params && s.display === prev.display && s.data.source === prev.data.source) return;
    const q = encodeUrlState(urlStateOf(store), ctx);
    if (q === lastQuery) return;
    lastQuery = q;
    const refinement = s.data.source !== prev.data.source && isRefinement(prev.data.source, s.data.source);
    if (refinement || (gestureActive && gesturePushed)) enqueue('replace', urlFor(q));
    else {
      enqueue('push', urlFor(q));
      if (gestureActive) gesturePushed = true;
    }
  });

  const onPopState = () => {
    drop();
    const decoded = decodeUrlState(win.location.search, ctx);
    const st = store.getState();
    const sourceChanged = sourceKey(decoded.source, ctx) !== sourceKey(st.data.source, ctx);
    applying = true;
    try {
      st.replaceParams(decoded.params);
      st.setDisplay(decoded.display);
    } finally {
      applying = false;
    }
    lastQuery = encodeUrlState({ ...decoded, source: sourceChanged ? decoded.source : st.data.source }, ctx);
    for (const issue of decoded.issues) st.notify('warning', issue);
    if (sourceChanged) loadSource(decoded.source);
  };

  win.addEventListener('pointerdown', onPointerDown, true);
  win.addEventListener('pointerup', onPointerUp, true);
  win.addEventListener('pointercancel', onPointerUp, true);
  win.addEventListener('popstate', onPopState);
  // A reload or a bookmark right after a change reads the address bar: write the queue before leaving.
  win.addEventListener('pagehide', flush);
  return {
    flush,
    stop() {
      unsubscribe();
      drop();
      win.removeEventListener('pointerdown', onPointerDown, true);
      win.removeEventListener('pointerup', onPointerUp, true);
      win.removeEventListener('pointercancel', onPointerUp, true);
      win.removeEventListener('popstate', onPopState);
      win.removeEventListener('pagehide', flush);
    },
  };
}
