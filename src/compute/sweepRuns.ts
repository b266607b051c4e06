/**
 * The suppression sweep shared by the two workers, one grid point per call: each worker takes the
 * next point when it is free, so a sweep takes about half the time one worker needs, and a report
 * or a curve queued behind it waits for one design at most. Also which sweeps run at once: asking
 * again for a running sweep shares it, and a speculative sweep (the precompute of other bit widths)
 * gives way to a sweep the page asked for. Pure module: the workers are reached through `SweepWorkers`.
 */
import { sweepWidths } from '../core/curves';
import type { Params } from '../core/params';
import { sweptParams } from './splitCurve';
import type { SweepResult } from './types';

/** A speculative sweep given up for a sweep the page asked for (see `SweepRuns.sweep`). */
export class SweepAbandonedError extends Error {
  constructor() {
    super('a speculative sweep was given up for a newer one');
    this.name = 'SweepAbandonedError';
  }
}

export interface SweepWorkers {
  /** The sweep's MSE at one width, computed by worker `worker` (0 or 1). */
  point(worker: 0 | 1, params: Params, width: number): Promise<number>;
  /** The reference lines (K-means and the optimum at params.bits). */
  references(params: Params): Promise<{ kmeansMse: number; optimalMse: number }>;
}

interface SweepRun {
  speculative: boolean;
  abandoned: boolean;
  result: Promise<SweepResult>;
}

export class SweepRuns {
  private readonly running = new Map<string, SweepRun>();

  constructor(private readonly workers: SweepWorkers) {}

  /**
   * The sweep at params.bits. `speculative`: given up (rejecting with SweepAbandonedError before its
   * next point) as soon as a sweep that is not speculative starts; it never displaces one itself.
   * A sweep already running with the same parameters is shared (and stops being speculative if
   * this ask is not).
   */
  sweep(params: Params, options: { speculative?: boolean } = {}): Promise<SweepResult> {
    const speculative = options.speculative ?? false;
    const key = JSON.stringify(params);
    const same = this.running.get(key);
    if (same && !same.abandoned) {
      if (!speculative) same.speculative = false;
      return same.result;
    }
    if (!speculative) for (const other of this.running.values()) if (other.speculative) other.abandoned = true;
    const run: SweepRun = { speculative, abandoned: false, result: Promise.resolve(null as unknown as SweepResult) };
    run.result = this.run(params, run).finally(() => {
      if (this.running.get(key) === run) this.running.delete(key);
    });
    this.running.set(key, run);
    return run.result;
  }

  private async run(params: Params, run: SweepRun): Promise<SweepResult> {
    const widths = sweepWidths(sweptParams(params));
    const mse = new Array<number>(widths.length);
    let next = 0;
    const drain = async (worker: 0 | 1) => {
      try {
        while (next < widths.length) {
          if (run.abandoned) throw new SweepAbandonedError();
          const i = next++;
          mse[i] = await this.workers.point(worker, params, widths[i]);
        }
      } catch (e) {
        run.abandoned = true; // the other worker stops taking points too
        throw e;
      }
    };
    const [references] = await Promise.all([this.workers.references(params), drain(0), drain(1)]);
    return { axis: params.suppressMode, x: widths, mse, ...references, bits: params.bits };
  }
}
