/**
 * Binds the store to the compute client: loads data sources, and turns state changes into stage
 * requests, recomputing only the stages whose inputs changed. The stages, what they read and what
 * they wait for are declared in stages.ts; this file holds how each one runs and where its result goes.
 */
import {
  BSKMQ_KEYS,
  MAX_BITS,
  METHODS,
  MIN_BITS,
  SHARED_DESIGN_KEYS,
  SWEEP_FIXED_KEYS,
  pickParams as pick,
  type Method,
  type Params,
} from '../core/params';
import type { AppStore } from '../state/store';
import { stageLabel, stageRow, type StageName } from './stages';
import { EMPTY_RESULTS } from '../state/store';
import type { DataSource, NoticeLevel } from '../state/types';
import { ComputeClient, WorkerDiedError, WorkerHungError, type LoadRequest } from './client';
import { Stage } from './stage';
import { LayersJob } from './layersJob';
import type {
  CurveResult,
  HistogramData,
  HistogramRequest,
  LoadResult,
  ReportResult,
  SweepResult,
} from '../worker/types';
import type { Report } from '../core/report';
import type { RawReadOptions } from '../core/formats';
import type { AdcSnapResult, VariationCurveResult, VariationRequest } from '../worker/adcEngine';

/** Exact points with at least this share of the samples are drawn as annotated spike bars. */
export const HISTOGRAM_SPIKE_SHARE = 0.01;
/** Hex digits of the SHA-256 a link carries for an uploaded file (64 bits). */
export const LINK_HASH_DIGITS = 16;
/** How long the input rests before a background stage runs the requests that came while it was busy (a drag). */
const BACKGROUND_DEBOUNCE_MS = 120;
/** Results kept per key in the bsCurve and sweep caches (main thread; small arrays). */
const RESULT_CACHE_ENTRIES = 64;

interface Versioned<T> {
  version: number;
  value: T;
}

/** A small insertion-ordered cache: the oldest entry goes first. */
class ResultCache<T> {
  private readonly map = new Map<string, T>();
  get(key: string): T | undefined {
    return this.map.get(key);
  }
  set(key: string, value: T): void {
    this.map.delete(key);
    if (this.map.size >= RESULT_CACHE_ENTRIES) this.map.delete(this.map.keys().next().value as string);
    this.map.set(key, value);
  }
  clear(): void {
    this.map.clear();
  }
}

/** The sweep's inputs other than bits (see the module comment), with the data version. */
function sweepBaseKey(v: number, p: Params): string {
  const swept = p.suppressMode === 'band' ? [p.pctLow, p.pctHigh] : [p.bandLow, p.bandHigh];
  return JSON.stringify([v, pick(p, SHARED_DESIGN_KEYS), pick(p, SWEEP_FIXED_KEYS), swept]);
}

function adcSnapKey(v: number, p: Params, gridBits: number): string {
  return JSON.stringify([v, p, gridBits]);
}

function bsCurveKey(v: number, p: Params, req: VariationRequest): string {
  const hasBs = p.methods.includes('bskmq');
  return JSON.stringify([v, hasBs, hasBs ? [pick(p, SHARED_DESIGN_KEYS), pick(p, BSKMQ_KEYS), req] : null]);
}

/** The bsCurve stage's input: the parameters and the ADC view's variation request. */
interface BsCurveInput {
  params: Params;
  req: VariationRequest;
}

/** The bsCurve stage's output: the bskmq error curve and its reference variation (empty without bskmq). */
interface BsCurveOutput {
  curves: CurveResult[];
  variation: VariationCurveResult[];
}

const byMethodOrder = (a: { method: Method }, b: { method: Method }) =>
  METHODS.indexOf(a.method) - METHODS.indexOf(b.method);

