import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from '../../src/state/store';
import { DEFAULT_PARAMS } from '../../src/core/params';
import { startUrlSync, URL_WRITE_MAX_DELAY_MS, type HistoryWindow } from '../../src/state/urlSync';
import { decodeUrlState, type CodecContext } from '../../src/state/urlCodec';
import { GENERATOR_SPECS, DEFAULT_GENERATOR } from '../../src/compute/generatorCatalog';
import type { DataSource } from '../../src/state/types';

const ctx: CodecContext = { generators: GENERATOR_SPECS, defaultGenerator: DEFAULT_GENERATOR };

/** Just enough of window for urlSync: location, a history stack, and event listeners. */
function fakeWindow(search: string) {
  const entries = [search];
  let index = 0;
  const listeners = new Map<string, Set<(e: { target: unknown }) => void>>();
  const location = {
    pathname: '/',
    hash: '',
    get search() {
      return entries[index];
    },
  };
  const queryOf = (url: string) => (url.includes('?') ? url.slice(url.indexOf('?')) : '');
  const win: HistoryWindow = {
    location,
    history: {
      pushState: (_s: unknown, _t: string, url: string) => {
        entries.splice(index + 1, entries.length, queryOf(url));
        index++;
      },
      replaceState: (_s: unknown, _t: string, url: string) => {
        entries[index] = queryOf(url);
      },
    },
    addEventListener: (type: string, fn: (e: { target: unknown }) => void) => {
      if (!listeners.has(type)) listeners.set(type, new Set());
      listeners.get(type)!.add(fn);
    },
    removeEventListener: (type: string, fn: (e: { target: unknown }) => void) => {
      listeners.get(type)?.delete(fn);
    },
  };
  const fire = (type: string, target?: unknown) => {
    for (const fn of listeners.get(type) ?? []) fn({ target });
  };
  return {
    win,
    entries,
    get index() {
      return index;
    },
    back() {
      index--;
      fire('popstate');
    },
    pointer(kind: 'pointerdown' | 'pointerup', range = true) {
      fire(kind, range ? { tagName: 'INPUT', type: 'range' } : { tagName: 'BUTTON' });
    },
  };
}

function setup(search: string, afterPaint?: (write: () => void) => void) {
  const fake = fakeWindow(search);
  const d = decodeUrlState(search, ctx);
  const store = createAppStore({ params: d.params, source: d.source, display: d.display });
  const loaded: DataSource[] = [];
  // As the pipeline does once a load succeeds: the store takes the loaded source.
  const loadSource = (s: DataSource) => {
    loaded.push(s);
    store.getState().setData({ source: s });
  };
  const sync = startUrlSync({ store, ctx, loadSource, win: fake.win, ...(afterPaint ? { afterPaint } : {}) });
  return { fake, store, loaded, sync };
}

/** Lets the sync look at the busy stages (it does so once every listener of a store update has run). */
const settle = () => Promise.resolve();

