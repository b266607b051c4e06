// @vitest-environment jsdom
/**
 * What a slider change costs the main thread: a stage starting or ending, or one worker result
 * arriving, must re-render only the views that show it (the redraw budget of a slider change). Chart renders
 * are counted through useContainerWidth, which every chart calls once per render; its ref then
 * names the chart by its test id.
 */
import { act, type ComponentType } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_PARAMS, type Method, type Params } from '../core/params';
import { buildExactPointSet } from '../core/pointset';
import { designReport, inputInfo } from '../core/report';
import { createRng, createNormal } from '../core/rng';
import { ComputeClient } from '../compute/client';
import { Pipeline } from '../compute/pipeline';
import { DEFAULT_GENERATOR, GENERATOR_SPECS } from '../compute/generatorCatalog';
import type { VariationCurveResult } from '../worker/adcEngine';
import { AppProvider, type AppServices } from '../state/context';
import { NetworkController } from '../network/controller';
import { NetworkProvider } from '../network/context';
import { createAppStore, type AppStore, type ResultsSlice } from '../state/store';
import { decodeUrlState, type CodecContext } from '../state/urlCodec';
import { HIST_DATA } from '../charts/testFixtures';
import { App } from '../App';
import { ChartsPanel } from './ChartsPanel';
import { AdcPanel } from './AdcPanel';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const counts = vi.hoisted(() => ({ chartRefs: [] as { current: HTMLElement | null }[], controls: 0 }));

vi.mock('../charts/useContainerWidth', async (importOriginal) => {
  const real = await importOriginal<typeof import('../charts/useContainerWidth')>();
  return {
    ...real,
    useContainerWidth: (fallback?: number) => {
      const out = real.useContainerWidth(fallback);
      counts.chartRefs.push(out[0]);
      return out;
    },
  };
});

vi.mock('./Controls', async (importOriginal) => {
  const real = await importOriginal<typeof import('./Controls')>();
  const { createElement } = await import('react');
  return {
    ...real,
    Controls: function CountedControls() {
      counts.controls++;
      return createElement(real.Controls);
    },
  };
});

/** Renders so far of the chart whose root carries `testId`. */
function rendersOf(testId: string): number {
  return counts.chartRefs.filter((r) => r.current?.dataset.testid === testId).length;
}

function rendersOfAll(testIds: string[]): Record<string, number> {
  return Object.fromEntries(testIds.map((id) => [id, rendersOf(id)]));
}

const CODEC: CodecContext = { generators: GENERATOR_SPECS, defaultGenerator: DEFAULT_GENERATOR };
const BITS = 3;

function makeStore(): AppStore {
  const decoded = decodeUrlState('', CODEC);
  const params = { ...DEFAULT_PARAMS, bits: BITS };
  return createAppStore({ params, source: decoded.source, display: decoded.display });
}

function servicesOf(store: AppStore): AppServices {
  const client = new ComputeClient(() => {
    throw new Error('no workers in this test');
  });
  return { store, pipeline: new Pipeline(store, client), codec: CODEC, generators: GENERATOR_SPECS };
}

/** Results as the workers would deliver them, for a small seeded data set. */
function loadResults(store: AppStore): void {
  const normal = createNormal(createRng(7));
  const values = Float64Array.from({ length: 600 }, () => Math.max(0, Math.min(6, 1.5 + normal())));
  const ps = buildExactPointSet(values);
  const params: Params = { ...store.getState().params };
  const input = inputInfo(ps, { file: null, tensor: null, shape: [values.length], dtype: 'float64' }, params);
  const report = designReport(ps, input, params, [BITS], () => 0);
  const k = 2 ** BITS;
  const occupancy: Partial<Record<Method, number[]>> = {};
  for (const r of report.results) occupancy[r.method as Method] = Array.from({ length: k }, () => 1 / k);
  const curve = (m: Method, f: number) => {
    const mse = Array.from({ length: 8 }, (_, i) => f * 4 ** -(i + 1));
    return { method: m, mse, sqnrDb: mse.map((v) => -10 * Math.log10(v)) };
  };
  const results: Partial<ResultsSlice> = {
    report,
    reportParams: params,
    bands: { L: 0, U: 6, low: [0, 0.12], high: [5.88, 6], lowWeight: 10, highWeight: 5 },
    occupancy,
    histogram: HIST_DATA,
    curves: [curve('linear', 3), curve('bskmq', 1.1), curve('optimal', 1)],
    sweep: {
      axis: 'band',
      x: [0, 0.02, 0.04],
      mse: [0.05, 0.04, 0.045],
      kmeansMse: 0.05,
      optimalMse: 0.03,
      bits: BITS,
    },
  };
  const pointSet = { mode: 'exact' as const, points: ps.x.length };
  store.getState().setData({ status: 'ready', input, dataVersion: 1, pointSet });
  store.getState().setResults(results);
}

function variationOf(methods: Method[], scale: number): VariationCurveResult[] {
  const bits = [1, 2, 3, 4, 5, 6, 7, 8];
  const at = (f: number) => bits.map((b) => f * scale * 4 ** -b);
  return methods.map((method) => ({
    method,
    bits,
    nominalMse: at(1),
    meanMse: at(1.2),
    q05Mse: at(1.1),
    q95Mse: at(1.4),
    sigmaAbs: at(0.01),
  })) as VariationCurveResult[];
}

