/**
 * The one object on the main thread that owns the compute workers (docs/architecture.md).
 *
 * Three workers, started lazily:
 * - `interactive` loads the data and answers the stages a slider drag waits for
 *   (the report at the current bits, bands, histogram);
 * - `background` holds the same point set and answers the slow stages (error curves
 *   over bits 1–8, the suppression sweep), so they never queue in front of a slider's redraw;
 * - `layers` opens the same multi-tensor file for the per-layer batch view only, so its
 *   rows (one tensor each, ~100 ms per million samples) never queue in front of either.
 * Files go to the workers as Blob handles (no bytes are read on the main thread); the
 * background worker gets the point set by transfer from the interactive one. A worker
 * that dies is replaced and its data re-sent; calls pending on it reject.
 */
import * as Comlink from 'comlink';
import type { EngineWorkerApi } from '../worker/engine.worker';
import { MAX_BITS, MIN_BITS, type Method, type Params } from '../core/params';
import type {
  CurveResult,
  HistogramData,
  HistogramRequest,
  LoadOptions,
  LoadResult,
  PointSetTransfer,
  ProgressCallback,
  ReportResult,
  SweepResult,
} from '../worker/types';
import type { LayerRow } from '../worker/layersEngine';
import type { CurvePart, LayersSource } from '../worker/engine';
import { mergeVariation, splitWidths } from './splitCurve';
import { SweepRuns } from './sweepRuns';
import { stageLabel, type StageName } from './stages';
import type { StepTraceRequest, StepTraceResult } from '../worker/traceEngine';
import type { AdcSnapResult, VariationCurveResult, VariationRequest } from '../worker/adcEngine';

export type WorkerRole = 'interactive' | 'background' | 'layers';

/** How long after the last parameter change speculative work waits before its next step. */
export const SLIDER_QUIET_MS = 400;
const ALL_BITS = Array.from({ length: MAX_BITS - MIN_BITS + 1 }, (_, i) => MIN_BITS + i);

/** Thrown into calls that were pending on a worker when it died. */
export class WorkerDiedError extends Error {
  constructor(
    readonly role: WorkerRole,
    cause: string,
  ) {
    super(`the ${role} compute worker stopped (${cause})`);
    this.name = 'WorkerDiedError';
  }
}

/**
 * Thrown into the one call a worker did not answer within its budget (the watchdog): the worker is
 * terminated and replaced with its data, and the calls queued behind it get a WorkerDiedError.
 */
export class WorkerHungError extends WorkerDiedError {
  constructor(
    role: WorkerRole,
    readonly stage: StageName,
    readonly budgetMs: number,
  ) {
    super(role, `the ${stageLabel(stage)} did not answer within ${formatSeconds(budgetMs)}`);
    this.name = 'WorkerHungError';
  }
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
}

/** What every call may take, whatever its work: far above any real answer, so only a hang reaches it. */
export const WATCHDOG_BASE_MS = 30_000;
/**
 * Budget per unit of the slowest design a call can run, the optimum's O(k·m·log2 m) dynamic program
 * (k = 2^bits codes, m points): a few times what that design takes on a 2-core machine, so a large
 * exact set at 8 bits is given the minutes it needs and a small one is given up on in seconds.
 */
export const WATCHDOG_MS_PER_UNIT = 1e-3;

/** How long a call on `points` points that may design at up to `bits` bits is waited for before its worker counts as hung. */
export function watchdogBudgetMs(points: number, bits: number): number {
  const m = Math.max(2, points);
  return WATCHDOG_BASE_MS + 2 ** bits * m * Math.log2(m) * WATCHDOG_MS_PER_UNIT;
}

/** How a load is replayed into a fresh worker: everything needed except state kept in the engine. */
export type LoadRequest =
  | { kind: 'generator'; name: string; options: Record<string, number> }
  | { kind: 'blob'; blob: Blob; name: string; opts: LoadOptions }
  | { kind: 'url'; url: string; opts: LoadOptions };

