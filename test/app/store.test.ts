import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS } from '../../src/core/params';
import { createAppStore, sameParams } from '../../src/state/store';
import { DEFAULT_DISPLAY } from '../../src/state/types';

const source = { kind: 'generator' as const, name: 'relu6', options: {} };

describe('app store', () => {
  it('starts from the default params and display', () => {
    const s = createAppStore({ source }).getState();
    expect(s.params).toEqual(DEFAULT_PARAMS);
    expect(s.display).toEqual(DEFAULT_DISPLAY);
    expect(s.data.status).toBe('idle');
  });

  it('setParams applies valid long names and returns the issues of invalid ones', () => {
    const store = createAppStore({ source });
    const issues = store.getState().setParams({ bits: 5, bandLow: 0.9, nope: 1 });
    expect(store.getState().params.bits).toBe(5);
    expect(store.getState().params.bandLow).toBe(DEFAULT_PARAMS.bandLow);
    expect(issues).toHaveLength(2);
    expect(issues.join(' ')).toMatch(/bandLow/);
    expect(issues.join(' ')).toMatch(/nope/);
  });

  it('keeps the same params object when nothing changed, so subscribers are not woken', () => {
    const store = createAppStore({ source });
    const before = store.getState().params;
    let calls = 0;
    store.subscribe(() => calls++);
    store.getState().setParams({ bits: DEFAULT_PARAMS.bits, methods: [...DEFAULT_PARAMS.methods] });
    expect(store.getState().params).toBe(before);
    expect(calls).toBe(0);
  });

  it('replaces results immutably: a new result is a new object', () => {
    const store = createAppStore({ source });
    const r0 = store.getState().results;
    store.getState().setResults({ histogram: { edges: [0, 1], counts: [1], total: 1, spikes: [] } });
    expect(store.getState().results).not.toBe(r0);
    expect(r0.histogram).toBeNull();
  });

  it('keeps the last six notices and dismisses by id', () => {
    const store = createAppStore({ source });
    for (let i = 0; i < 8; i++) store.getState().notify('error', `n${i}`);
    const notices = store.getState().notices;
    expect(notices.map((n) => n.text)).toEqual(['n2', 'n3', 'n4', 'n5', 'n6', 'n7']);
    store.getState().dismissNotice(notices[0].id);
    expect(store.getState().notices).toHaveLength(5);
  });

  it('tracks busy stages without waking subscribers for no change', () => {
    const store = createAppStore({ source });
    store.getState().setBusy('report', true);
    expect(store.getState().results.busy.report).toBe(true);
    const r = store.getState().results;
    store.getState().setBusy('report', true);
    expect(store.getState().results).toBe(r);
  });

  it('sameParams compares every field, methods as lists', () => {
    expect(sameParams(DEFAULT_PARAMS, { ...DEFAULT_PARAMS, methods: [...DEFAULT_PARAMS.methods] })).toBe(true);
    expect(sameParams(DEFAULT_PARAMS, { ...DEFAULT_PARAMS, methods: ['linear'] })).toBe(false);
    expect(sameParams(DEFAULT_PARAMS, { ...DEFAULT_PARAMS, low: 0 })).toBe(false);
  });
});
