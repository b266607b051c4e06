// @vitest-environment jsdom
import { act, useRef } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { useNearViewport } from './useNearViewport';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** A stand-in IntersectionObserver whose entries the test reports by hand. */
class FakeObserver {
  static last: FakeObserver | null = null;
  observed: Element[] = [];
  options: IntersectionObserverInit | undefined;
  constructor(
    readonly callback: (entries: { isIntersecting: boolean }[]) => void,
    options?: IntersectionObserverInit,
  ) {
    this.options = options;
    FakeObserver.last = this;
  }
  observe(el: Element) {
    this.observed.push(el);
  }
  disconnect() {
    this.observed = [];
  }
  report(isIntersecting: boolean) {
    this.callback([{ isIntersecting }]);
  }
}

const seen: boolean[] = [];
function Probe({ always = false }: { always?: boolean }) {
  const ref = useRef<HTMLDivElement | null>(null);
  seen.push(useNearViewport(ref, always));
  return <div ref={ref} />;
}

async function mount(always = false) {
  const host = document.createElement('div');
  const root = createRoot(host);
  await act(async () => root.render(<Probe always={always} />));
  return root;
}

afterEach(() => {
  seen.length = 0;
  delete (globalThis as { IntersectionObserver?: unknown }).IntersectionObserver;
});

describe('useNearViewport', () => {
  it('is false until the element comes within a screen of the viewport, and false again when it leaves', async () => {
    (globalThis as { IntersectionObserver?: unknown }).IntersectionObserver = FakeObserver;
    const root = await mount();
    expect(seen.at(-1)).toBe(false);
    const observer = FakeObserver.last!;
    expect(observer.observed).toHaveLength(1);
    expect(observer.options?.rootMargin).toBe('100% 0px');
    await act(async () => observer.report(true));
    expect(seen.at(-1)).toBe(true);
    await act(async () => observer.report(false));
    expect(seen.at(-1)).toBe(false);
    await act(async () => root.unmount());
    expect(observer.observed).toHaveLength(0);
  });

  it('is always true when asked to be (presentation mode) or where there is no IntersectionObserver', async () => {
    (globalThis as { IntersectionObserver?: unknown }).IntersectionObserver = FakeObserver;
    FakeObserver.last = null;
    await mount(true);
    expect(seen.every(Boolean)).toBe(true);
    expect(FakeObserver.last).toBeNull();
    delete (globalThis as { IntersectionObserver?: unknown }).IntersectionObserver;
    seen.length = 0;
    await mount(false);
    expect(seen.every(Boolean)).toBe(true);
  });
});
