/**
 * Whether an element is on screen or within one screen height of it (IntersectionObserver), for panels
 * that compute something expensive only for the reader: they start once the reader scrolls near them.
 * True where the observer is missing (old browsers, jsdom), so the panel then behaves as always shown.
 */
import { useEffect, useState, type RefObject } from 'react';

export function useNearViewport(ref: RefObject<Element | null>, always = false): boolean {
  const [near, setNear] = useState(always || typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const el = ref.current;
    if (always || !el || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => setNear(entries.some((e) => e.isIntersecting)), {
      rootMargin: '100% 0px',
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref, always]);
  return always || near;
}
