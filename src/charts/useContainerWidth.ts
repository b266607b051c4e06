import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

/**
 * Width in CSS pixels of the element the returned ref is attached to, followed with a
 * ResizeObserver. Returns `fallback` until the first measurement (and on the server / in tests,
 * where layout effects do not run), so the first render already has a usable size.
 */
export function useContainerWidth<T extends HTMLElement = HTMLDivElement>(
  fallback = 640,
): [RefObject<T | null>, number] {
  const ref = useRef<T | null>(null);
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    // Whole pixels: fractional widths would re-render on every sub-pixel wobble of the layout.
    const update = (w: number) => {
      const whole = Math.floor(w);
      if (whole > 0) setWidth(whole);
    };
    update(element.getBoundingClientRect().width);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      for (const entry of entries) update(entry.contentRect.width);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
