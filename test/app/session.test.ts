import type { RawReadOptions } from '../../src/core/formats';
import { describe, expect, it } from 'vitest';
import { createAppStore, type AppStore } from '../../src/state/store';
import { decodeUrlState, defaultUrlState, type CodecContext } from '../../src/state/urlCodec';
import { GENERATOR_SPECS, DEFAULT_GENERATOR } from '../../src/compute/generatorCatalog';
import { DEFAULT_PARAMS } from '../../src/core/params';
import type { DataSource } from '../../src/state/types';
import { memoryKeyValueStore, type KeyValueStore } from '../../src/persist/keyValue';
import {
  FILE_KEY,
  SESSION_KEY,
  SessionPersistence,
  hasExplicitState,
  parseFileRecord,
  parseSessionRecord,
  planStartup,
  type FileRecord,
  type LoadedBlob,
  type SessionDeps,
  type SessionRecord,
} from '../../src/persist/session';

const ctx: CodecContext = { generators: GENERATOR_SPECS, defaultGenerator: DEFAULT_GENERATOR };
const SHA = 'ab12cd34ef56ab78' + '0'.repeat(48);
const LINK_SHA = SHA.slice(0, 16);

function newStore(search = ''): AppStore {
  const d = decodeUrlState(search, ctx);
  return createAppStore({ params: d.params, source: d.source, display: d.display });
}

/** Stands in for src/compute/pipeline.ts: loads "succeed" at once by committing to the store. */
function fakePipeline(store: AppStore) {
  const known = new Map<string, { file: File; raw: RawReadOptions | null }>();
  const commit = (source: DataSource) =>
    store.getState().setData({ source, status: 'ready', dataVersion: store.getState().data.dataVersion + 1 });
  const p = {
    loadedBlob: null as LoadedBlob | null,
    loads: [] as DataSource[],
    remembered: [] as { file: File; linkSha: string | null; raw: RawReadOptions | null }[],
    forgot: 0,
    /** When set, the next load fails as an unreadable file does. */
    failNext: false,
    rememberFile(file: File, linkSha: string | null, raw: RawReadOptions | null) {
      known.set(`${file.name}|${linkSha}`, { file, raw });
      p.remembered.push({ file, linkSha, raw });
    },
    forgetFiles() {
      known.clear();
      p.forgot++;
    },
    async loadSource(source: DataSource) {
      p.loads.push(source);
      if (p.failNext) {
        p.failNext = false;
        store.getState().setData({ status: 'error' });
        return;
      }
      if (source.kind === 'file') {
        const k = known.get(`${source.name}|${source.sha256}`);
        if (!k) {
          store.getState().setData({ source, status: 'awaiting-file' });
          return;
        }
        p.loadedBlob = { blob: k.file, name: source.name, raw: k.raw, sha256: SHA };
      } else p.loadedBlob = null;
      commit(source);
    },
    /** What picking a file does: the pipeline reads and hashes it, then commits a file source. */
    upload(file: File, raw: RawReadOptions | null = null, sha: string | null = SHA) {
      p.loadedBlob = { blob: file, name: file.name, raw, sha256: sha };
      commit({ kind: 'file', name: file.name, sha256: sha?.slice(0, 16) ?? null, tensor: null });
    },
  };
  return p;
}

/** A key–value store that counts writes per key and can be told to fail them. */
function countingStore(base: KeyValueStore = memoryKeyValueStore()) {
  const puts = new Map<string, number>();
  const s = {
    puts,
    failPut: null as null | ((key: string) => Error | null),
    get: (k: string) => base.get(k),
    async put(k: string, v: unknown) {
      const err = s.failPut?.(k);
      if (err) throw err;
      puts.set(k, (puts.get(k) ?? 0) + 1);
      return base.put(k, v);
    },
    delete: (k: string) => base.delete(k),
  };
  return s;
}

function setup(opts: { search?: string; kv?: KeyValueStore; deps?: Partial<SessionDeps> } = {}) {
  const store = newStore(opts.search ?? '');
  const pipeline = fakePipeline(store);
  const kv = opts.kv ?? memoryKeyValueStore();
  const persistence = new SessionPersistence({
    store,
    pipeline,
    ctx,
    open: async () => kv,
    debounceMs: 5,
    ...opts.deps,
  });
  return { store, pipeline, kv, persistence };
}

/** Restores, starts following the store, and lets the pipeline load the opening source (as main.tsx does). */
async function boot(s: ReturnType<typeof setup>, search = '') {
  const plan = await s.persistence.restore(search);
  s.persistence.start();
  await s.pipeline.loadSource(s.store.getState().data.source);
  await s.persistence.flush();
  return plan;
}

