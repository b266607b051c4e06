/**
 * The compute engine that lives inside each worker: it holds the resident point set
 * of the loaded tensor and answers every stage of the pipeline from it.
 *
 * Pure module (no Comlink, no DOM): the worker file is a thin shell over it and the
 * unit tests call it directly. Samples never leave the engine; only small results
 * (a report, a histogram, curves) and, on request, the point set's arrays do.
 */
import { buildPointSet, pointSetFromArrays, lowerBound, type PointSet } from '../core/pointset';
import {
  DEFAULT_PARAMS,
  MAX_BITS,
  METHODS,
  MIN_BITS,
  focusedAmong,
  magnitudeIssue,
  type Method,
  type Params,
} from '../core/params';

import { resolveBoundaries } from '../core/boundaries';
import { computeBands } from '../core/suppression';
import { designReport, inputInfo, type Report } from '../core/report';
import { ReportCache, type DesignSeed, type OptimumSeed } from './cachedReport';
import { openFile, bytesSource, type ByteSource, type OpenedFile } from '../core/formats';
import { generate, resolveGeneratorOptions, type GeneratorName } from '../core/generators';
import { errorCurves, sweepPoint, sweepReferences as coreSweepReferences, sweepWidths } from '../core/curves';
import { sweptParams } from '../core/curves';
import { designLayer, type LayerRow } from './layersEngine';
import { stepTrace, type StepTraceRequest, type StepTraceResult } from './traceEngine';
import { TrialNormals } from '../core/adc';
import { lloydKernelName } from '../core/wasm/lloydKernel';
import {
  adcSnap,
  variationCurves,
  VARIATION_BITS,
  type AdcSnapResult,
  type VariationCurveResult,
  type VariationRequest,
} from './adcEngine';
import type {
  BandsResult,
  CurveResult,
  HistogramData,
  HistogramRequest,
  LoadOptions,
  LoadResult,
  PointSetTransfer,
  ProgressCallback,
  ReportResult,
  SweepResult,
} from './types';

/** Files up to this size are hashed (SHA-256) for links; larger ones are linked by name only. */
export const HASH_LIMIT = 1024 * 1024 * 1024;
/** `?src=` downloads larger than this are refused. */
export const DOWNLOAD_LIMIT = 1024 * 1024 * 1024;

/** A problem the user should read (bad file, refused download): its message is shown as is. */
export class UserFacingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserFacingError';
  }
}

