/**
 * Hooks that let a chart card match the height of its neighbour in the same grid row
 * (the chart cards size their SVGs in px, so CSS stretching alone would leave empty space).
 */
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

/** Whether a media query matches now, followed as the window changes (false where matchMedia is missing). */
export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => typeof window !== 'undefined' && !!window.matchMedia?.(query).matches);
  useLayoutEffect(() => {
    const media = window.matchMedia?.(query);
    if (!media) return;
    const on = () => setMatches(media.matches);
    on();
    media.addEventListener('change', on);
    return () => media.removeEventListener('change', on);
  }, [query]);
  return matches;
}

/**
 * Outer height in whole CSS pixels of the element the ref is attached to, followed with a
 * ResizeObserver; 0 until measured. Meant for elements whose height does not depend on the
 * reader (e.g. a toolbar), so matching it cannot feed back into itself.
 */
export function useElementHeight<T extends HTMLElement = HTMLDivElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T | null>(null);
  const [height, setHeight] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const update = () => setHeight(Math.ceil(element.getBoundingClientRect().height));
    update();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, height];
}