export type WorkerFactory = () => Worker;

/** A call under the watchdog: the stage it serves (named in the notice) and how long it may take. */
interface Watch {
  stage: StageName;
  budgetMs: number;
}

const defaultFactory: WorkerFactory = () =>
  new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'bskmq-engine' });

class WorkerHandle {
  readonly worker: Worker;
  readonly remote: Comlink.Remote<EngineWorkerApi>;
  private dead = false;
  private readonly deathWaiters = new Set<(e: WorkerDiedError) => void>();

  constructor(
    readonly role: WorkerRole,
    factory: WorkerFactory,
    private readonly onDeath: (h: WorkerHandle, cause: string, hung: WorkerHungError | null) => void,
  ) {
    this.worker = factory();
    this.remote = Comlink.wrap<EngineWorkerApi>(this.worker);
    this.worker.addEventListener('error', (ev) => {
      ev.preventDefault();
      this.die(ev.message || 'uncaught error');
    });
    this.worker.addEventListener('messageerror', () => this.die('a message could not be read'));
  }

  get alive(): boolean {
    return !this.dead;
  }

  /**
   * Runs a call, rejecting it if the worker dies before it answers. Given a budget (the watchdog),
   * a call not answered within it rejects with WorkerHungError and the worker is replaced.
   */
  call<T>(fn: (remote: Comlink.Remote<EngineWorkerApi>) => Promise<T>, watch?: Watch): Promise<T> {
    if (this.dead) return Promise.reject(new WorkerDiedError(this.role, 'already stopped'));
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | null = null;
      const settle = () => {
        this.deathWaiters.delete(onDeath);
        if (timer !== null) clearTimeout(timer);
      };
      const onDeath = (e: WorkerDiedError) => {
        settle();
        reject(e);
      };
      this.deathWaiters.add(onDeath);
      if (watch !== undefined) {
        timer = setTimeout(() => {
          settle();
          const hung = new WorkerHungError(this.role, watch.stage, watch.budgetMs);
          reject(hung);
          this.die(hung.message.slice(hung.message.indexOf('(') + 1, -1), hung);
        }, watch.budgetMs);
      }
      fn(this.remote).then(
        (v) => {
          settle();
          resolve(v);
        },
        (e) => {
          settle();
          reject(e);
        },
      );
    });
  }

  die(cause: string, hung: WorkerHungError | null = null): void {
    if (this.dead) return;
    this.dead = true;
    this.worker.terminate();
    const err = new WorkerDiedError(this.role, cause);
    for (const w of this.deathWaiters) w(err);
    this.deathWaiters.clear();
    this.onDeath(this, cause, hung);
  }

  terminate(): void {
    this.dead = true;
    this.worker.terminate();
    this.deathWaiters.clear();
  }
}

export interface ComputeClientEvents {
  /**
   * A worker died and was replaced; `restored` resolves once its data is back (or rejects). `hung`
   * is the watchdog's error when the worker was stopped for not answering a call of that stage.
   */
  onWorkerRestart?: (role: WorkerRole, cause: string, restored: Promise<void>, hung: WorkerHungError | null) => void;
  /** The optimal error curve changed (a new point, a restart from nothing, done); read `optimalProgress()`. */
  onOptimum?: () => void;
}

/** The optimal error curve as far as computed: index b − 1 for b = 1..mse.length. */
export interface OptimalProgress {
  mse: number[];
  sqnrDb: number[];
  /** Every width is computed (or the fill failed). */
  done: boolean;
  failed: boolean;
}

export class ComputeClient {
  /** The live worker of each role (absent until first used, or after it died). */
  private readonly handles: Partial<Record<WorkerRole, WorkerHandle>> = {};
  /** The load whose file the layers worker has open (or is opening): reopened after every new load. */
  private layersOpen: { load: LoadRequest; ready: Promise<void> } | null = null;
  /** Resolves when the background worker holds the current point set. */
  private backgroundReady: Promise<void> = Promise.resolve();
  /** The last successful load, replayed into a restarted interactive worker. */
  private lastLoad: LoadRequest | null = null;
  private lastTensor: string | null = null;
  private hasData = false;