export interface Engine {
  loadGenerator(name: string, options: Record<string, number>): Promise<LoadResult>;
  loadBlob(blob: Blob, name: string, opts?: LoadOptions, onProgress?: ProgressCallback): Promise<LoadResult>;
  loadUrl(url: string, opts?: LoadOptions, onProgress?: ProgressCallback): Promise<LoadResult>;
  /** Switches to another tensor of the open file. */
  selectTensor(tensor: string, onProgress?: ProgressCallback): Promise<LoadResult>;
  /**
   * The open file as a Blob, for the layers worker: the uploaded Blob itself, or the downloaded bytes
   * of a `?src=` load wrapped once (so the file is never fetched twice). Null without an open file.
   */
  sourceBlob(): { blob: Blob; name: string } | null;
  /**
   * Opens a file for the per-layer batch view only (the layers worker): its tensors are listed but
   * none is decoded, and any loaded data is dropped. Returns the number of tensors.
   */
  openForLayers(source: LayersSource): Promise<number>;
  /** Per-layer batch view: one tensor of the open file at params.bits, decoded for this call only. */
  layerRow(tensor: string, params: Params): Promise<LayerRow>;
  /** Copies of the point set's arrays (the worker shell transfers them). */
  exportPointSet(): PointSetTransfer;
  importPointSet(t: PointSetTransfer): LoadResult['pointSet'];
  hasData(): boolean;
  /** The report at params.bits; given an ADC grid, with the focused design's snap to it (`adcSnap`). */
  report(params: Params, adcGridBits?: number): ReportResult;
  histogram(req: HistogramRequest): HistogramData;
  curves(params: Params, methods: readonly Method[]): CurveResult[];
  /**
   * One method's error curve at some bit widths only (the two workers share a curve's widths),
   * with its designs for the other worker's cache (`seedDesigns`), and, given a request, its
   * reference variation at those widths from the same designs (each trial is seeded by its index
   * alone, so parts from two workers merge into the whole curve of `variation`).
   */
  curvePart(params: Params, method: Method, bitsList: number[], variation?: VariationRequest | null): CurvePart;
  seedDesigns(params: Params, method: Method, seeds: DesignSeed[]): number;
  sweep(params: Params): SweepResult;
  /** MSE of the sweep's points at these widths (of `sweepWidths(sweptParams(params))`), for sharing a sweep between workers. */
  sweepPoints(params: Params, widths: readonly number[]): { x: number[]; mse: number[] };
  /** The sweep's reference lines at params.bits: K-means and the optimum, from the design cache. */
  sweepReferences(params: Params): { kmeansMse: number; optimalMse: number };
  /** The optimal quantizer at each bits (for the other worker's cache). */
  optima(bitsList: number[]): OptimumSeed[];
  seedOptima(seeds: OptimumSeed[]): number;
  /**
   * Designs, in the background and one design per task, what a change of bits would
   * need next (nearest bit widths first), so moving the bits slider finds its designs
   * cached. The optimum is left out: one DP at 8 bits can take most of a second, which
   * would delay the next request; the background worker computes the optima and
   * seeds them here (`seedOptima`). A report call cancels a running prefetch.
   */
  prefetch(params: Params): Promise<number>;
  /** The K-means family's step-through (seeding and every Lloyd update; BS-KMQ also without suppression). */
  trace(req: StepTraceRequest): StepTraceResult;
  /**
   * The focused quantizer of the report at `params` (`focusedAmong` its methods), its references
   * snapped to a grid of 2^R unit steps (ADC view); null when that design has non-finite values.
   * It takes the report's design from the cache, so it needs no report on the main thread first.
   */
  adcSnap(params: Params, gridBits: number): AdcSnapResult | null;
  /** Reference-variation Monte Carlo of every method at bits 1–8 (ADC view), designs from the cache. */
  variation(params: Params, req: VariationRequest): VariationCurveResult[];
}

/** The file a layers worker opens: the Blob the interactive worker reads (`sourceBlob`), by handle. */
export interface LayersSource {
  blob: Blob;
  name: string;
  opts: LoadOptions;
}

/** Error-curve values of one method at `bits` (aligned arrays), and the designs behind them. */
export interface CurvePart {
  bits: number[];
  mse: number[];
  sqnrDb: number[];
  designs: DesignSeed[];
  /** The method's reference variation at `bits` when the call asked for it, else null. */
  variation: VariationCurveResult | null;
}

/** Where the samples came from, as the report's `input` names it. */
export interface SourceInfo {
  file: string | null;
  tensor: string | null;
  shape: number[];
  dtype: string;
}

interface Loaded {
  ps: PointSet;
  source: SourceInfo;
  cache: ReportCache;
  /** ADC variation curves of the methods other than bskmq, by their inputs (see `variation`). */
  variationMemo: Map<string, VariationCurveResult[]>;
}

/** A ByteSource over a Blob (a File from the picker or drag and drop): reads slices on demand. */
export function blobSource(blob: Blob, name: string): ByteSource {
  return {
    name,
    size: blob.size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
    },
  };
}

async function sha256Hex(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const digest = await crypto.subtle.digest('SHA-256', view as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The last path segment of a URL, for naming a downloaded file. */
export function fileNameOfUrl(url: string): string {
  try {
    const path = new URL(url, 'http://localhost/').pathname;
    const last = decodeURIComponent(path.split('/').filter(Boolean).pop() ?? '');
    return last || 'download';
  } catch {
    return 'download';
  }
}

/** Downloads `url` into memory, refusing more than `limit` bytes; errors name the URL and the cause. */
export async function download(url: string, limit: number, onProgress?: ProgressCallback): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { mode: 'cors', credentials: 'omit' });
  } catch (e) {
    throw new UserFacingError(
      `Could not download ${url}: the server did not answer or refused the request ` +
        `(network error, blocked by the page's security policy, or no CORS permission). ${errorText(e)}`,
    );
  }
  if (!response.ok) {
    throw new UserFacingError(
      `Could not download ${url}: the server answered ${response.status} ${response.statusText}.`,
    );
  }
  const type = response.headers.get('content-type') ?? '';
  if (/^text\/html\b/i.test(type)) {
    throw new UserFacingError(
      `Could not download ${url}: the server answered with a web page, not a data file (wrong address?).`,
    );
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    throw new UserFacingError(
      `Could not download ${url}: ${formatBytes(declared)} is over the ${formatBytes(limit)} limit.`,
    );
  }
  const total = Number.isFinite(declared) ? declared : 0;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.length;
    if (received > limit) {
      await reader.cancel();
      throw new UserFacingError(`Could not download ${url}: more than the ${formatBytes(limit)} limit.`);
    }
    chunks.push(value);
    onProgress?.(received, total);
  }
  const out = new Uint8Array(received);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** "Could not read NAME: why", without repeating NAME when the parser's message already starts with it. */
