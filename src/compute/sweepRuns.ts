/**
 * The suppression sweep shared by the two workers, one grid point per call: each worker takes the
 * next point when it is free, so a sweep takes about half the time one worker needs, and a report
 * or a curve queued behind it waits for one design at most. Also which sweeps run at once: asking
 * again for a running sweep shares it, and a speculative sweep (the precompute of other bit widths)
 * runs on the workers its caller names (e.g. only one that is otherwise idle, moved to another by
 * `moveSpeculative` when that one is needed), takes each point only once `quiet` allows it, and
 * gives way to a sweep the page asked for. Pure module: the workers are reached through `SweepWorkers`.
 */
import { sweepWidths } from '../core/curves';
import type { Params } from '../core/params';
import { sweptParams } from '../core/curves';
import type { SweepResult } from '../worker/types';

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
  /** Resolves when a speculative sweep may take its next point (e.g. once the sliders rest). */
  quiet?(): Promise<void>;
}

interface SweepRun {
  speculative: boolean;
  abandoned: boolean;
  result: Promise<SweepResult>;
  /** The workers that take its next points from now on (one left out finishes its point and stops). */
  use: (workers: readonly (0 | 1)[]) => void;
}

const BOTH: readonly (0 | 1)[] = [0, 1];

export class SweepRuns {
  private readonly running = new Map<string, SweepRun>();

  constructor(private readonly workers: SweepWorkers) {}

  /**
   * The sweep at params.bits on both workers. `speculative`: on `workers` only (default both), and
   * given up (rejecting with SweepAbandonedError before its next point) as soon as a sweep that is
   * not speculative starts; it never displaces one itself. A sweep already running with the same
   * parameters is shared (and, if this ask is not speculative, stops being so and takes both workers).
   */
  sweep(params: Params, options: { speculative?: boolean; workers?: readonly (0 | 1)[] } = {}): Promise<SweepResult> {
    const speculative = options.speculative ?? false;
    const key = JSON.stringify(params);
    const same = this.running.get(key);
    if (same && !same.abandoned) {
      if (!speculative && same.speculative) {
        same.speculative = false;
        same.use(BOTH);
      }
      return same.result;
    }
    if (!speculative) for (const other of this.running.values()) if (other.speculative) other.abandoned = true;
    const run: SweepRun = {
      speculative,
      abandoned: false,
      result: Promise.resolve(null as unknown as SweepResult),
      use: () => undefined,
    };
    const workers = speculative ? (options.workers ?? BOTH) : BOTH;
    run.result = this.run(params, run, workers).finally(() => {
      if (this.running.get(key) === run) this.running.delete(key);
    });
    this.running.set(key, run);
    return run.result;
  }

  /** Moves every running speculative sweep onto `workers` (the ones now free for it). */
  moveSpeculative(workers: readonly (0 | 1)[]): void {
    for (const run of this.running.values()) if (run.speculative) run.use(workers);
  }

  private async run(params: Params, run: SweepRun, workers: readonly (0 | 1)[]): Promise<SweepResult> {
    const widths = sweepWidths(sweptParams(params));
    const mse = new Array<number>(widths.length);
    let next = 0;
    // The first error of either worker is the run's (the other then stops with SweepAbandonedError).
    let failure: { error: unknown } | undefined;
    let allowed = new Set<0 | 1>();
    const taking = new Set<0 | 1>();
    const drain = async (worker: 0 | 1) => {
      taking.add(worker);
      try {
        while (next < widths.length && allowed.has(worker)) {
          if (run.speculative && this.workers.quiet) {
            await this.workers.quiet();
            if (!allowed.has(worker)) break; // moved to another worker while it waited
          }
          if (run.abandoned) throw new SweepAbandonedError();
          const i = next++;
          mse[i] = await this.workers.point(worker, params, widths[i]);
        }
      } catch (e) {
        run.abandoned = true; // the other worker stops taking points too
        failure ??= { error: e };
        throw e;
      } finally {
        taking.delete(worker);
      }
    };
    const drains: Promise<void>[] = [];
    const start = (worker: 0 | 1) => {
      const d = drain(worker);
      d.catch(() => undefined); // awaited below; this only keeps a drain not awaited yet from counting as unhandled
      drains.push(d);
    };
    run.use = (use) => {
      allowed = new Set(use);
      for (const w of use) if (!taking.has(w)) start(w);
    };
    run.use(workers);
    // Every drain started, including one started while waiting (the length is read on each pass).
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