export class Pipeline {
  readonly client: ComputeClient;
  /** The per-layer batch view of a multi-tensor file (its own small store; see layersJob.ts). */
  readonly layers: LayersJob;
  private dataVersion = 0;
  private loadChain: Promise<unknown> = Promise.resolve();
  private loadTicket = 0;
  private readonly stages: {
    report: Stage<Versioned<Params>, ReportResult>;
    histogram: Stage<Versioned<HistogramRequest>, HistogramData>;
    baseCurves: Stage<Versioned<{ params: Params; methods: Method[] }>, CurveResult[]>;
    bsCurve: Stage<Versioned<BsCurveInput>, BsCurveOutput>;
    sweep: Stage<Versioned<Params>, SweepResult>;
    adcSnap: Stage<Versioned<{ params: Params; gridBits: number }>, AdcSnapResult | null>;
    variation: Stage<Versioned<{ params: Params; req: VariationRequest }>, VariationCurveResult[]>;
  };
  private baseCurves: CurveResult[] = [];
  private bsCurve: BsCurveOutput = { curves: [], variation: [] };
  /** The variation of the methods other than bskmq (the variation stage); null until computed. */
  private baseVariation: VariationCurveResult[] | null = null;
  private readonly bsCurveCache = new ResultCache<BsCurveOutput>();
  private readonly sweepCache = new ResultCache<SweepResult>();
  /** The snap the last applied report brought, under the adcSnap stage's key for it. */
  private reportSnap: { key: string; result: AdcSnapResult | null } | null = null;
  /** The report key last requested: when it changes the report runs, and brings the snap. */
  private lastReportKey: string | null = null;
  /** Resolved when the optimal curve is complete (see precomputeSweeps). */
  private readonly optimalWaiters: (() => void)[] = [];
  /** Whether the published curves include the optimal one (toggling it needs no stage). */
  private optimalShown = true;
  /** The sweep base key being precomputed for every bits (null = none). */
  private precomputing: string | null = null;
  private unsubscribe: (() => void) | null = null;
  /** The "choose that file" notice of a link to an uploaded file, dismissed once a file loads. */
  private awaitingNotice: number | null = null;
  /** The file a link the user opened asks for; a picked file is checked against it, never against our own URL. */
  private linkedFile: { name: string; sha256: string | null } | null = null;
  /** Notices about the loaded data (a link's file, a hash mismatch, a load error): dismissed when the data change. */
  private dataNotices: number[] = [];