function readError(name: string, e: unknown): UserFacingError {
  const why = errorText(e);
  return new UserFacingError(why.startsWith(name) ? `Could not read ${why}` : `Could not read ${name}: ${why}`);
}

export function createEngine(now: () => number = () => Date.now()): Engine {
  let loaded: Loaded | null = null;
  let opened: OpenedFile | null = null;
  let openedSha: string | null = null;
  /** What `opened` reads: the uploaded Blob, or the downloaded bytes (wrapped in a Blob once `sourceBlob` asks). */
  let openedOrigin: Blob | Uint8Array | null = null;
  /** Bumped by every call, so a running prefetch stops at its next step. */
  let epoch = 0;
  /** The Monte Carlo's normal draws, kept across variation calls (they depend on the seed alone). */
  let normals: TrialNormals | null = null;
  const normalsFor = (seed: number) => (normals?.seed === seed ? normals : (normals = new TrialNormals(seed)));

  function focusedSnap(params: Params, gridBits: number): AdcSnapResult | null {
    const { ps, cache } = need();
    const method = focusedAmong(
      params.methods.map((m) => ({ method: m })),
      params.focus,
    )?.method;
    if (method === undefined) return null;
    const q = cache.quantizer(method, params.bits, params, now);
    const levels = Array.from(q.levels);
    const thresholds = Array.from(q.thresholds);
    if (![...levels, ...thresholds].every(Number.isFinite)) return null;
    const { L, U } = resolveBoundaries(ps, params);
    return adcSnap(ps, { quantizer: { method, bits: params.bits, levels, thresholds }, L, U, gridBits });
  }

  function sweepPoints(params: Params, widths: readonly number[]): { x: number[]; mse: number[] } {
    const { ps } = need();
    const swept = sweptParams(params);
    return { x: [...widths], mse: widths.map((g) => sweepPoint(ps, swept, params.bits, g).mse) };
  }

  function sweepReferences(params: Params): { kmeansMse: number; optimalMse: number } {
    const { ps, cache } = need();
    return coreSweepReferences(ps, sweptParams(params), params.bits, cache.source(now));
  }

  function need(): Loaded {
    if (!loaded) throw new UserFacingError('No data is loaded.');
    return loaded;
  }

  function pointSetSummary(ps: PointSet): LoadResult['pointSet'] {
    return { mode: ps.mode, points: ps.x.length };
  }

  async function loadTensor(
    file: OpenedFile,
    tensor: string | null | undefined,
    onProgress?: ProgressCallback,
  ): Promise<LoadResult> {
    const name = tensor ?? undefined;
    if (name !== undefined && !file.tensors.some((t) => t.name === name)) {
      throw new UserFacingError(
        `${file.file} has no tensor "${name}"; it has ${file.tensors.map((t) => t.name).join(', ') || 'none'}.`,
      );
    }
    let ps: PointSet;
    let info: { name: string; shape: number[]; dtype: string; count: number };
    if (file.shouldStream(name)) {
      const r = await file.stream(name, { onProgress });
      ps = r.pointSet;
      info = r.info;
    } else {
      const decoded = await file.decode(name);
      ps = buildPointSet(decoded.data);
      info = decoded;
    }
    const tooLarge = ps.n > 0 ? magnitudeIssue(ps) : null;
    if (tooLarge)
      throw new UserFacingError(`Could not use ${file.file}${info.name ? ` (${info.name})` : ''}: ${tooLarge}.`);
    const source: SourceInfo = {
      file: file.file,
      tensor: info.name || null,
      shape: [...info.shape],
      dtype: info.dtype,
    };
    loaded = { ps, source, cache: new ReportCache(ps), variationMemo: new Map() };
    return {
      input: inputInfo(ps, source, DEFAULT_PARAMS),
      format: file.format,
      tensors: file.tensors.map((t) => ({ name: t.name, shape: [...t.shape], dtype: t.dtype, count: t.count })),
      tensor: info.name ?? null,
      pointSet: pointSetSummary(ps),
      lloydKernel: lloydKernelName(),
      sha256: openedSha,
      notes: [...file.notes],
    };
  }

  async function loadSource(
    source: ByteSource,
    origin: Blob | Uint8Array,
    opts: LoadOptions,
    hashOf: () => Promise<string | null>,
    onProgress?: ProgressCallback,
  ) {
    let file: OpenedFile;
    try {
      file = await openFile(source, opts.raw ? { raw: opts.raw } : undefined);
    } catch (e) {
      throw readError(source.name, e);
    }
    // Hash while decoding: crypto.subtle works off the worker's thread.
    const sha = opts.hash ? hashOf().catch(() => null) : Promise.resolve(null);
    // Commit the new file only once it decodes: a bad file leaves the loaded data usable.
    const prev = { loaded, opened, openedSha, openedOrigin };
    opened = file;
    openedSha = null;
    openedOrigin = origin;
    try {
      const result = await loadTensor(file, opts.tensor, onProgress);
      openedSha = await sha;
      return { ...result, sha256: openedSha };
    } catch (e) {
      ({ loaded, opened, openedSha, openedOrigin } = prev);
      if (e instanceof UserFacingError) throw e;
      throw readError(source.name, e);
    }
  }

  return {
    async loadGenerator(name, options) {
      let samples: Float32Array;
      try {
        samples = generate(name as GeneratorName, resolveGeneratorOptions(name, options));
      } catch (e) {
        throw new UserFacingError(`Could not generate ${name} data: ${errorText(e)}`);
      }
      const ps = buildPointSet(samples);
      const source: SourceInfo = { file: null, tensor: null, shape: [samples.length], dtype: 'float32' };
      loaded = { ps, source, cache: new ReportCache(ps), variationMemo: new Map() };
      opened = null;
      openedSha = null;
      openedOrigin = null;
      return {
        input: inputInfo(ps, source, DEFAULT_PARAMS),
        format: 'generator',
        tensors: [],
        tensor: null,
        pointSet: pointSetSummary(ps),
        lloydKernel: lloydKernelName(),
        sha256: null,
      };
    },

    async loadBlob(blob, name, opts = {}, onProgress) {
      const hashOf = async () => (blob.size <= HASH_LIMIT ? sha256Hex(await blob.arrayBuffer()) : null);
      return loadSource(blobSource(blob, name), blob, opts, hashOf, onProgress);
    },

    async loadUrl(url, opts = {}, onProgress) {
      const bytes = await download(url, DOWNLOAD_LIMIT, onProgress);
      return loadSource(bytesSource(fileNameOfUrl(url), bytes), bytes, opts, () => sha256Hex(bytes), onProgress);
    },

    async selectTensor(tensor, onProgress) {
      if (!opened) throw new UserFacingError('The loaded data has no other tensors.');
      const prev = loaded;
      try {
        return await loadTensor(opened, tensor, onProgress);
      } catch (e) {
        loaded = prev;
        if (e instanceof UserFacingError) throw e;
        throw new UserFacingError(`Could not read tensor "${tensor}" of ${opened.file}: ${errorText(e)}`);
      }
    },

    sourceBlob() {
      if (!opened || !openedOrigin) return null;
      if (!(openedOrigin instanceof Blob)) openedOrigin = new Blob([openedOrigin as Uint8Array<ArrayBuffer>]);
      return { blob: openedOrigin, name: opened.file };
    },

    async openForLayers(req) {
      const source = blobSource(req.blob, req.name);
      try {
        opened = await openFile(source, req.opts.raw ? { raw: req.opts.raw } : undefined);
      } catch (e) {
        throw readError(source.name, e);
      }
      loaded = null;
      openedSha = null;
      openedOrigin = req.blob;
      return opened.tensors.length;
    },

    async layerRow(tensor, params) {
      if (!opened) throw new UserFacingError('No multi-tensor file is open.');
      return designLayer(opened, tensor, params, now);
    },

    exportPointSet() {
      const { ps, source } = need();
      return {
        mode: ps.mode,
        x: ps.x.slice(),
        w: ps.w.slice(),
        s2: ps.s2.slice(),
        nonFinite: ps.nonFinite,
        min: ps.min,
        max: ps.max,
        source,
      };
    },

    importPointSet(t) {
      const ps = pointSetFromArrays(t.mode, t.x, t.w, t.s2, { nonFinite: t.nonFinite, min: t.min, max: t.max });
      loaded = { ps, source: t.source, cache: new ReportCache(ps), variationMemo: new Map() };
      opened = null;
      openedOrigin = null;
      return pointSetSummary(ps);
    },

    hasData() {
      return loaded !== null;
    },

    report(params, adcGridBits) {
      epoch++;
      const { ps, source, cache } = need();
      const occupancy: ReportResult['occupancy'] = {};
      const report = designReport(
        ps,
        inputInfo(ps, source, params),
        params,
        [params.bits],
        cache.source(now),
        (method, _bits, m) => {
          occupancy[method] = Array.from(m.occupancy);
        },
      );
      const { L, U } = resolveBoundaries(ps, params);
      const bands = computeBands(ps, params, L, U);
      const bandsView: BandsResult = {
        L,
        U,
        // The bands contract marks an empty band by a cut outside [L, U].
        low: bands.lowCut >= L ? [L, bands.lowCut] : null,
        high: bands.highCut <= U ? [bands.highCut, U] : null,
        lowWeight: bands.lowWeight,
        highWeight: bands.highWeight,
      };
      if (adcGridBits === undefined) return { report, bands: bandsView, occupancy };
      return {
        report,
        bands: bandsView,
        occupancy,
        snap: { gridBits: adcGridBits, result: focusedSnap(params, adcGridBits) },
      };
    },

    histogram(req) {
      return histogramOf(need().ps, req);
    },

    optima(bitsList) {
      return need().cache.optima(bitsList, now);
    },

    seedOptima(seeds) {
      return loaded ? loaded.cache.seedOptima(seeds) : 0;
    },

    async prefetch(params) {
      const mine = ++epoch;
      const target = loaded;
      if (!target) return 0;
      const order: number[] = [];
      for (let d = 1; d <= MAX_BITS - MIN_BITS; d++) {
        for (const b of [params.bits + d, params.bits - d]) if (b >= MIN_BITS && b <= MAX_BITS) order.push(b);
      }
      const methods = params.methods.filter((m) => m !== 'optimal');
      const jobs: [Method, number][] = [];
      for (const b of order) for (const m of methods) jobs.push([m, b]);
      let done = 0;
      for (const [method, bits] of jobs) {
        if (target.cache.has(method, bits, params)) continue;
        // Yield first, so a waiting request is served before each design.
        await new Promise((r) => setTimeout(r, 0));
        if (mine !== epoch || loaded !== target) return done;
        target.cache.warm(method, bits, params, now);
        done++;
      }
      return done;
    },

    adcSnap: focusedSnap,

    variation(params, req) {
      const l = need();
      const { ps, cache } = l;
      const bounds = resolveBoundaries(ps, params);
      // The report's designs, from the cache (the optimum's too: the variation stage runs once the optimal curve is done).
      const designs = (p: Params) => p.methods.flatMap((m) => VARIATION_BITS.map((b) => cache.quantizer(m, b, p, now)));
      const run = (p: Params) => variationCurves(ps, p, bounds, req, designs(p), normalsFor(p.seed));
      // Each method's curve is computed on its own (core's referenceVariationCurves), so the methods
      // a BS-KMQ setting cannot change are kept: a band change recomputes the bskmq curve alone.
      const others = params.methods.filter((m) => m !== 'bskmq');
      const key = JSON.stringify([others, params.seed, params.restarts, params.low, params.high, req]);
      let base = l.variationMemo.get(key);
      if (!base) {
        base = others.length ? run({ ...params, methods: others }) : [];
        if (l.variationMemo.size >= 16) l.variationMemo.clear();
        l.variationMemo.set(key, base);
      }
      const bs = params.methods.includes('bskmq') ? run({ ...params, methods: ['bskmq'] }) : [];
      const order = (m: Method) => METHODS.indexOf(m);
      return [...base, ...bs].sort((a, b) => order(a.method) - order(b.method));
    },

    trace(req) {
      // No epoch bump: the prefetch yields between designs, so this call is served promptly
      // anyway, and cancelling it here left the neighbouring bit widths undesigned after every
      // step-through refresh (the next bits change then designed every method itself).
      return stepTrace(need().ps, req);
    },

    curves(params, methods) {
      // core's errorCurves, with the designs taken from (and left in) the cache that the
      // report, the sweep's references and the ADC variation read: each design runs once.
      const { ps, cache } = need();
      return errorCurves(ps, params, methods, cache.source(now)).curves.map(({ method, mse, sqnrDb }) => ({
        method,
        mse,
        sqnrDb,
      }));
    },

    curvePart(params, method, bitsList, variation = null) {
      const { ps, cache } = need();
      const [{ mse, sqnrDb }] = errorCurves(ps, params, [method], cache.source(now), bitsList).curves;
      const designs = method === 'optimal' ? [] : cache.designSeeds(method, bitsList, params, now);
      let part: VariationCurveResult | null = null;
      if (variation !== null) {
        // The designs just made, from the cache: no report, so no optimum is needed (it can take seconds on exact data).
        const designsHere = bitsList.map((b) => cache.quantizer(method, b, params, now));
        part =
          variationCurves(
            ps,
            params,
            resolveBoundaries(ps, params),
            variation,
            designsHere,
            normalsFor(params.seed),
          )[0] ?? null;
      }
      return { bits: [...bitsList], mse, sqnrDb, designs, variation: part };
    },

    seedDesigns(params, method, seeds) {
      return loaded ? loaded.cache.seedDesigns(method, params, seeds) : 0;
    },

    sweep(params) {
      const { x, mse } = sweepPoints(params, sweepWidths(sweptParams(params)));
      return { axis: params.suppressMode, x, mse, ...sweepReferences(params), bits: params.bits };
    },

    sweepPoints,
    sweepReferences,
  };
}