const file = (name = 'acts.npy', bytes = [1, 2, 3, 4]) => new File([new Uint8Array(bytes)], name);
const storedSession = (query: string, file: SessionRecord['file'] = null): SessionRecord => ({
  version: 1,
  savedAt: 1,
  query,
  raw: null,
  file,
});
const storedFile = (f: File, sha: string | null = SHA): FileRecord => ({
  version: 1,
  name: f.name,
  sha256: sha,
  size: f.size,
  raw: null,
  blob: f,
});

describe('planStartup (precedence)', () => {
  const session = storedSession('v=1&g=relu-gaussian&b=5&bl=0.1');

  it('a bare URL restores the stored session', () => {
    const plan = planStartup('', { session, file: null }, ctx);
    expect(plan.origin).toBe('session');
    expect(plan.params.bits).toBe(5);
    expect(plan.params.bandLow).toBe(0.1);
    expect(plan.source).toMatchObject({ kind: 'generator', name: 'relu-gaussian' });
  });

  it('page switches alone (anim=0) still count as a bare URL', () => {
    expect(hasExplicitState('?anim=0')).toBe(false);
    expect(planStartup('?anim=0', { session, file: null }, ctx).origin).toBe('session');
  });

  it('a URL with parameters only wins: the default data at those parameters, not the stored session', () => {
    const plan = planStartup('?b=4', { session, file: null }, ctx);
    expect(plan.origin).toBe('link');
    expect(plan.params.bits).toBe(4);
    expect(plan.params.bandLow).toBe(DEFAULT_PARAMS.bandLow);
    expect(plan.source).toEqual(defaultUrlState(ctx).source);
  });

  it('a URL with a data source wins over the stored session', () => {
    const plan = planStartup('?g=gelu-tail', { session, file: null }, ctx);
    expect(plan.origin).toBe('link');
    expect(plan.source).toMatchObject({ kind: 'generator', name: 'gelu-tail' });
    expect(plan.params.bits).toBe(DEFAULT_PARAMS.bits);
  });

  it('a file link whose name and hash match the stored file hands the stored file over', () => {
    const f = file();
    const plan = planStartup(`?file=acts.npy&sha=${LINK_SHA}&b=2`, { session, file: storedFile(f) }, ctx);
    expect(plan.origin).toBe('link');
    expect(plan.storedFile?.blob).toBe(f);
    expect(plan.params.bits).toBe(2);
  });

  it('a file link with another hash, another name or no hash does not use the stored file', () => {
    const stored = { session, file: storedFile(file()) };
    expect(planStartup('?file=acts.npy&sha=ffffffffffffffff', stored, ctx).storedFile).toBeNull();
    expect(planStartup(`?file=other.npy&sha=${LINK_SHA}`, stored, ctx).storedFile).toBeNull();
    expect(planStartup('?file=acts.npy', stored, ctx).storedFile).toBeNull();
  });

  it('nothing stored gives the default view', () => {
    const plan = planStartup('', { session: null, file: null }, ctx);
    expect(plan.origin).toBe('default');
    expect(plan.params).toEqual(defaultUrlState(ctx).params);
  });

  it('invalid values in a stored session fall back to defaults and are reported as the stored session’s', () => {
    const plan = planStartup('', { session: storedSession('v=1&b=99&pn=sideways'), file: null }, ctx);
    expect(plan.params.bits).toBe(DEFAULT_PARAMS.bits);
    expect(plan.params.pin).toBe(DEFAULT_PARAMS.pin);
    expect(plan.issues.length).toBe(2);
    expect(plan.issues.every((i) => i.startsWith('Stored session: '))).toBe(true);
  });

  it('records of another version or shape are ignored', () => {
    expect(parseSessionRecord({ version: 2, query: 'b=4' })).toBeNull();
    expect(parseSessionRecord('b=4')).toBeNull();
    expect(parseSessionRecord(null)).toBeNull();
    expect(parseFileRecord({ version: 1, name: 'x', blob: 'not a blob' })).toBeNull();
    expect(parseFileRecord({ ...storedFile(file()), sha256: 7 })?.sha256).toBeNull();
  });
});