  constructor(
    private readonly store: AppStore,
    client?: ComputeClient,
  ) {
    this.client =
      client ??
      new ComputeClient(undefined, {
        onOptimum: () => this.optimumProgress(),
        onWorkerRestart: (role, cause, restored, hung) => {
          const kept = hung ? ' The other results stay.' : '';
          this.store
            .getState()
            .notify(
              'error',
              `The ${role} compute worker stopped (${cause}); restarting it and re-sending the data.${kept}`,
            );
          restored.then(
            () => {
              // The layers worker serves the layers batch alone; the other two serve every stage. The
              // stage the worker hung on is not asked again until its input changes.
              if (role !== 'layers')
                for (const s of Object.values(this.stages)) if (s.name !== hung?.stage) s.invalidate();
              this.layers.invalidate();
              this.schedule();
            },
            (e) => this.store.getState().notify('error', `Could not restart the compute worker: ${messageOf(e)}`),
          );
        },
      });
    this.layers = new LayersJob((tensor, params) => this.client.layerRow(tensor, params));
    const valid = (i: { version: number }) => i.version === this.dataVersion;
    /** What a stage takes from its row in stages.ts: debouncing and the stages it waits for. */
    const common = (name: Exclude<StageName, 'optimal'>) => {
      const row = stageRow(name);
      const waits = row.after.map((a) =>
        a === 'optimal' ? () => this.optimalDone() : () => this.stages[a as keyof Pipeline['stages']].settled(),
      );
      return {
        name,
        valid,
        onBusy: (b: boolean) => this.store.getState().setBusy(name, b),
        onError: (e: unknown) => this.reportError(name, e),
        keepKeyOn: (e: unknown) => e instanceof WorkerHungError,
        ...(row.background ? { debounceMs: BACKGROUND_DEBOUNCE_MS, leading: true } : {}),
        ...(waits.length ? { after: () => Promise.all(waits.map((w) => w())).then(() => undefined) } : {}),
      };
    };
    this.stages = {
      report: new Stage<Versioned<Params>, ReportResult>({
        ...common('report'),
        run: (i) => this.client.report(i.value, this.store.getState().display.adcGridBits),
        apply: (out, i) => {
          const s = this.store.getState();
          // The snap of this report's focused design, applied in the same task (one redraw), unless the
          // focus or the grid has changed since: the adcSnap stage was asked for that one.
          if (out.snap && i.value.focus === s.params.focus && out.snap.gridBits === s.display.adcGridBits) {
            const key = adcSnapKey(i.version, i.value, out.snap.gridBits);
            this.reportSnap = { key, result: out.snap.result };
            this.stages.adcSnap.request(key, {
              version: i.version,
              value: { params: i.value, gridBits: out.snap.gridBits },
            });
          }
          s.setResults({ report: out.report, reportParams: i.value, bands: out.bands, occupancy: out.occupancy });
          // After a BS-KMQ change the curve designs every bskmq width in both workers and then hands each
          // worker the other's designs: a prefetch started before that would design them a second time.
          void this.stages.bsCurve.settled().then(() => {
            if (this.store.getState().results.reportParams === i.value) this.client.prefetch(i.value);
          });
        },
      }),
      histogram: new Stage<Versioned<HistogramRequest>, HistogramData>({
        ...common('histogram'),
        run: (i) => this.client.histogram(i.value),
        apply: (out) => this.store.getState().setResults({ histogram: out }),
      }),
      baseCurves: new Stage<Versioned<{ params: Params; methods: Method[] }>, CurveResult[]>({
        ...common('baseCurves'),
        run: (i) =>
          i.value.methods.length ? this.client.curves(i.value.params, i.value.methods) : Promise.resolve([]),
        apply: (out) => {
          this.baseCurves = out;
          this.publishCurves();
        },
      }),
      bsCurve: new Stage<Versioned<BsCurveInput>, BsCurveOutput>({
        ...common('bsCurve'),
        cached: (i) => this.bsCurveCache.get(bsCurveKey(i.version, i.value.params, i.value.req)),
        run: async (i) => {
          const { params, req } = i.value;
          let out: BsCurveOutput = { curves: [], variation: [] };
          if (params.methods.includes('bskmq')) {
            const { curve, variation } = await this.client.splitCurve(params, 'bskmq', req);
            out = { curves: [curve], variation: variation ? [variation] : [] };
          }
          this.bsCurveCache.set(bsCurveKey(i.version, params, req), out);
          return out;
        },
        apply: (out) => {
          this.bsCurve = out;
          this.publishCurves();
          this.publishVariation();
        },
      }),
      sweep: new Stage<Versioned<Params>, SweepResult>({
        ...common('sweep'),
        cached: (i) => this.sweepCache.get(JSON.stringify([sweepBaseKey(i.version, i.value), i.value.bits])),
        run: async (i) => {
          const out = await this.client.sweep(i.value);
          this.sweepCache.set(JSON.stringify([sweepBaseKey(i.version, i.value), i.value.bits]), out);
          return out;
        },
        apply: (out, i) => {
          this.store.getState().setResults({ sweep: out });
          void this.precomputeSweeps(i.version, i.value);
        },
      }),
      adcSnap: new Stage<Versioned<{ params: Params; gridBits: number }>, AdcSnapResult | null>({
        ...common('adcSnap'),
        cached: (i) => {
          const known = this.reportSnap;
          return known && known.key === adcSnapKey(i.version, i.value.params, i.value.gridBits)
            ? known.result
            : undefined;
        },
        run: (i) => this.client.adcSnap(i.value.params, i.value.gridBits),
        apply: (out) => this.store.getState().setResults({ adcSnap: out }),
      }),
      variation: new Stage<Versioned<{ params: Params; req: VariationRequest }>, VariationCurveResult[]>({
        ...common('variation'),
        run: async (i) => (i.value.params.methods.length ? this.client.variation(i.value.params, i.value.req) : []),
        apply: (out) => {
          this.baseVariation = out;
          this.publishVariation();
        },
      }),
    };
  }

  /** Starts following the store and loads its data source. */
  start(): void {
    this.unsubscribe = this.store.subscribe((s, prev) => {
      if (s.params !== prev.params || s.display !== prev.display || s.data.dataVersion !== prev.data.dataVersion)
        this.schedule();
    });
    void this.loadSource(this.store.getState().data.source);
  }

