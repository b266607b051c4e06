/**
 * The weighted Lloyd iteration of src/core/methods/kmeans.ts (`weightedLloydJs`), in AssemblyScript,
 * compiled to WebAssembly by `npm run build:wasm` into src/core/wasm/lloydBinary.ts.
 *
 * It is the same algorithm, operation for operation, so its levels and its iteration count are
 * bit-identical to the TypeScript (test/core/lloydKernel.test.ts checks it on random point sets):
 * - thresholds are `lo + (hi − lo)/2` (Binaryen writes `/2` as `·0.5`, which rounds identically);
 * - a cell's level is `shift + (cs[b] − cs[a]) / (cw[b] − cw[a])`, clamped to its value extent;
 * - a level is written only when it moves (`d > 0`), so a −0 never replaces a 0.
 * WebAssembly's f64 arithmetic is IEEE-754 with round-to-nearest and no fused multiply-add, as is
 * JavaScript's. The bookkeeping is the TypeScript's too: only thresholds next to a level that moved
 * are searched again, and only cells with a moved boundary get a new mean.
 *
 * Why: this loop is nearly all of a K-means design's time (at 8 bits, 4 restarts × 1000 iterations × 256
 * levels on a 16 M-sample tensor), and V8 runs this version in about 60 % of the time (npm run bench).
 *
 * Memory (all offsets in bytes, set by src/core/wasm/lloydKernel.ts from `heapBase()`):
 * x[m] f64 · cw[m+1] f64 · cs[m+1] f64 · levels[k] f64 (in and out) · bounds[k+1] i32 (scratch) · fixed[k] u8,
 * followed by the flags moved[k] u8 and shifted[k+1] u8 (scratch).
 */

@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

@inline function ldi(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

@inline function sti(p: usize, i: i32, v: i32): void {
  store<i32>(p + (<usize>i << 2), v);
}

/** First address the kernel's caller may use (nothing below it is ever written). */
export function heapBase(): usize {
  return __heap_base;
}

/** First i in [0, m) with x[i] ≥ t (m when none): `lowerBound` of src/core/pointset.ts. */
function lowerBound(x: usize, m: i32, t: f64): i32 {
  let lo = 0, hi = m;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ld(x, mid) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The same, searched outward from a nearby answer p (galloping): `lowerBoundNear` of src/core/pointset.ts. */
@inline function lowerBoundNear(x: usize, m: i32, p: i32, t: f64): i32 {
  let lo: i32, hi: i32;
  if (p < m && ld(x, p) < t) {
    let step = 1;
    lo = p + 1;
    hi = p + 1;
    while (hi < m && ld(x, hi) < t) {
      lo = hi + 1;
      hi += step;
      step *= 2;
    }
    if (hi > m) hi = m;
  } else {
    let step = 1;
    hi = p;
    lo = p - 1;
    while (lo >= 0 && ld(x, lo) >= t) {
      hi = lo;
      lo -= step;
      step *= 2;
    }
    lo = lo + 1 > 0 ? lo + 1 : 0;
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ld(x, mid) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Lloyd on the sorted `levels[k]` in place; returns the number of updates. `useTolerance = 0`:
 * K-means, stop when no threshold's cell boundary moved; otherwise Lloyd-Max, stop after the first
 * update in which no level moved more than `tolerance`. At most `maxIterations` updates.
 */
export function lloyd(
  x: usize,
  cw: usize,
  cs: usize,
  m: i32,
  shift: f64,
  levels: usize,
  bounds: usize,
  fixed: usize,
  k: i32,
  maxIterations: i32,
  useTolerance: i32,
  tolerance: f64,
): i32 {
  sti(bounds, 0, 0);
  sti(bounds, k, m);
  for (let j = 1; j < k; j++) {
    const lo = ld(levels, j - 1);
    sti(bounds, j, lowerBound(x, m, lo + (ld(levels, j) - lo) / 2));
  }
  // moved[j]: level j moved in the last update; shifted[j]: boundary j moved in this one.
  const moved = fixed + <usize>k, shifted = fixed + <usize>(2 * k);
  for (let j = 0; j <= k; j++) store<u8>(shifted + <usize>j, 1);
  let iterations = 0;
  while (true) {
    if (iterations > 0) {
      let anyShifted = false;
      // The outer boundaries (0 and m) never move.
      store<u8>(shifted, 0);
      store<u8>(shifted + <usize>k, 0);
      for (let th = 1; th < k; th++) {
        store<u8>(shifted + <usize>th, 0);
        if ((load<u8>(moved + <usize>(th - 1)) | load<u8>(moved + <usize>th)) == 0) continue;
        const lo = ld(levels, th - 1);
        const old = ldi(bounds, th);
        const b = lowerBoundNear(x, m, old, lo + (ld(levels, th) - lo) / 2);
        if (b != old) {
          sti(bounds, th, b);
          store<u8>(shifted + <usize>th, 1);
          anyShifted = true;
        }
      }
      if (useTolerance == 0 && !anyShifted) break;
    }
    if (iterations >= maxIterations) break;
    let maxMove: f64 = 0;
    for (let j = 0; j < k; j++) {
      store<u8>(moved + <usize>j, 0);
      if ((load<u8>(shifted + <usize>j) | load<u8>(shifted + <usize>(j + 1))) == 0) continue;
      if (load<u8>(fixed + <usize>j) == 1) continue;
      const a = ldi(bounds, j), b = ldi(bounds, j + 1);
      const w = ld(cw, b) - ld(cw, a);
      if (!(w > 0)) continue;
      const mean = shift + (ld(cs, b) - ld(cs, a)) / w;
      const xa = ld(x, a), xb = ld(x, b - 1);
      const v = mean < xa ? xa : mean > xb ? xb : mean;
      const c = ld(levels, j);
      const d = v > c ? v - c : c - v;
      if (d > 0) {
        store<u8>(moved + <usize>j, 1);
        if (d > maxMove) maxMove = d;
        store<f64>(levels + (<usize>j << 3), v);
      }
    }
    iterations++;
    if (useTolerance != 0 && maxMove <= tolerance) break;
  }
  return iterations;
}
