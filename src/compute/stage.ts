/**
 * One stage of the compute pipeline: at most one request in flight, the newest
 * waiting request replaces any older waiting one (latest wins), and a result is
 * applied only if it is newer than the last one applied and still valid.
 */

export interface StageOptions<I, O> {
  name: string;
  run: (input: I) => Promise<O>;
  /** Applies a result; called only for results newer than the last applied one and still `valid`. */
  apply: (output: O, input: I) => void;
  /** Whether a result computed for `input` still belongs on screen (e.g. same data version). */
  valid?: (input: I) => boolean;
  onError: (error: unknown, input: I) => void;
  /**
   * Errors after which the same request is not run again until its input changes (a worker that
   * hung on it would hang again); after any other error the next request of the same key runs.
   */
  keepKeyOn?: (error: unknown) => boolean;
  onBusy?: (busy: boolean) => void;
  /** Wait this long after a request before running it, so a burst of slider input runs once. */
  debounceMs?: number;
  /**
   * With debounceMs: a request to an idle stage (nothing waiting or running) runs at once; only
   * requests that arrive while it is busy wait until the input has rested for debounceMs. So a
   * click or a key press costs no delay, and a slider drag (inputs every frame, each arriving
   * while the first one's run is still going) runs once at its start and once when it rests.
   */
  leading?: boolean;
  /**
   * Waited for before each run (e.g. the interactive report settling), so a background stage
   * never takes a core from the slider's live feedback; the newest request is run after it.
   */
  after?: () => Promise<void>;
  /** A result already known for `input` (a cache): applied at once, without running or going busy. */
  cached?: (input: I) => O | undefined;
}

export class Stage<I, O> {
  private key: string | null = null;
  private generation = 0;
  private appliedGeneration = 0;
  private inFlight = false;
  private pending: { gen: number; input: I } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private settledWaiters: (() => void)[] = [];

  constructor(private readonly opts: StageOptions<I, O>) {}

  get name(): string {
    return this.opts.name;
  }

  /** Asks for the stage's result for `input`, identified by `key`; a repeated key is a no-op. */
  request(key: string, input: I): void {
    if (key === this.key) return;
    this.key = key;
    const idle = this.timer === null && !this.inFlight && this.pending === null;
    const hit = this.opts.cached?.(input);
    if (hit !== undefined) {
      this.applyKnown(hit, input);
      return;
    }
    this.pending = { gen: ++this.generation, input };
    this.opts.onBusy?.(true);
    if (this.opts.leading && idle) void this.pump();
    else if (this.opts.debounceMs && this.opts.debounceMs > 0) {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.pump();
      }, this.opts.debounceMs);
    } else void this.pump();
  }

  /** Applies a cached result as the newest one: drops what waits; a running job's result will be stale. */
  private applyKnown(output: O, input: I): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
    const gen = ++this.generation;
    if (this.opts.valid?.(input) ?? true) {
      this.appliedGeneration = gen;
      this.opts.apply(output, input);
    }
    if (!this.inFlight) this.finish();
  }

  private finish(): void {
    this.opts.onBusy?.(false);
    const waiters = this.settledWaiters;
    this.settledWaiters = [];
    for (const w of waiters) w();
  }

  /** Forgets the last key so the next request runs even if unchanged (after a worker restart). */
  invalidate(): void {
    this.key = null;
  }

  /** True while a request is waiting or running. */
  get busy(): boolean {
    return this.inFlight || this.pending !== null;
  }

  /** Resolves once nothing is waiting or running. */
  settled(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  private async pump(): Promise<void> {
    if (this.inFlight || this.timer !== null) return;
    if (!this.pending) {
      this.finish(); // a timer that fired with nothing left to run: the stage is idle
      return;
    }
    this.inFlight = true;
    let job: { gen: number; input: I } | null = null;
    try {
      if (this.opts.after) await this.opts.after();
      // Taken after the wait: the newest request by then (null if a cached result replaced it).
      job = this.pending;
      this.pending = null;
      if (!job) return;
      // This is the newest request: a debounce timer still set for it has nothing left to run.
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      const output = await this.opts.run(job.input);
      if (job.gen > this.appliedGeneration && (this.opts.valid?.(job.input) ?? true)) {
        this.appliedGeneration = job.gen;
        this.opts.apply(output, job.input);
      }
    } catch (e) {
      // Errors of superseded requests are noise; only the newest request reports.
      if (job && job.gen === this.generation) {
        if (!this.opts.keepKeyOn?.(e)) this.key = null;
        this.opts.onError(e, job.input);
      }
    } finally {
      this.inFlight = false;
      if (this.pending) void this.pump();
      else if (this.timer === null) this.finish();
    }
  }
}