describe('urlSync', () => {
  it('normalises the opening URL in place (replace, not push)', () => {
    const { fake } = setup('?b=4&zz=1&anim=0');
    expect(fake.entries).toEqual(['?v=1&b=4&anim=0']);
  });

  it('pushes one entry per committed change and Back restores the previous params', async () => {
    const { fake, store } = setup('');
    store.getState().setParams({ bits: 5 });
    store.getState().setParams({ pin: 'none' });
    await settle();
    expect(fake.entries).toEqual(['', '?v=1&b=5', '?v=1&b=5&pn=none']);
    fake.back();
    expect(store.getState().params.pin).toBe('auto');
    expect(store.getState().params.bits).toBe(5);
    expect(fake.entries).toHaveLength(3);
  });

  it('makes a slider drag one history entry: push on its first change, replace for the rest', async () => {
    const { fake, store } = setup('');
    fake.pointer('pointerdown');
    for (const v of [0.03, 0.04, 0.05]) {
      store.getState().setParams({ bandLow: v });
      await settle();
    }
    fake.pointer('pointerup');
    expect(fake.entries).toEqual(['', '?v=1&bl=0.05']);
    fake.back();
    expect(store.getState().params.bandLow).toBe(DEFAULT_PARAMS.bandLow);
  });

  it('asks to load the data source that Back brings back, and only when it changed', async () => {
    const { fake, store, loaded } = setup('');
    store.getState().setParams({ bits: 2 });
    store.getState().setData({
      source: { kind: 'generator', name: 'relu-gaussian', options: { n: 100000, seed: 0, mean: 0, std: 1 } },
    });
    await settle();
    expect(fake.entries).toEqual(['', '?v=1&b=2', '?v=1&g=relu-gaussian&b=2']);
    fake.back();
    expect(loaded.map((s) => s.kind === 'generator' && s.name)).toEqual(['relu6']);
    fake.back();
    expect(loaded).toHaveLength(1);
    expect(store.getState().params.bits).toBe(3);
    expect(fake.entries).toHaveLength(3);
  });

  it('replaces the entry when a load only fills in the file hash', async () => {
    const { fake, store } = setup('?file=a.npy');
    store.getState().setData({ source: { kind: 'file', name: 'a.npy', sha256: 'ab12ab12ab12ab12', tensor: null } });
    await settle();
    expect(fake.entries).toEqual(['?v=1&file=a.npy&sha=ab12ab12ab12ab12']);
  });

  it('reports invalid values met on Back/Forward as notices', async () => {
    const { fake, store } = setup('');
    store.getState().setParams({ bits: 6 });
    await settle();
    fake.entries[0] = '?b=77';
    fake.back();
    expect(
      store
        .getState()
        .notices.map((n) => n.text)
        .join(' '),
    ).toMatch(/bits/);
  });

  describe('writes wait for the views', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('writes nothing while a stage computes, then every queued entry once none does', async () => {
      const { fake, store } = setup('');
      store.getState().setBusy('report', true);
      store.getState().setParams({ bits: 5 });
      store.getState().setParams({ pin: 'none' });
      await settle();
      expect(fake.entries).toEqual(['']);
      store.getState().setBusy('report', false);
      expect(fake.entries).toEqual(['', '?v=1&b=5', '?v=1&b=5&pn=none']);
    });

    it('folds a drag into one entry while the views compute, as when written at once', async () => {
      const { fake, store } = setup('');
      store.getState().setBusy('bsCurve', true);
      fake.pointer('pointerdown');
      for (const v of [0.03, 0.04, 0.05]) {
        store.getState().setParams({ bandLow: v });
        await settle();
      }
      fake.pointer('pointerup');
      expect(fake.entries).toEqual(['']);
      store.getState().setBusy('bsCurve', false);
      expect(fake.entries).toEqual(['', '?v=1&bl=0.05']);
    });

    it('writes once the frame after the last stage is drawn, not before it', async () => {
      const frames: (() => void)[] = [];
      const { fake, store } = setup('', (write) => frames.push(write));
      store.getState().setBusy('report', true);
      store.getState().setParams({ bits: 5 });
      await settle();
      store.getState().setBusy('report', false);
      expect(fake.entries).toEqual(['']);
      expect(frames).toHaveLength(1);
      // A stage that starts again before the frame is drawn keeps the write waiting for it.
      store.getState().setBusy('bsCurve', true);
      frames.shift()!();
      expect(fake.entries).toEqual(['']);
      store.getState().setBusy('bsCurve', false);
      frames.shift()!();
      expect(fake.entries).toEqual(['', '?v=1&b=5']);
    });

    it(`writes ${URL_WRITE_MAX_DELAY_MS} ms after a change at the latest, even while a stage stays busy`, async () => {
      vi.useFakeTimers();
      const { fake, store } = setup('');
      store.getState().setBusy('optimal', true);
      store.getState().setParams({ bits: 7 });
      await settle();
      vi.advanceTimersByTime(URL_WRITE_MAX_DELAY_MS - 1);
      expect(fake.entries).toEqual(['']);
      vi.advanceTimersByTime(1);
      expect(fake.entries).toEqual(['', '?v=1&b=7']);
    });

    it('flush writes the queue at once (Copy link reads the address bar right after a change)', async () => {
      const { fake, store, sync } = setup('');
      store.getState().setBusy('report', true);
      store.getState().setParams({ bits: 2 });
      await settle();
      sync.flush();
      expect(fake.entries).toEqual(['', '?v=1&b=2']);
      store.getState().setBusy('report', false);
      expect(fake.entries).toEqual(['', '?v=1&b=2']);
    });

    it('Back drops the queued writes: the page shows the entry Back went to', async () => {
      const { fake, store } = setup('');
      store.getState().setParams({ bits: 4 });
      await settle();
      store.getState().setBusy('report', true);
      store.getState().setParams({ bits: 5 });
      await settle();
      fake.back();
      store.getState().setBusy('report', false);
      expect(fake.entries).toEqual(['', '?v=1&b=4']);
      expect(store.getState().params.bits).toBe(3);
    });

    it('stop drops the queue and writes nothing more', async () => {
      const { fake, store, sync } = setup('');
      store.getState().setBusy('report', true);
      store.getState().setParams({ bits: 6 });
      await settle();
      sync.stop();
      store.getState().setBusy('report', false);
      expect(fake.entries).toEqual(['']);
    });
  });
});
