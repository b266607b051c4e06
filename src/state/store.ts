/**
 * The app's one Zustand vanilla store, made of typed slices (docs/architecture.md):
 * params (core's Params), data (where the samples came from and what they are),
 * display (how results are drawn), results (what the workers computed), notices.
 *
 * Results are immutable references: a new result is a new object, so React
 * selectors re-render exactly the views whose data changed.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { DEFAULT_PARAMS, mergeParams, type Method, type Params } from '../core/params';
import type { Report, InputInfo } from '../core/report';
import type { RawReadOptions, TensorInfo } from '../core/formats';
import type { BandsResult, CurveResult, HistogramData, SweepResult } from '../worker/types';
import type { AdcSnapResult, VariationCurveResult } from '../worker/adcEngine';
import type { DataSource, Display, Notice, NoticeLevel } from './types';
import type { StageName } from '../compute/stages';
import { DEFAULT_DISPLAY } from './types';

export type DataStatus = 'idle' | 'loading' | 'ready' | 'awaiting-file' | 'error';

export interface DataSlice {
  source: DataSource;
  status: DataStatus;
  /** Bytes (or samples) done / total while a file loads; null when not loading. */
  progress: { done: number; total: number } | null;
  input: InputInfo | null;
  format: string | null;
  tensors: TensorInfo[];
  pointSet: { mode: 'exact' | 'binned'; points: number } | null;
  /** The worker's Lloyd kernel (WebAssembly, or TypeScript where WebAssembly is blocked); null before a load. */
  lloydKernel: 'wasm' | 'js' | null;
  /** Bumped on every successful load, so stages keyed on the data recompute. */
  dataVersion: number;
  /** How picked and dropped files are read: as headerless binary of this dtype and byte order when `on`. */
  rawRead: RawRead;
}

export type RawRead = { on: boolean } & RawReadOptions;
export const DEFAULT_RAW_READ: Readonly<RawRead> = Object.freeze({ on: false, dtype: 'float32', byteOrder: 'little' });

/**
 * What the results slice holds is exactly what the workers return (src/worker/types.ts):
 * BS-KMQ's bands as value ranges for shading (null when a band is empty), one method's
 * curve over bits 1–8 (index b − 1), and the suppression sweep.
 */
export type BandsView = BandsResult;
export type CurveSeries = CurveResult;
export type SweepView = SweepResult;

export interface ResultsSlice {
  /** core's designReport for the current data, params and params.bits. */
  report: Report | null;
  /** The params the report was computed for (a result always knows its inputs). */
  reportParams: Params | null;
  bands: BandsView | null;
  /** Share of samples per code, per method of the report. */
  occupancy: Partial<Record<Method, number[]>>;
  histogram: HistogramData | null;
  curves: CurveSeries[] | null;
  sweep: SweepView | null;
  /** ADC view: the focused quantizer's references snapped to the grid (display.adcGridBits). */
  adcSnap: AdcSnapResult | null;
  /** ADC view: reference variation of every method at bits 1–8. */
  variation: VariationCurveResult[] | null;
  /** Stages with a request in flight (for a subtle busy indicator and for getReport()). */
  busy: Partial<Record<StageName, boolean>>;
}

export type { StageName };

/** Whether any compute stage has a request in flight. */
export function anyStageBusy(s: AppState): boolean {
  return Object.values(s.results.busy).some(Boolean);
}

export interface AppState {
  params: Params;
  data: DataSlice;
  display: Display;
  results: ResultsSlice;
  notices: Notice[];
  /** Validates and applies long-named params (as a URL would); returns the issues. */
  setParams: (partial: Record<string, unknown>) => string[];
  replaceParams: (params: Params) => void;
  setDisplay: (partial: Partial<Display>) => void;
  setData: (partial: Partial<DataSlice>) => void;
  setResults: (partial: Partial<ResultsSlice>) => void;
  setBusy: (stage: StageName, busy: boolean) => void;
  notify: (level: NoticeLevel, text: string) => void;
  dismissNotice: (id: number) => void;
  clearNotices: () => void;
}

export type AppStore = StoreApi<AppState>;

export const EMPTY_RESULTS: ResultsSlice = Object.freeze({
  report: null,
  reportParams: null,
  bands: null,
  occupancy: {},
  histogram: null,
  curves: null,
  sweep: null,
  adcSnap: null,
  variation: null,
  busy: {},
}) as ResultsSlice;

/** At most this many notices are kept; older ones drop off. */
const MAX_NOTICES = 6;

export function createAppStore(init: { params?: Params; source: DataSource; display?: Display }): AppStore {
  let nextNoticeId = 1;
  return createStore<AppState>()((set, get) => ({
    params: init.params ?? { ...DEFAULT_PARAMS, methods: [...DEFAULT_PARAMS.methods] },
    data: {
      source: init.source,
      status: 'idle',
      progress: null,
      input: null,
      format: null,
      tensors: [],
      pointSet: null,
      lloydKernel: null,
      dataVersion: 0,
      rawRead: DEFAULT_RAW_READ,
    },
    display: init.display ?? { ...DEFAULT_DISPLAY },
    results: EMPTY_RESULTS,
    notices: [],
    setParams: (partial) => {
      const { params, issues } = mergeParams(get().params, partial);
      if (!sameParams(params, get().params)) set({ params });
      return issues.map((i) => i.message);
    },
    replaceParams: (params) => {
      if (!sameParams(params, get().params)) set({ params });
    },
    setDisplay: (partial) => set({ display: { ...get().display, ...partial } }),
    setData: (partial) => set({ data: { ...get().data, ...partial } }),
    setResults: (partial) => set({ results: { ...get().results, ...partial } }),
    setBusy: (stage, busy) => {
      const cur = get().results.busy;
      if (Boolean(cur[stage]) === busy) return;
      set({ results: { ...get().results, busy: { ...cur, [stage]: busy } } });
    },
    notify: (level, text) => {
      const notices = [...get().notices, { id: nextNoticeId++, level, text }];
      set({ notices: notices.slice(-MAX_NOTICES) });
    },
    dismissNotice: (id) => set({ notices: get().notices.filter((n) => n.id !== id) }),
    clearNotices: () => set({ notices: [] }),
  }));
}

/** Field-by-field equality of two parameter slices (methods compared as lists). */
export function sameParams(a: Params, b: Params): boolean {
  for (const key of Object.keys(a) as (keyof Params)[]) {
    if (key === 'methods') {
      if (a.methods.length !== b.methods.length || a.methods.some((m, i) => m !== b.methods[i])) return false;
    } else if (!Object.is(a[key], b[key])) return false;
  }
  return true;
}
