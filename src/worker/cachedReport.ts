/**
 * The workers' design cache: a DesignSource (core/curves) for core's designReport, errorCurves and
 * suppressionSweep, so a slider redesigns only the methods its parameter affects (moving a BS-KMQ
 * band redesigns `bskmq` alone and re-evaluates the others, instead of rerunning K-means++ and the
 * optimal DP), and the report, the error curves, the sweep and the ADC views share each design.
 * A cached design keeps the time it took when it ran. The two workers hand each other their
 * designs and optima (seeds), checked against the point set's fingerprint.
 */
import { optimalReference, type DesignSource } from '../core/curves';
import { designQuantizer } from '../core/design';
import { linearMseByBits, sqnrDbOf } from '../core/metrics';
import { designReads, pickParams, type Method, type Params } from '../core/params';
import { sumOfSquares, type PointSet } from '../core/pointset';
import type { Quantizer } from '../core/quantizer';

interface Design {
  q: Quantizer;
  seconds: number;
}

/** Cache entries kept per point set; old ones are dropped first. */
const MAX_ENTRIES = 256;

/** A design's cache key: the method, bits and exactly the parameters its design reads (core/params' designReads). */
function designKey(method: Method, bits: number, p: Params): string {
  if (method === 'optimal') return `optimal|${bits}`;
  return `${method}|${JSON.stringify([bits, ...pickParams(p, designReads(method))])}`;
}

/** An optimal quantizer computed elsewhere (the background worker), with the point set it was computed on. */
export interface OptimumSeed {
  bits: number;
  levels: Float64Array;
  thresholds: Float64Array;
  iterations: number;
  mse: number;
  seconds: number;
  /** 10·log10(Σx² / Σ(x − Q(x))²) as core's errorCurves computes it (+Infinity when mse is 0): the error-curve point. */
  sqnrDb: number;
  /** Fingerprint of the point set (see `pointSetFingerprint`); a seed for other data is ignored. */
  fingerprint: string;
}

/** Identifies a point set well enough to tell two loads apart: size, weight and moment sums. */
export function pointSetFingerprint(ps: PointSet): string {
  const m = ps.x.length;
  return `${ps.mode}|${m}|${ps.n}|${ps.shift}|${ps.cs[m]}|${ps.css[m]}|${ps.min}|${ps.max}`;
}

/** A design (not the optimum) computed by another worker on the same point set and parameters. */
export interface DesignSeed {
  bits: number;
  levels: Float64Array;
  thresholds: Float64Array;
  iterations: number;
  seconds: number;
  /** Fingerprint of the point set (see `pointSetFingerprint`); a seed for other data is ignored. */
  fingerprint: string;
}

export class ReportCache {
  private readonly designs = new Map<string, Design>();
  private readonly optimum = new Map<number, { quantizer: Quantizer; mse: number; seconds: number }>();
  private linear: { L: number; U: number; table: Float64Array } | null = null;

  private readonly fingerprint: string;

  constructor(private readonly ps: PointSet) {
    this.fingerprint = pointSetFingerprint(ps);
  }

  /** The optimum at each bits (computed here if not seeded), for another worker's cache. */
  optima(bitsList: number[], now: () => number): OptimumSeed[] {
    return bitsList.map((bits) => {
      const o = this.optimumAt(bits, now);
      const q = o.quantizer;
      return {
        bits,
        levels: q.levels.slice(),
        thresholds: q.thresholds.slice(),
        iterations: q.iterations,
        mse: o.mse,
        seconds: o.seconds,
        sqnrDb: this.sqnrDbOf(o.mse),
        fingerprint: this.fingerprint,
      };
    });
  }

  /** SQNR in dB of an MSE on this point set (core/metrics' sqnrDbOf). */
  sqnrDbOf(mse: number): number {
    return sqnrDbOf(this.energy(), this.ps.n, mse);
  }

  private energyOf: number | null = null;

  private energy(): number {
    return (this.energyOf ??= sumOfSquares(this.ps));
  }

  /** This cache as the DesignSource core's designReport, errorCurves and suppressionSweep take, timed by `now`. */
  source(now: () => number): DesignSource {
    return {
      design: (method, bits, params) => {
        const d = this.designAt(method, bits, params, now);
        return { quantizer: d.q, seconds: d.seconds };
      },
      optimum: (bits) => this.optimumAt(bits, now),
      linearMseByBits: (L, U) => this.linearTable(L, U),
      energy: () => this.energy(),
    };
  }