describe('SessionPersistence', () => {
  it('an uploaded file and changed parameters come back after a reload, the file without asking', async () => {
    const kv = memoryKeyValueStore();
    const first = setup({ kv });
    await boot(first);
    const f = file('acts.npy');
    const raw: RawReadOptions = { dtype: 'float16', byteOrder: 'big' };
    first.pipeline.upload(f, raw);
    first.store.getState().setParams({ bits: 5, bandLow: 0.08 });
    await first.persistence.flush();
    first.persistence.stop();

    const second = setup({ kv });
    const plan = await boot(second);
    expect(plan.origin).toBe('session');
    const st = second.store.getState();
    expect(st.params.bits).toBe(5);
    expect(st.params.bandLow).toBe(0.08);
    expect(st.data.source).toMatchObject({ kind: 'file', name: 'acts.npy', sha256: LINK_SHA });
    expect(st.data.status).toBe('ready');
    expect(second.pipeline.remembered).toHaveLength(1);
    expect(second.pipeline.remembered[0].raw).toEqual(raw);
    expect(second.pipeline.loadedBlob?.blob).toBe(f);
    expect(st.notices).toEqual([]);
  });

  it('a parameter change rewrites the small session record, never the stored file', async () => {
    const kv = countingStore();
    const s = setup({ kv });
    await boot(s);
    s.pipeline.upload(file());
    await s.persistence.flush();
    for (const bits of [4, 5, 6]) s.store.getState().setParams({ bits });
    await s.persistence.flush();
    s.store.getState().setDisplay({ log: true });
    await s.persistence.flush();
    expect(kv.puts.get(FILE_KEY)).toBe(1);
    // Upload, the debounced bits changes (one write), the display change.
    expect(kv.puts.get(SESSION_KEY)).toBe(3);
    const rec = parseSessionRecord(await kv.get(SESSION_KEY));
    expect(rec?.query).toContain('b=6');
    expect(rec?.query).toContain('lg=1');
  });

  it('a generator session keeps its name and options, and drops a previously stored file', async () => {
    const kv = memoryKeyValueStore();
    const s = setup({ kv });
    await boot(s);
    s.pipeline.upload(file());
    await s.persistence.flush();
    expect(await kv.get(FILE_KEY)).toBeDefined();
    await s.pipeline.loadSource({ kind: 'generator', name: 'gelu-tail', options: { n: 3000, seed: 9 } });
    await s.persistence.flush();
    expect(await kv.get(FILE_KEY)).toBeUndefined();
    const plan = planStartup('', { session: parseSessionRecord(await kv.get(SESSION_KEY)), file: null }, ctx);
    expect(plan.source).toMatchObject({ kind: 'generator', name: 'gelu-tail', options: { n: 3000, seed: 9 } });
  });

  it('the default view is not stored: reaching it deletes the records', async () => {
    const kv = memoryKeyValueStore();
    const s = setup({ kv });
    await boot(s);
    s.store.getState().setParams({ bits: 4 });
    await s.persistence.flush();
    expect(await kv.get(SESSION_KEY)).toBeDefined();
    s.store.getState().setParams({ bits: DEFAULT_PARAMS.bits });
    await s.persistence.flush();
    expect(await kv.get(SESSION_KEY)).toBeUndefined();
    expect(s.persistence.getStatus().stored).toBeNull();
  });

  it('a shared link wins at start-up, and then becomes the stored session', async () => {
    const kv = memoryKeyValueStore();
    await kv.put(SESSION_KEY, storedSession('v=1&g=relu-gaussian&b=6'));
    const s = setup({ kv, search: '?g=gelu-tail&b=2' });
    const plan = await boot(s, '?g=gelu-tail&b=2');
    expect(plan.origin).toBe('link');
    expect(s.store.getState().params.bits).toBe(2);
    expect(s.store.getState().data.source).toMatchObject({ name: 'gelu-tail' });
    s.store.getState().setParams({ bits: 3 });
    await s.persistence.flush();
    expect(parseSessionRecord(await kv.get(SESSION_KEY))?.query).toContain('g=gelu-tail');
  });

  it('a file over the size limit is not kept: settings are, a notice says so, a reload asks for the file', async () => {
    const kv = memoryKeyValueStore();
    const s = setup({ kv, deps: { blobLimit: 3 } });
    await boot(s);
    s.pipeline.upload(file('big.npy', [1, 2, 3, 4, 5]));
    await s.persistence.flush();
    expect(await kv.get(FILE_KEY)).toBeUndefined();
    const note = parseSessionRecord(await kv.get(SESSION_KEY))?.file;
    expect(note).toMatchObject({ name: 'big.npy', kept: false, why: 'too-large' });
    expect(
      s.store
        .getState()
        .notices.map((n) => n.text)
        .join('\n'),
    ).toMatch(/big\.npy.*not kept/);

    const again = setup({ kv, deps: { blobLimit: 3 } });
    await boot(again);
    expect(again.store.getState().data.status).toBe('awaiting-file');
    expect(again.store.getState().data.source).toMatchObject({ kind: 'file', name: 'big.npy' });
    expect(again.store.getState().notices.some((n) => /was not kept/.test(n.text))).toBe(true);
  });

  it('QuotaExceededError when storing the file becomes a warning, never a crash', async () => {
    const kv = countingStore();
    kv.failPut = (key) => (key === FILE_KEY ? Object.assign(new Error('quota'), { name: 'QuotaExceededError' }) : null);
    const s = setup({ kv });
    await boot(s);
    s.pipeline.upload(file());
    await s.persistence.flush();
    const rec = parseSessionRecord(await kv.get(SESSION_KEY));
    expect(rec?.file).toMatchObject({ kept: false, why: 'quota' });
    const warnings = s.store.getState().notices.filter((n) => n.level === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].text).toMatch(/no room/);
  });

  it('a storage estimate without room skips the write', async () => {
    const kv = countingStore();
    const s = setup({ kv, deps: { estimate: async () => ({ usage: 100, quota: 102 }) } });
    await boot(s);
    s.pipeline.upload(file('acts.npy', [1, 2, 3, 4]));
    await s.persistence.flush();
    expect(kv.puts.get(FILE_KEY)).toBeUndefined();
    expect(parseSessionRecord(await kv.get(SESSION_KEY))?.file?.why).toBe('quota');
  });

  it('a session write that fails warns once and the app goes on', async () => {
    const kv = countingStore();
    kv.failPut = () => new Error('disk on fire');
    const s = setup({ kv });
    await boot(s);
    s.store.getState().setParams({ bits: 4 });
    await s.persistence.flush();
    s.store.getState().setParams({ bits: 5 });
    await s.persistence.flush();
    expect(s.store.getState().notices.filter((n) => /Could not remember/.test(n.text))).toHaveLength(1);
    expect(s.store.getState().params.bits).toBe(5);
  });

  it('without storage the app starts from the URL, says so once, quietly, and never writes', async () => {
    const s = setup({
      deps: {
        open: async () => {
          throw new Error('IndexedDB is not available');
        },
      },
    });
    const plan = await boot(s);
    expect(plan.origin).toBe('default');
    s.pipeline.upload(file());
    s.store.getState().setParams({ bits: 4 });
    await s.persistence.flush();
    const notices = s.store.getState().notices;
    expect(notices).toHaveLength(1);
    expect(notices[0].level).toBe('info');
    expect(s.persistence.getStatus()).toMatchObject({ available: false, stored: null });
  });

  it('"Forget this data" deletes both records and the remembered files and returns to the default view', async () => {
    const kv = memoryKeyValueStore();
    const s = setup({ kv });
    await boot(s);
    s.pipeline.upload(file('mine.npy'));
    s.store.getState().setParams({ bits: 6 });
    s.store.getState().setDisplay({ log: true });
    await s.persistence.flush();
    expect(s.persistence.getStatus().stored?.label).toContain('mine.npy');

    await s.persistence.forget();
    await s.persistence.flush();
    expect(kv.data.size).toBe(0);
    expect(s.pipeline.forgot).toBe(1);
    const st = s.store.getState();
    expect(st.params).toEqual(defaultUrlState(ctx).params);
    expect(st.display).toEqual(defaultUrlState(ctx).display);
    expect(st.data.source).toEqual(defaultUrlState(ctx).source);
    expect(st.notices.at(-1)?.text).toMatch(/Forgot “mine\.npy”.*deleted/);
    expect(s.persistence.getStatus().stored).toBeNull();

    const again = setup({ kv });
    expect((await boot(again)).origin).toBe('default');
  });

  it('a stored session whose data cannot be read any more falls back to the default data', async () => {
    const kv = memoryKeyValueStore();
    await kv.put(SESSION_KEY, storedSession(`v=1&file=acts.npy&sha=${LINK_SHA}&b=4`));
    await kv.put(FILE_KEY, storedFile(file()));
    const s = setup({ kv });
    await s.persistence.restore('');
    s.persistence.start();
    s.pipeline.failNext = true;
    await s.pipeline.loadSource(s.store.getState().data.source);
    await s.persistence.flush();
    expect(s.pipeline.loads.at(-1)).toEqual(defaultUrlState(ctx).source);
    expect(s.store.getState().data.status).toBe('ready');
    expect(s.store.getState().notices.some((n) => /could not be loaded/.test(n.text))).toBe(true);
  });
});