  stop(): void {
    this.unsubscribe?.();
    this.layers.invalidate();
    this.client.dispose();
  }

  /**
   * The sweep at every other bits for the sweep inputs of `p`, nearest bits first, one call at a
   * time and only while the requested background stages rest; each is speculative (client.sweep), so a
   * sweep the page asks for takes over at once. Stops when the data or the sweep inputs change.
   */
  private async precomputeSweeps(v: number, p: Params): Promise<void> {
    const base = sweepBaseKey(v, p);
    if (this.precomputing === base) return;
    this.precomputing = base;
    const order: number[] = [];
    for (let d = 1; d <= MAX_BITS - MIN_BITS; d++) {
      for (const b of [p.bits + d, p.bits - d]) if (b >= MIN_BITS && b <= MAX_BITS) order.push(b);
    }
    const current = () => this.precomputing === base && v === this.dataVersion;
    for (const bits of order) {
      // Not the variation stage: it waits for the optimal curve, while the precompute runs beside the
      // optimal fill (in the interactive worker alone until the fill is done; see client.sweep).
      const { baseCurves, bsCurve, sweep } = this.stages;
      await Promise.all([baseCurves.settled(), bsCurve.settled(), sweep.settled()]);
      const key = JSON.stringify([base, bits]);
      if (!current()) return;
      if (this.sweepCache.get(key)) continue;
      try {
        const out = await this.client.sweep({ ...p, bits }, { speculative: true });
        if (!current()) return;
        this.sweepCache.set(key, out);
      } catch {
        // Given up for a sweep the page asked for, or failed: a missed speed-up only (the stage reports
        // real failures). The next sweep the stage applies starts the precompute again.
        break;
      }
    }
    if (this.precomputing === base) this.precomputing = null;
  }

  /** Resolves once the optimal error curve of the resident data is complete. */
  private async optimalDone(): Promise<void> {
    while (!this.client.optimalProgress().done) await new Promise<void>((r) => this.optimalWaiters.push(r));
  }

  /** A new point (or a restart) of the optimal error curve from the client. */
  private optimumProgress(): void {
    const done = this.client.optimalProgress().done;
    this.store.getState().setBusy('optimal', this.dataVersion > 0 && !done);
    if (done) for (const w of this.optimalWaiters.splice(0)) w();
    if (this.dataVersion > 0) this.publishCurves();
  }

  private publishCurves(): void {
    const optimal: CurveResult[] = [];
    if (this.store.getState().params.methods.includes('optimal') && this.dataVersion > 0) {
      const o = this.client.optimalProgress();
      optimal.push({ method: 'optimal', mse: o.mse, sqnrDb: o.sqnrDb });
    }
    const all = [...this.baseCurves, ...optimal, ...this.bsCurve.curves];
    this.store.getState().setResults({ curves: all.sort(byMethodOrder) });
  }

  /** The ADC view's variation chart: the other methods' curves (once computed) with bskmq's. */
  private publishVariation(): void {
    if (this.baseVariation === null) return;
    this.store
      .getState()
      .setResults({ variation: [...this.baseVariation, ...this.bsCurve.variation].sort(byMethodOrder) });
  }

  private reportError(stage: StageName, e: unknown): void {
    if (e instanceof WorkerDiedError) return; // the restart handler reports it and reschedules
    this.store.getState().notify('error', `Computing the ${stageLabel(stage)} failed: ${messageOf(e)}`);
  }