  constructor(
    private readonly factory: WorkerFactory = defaultFactory,
    private readonly events: ComputeClientEvents = {},
  ) {}

  /** Points of the resident point set (the watchdog's budgets scale with it). */
  private points = 0;
  /** Test hook: a fixed watchdog budget (see `stall`); null = watchdogBudgetMs. */
  private budgetOverride: number | null = null;

  /** The watchdog of a call serving `stage` that may design at up to `bits` bits. */
  private watch(stage: StageName, bits: number): Watch {
    return { stage, budgetMs: this.budgetOverride ?? watchdogBudgetMs(this.points, bits) };
  }

  /** The worker of `role`, started on first use and after a death. */
  private worker(role: WorkerRole): WorkerHandle {
    const h = this.handles[role];
    if (h?.alive) return h;
    return (this.handles[role] = new WorkerHandle(role, this.factory, (d, cause, hung) =>
      this.handleDeath(d, cause, hung),
    ));
  }

  private handleDeath(handle: WorkerHandle, cause: string, hung: WorkerHungError | null): void {
    let restored: Promise<void>;
    delete this.handles[handle.role];
    if (handle.role === 'layers') {
      // Nothing to restore eagerly: the next row opens the file in a new worker.
      this.layersOpen = null;
      restored = Promise.resolve();
    } else if (handle.role === 'interactive') {
      // The new interactive worker has no optima: seed it again (the background worker has them cached).
      restored = this.hasData
        ? this.replayLoad().then(() => void this.fillOptima(++this.optimaTicket))
        : Promise.resolve();
    } else {
      restored = this.hasData ? this.syncBackground() : Promise.resolve();
    }
    restored.catch(() => undefined);
    this.events.onWorkerRestart?.(handle.role, cause, restored, hung);
  }

  private async replayLoad(): Promise<void> {
    const req = this.lastLoad;
    if (!req) return;
    const w = this.worker('interactive');
    await w.call((r) => runLoad(r, req));
    if (this.lastTensor !== null) {
      const tensor = this.lastTensor;
      await w.call((r) => r.selectTensor(tensor));
    }
  }

  /**
   * Copies the interactive worker's point set into the background worker (transfer both
   * ways), then has the background worker compute the optimum at every bit width and
   * seeds the interactive worker's cache with it, so a bits change never waits for the DP.
   */
  private syncBackground(): Promise<void> {
    const ready = (async () => {
      const t = await this.worker('interactive').call((r) => r.exportPointSet());
      await this.worker('background').call((r) =>
        r.importPointSet(Comlink.transfer(t, [t.x.buffer, t.w.buffer, t.s2.buffer])),
      );
    })();
    this.backgroundReady = ready.catch(() => undefined);
    const ticket = ++this.optimaTicket;
    this.optimal = { mse: [], sqnrDb: [], done: false, failed: false };
    this.events.onOptimum?.();
    ready.then(
      () => this.fillOptima(ticket),
      () => {
        // No point set in the background worker (a restart re-syncs with a new ticket): nothing will fill.
        if (ticket !== this.optimaTicket) return;
        this.optimal.failed = this.optimal.done = true;
        this.events.onOptimum?.();
      },
    );
    return ready;
  }

  private optimaTicket = 0;
  private optimal: OptimalProgress = { mse: [], sqnrDb: [], done: true, failed: false };

  /** The optimal error curve of the resident data so far (bits ascending from 1; a copy). */
  optimalProgress(): OptimalProgress {
    const o = this.optimal;
    return { mse: [...o.mse], sqnrDb: [...o.sqnrDb], done: o.done, failed: o.failed };
  }

