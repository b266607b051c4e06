/**
 * Prop comparison for `memo` around the charts: a chart re-renders (its layout and hundreds of SVG
 * elements diffed) only when one of its inputs changed, not whenever its panel re-renders because
 * another result arrived.
 */

import { memo, type FunctionComponent } from 'react';

/**
 * Equality of small plain values: numbers (NaN equals NaN), strings, null, and arrays or plain objects
 * of them, compared element by element. Anything else is equal only if identical.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => sameValue(v, b[i]));
  }
  if (Array.isArray(b) || !isPlainObject(a) || !isPlainObject(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
}

function isPlainObject(v: object): v is Record<string, unknown> {
  return Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * A `memo` comparator: props are equal when every prop is identical (Object.is), except the small
 * value props named in `byValue` (a domain pair, the bands, the current point), which callers may pass
 * as fresh literals and which are compared with `sameValue`. Large inputs (data, level sets, curves)
 * must keep their identity in the caller (results from the store, or `useMemo`).
 */
export function chartPropsEqual<P extends object>(
  ...byValue: (keyof P)[]
): (prev: Readonly<P>, next: Readonly<P>) => boolean {
  const valued = new Set<PropertyKey>(byValue);
  return (prev, next) => {
    const kp = Object.keys(prev) as (keyof P)[];
    if (kp.length !== Object.keys(next).length) return false;
    for (const k of kp) {
      if (!Object.hasOwn(next, k)) return false;
      const equal = valued.has(k) ? sameValue(prev[k], next[k]) : Object.is(prev[k], next[k]);
      if (!equal) return false;
    }
    return true;
  };
}

/**
 * `memo` by value, for a chart's layers (an axis, one method's series, the histogram's bars): the
 * chart's layout makes their props afresh whenever any input changes, but a band change moves one
 * series, so the others and the axes compare equal and skip reconciling their elements.
 */
export function memoByValue<P extends object>(component: FunctionComponent<P>) {
  return memo(component, sameValue);
}
