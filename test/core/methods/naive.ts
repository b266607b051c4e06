/**
 * Deliberately naive reference quantizers over the raw samples (not the point
 * set): every assignment is a linear scan over the thresholds, every mean and
 * cost a direct sum, every weighted draw a linear scan over running sums. They
 * consume random draws in the order documented in src/core/methods/kmeans.ts, so
 * the fast implementations must agree with them to rounding.
 */
import { createRng, deriveSeed, type Rng } from '../../../src/core/rng';
import type { Params } from '../../../src/core/params';

export interface NaiveQuantizer {
  levels: number[];
  thresholds: number[];
}

export function sortedSamples(values: ArrayLike<number>): number[] {
  return Array.from(values)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
}

export function naiveMidpoints(levels: number[]): number[] {
  const t: number[] = [];
  for (let j = 1; j < levels.length; j++) t.push(levels[j - 1] + (levels[j] - levels[j - 1]) / 2);
  return t;
}

/** Number of thresholds ≤ x, by a linear scan. */
export function naiveCode(thresholds: number[], x: number): number {
  let c = 0;
  for (const t of thresholds) if (t <= x) c++;
  return c;
}

/** Σ weight·(x − Q(x))² over the samples. */
export function naiveCost(samples: number[], weights: number[] | null, q: NaiveQuantizer): number {
  let s = 0;
  for (let i = 0; i < samples.length; i++) {
    const d = samples[i] - q.levels[naiveCode(q.thresholds, samples[i])];
    s += (weights ? weights[i] : 1) * d * d;
  }
  return s;
}

export function naiveLinear(k: number, L: number, U: number): NaiveQuantizer {
  const levels: number[] = [];
  for (let j = 0; j < k; j++) levels.push(j === k - 1 ? U : L + (j * (U - L)) / (k - 1));
  return { levels, thresholds: naiveMidpoints(levels) };
}

export function naiveCdf(samples: number[], k: number, L: number): NaiveQuantizer {
  const n = samples.length;
  const thresholds: number[] = [];
  for (let j = 1; j < k; j++) {
    // Smallest sample whose share of samples ≤ it reaches j/k: count ≥ j·n/k.
    let i = 0;
    while ((i + 1) * k < j * n) i++;
    thresholds.push(samples[i]);
  }
  const sum = new Array<number>(k).fill(0),
    count = new Array<number>(k).fill(0);
  for (const x of samples) {
    const c = naiveCode(thresholds, x);
    sum[c] += x;
    count[c]++;
  }
  const levels = sum.map((s, j) =>
    count[j] > 0 ? s / count[j] : j > 0 ? thresholds[j - 1] : Math.min(L, thresholds[0]),
  );
  return { levels, thresholds };
}

/** Literal Lloyd: the loop of weightedLloyd with every step recomputed from scratch. */
export function naiveLloyd(
  samples: number[],
  weights: number[],
  start: number[],
  fixed: boolean[],
  tolerance: number | null,
  maxIterations = 1000,
): number[] {
  const k = start.length;
  const levels = start.slice();
  let previous: number[] | null = null;
  let iterations = 0;
  for (;;) {
    const t = naiveMidpoints(levels);
    const codes = samples.map((x) => naiveCode(t, x));
    if (tolerance === null && previous !== null && codes.every((c, i) => c === previous![i])) break;
    if (iterations >= maxIterations) break;
    previous = codes;
    const sw = new Array<number>(k).fill(0),
      swx = new Array<number>(k).fill(0);
    for (let i = 0; i < samples.length; i++) {
      sw[codes[i]] += weights[i];
      swx[codes[i]] += weights[i] * samples[i];
    }
    let maxMove = 0;
    for (let j = 0; j < k; j++) {
      if (fixed[j] || !(sw[j] > 0)) continue;
      const v = swx[j] / sw[j];
      maxMove = Math.max(maxMove, Math.abs(v - levels[j]));
      levels[j] = v;
    }
    iterations++;
    if (tolerance !== null && maxMove <= tolerance) break;
  }
  return levels;
}

function lastWeighted(weights: number[]): number {
  let i = weights.length - 1;
  while (i > 0 && !(weights[i] > 0)) i--;
  return i;
}

/** First i whose running sum of `values` exceeds u (the last weighted sample if none does). */
function drawIndex(values: number[], u: number, weights: number[]): number {
  let acc = 0;
  for (let i = 0; i < values.length; i++) {
    acc += values[i];
    if (acc > u) return i;
  }
  return lastWeighted(weights);
}