/** A spike is one value repeated at least this often (a tiny file's distinct values are not spikes). */
export const MIN_SPIKE_COUNT = 10;

/**
 * Histogram of a point set over `domain` with `bins` equal bins. Exact points holding at
 * least `spikeShare` of all samples (and MIN_SPIKE_COUNT samples) are returned as spikes instead of being binned, so a
 * ReLU zero does not flatten every other bar. Binned points fall in the bin of their mean
 * (the point set's bins are far finer than any displayed bin).
 */
export function histogramOf(ps: PointSet, req: HistogramRequest): HistogramData {
  const bins = Math.max(1, Math.floor(req.bins));
  let [a, b] = req.domain ?? [ps.min, ps.max];
  if (!(Number.isFinite(a) && Number.isFinite(b))) return { edges: [0, 1], counts: [0], total: ps.n, spikes: [] };
  if (b <= a) {
    // A constant tensor: give the single value a unit-wide range so it is drawable.
    a -= 0.5;
    b += 0.5;
  }
  const width = (b - a) / bins;
  const edges = new Array<number>(bins + 1);
  for (let i = 0; i <= bins; i++) edges[i] = a + i * width;
  edges[bins] = b;
  const counts = new Array<number>(bins).fill(0);
  const spikes: HistogramData['spikes'] = [];
  const n = ps.n;
  const first = lowerBound(ps, a);
  for (let i = first; i < ps.x.length; i++) {
    const x = ps.x[i];
    if (x > b) break;
    const w = ps.w[i];
    if (ps.s2[i] === 0 && n > 0 && w >= MIN_SPIKE_COUNT && w / n >= req.spikeShare) {
      spikes.push({ value: x, count: w, share: w / n });
      continue;
    }
    let bin = Math.floor((x - a) / width);
    if (bin >= bins) bin = bins - 1;
    if (bin < 0) bin = 0;
    counts[bin] += w;
  }
  return { edges, counts, total: n, spikes };
}

export type { Report };