  /**
   * The optimum at bits 1–8 in the background worker, in one call ahead of the background
   * requests that come after it (the exact optimum takes about a second for all eight widths
   * on a million distinct values, less than the curves and the sweep), seeded into the
   * interactive worker's cache, so a bits change never waits for it, and published as the
   * optimal error curve. Each width is designOptimal's own search: the report's `optimal`
   * levels equal the command line's to the last digit.
   */
  private async fillOptima(ticket: number): Promise<void> {
    try {
      // One base for the call, plus each width's share.
      const budgetMs =
        this.budgetOverride ??
        ALL_BITS.reduce((s, b) => s + watchdogBudgetMs(this.points, b) - WATCHDOG_BASE_MS, WATCHDOG_BASE_MS);
      const seeds = await this.worker('background').call((r) => r.optima([...ALL_BITS]), {
        stage: 'optimal',
        budgetMs,
      });
      if (ticket !== this.optimaTicket) return;
      for (const seed of seeds) {
        // By index: a refill after a worker restart rewrites the same values.
        this.optimal.mse[seed.bits - MIN_BITS] = seed.mse;
        this.optimal.sqnrDb[seed.bits - MIN_BITS] = seed.sqnrDb;
      }
      this.optimal.done = true;
      this.sweepRuns.moveSpeculative([0]);
      this.events.onOptimum?.();
      const buffers = seeds.flatMap((seed) => [seed.levels.buffer, seed.thresholds.buffer]);
      await this.worker('interactive').call((r) => r.seedOptima(Comlink.transfer(seeds, buffers)));
    } catch (e) {
      // A dead worker restarts the fill (syncBackground); anything else ends it here.
      if (ticket === this.optimaTicket && !(e instanceof WorkerDiedError)) {
        this.optimal.failed = this.optimal.done = true;
        this.events.onOptimum?.();
      }
    }
  }

  /** Starts designing neighbouring bit widths in the interactive worker (cancelled by the next report). */
  prefetch(params: Params): void {
    if (!this.handles.interactive?.alive) return;
    this.handles.interactive.call((r) => r.prefetch(params)).catch(() => undefined);
  }

  /**
   * Loads data into the interactive worker. On failure the previously loaded data
   * stays resident (the engine only commits a load that decoded) and the error is thrown.
   */
  async load(req: LoadRequest, onProgress?: ProgressCallback): Promise<LoadResult> {
    const progress = onProgress ? Comlink.proxy(onProgress) : undefined;
    const result = await this.worker('interactive').call((r) => runLoad(r, req, progress));
    this.points = result.pointSet.points;
    this.lastLoad = req;
    this.lastTensor = null;
    this.hasData = true;
    void this.syncBackground();
    return result;
  }

  async selectTensor(tensor: string, onProgress?: ProgressCallback): Promise<LoadResult> {
    const progress = onProgress ? Comlink.proxy(onProgress) : undefined;
    const result = await this.worker('interactive').call((r) => r.selectTensor(tensor, progress));
    this.points = result.pointSet.points;
    this.lastTensor = tensor;
    void this.syncBackground();
    return result;
  }

  report(params: Params, adcGridBits?: number): Promise<ReportResult> {
    this.lastReportAsk = performance.now();
    return this.worker('interactive').call((r) => r.report(params, adcGridBits), this.watch('report', params.bits));
  }

  /**
   * Per-layer batch view: one tensor of the open file designed at params.bits, one tensor per
   * call, in the layers worker. It opens the file the last load read on its first row after each
   * load: the uploaded Blob by handle, or a download's bytes as a Blob from the interactive worker.
   */
  async layerRow(tensor: string, params: Params): Promise<LayerRow> {
    const load = this.lastLoad;
    if (load === null || load.kind === 'generator') throw new Error('No multi-tensor file is open.');
    const worker = this.worker('layers');
    if (this.layersOpen === null || this.layersOpen.load !== load) this.layersOpen = this.openLayersFile(worker, load);
    await this.layersOpen.ready;
    return worker.call((r) => r.layerRow(tensor, params));
  }