  /** Requests every stage whose key changed. */
  schedule(): void {
    const s = this.store.getState();
    if (this.dataVersion === 0) return;
    const v = this.dataVersion;
    const p = s.params;
    const { focus: _focus, ...reportInputs } = p;
    const reportKey = JSON.stringify([v, reportInputs]);
    const reportRuns = reportKey !== this.lastReportKey;
    this.lastReportKey = reportKey;
    this.stages.report.request(reportKey, { version: v, value: p });
    // A report brings its snap; otherwise (focus, grid) the snap is asked for on its own, before the curves.
    if (!reportRuns) {
      this.stages.adcSnap.request(adcSnapKey(v, p, s.display.adcGridBits), {
        version: v,
        value: { params: p, gridBits: s.display.adcGridBits },
      });
    }
    this.requestLayers(JSON.stringify(reportInputs));
    const hreq: HistogramRequest = {
      bins: s.display.binCount,
      domain: s.display.zoom,
      spikeShare: HISTOGRAM_SPIKE_SHARE,
    };
    this.stages.histogram.request(JSON.stringify([v, hreq]), { version: v, value: hreq });
    const baseMethods = p.methods.filter((m) => m !== 'bskmq' && m !== 'optimal');
    if (p.methods.includes('optimal') !== this.optimalShown) {
      this.optimalShown = p.methods.includes('optimal');
      if (s.results.curves) this.publishCurves();
    }
    this.stages.baseCurves.request(JSON.stringify([v, baseMethods, pick(p, SHARED_DESIGN_KEYS)]), {
      version: v,
      value: { params: p, methods: baseMethods },
    });
    const d = s.display;
    const req: VariationRequest = { sigma: d.adcSigma, sigmaOf: d.adcSigmaOf, trials: d.adcTrials };
    this.stages.bsCurve.request(bsCurveKey(v, p, req), { version: v, value: { params: p, req } });
    this.stages.sweep.request(JSON.stringify([sweepBaseKey(v, p), p.bits]), { version: v, value: p });
    const others = p.methods.filter((m) => m !== 'bskmq');
    this.stages.variation.request(JSON.stringify([v, others, pick(p, SHARED_DESIGN_KEYS), req]), {
      version: v,
      value: { params: { ...p, methods: others }, req },
    });
  }

  /**
   * The layers view of the loaded file: every tensor at the current params (focus aside).
   * Keyed on the file and its tensor list, not on the data version, so focusing another
   * tensor of the same file keeps the batch.
   */
  private requestLayers(paramsKey: string): void {
    const { source, tensors, format } = this.store.getState().data;
    const file = source.kind === 'generator' ? null : source.kind === 'url' ? source.url : [source.name, source.sha256];
    const dataKey = JSON.stringify([file, format, tensors.map((t) => [t.name, t.shape, t.dtype])]);
    this.layers.request(
      dataKey,
      paramsKey,
      tensors.map((t) => t.name),
      this.store.getState().params,
    );
  }

