/**
 * The suppression sweep shared by the two workers, one grid point per call: each worker takes the
 * next point when it is free, so a sweep takes about half the time one worker needs, and a report
 * or a curve queued behind it waits for one design at most. Also which sweeps run at once: asking
 * again for a running sweep shares it, and a speculative sweep (the precompute of other bit widths)
 * runs on worker 0 (the background worker) alone, leaving worker 1 to the page's requests, and gives
 * way to a sweep the page asked for. Pure module: the workers are reached through `SweepWorkers`.
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
  /** Lets worker 1 take points too (a speculative run the page now waits for). */
  recruit: () => void;
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
      if (!speculative && same.speculative) {
        same.speculative = false;
        same.recruit();
      }
      return same.result;
    }
    if (!speculative) for (const other of this.running.values()) if (other.speculative) other.abandoned = true;
    const run: SweepRun = {
      speculative,
      abandoned: false,
      result: Promise.resolve(null as unknown as SweepResult),
      recruit: () => undefined,
    };
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
    // The first error of either worker is the run's (the other then stops with SweepAbandonedError).
    let failure: { error: unknown } | undefined;
    const drain = async (worker: 0 | 1) => {
      try {
        while (next < widths.length) {
          if (run.abandoned) throw new SweepAbandonedError();
          const i = next++;
          mse[i] = await this.workers.point(worker, params, widths[i]);
        }
      } catch (e) {
        run.abandoned = true; // the other worker stops taking points too
        failure ??= { error: e };
        throw e;
      }
    };
    const drains: Promise<void>[] = [];
    const start = (worker: 0 | 1) => {
      const d = drain(worker);
      d.catch(() => undefined); // awaited below; this only keeps a drain not awaited yet from counting as unhandled
      drains.push(d);
    };
    start(0);
    let recruited = false;
    run.recruit = () => {
      if (recruited) return;
      recruited = true;
      start(1);
    };
    if (!run.speculative) run.recruit();
    // Every drain started, including one recruited while waiting (the length is read on each pass).
    const drained = async () => {
      try {
        for (let i = 0; i < drains.length; i++) await drains[i];
      } catch (e) {
        throw failure ? failure.error : e;
      }
    };
    const [references] = await Promise.all([this.workers.references(params), drained()]);
    return { axis: params.suppressMode, x: widths, mse, ...references, bits: params.bits };
  }
}