  /** Opens the file of `load` in the layers worker; a failed open is forgotten, so the next row tries again. */
  private openLayersFile(worker: WorkerHandle, load: Exclude<LoadRequest, { kind: 'generator' }>) {
    const ready = (async () => {
      // A download lives in the interactive worker: it hands the bytes over as a Blob, never fetched twice.
      const source: LayersSource | null =
        load.kind === 'blob'
          ? { blob: load.blob, name: load.name, opts: load.opts }
          : await this.worker('interactive').call(async (r) => {
              const held = await r.sourceBlob();
              return held && { ...held, opts: load.opts };
            });
      if (source === null) throw new Error('No multi-tensor file is open.');
      await worker.call((r) => r.openForLayers(source));
    })();
    const open = { load, ready };
    ready.catch(() => {
      if (this.layersOpen === open) this.layersOpen = null;
    });
    return open;
  }

  histogram(req: HistogramRequest): Promise<HistogramData> {
    return this.worker('interactive').call((r) => r.histogram(req), this.watch('histogram', 0));
  }

  async curves(params: Params, methods: Method[]): Promise<CurveResult[]> {
    await this.backgroundReady;
    return this.worker('background').call((r) => r.curves(params, methods), this.watch('baseCurves', MAX_BITS));
  }

  /**
   * One method's error curve over bits 1–8, its widths shared by both workers: a BS-KMQ setting
   * change redesigns all eight widths, which in one worker is the longest wait after the change.
   * The interactive worker takes its share in one call (a round trip per width waited for the
   * main thread's rendering), starting with the width its report already designed. Each
   * worker's designs are then seeded into the other's cache (not waited for), so the interactive
   * prefetch of neighbouring bits finds them there. Given a request, each worker also returns
   * the reference variation (ADC view) of the designs its share just made, in the same reply:
   * one message and one redraw for both charts.
   */
  async splitCurve(
    params: Params,
    method: Method,
    variation: VariationRequest | null,
  ): Promise<{ curve: CurveResult; variation: VariationCurveResult | null }> {
    await this.backgroundReady;
    const { interactive, background } = splitWidths(params.bits);
    const bg = this.worker('background').call(
      (r) => r.curvePart(params, method, background, variation),
      this.watch('bsCurve', MAX_BITS),
    );
    const mine = this.worker('interactive').call(
      (r) => r.curvePart(params, method, interactive, variation),
      this.watch('bsCurve', MAX_BITS),
    );
    const seed = (to: WorkerHandle, part: CurvePart) =>
      void to.call((r) => r.seedDesigns(params, method, part.designs)).catch(() => undefined);
    const parts = await Promise.all([mine, bg]);
    seed(this.worker('background'), parts[0]);
    seed(this.worker('interactive'), parts[1]);
    const mse = new Array<number>(ALL_BITS.length);
    const sqnrDb = new Array<number>(ALL_BITS.length);
    for (const part of parts) {
      part.bits.forEach((b, i) => {
        mse[b - MIN_BITS] = part.mse[i];
        sqnrDb[b - MIN_BITS] = part.sqnrDb[i];
      });
    }
    const variationParts = parts.flatMap((p) => (p.variation ? [p.variation] : []));
    return { curve: { method, mse, sqnrDb }, variation: variation === null ? null : mergeVariation(variationParts) };
  }

  /** A copy of the loaded point set (the JSON export's ADC analysis runs over it on the main thread, once per export). */
  pointSetCopy(): Promise<PointSetTransfer> {
    return this.worker('interactive').call((r) => r.exportPointSet());
  }

  adcSnap(params: Params, gridBits: number): Promise<AdcSnapResult | null> {
    return this.worker('interactive').call((r) => r.adcSnap(params, gridBits), this.watch('adcSnap', params.bits));
  }

