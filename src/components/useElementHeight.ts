import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

/**
 * Height in whole CSS pixels of the element the ref is attached to, followed with a ResizeObserver;
 * `fallback` until the first measurement. For charts that fill a flex box (presentation mode).
 */
export function useElementHeight<T extends HTMLElement = HTMLDivElement>(
  fallback: number,
  enabled = true,
  /** Changes when the ref moves to another element: observation restarts. */
  target: unknown = null,
): [RefObject<T | null>, number] {
  const ref = useRef<T | null>(null);
  const [height, setHeight] = useState(fallback);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element || !enabled) return;
    const update = (h: number) => {
      const whole = Math.floor(h);
      if (whole > 0) setHeight(whole);
    };
    update(element.getBoundingClientRect().height);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      for (const entry of entries) update(entry.contentRect.height);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [enabled, target]);
  return [ref, height];
}
