/**
 * Seeded pseudo-random numbers. Every random choice in the product (K-means
 * seeds, generators, Monte Carlo trials) draws from here, so a seed reproduces
 * a result exactly on every machine and in every runtime.
 */

/** A source of doubles uniform in [0, 1). */
export type Rng = () => number;

/** splitmix32: turns any 32-bit seed into well-mixed state words. */
function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * xoshiro128** (Blackman & Vigna), seeded through splitmix32. 53-bit doubles
 * are built from two outputs so that weights near 1 are resolvable.
 */
export function createRng(seed: number): Rng {
  const mix = splitmix32(seed);
  let a = mix(),
    b = mix(),
    c = mix(),
    d = mix();
  if ((a | b | c | d) === 0) a = 1;
  const next = () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  return () => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** An independent stream for run `index` of a seeded computation (restart r, trial t). */
export function deriveSeed(seed: number, index: number): number {
  const mix = splitmix32((seed ^ Math.imul(index + 1, 0x27d4eb2d)) >>> 0);
  return mix();
}

/** Standard normal deviates by Box–Muller (the spare is cached). */
export function createNormal(rng: Rng): () => number {
  let spare = NaN;
  return () => {
    if (!Number.isNaN(spare)) {
      const s = spare;
      spare = NaN;
      return s;
    }
    let u = 0;
    while (u === 0) u = rng();
    const v = rng();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}