let root: Root | null = null;
let host: HTMLElement | null = null;

async function mount(store: AppStore, View: ComponentType): Promise<HTMLElement> {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  const services = servicesOf(store);
  const network = new NetworkController(store, services.pipeline, () => {
    throw new Error('no workers in this test');
  });
  await act(async () =>
    root!.render(
      <AppProvider services={services}>
        <NetworkProvider controller={network}>
          <View />
        </NetworkProvider>
      </AppProvider>,
    ),
  );
  return host;
}

afterEach(async () => {
  if (root) await act(async () => root!.unmount());
  host?.remove();
  root = null;
  host = null;
  counts.chartRefs.length = 0;
  counts.controls = 0;
});

describe('re-renders after a slider change', () => {
  it('a stage starting and ending changes only the root status attributes and the busy indicator', async () => {
    const store = makeStore();
    store.getState().setData({ status: 'ready' });
    const page = await mount(store, App);
    const app = page.querySelector<HTMLElement>('.app')!;
    expect(app.dataset.state).toBe('ready');
    const controlsBefore = counts.controls;
    expect(controlsBefore).toBeGreaterThan(0);

    const mutations: MutationRecord[] = [];
    const observer = new MutationObserver((list) => mutations.push(...list));
    observer.observe(page, { subtree: true, attributes: true, childList: true, characterData: true });
    await act(async () => store.getState().setBusy('report', true));
    expect(app.dataset.state).toBe('busy');
    expect(app.dataset.busy).toBe('report');
    await act(async () => store.getState().setBusy('sweep', true));
    await act(async () => store.getState().setBusy('report', false));
    await act(async () => store.getState().setBusy('sweep', false));
    expect(app.dataset.state).toBe('ready');
    mutations.push(...observer.takeRecords());
    observer.disconnect();

    expect(counts.controls).toBe(controlsBefore);
    const busyIndicator = page.querySelector('[data-testid="busy"]')!;
    const elsewhere = mutations.filter((m) => {
      const el = m.target instanceof Element ? m.target : m.target.parentElement;
      return el !== app && el !== busyIndicator && !busyIndicator.contains(el);
    });
    expect(elsewhere.map((m) => `${m.type} ${m.attributeName ?? ''} on ${m.target.nodeName}`)).toEqual([]);
  });

  it('the charts panel re-renders only the chart whose result arrived', async () => {
    const store = makeStore();
    loadResults(store);
    await mount(store, ChartsPanel);
    const charts = ['chart.histogram', 'chart.transfer', 'chart.occupancy', 'chart.errorCurve', 'chart.sweep'];
    const first = rendersOfAll(charts);
    for (const id of charts) expect(first[id], id).toBeGreaterThan(0);

    const sweep = store.getState().results.sweep!;
    await act(async () => store.getState().setResults({ sweep: { ...sweep, mse: [0.05, 0.035, 0.045] } }));
    expect(rendersOfAll(charts)).toEqual({ ...first, 'chart.sweep': first['chart.sweep'] + 1 });

    const curves = store.getState().results.curves!;
    await act(async () => store.getState().setResults({ curves: curves.map((c) => ({ ...c })) }));
    expect(rendersOfAll(charts)).toEqual({
      ...first,
      'chart.sweep': first['chart.sweep'] + 1,
      'chart.errorCurve': first['chart.errorCurve'] + 1,
    });
  });

  it('bands of equal value in a new object do not redraw the histogram; moved bands do', async () => {
    const store = makeStore();
    loadResults(store);
    await mount(store, ChartsPanel);
    const before = rendersOf('chart.histogram');
    const bands = store.getState().results.bands!;
    await act(async () => store.getState().setResults({ bands: { ...bands, low: [0, 0.12], high: [5.88, 6] } }));
    expect(rendersOf('chart.histogram')).toBe(before);
    await act(async () => store.getState().setResults({ bands: { ...bands, low: [0, 0.3] } }));
    expect(rendersOf('chart.histogram')).toBe(before + 1);
    expect(document.querySelector('[data-testid="chart.histogram"] .band-low rect')).not.toBeNull();
  });

  it('the ADC panel redraws the variation chart, not the staircase, when the variation arrives', async () => {
    const store = makeStore();
    loadResults(store);
    await mount(store, AdcPanel);
    const staircase = rendersOf('chart.adcStaircase');
    expect(staircase).toBeGreaterThan(0);
    expect(rendersOf('chart.variation')).toBe(0);

    const methods = store.getState().results.report!.results.map((r) => r.method as Method);
    await act(async () => store.getState().setResults({ variation: variationOf(methods, 1) }));
    expect(rendersOf('chart.variation')).toBe(1);
    await act(async () => store.getState().setResults({ variation: variationOf(methods, 2) }));
    expect(rendersOf('chart.variation')).toBe(2);
    expect(rendersOf('chart.adcStaircase')).toBe(staircase);
  });
});