  /**
   * Resolves once the data is loaded and the report for the current parameters is on
   * screen: null without data. A report whose key ignores a parameter (focus) is
   * recomputed once so its `params` are the current ones.
   */
  async settledReport(): Promise<Report | null> {
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.loadChain;
      await this.stages.report.settled();
      const s = this.store.getState();
      if (this.dataVersion === 0) return null;
      if (s.results.reportParams === s.params) return s.results.report;
      this.stages.report.invalidate();
      this.schedule();
    }
    return this.store.getState().results.report;
  }

  /** Resolves once every stage is idle. */
  async settledAll(): Promise<void> {
    await this.loadChain;
    await Promise.all(Object.values(this.stages).map((s) => s.settled()));
  }

  /** Loads a data source; a file source without its File asks the user for it. */
  loadSource(source: DataSource): Promise<void> {
    const st = this.store.getState();
    switch (source.kind) {
      case 'generator':
        return this.runLoad({ kind: 'generator', name: source.name, options: source.options }, source);
      case 'url':
        return this.loadRemote(source);
      case 'file': {
        const cur = st.data.source;
        const sameFile =
          cur.kind === 'file' && cur.name === source.name && cur.sha256 === source.sha256 && this.dataVersion > 0;
        if (sameFile && source.tensor !== null && source.tensor !== cur.tensor) return this.selectTensor(source.tensor);
        if (sameFile) return Promise.resolve();
        const known = this.knownFiles.get(fileKey(source.name, source.sha256));
        if (known) {
          const raw = this.knownRaw.get(fileKey(source.name, source.sha256));
          const opts = { tensor: source.tensor, hash: true, ...(raw ? { raw } : {}) };
          return this.runLoad({ kind: 'blob', blob: known, name: source.name, opts }, source);
        }
        st.setData({ source, status: this.dataVersion > 0 ? st.data.status : 'awaiting-file' });
        const hash = source.sha256 ? ` (SHA-256 ${source.sha256}…)` : '';
        st.notify(
          'info',
          `This link was made with the file "${source.name}"${hash}. Choose or drop that file to reproduce the view.`,
        );
        this.awaitingNotice = this.store.getState().notices.at(-1)?.id ?? null;
        this.linkedFile = { name: source.name, sha256: source.sha256 };
        if (this.dataVersion === 0) st.setData({ status: 'awaiting-file' });
        return Promise.resolve();
      }
    }
  }

  /**
   * Asked before a `?src=` URL is fetched (true = fetch); absent = fetch without asking.
   * On false `remoteDeclined` runs instead and the data already loaded stays.
   */
  askRemote?: (url: string) => Promise<boolean>;
  remoteDeclined?: (source: Extract<DataSource, { kind: 'url' }>) => void;

  private async loadRemote(source: Extract<DataSource, { kind: 'url' }>): Promise<void> {
    const ticket = this.loadTicket;
    if (this.askRemote && !(await this.askRemote(source.url))) {
      // A load started while the question was open has replaced this one.
      if (ticket === this.loadTicket) this.remoteDeclined?.(source);
      return;
    }
    if (ticket !== this.loadTicket) return;
    return this.runLoad({ kind: 'url', url: source.url, opts: { tensor: source.tensor, hash: true } }, source);
  }

  /** Files loaded in this page, by name and hash, so Back/Forward to an earlier upload reloads it without asking. */
  private readonly knownFiles = new Map<string, File>();
  /** The raw-binary options a known file was read with (absent = recognised by its format). */
  private readonly knownRaw = new Map<string, RawReadOptions>();

  /** The file behind the loaded data and how it was read (for src/persist); null for generators and URLs. */
  loadedBlob: {
    blob: Blob;
    name: string;
    raw: RawReadOptions | null;
    sha256: string | null;
  } | null = null;

  /**
   * Makes a file source with this name and link hash load `file` without asking (a file restored from storage);
   * a file read as raw binary also brings back the data panel's raw-read choice.
   */
  rememberFile(file: File, linkSha: string | null, raw: RawReadOptions | null): void {
    const key = fileKey(file.name, linkSha);
    this.knownFiles.set(key, file);
    if (raw) {
      this.knownRaw.set(key, raw);
      this.store.getState().setData({ rawRead: { on: true, ...raw } });
    } else this.knownRaw.delete(key);
  }

  /** Drops the remembered files ("Forget this data"): a file source asks for its file again. */
  forgetFiles(): void {
    this.knownFiles.clear();
    this.knownRaw.clear();
  }

  /** How picked and dropped files are read (the store's `data.rawRead`): raw binary, or null = recognise the format. */
  private rawRead(): RawReadOptions | null {
    const { on, dtype, byteOrder } = this.store.getState().data.rawRead;
    return on ? { dtype, byteOrder } : null;
  }

  /** Loads a file the user picked or dropped; checks it against the link's hash if one is awaited. */
  loadFile(file: File): Promise<void> {
    const current = this.store.getState().data.source;
    const tensor = current.kind === 'file' && current.name === file.name ? current.tensor : null;
    const expected = this.linkedFile;
    const source: DataSource = { kind: 'file', name: file.name, sha256: null, tensor };
    const raw = this.rawRead();
    const opts = { tensor, hash: true, ...(raw ? { raw } : {}) };
    return this.runLoad({ kind: 'blob', blob: file, name: file.name, opts }, source, (result) => {
      this.knownFiles.set(fileKey(file.name, result.sha256?.slice(0, LINK_HASH_DIGITS) ?? null), file);
      if (opts.raw) this.knownRaw.set(fileKey(file.name, result.sha256?.slice(0, LINK_HASH_DIGITS) ?? null), opts.raw);
      if (expected?.sha256 && result.sha256 && !result.sha256.startsWith(expected.sha256)) {
        this.notifyData(
          'warning',
          `"${file.name}" is not the file the link was made with ("${expected.name}"): its SHA-256 starts ` +
            `${result.sha256.slice(0, LINK_HASH_DIGITS)}, the link's ${expected.sha256}. Its levels may differ from the linked view.`,
        );
      }
    });
  }

  /** Switches to another tensor of the loaded file. */
  selectTensor(tensor: string): Promise<void> {
    const st = this.store.getState();
    const source = st.data.source;
    if (source.kind === 'generator') return Promise.resolve();
    return this.enqueue(async (ticket) => {
      st.setData({ status: 'loading', progress: null });
      try {
        const result = await this.client.selectTensor(tensor, (done, total) => this.progress(ticket, done, total));
        if (ticket !== this.loadTicket) return;
        this.commit({ ...source, tensor: result.tensor }, result);
      } catch (e) {
        this.loadFailed(e);
      }
    });
  }

  private enqueue(job: (ticket: number) => Promise<void>): Promise<void> {
    const ticket = ++this.loadTicket;
    const run = this.loadChain.then(() => (ticket === this.loadTicket ? job(ticket) : undefined));
    this.loadChain = run.catch(() => undefined);
    return run;
  }

  private progress(ticket: number, done: number, total: number): void {
    if (ticket === this.loadTicket) this.store.getState().setData({ progress: { done, total } });
  }

  private runLoad(req: LoadRequest, source: DataSource, check?: (r: LoadResult) => void): Promise<void> {
    return this.enqueue(async (ticket) => {
      this.store.getState().setData({ status: 'loading', progress: null });
      try {
        const result = await this.client.load(req, (done, total) => this.progress(ticket, done, total));
        if (ticket !== this.loadTicket) return;
        let committed = source;
        if (source.kind === 'file')
          committed = {
            ...source,
            sha256: result.sha256?.slice(0, LINK_HASH_DIGITS) ?? null,
            tensor: result.tensors.length > 1 ? result.tensor : null,
          };
        else if (source.kind === 'url')
          committed = { ...source, tensor: result.tensors.length > 1 ? result.tensor : null };
        this.loadedBlob =
          req.kind === 'blob'
            ? { blob: req.blob, name: req.name, raw: req.opts.raw ?? null, sha256: result.sha256 }
            : null;
        this.commit(committed, result);
        check?.(result);
      } catch (e) {
        this.loadFailed(e);
      }
    });
  }

  private commit(source: DataSource, result: LoadResult): void {
    if (this.awaitingNotice !== null) {
      this.store.getState().dismissNotice(this.awaitingNotice);
      this.awaitingNotice = null;
    }
    const st0 = this.store.getState();
    for (const id of this.dataNotices) st0.dismissNotice(id);
    this.dataNotices = [];
    this.linkedFile = null;
    this.dataVersion++;
    this.baseCurves = [];
    this.bsCurve = { curves: [], variation: [] };
    this.baseVariation = null;
    this.reportSnap = null;
    this.lastReportKey = null;
    this.bsCurveCache.clear();
    this.sweepCache.clear();
    this.precomputing = null;
    for (const s of Object.values(this.stages)) s.invalidate();
    const st = this.store.getState();
    st.setResults({ ...EMPTY_RESULTS, busy: st.results.busy });
    st.setData({
      source,
      status: 'ready',
      progress: null,
      input: result.input,
      format: result.format,
      tensors: result.tensors,
      pointSet: result.pointSet,
      lloydKernel: result.lloydKernel,
      dataVersion: this.dataVersion,
    });
    for (const note of result.notes ?? []) st.notify('info', note);
    this.optimumProgress();
  }

  private loadFailed(e: unknown): void {
    const st = this.store.getState();
    st.setData({ status: this.dataVersion > 0 ? 'ready' : 'error', progress: null });
    const message = messageOf(e);
    // Parse messages end without a full stop; the sentence appended here needs one before it.
    const sentence = /[.!?]$/.test(message) ? message : `${message}.`;
    this.notifyData('error', this.dataVersion > 0 ? `${sentence} The data loaded before is still shown.` : message);
  }

  private notifyData(level: NoticeLevel, text: string): void {
    const st = this.store.getState();
    st.notify(level, text);
    const id = this.store.getState().notices.at(-1)?.id;
    if (id !== undefined) this.dataNotices.push(id);
  }
}

function fileKey(name: string, sha: string | null): string {
  return `${name}|${sha ?? ''}`;
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