  /**
   * ADC view: reference variation of `params.methods` at bits 1–8 (slow; the background worker).
   * The pipeline leaves bskmq out: its variation comes with its error curve (`splitCurve`).
   */
  async variation(params: Params, req: VariationRequest): Promise<VariationCurveResult[]> {
    await this.backgroundReady;
    return this.worker('background').call((r) => r.variation(params, req), this.watch('variation', MAX_BITS));
  }

  private traceTicket = 0;

  /**
   * The step-through's traces (interactive worker, frames transferred). Latest wins: a call
   * overtaken by a newer one resolves to null instead of its now-stale result.
   */
  async trace(req: StepTraceRequest): Promise<StepTraceResult | null> {
    const ticket = ++this.traceTicket;
    const result = await this.worker('interactive').call((r) => r.trace(req));
    return ticket === this.traceTicket ? result : null;
  }

  /** The suppression sweep, its grid points shared by both workers (see sweepRuns.ts). */
  private readonly sweepRuns = new SweepRuns({
    point: async (worker, params, width) => {
      await this.backgroundReady;
      const handle = worker === 0 ? this.worker('background') : this.worker('interactive');
      return (await handle.call((r) => r.sweepPoints(params, [width]), this.watch('sweep', params.bits))).mse[0];
    },
    references: async (params) => {
      await this.backgroundReady;
      return this.worker('background').call((r) => r.sweepReferences(params), this.watch('sweep', params.bits));
    },
    quiet: () => this.slidersRest(),
  });

  /** When the last report was asked for: every parameter change asks for one. */
  private lastReportAsk = -Infinity;

  /**
   * Resolves once no report has been asked for in SLIDER_QUIET_MS: speculative work waits for it, so
   * on two cores it does not take CPU from the main thread while the page answers a slider.
   */
  private async slidersRest(): Promise<void> {
    for (;;) {
      const wait = this.lastReportAsk + SLIDER_QUIET_MS - performance.now();
      if (!(wait > 0)) return;
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  /**
   * The suppression sweep at params.bits; `speculative` for the precompute of other bit widths, which
   * gives way (rejecting with SweepAbandonedError) to a sweep the page asks for. While the optimal
   * curve fills (long DPs in the background worker) a speculative sweep takes the interactive worker,
   * which is otherwise idle then; once the fill is done, the background worker alone, so a slider's
   * report never queues behind a design nobody asked for.
   */
  sweep(params: Params, options: { speculative?: boolean } = {}): Promise<SweepResult> {
    const workers: (0 | 1)[] = this.optimal.done ? [0] : [1];
    return this.sweepRuns.sweep(params, { ...options, workers });
  }

  /**
   * Test hook: the next call of `method` in that worker never answers (it spins), and every
   * watched call is given `budgetMs`, so the watchdog's recovery can be exercised in seconds.
   */
  stall(role: WorkerRole, method: keyof EngineWorkerApi, budgetMs: number): Promise<void> {
    this.budgetOverride = budgetMs;
    return this.worker(role).remote.stallNext(method);
  }

  /** Test hook: makes a worker throw an uncaught error, as a crash would. */
  crash(role: WorkerRole = 'interactive'): void {
    void this.handles[role]?.remote.crash();
  }

  dispose(): void {
    for (const role of Object.keys(this.handles) as WorkerRole[]) {
      this.handles[role]?.terminate();
      delete this.handles[role];
    }
    this.layersOpen = null;
  }
}

function runLoad(
  r: Comlink.Remote<EngineWorkerApi>,
  req: LoadRequest,
  progress?: ProgressCallback,
): Promise<LoadResult> {
  switch (req.kind) {
    case 'generator':
      return r.loadGenerator(req.name, req.options);
    case 'blob':
      return r.loadBlob(req.blob, req.name, req.opts, progress);
    case 'url':
      return r.loadUrl(req.url, req.opts, progress);
  }
}
