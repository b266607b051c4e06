import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../src/state/store';
import { startUrlSync, type HistoryWindow } from '../../src/state/urlSync';
import { decodeUrlState, type CodecContext } from '../../src/state/urlCodec';
import { GENERATOR_SPECS, DEFAULT_GENERATOR } from '../../src/compute/generatorCatalog';
import type { DataSource } from '../../src/state/types';

const ctx: CodecContext = { generators: GENERATOR_SPECS, defaultGenerator: DEFAULT_GENERATOR };

/** Just enough of window for urlSync: location, a history stack, and event listeners. */
function fakeWindow(search: string) {
  const entries = [search];
  let index = 0;
  const listeners = new Map<string, Set<(e: { target: unknown }) => void>>();
  const location = { pathname: '/', hash: '', get search() { return entries[index]; } };
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

function setup(search: string) {
  const fake = fakeWindow(search);
  const d = decodeUrlState(search, ctx);
  const store = createAppStore({ params: d.params, source: d.source, display: d.display });
  const loaded: DataSource[] = [];
  // As the pipeline does once a load succeeds: the store takes the loaded source.
  const loadSource = (s: DataSource) => {
    loaded.push(s);
    store.getState().setData({ source: s });
  };
  startUrlSync({ store, ctx, loadSource, win: fake.win });
  return { fake, store, loaded };
}

describe('urlSync', () => {
  it('normalises the opening URL in place (replace, not push)', () => {
    const { fake } = setup('?b=4&zz=1&anim=0');
    expect(fake.entries).toEqual(['?v=1&b=4&anim=0']);
  });

  it('pushes one entry per committed change and Back restores the previous params', () => {
    const { fake, store } = setup('');
    store.getState().setParams({ bits: 5 });
    store.getState().setParams({ pin: 'none' });
    expect(fake.entries).toEqual(['', '?v=1&b=5', '?v=1&b=5&pn=none']);
    fake.back();
    expect(store.getState().params.pin).toBe('auto');
    expect(store.getState().params.bits).toBe(5);
    expect(fake.entries).toHaveLength(3);
  });

  it('makes a slider drag one history entry: push on its first change, replace for the rest', () => {
    const { fake, store } = setup('');
    fake.pointer('pointerdown');
    for (const v of [0.03, 0.04, 0.05]) store.getState().setParams({ bandLow: v });
    fake.pointer('pointerup');
    expect(fake.entries).toEqual(['', '?v=1&bl=0.05']);
    fake.back();
    expect(store.getState().params.bandLow).toBe(0.02);
  });

  it('asks to load the data source that Back brings back, and only when it changed', () => {
    const { fake, store, loaded } = setup('');
    store.getState().setParams({ bits: 2 });
    store.getState().setData({ source: { kind: 'generator', name: 'relu-gaussian', options: { n: 100000, seed: 0, mean: 0, std: 1 } } });
    expect(fake.entries).toEqual(['', '?v=1&b=2', '?v=1&g=relu-gaussian&b=2']);
    fake.back();
    expect(loaded.map((s) => s.kind === 'generator' && s.name)).toEqual(['relu6']);
    fake.back();
    expect(loaded).toHaveLength(1);
    expect(store.getState().params.bits).toBe(3);
    expect(fake.entries).toHaveLength(3);
  });

  it('replaces the entry when a load only fills in the file hash', () => {
    const { fake, store } = setup('?file=a.npy');
    store.getState().setData({ source: { kind: 'file', name: 'a.npy', sha256: 'ab12ab12ab12ab12', tensor: null } });
    expect(fake.entries).toEqual(['?v=1&file=a.npy&sha=ab12ab12ab12ab12']);
  });

  it('reports invalid values met on Back/Forward as notices', () => {
    const { fake, store } = setup('');
    store.getState().setParams({ bits: 6 });
    fake.entries[0] = '?b=77';
    fake.back();
    expect(store.getState().notices.map((n) => n.text).join(' ')).toMatch(/bits/);
  });
});