  /**
   * The design `report` uses for (method, bits, params), from the cache or designed into it:
   * the error curves, the sweep's references and the ADC variation share the report's designs.
   */
  quantizer(method: Method, bits: number, params: Params, now: () => number): Quantizer {
    if (method === 'optimal') return this.optimumAt(bits, now).quantizer;
    return this.designAt(method, bits, params, now).q;
  }

  /** Takes optima computed by another worker on the same point set; returns how many were new. */
  seedOptima(seeds: OptimumSeed[]): number {
    let added = 0;
    for (const s of seeds) {
      if (s.fingerprint !== this.fingerprint || this.optimum.has(s.bits)) continue;
      const quantizer: Quantizer = {
        method: 'optimal',
        bits: s.bits,
        levels: s.levels,
        thresholds: s.thresholds,
        iterations: s.iterations,
      };
      this.optimum.set(s.bits, { quantizer, mse: s.mse, seconds: s.seconds });
      added++;
    }
    return added;
  }

  /** The designs of `method` (not optimal) at each bits, cached or designed into the cache, for another worker's cache. */
  designSeeds(method: Method, bitsList: readonly number[], params: Params, now: () => number): DesignSeed[] {
    return bitsList.map((bits) => {
      const q = this.quantizer(method, bits, params, now);
      const d = this.designs.get(designKey(method, bits, params));
      return {
        bits,
        levels: q.levels.slice(),
        thresholds: q.thresholds.slice(),
        iterations: q.iterations,
        seconds: d?.seconds ?? 0,
        fingerprint: this.fingerprint,
      };
    });
  }

  /**
   * Takes designs of `method` (not optimal) made by another worker for `params` on the same
   * point set; returns how many were new.
   */
  seedDesigns(method: Method, params: Params, seeds: DesignSeed[]): number {
    let added = 0;
    if (method === 'optimal') return 0;
    for (const s of seeds) {
      const key = designKey(method, s.bits, params);
      if (s.fingerprint !== this.fingerprint || this.designs.has(key)) continue;
      const { bits, levels, thresholds, iterations } = s;
      const q: Quantizer = { method, bits, levels, thresholds, iterations };
      this.remember(key, { q, seconds: s.seconds });
      added++;
    }
    return added;
  }

  /** Whether the design `report` would need for (method, bits, params) is already cached. */
  has(method: Method, bits: number, params: Params): boolean {
    return method === 'optimal' ? this.optimum.has(bits) : this.designs.has(designKey(method, bits, params));
  }

  /** Designs one method at one width into the cache (for prefetching neighbouring bit widths). */
  warm(method: Method, bits: number, params: Params, now: () => number): void {
    if (method === 'optimal') this.optimumAt(bits, now);
    else this.designAt(method, bits, params, now);
  }

  /** The design of (method, bits, params) from the cache, or designed into it (an optimum only on an empty set). */
  private designAt(method: Method, bits: number, params: Params, now: () => number): Design {
    const key = designKey(method, bits, params);
    const hit = this.designs.get(key);
    if (hit) return hit;
    const t1 = now();
    const q = designQuantizer(this.ps, method, bits, params);
    return this.remember(key, { q, seconds: (now() - t1) / 1000 });
  }

  private remember(key: string, d: Design): Design {
    if (this.designs.size >= MAX_ENTRIES) this.designs.delete(this.designs.keys().next().value as string);
    this.designs.set(key, d);
    return d;
  }

  private optimumAt(bits: number, now: () => number) {
    let o = this.optimum.get(bits);
    if (!o) {
      const t0 = now();
      const ref = optimalReference(this.ps, bits);
      o = { ...ref, seconds: (now() - t0) / 1000 };
      this.optimum.set(bits, o);
    }
    return o;
  }

  private linearTable(L: number, U: number): Float64Array {
    if (!this.linear || !Object.is(this.linear.L, L) || !Object.is(this.linear.U, U)) {
      this.linear = { L, U, table: linearMseByBits(this.ps, L, U) };
    }
    return this.linear.table;
  }
}