function total(values: number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

export function naiveForgy(samples: number[], weights: number[], count: number, rng: Rng): number[] {
  const W = total(weights);
  const out: number[] = [];
  for (let c = 0; c < count; c++) out.push(samples[drawIndex(weights, rng() * W, weights)]);
  return out;
}

export function naivePlusPlus(
  samples: number[],
  weights: number[],
  fixedCentres: number[],
  count: number,
  totalK: number,
  rng: Rng,
): number[] {
  const W = total(weights);
  const centres = fixedCentres.slice();
  const out: number[] = [];
  if (count === 0) return out;
  if (centres.length === 0) {
    const first = samples[drawIndex(weights, rng() * W, weights)];
    centres.push(first);
    out.push(first);
  }
  const d2 = samples.map((x, i) => weights[i] * Math.min(...centres.map((c) => (x - c) * (x - c))));
  const trials = 2 + Math.floor(Math.log(totalK));
  while (out.length < count) {
    const P = total(d2);
    const candidates: number[] = [];
    for (let t = 0; t < trials; t++) {
      const r = rng();
      candidates.push(P > 0 ? drawIndex(d2, r * P, weights) : drawIndex(weights, r * W, weights));
    }
    let best = -1,
      bestPot = Infinity;
    for (const idx of candidates) {
      const v = samples[idx];
      let pot = 0;
      for (let i = 0; i < samples.length; i++) pot += Math.min(d2[i], weights[i] * (samples[i] - v) * (samples[i] - v));
      if (pot < bestPot) {
        bestPot = pot;
        best = idx;
      }
    }
    const v = samples[best];
    for (let i = 0; i < samples.length; i++) d2[i] = Math.min(d2[i], weights[i] * (samples[i] - v) * (samples[i] - v));
    centres.push(v);
    out.push(v);
  }
  return out;
}

/** Sorted free seeds merged with the pins: low pin before equal values, high pin after them. */
function naiveMerge(free: number[], low: number | null, high: number | null): { levels: number[]; fixed: boolean[] } {
  const items = free.map((v) => ({ v, rank: 1, fixed: false }));
  if (low !== null) items.push({ v: low, rank: 0, fixed: true });
  if (high !== null) items.push({ v: high, rank: 2, fixed: true });
  items.sort((a, b) => a.v - b.v || a.rank - b.rank);
  return { levels: items.map((i) => i.v), fixed: items.map((i) => i.fixed) };
}

export function naiveCluster(
  samples: number[],
  weights: number[],
  k: number,
  seeding: 'random' | 'plusplus',
  seed: number,
  restarts: number,
  low: number | null = null,
  high: number | null = null,
): NaiveQuantizer {
  const pinned = [low, high].filter((v): v is number => v !== null);
  let best: NaiveQuantizer | null = null,
    bestCost = Infinity;
  for (let r = 0; r < restarts; r++) {
    const rng = createRng(deriveSeed(seed, r));
    const free =
      seeding === 'random'
        ? naiveForgy(samples, weights, k - pinned.length, rng)
        : naivePlusPlus(samples, weights, pinned, k - pinned.length, k, rng);
    free.sort((a, b) => a - b);
    const { levels: start, fixed } = naiveMerge(free, low, high);
    const levels = naiveLloyd(samples, weights, start, fixed, null);
    const q = { levels, thresholds: naiveMidpoints(levels) };
    const cost = naiveCost(samples, weights, q);
    if (best === null || cost < bestCost) {
      best = q;
      bestCost = cost;
    }
  }
  return best as NaiveQuantizer;
}

/** Per-sample in-band share of the sorted samples (docs/definitions.md, Quantizers bands, low band winning where they meet). */
export function naiveBandShare(samples: number[], params: Params, L: number, U: number): number[] {
  const n = samples.length;
  if (params.suppressMode === 'band') {
    const R = U - L;
    return samples.map((x) => (x <= L + params.bandLow * R || x >= U - params.bandHigh * R ? 1 : 0));
  }
  const lowW = (n * params.pctLow) / 100;
  const highFrom = n - Math.min((n * params.pctHigh) / 100, n - lowW);
  return samples.map((_, i) => {
    const low = Math.min(1, Math.max(0, lowW - i));
    const high = Math.min(1, Math.max(0, i + 1 - highFrom));
    return Math.min(1, low + high);
  });
}

export function naiveBskmq(samples: number[], k: number, params: Params, L: number, U: number): NaiveQuantizer {
  const n = samples.length;
  const share = (v: number) => samples.filter((x) => x === v).length / n;
  const pin = params.pin;
  const low = pin === 'both' || pin === 'low' || (pin === 'auto' && share(L) >= params.spikeMin) ? L : null;
  const high = pin === 'both' || pin === 'high' || (pin === 'auto' && share(U) >= params.spikeMin) ? U : null;
  const pinned = (low !== null ? 1 : 0) + (high !== null ? 1 : 0);
  if (pinned >= k) return { levels: [L, U], thresholds: naiveMidpoints([L, U]) };
  const s = naiveBandShare(samples, params, L, U);
  let weights = s.map((si) => 1 - si + si * params.suppressWeight);
  if (!(total(weights) > 0)) weights = samples.map(() => 1);
  const seeding = params.bsInit === 'plusplus' ? 'plusplus' : 'random';
  return naiveCluster(samples, weights, k, seeding, params.seed, params.restarts, low, high);
}
