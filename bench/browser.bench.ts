/**
 * `npm run bench:browser`: the interactive targets of the README's Benchmarks table, measured in Debian's
 * Chromium against the built app (`vite build`, then `vite preview` on its own port).
 *
 * - Latency from a bits change and from a band change to the views updated, on 1 M and
 *   16 M samples (the ReLU6 generator, `?g.n=`). Two end points per change, both taken
 *   after the next frame: `report` = the report stage's results are rendered (histogram
 *   levels, transfer, occupancy, table, error-curve marker), read from the root's
 *   `data-busy` no longer listing `report`; `all` = every stage settled and rendered
 *   (`data-state="ready"`), which includes the debounced background stages (sweep, curves).
 *   Bits changes are split into `cold` (a bits value not designed before on this data)
 *   and `warm` (revisited: the worker's design cache answers).
 * - Load time of a 64 MiB `.npy` (16 M float32) through the file input: from the input's
 *   `change` event to the data loaded (`data-state` leaves `loading`), and to all views ready.
 * - Longest main-thread task (PerformanceObserver 'longtask') while the bits and the band
 *   sliders are dragged with the mouse on 16 M samples, and while the 64 MiB file loads.
 * - Layers batch (`layersBatch`): a seeded `.safetensors` of 6 × 1 M ReLU6 float32 tensors is
 *   uploaded, so the layers view designs every tensor after each change (one worker call per
 *   tensor). A bits change made about 400 ms after another one, while that change's batch runs,
 *   is timed against the same change made once the batch is done (`whileRunning` vs `idle`).
 *
 * - Network panel (bench/network.browser.ts): the demo network's accuracy table after a bits change, its whole
 *   1–8-bit curve, and the capture of a 10 MB model with 256 inputs.
 * - Exact 1 M (`exact1M`): a seeded 1 M-sample float32 `.npy` of ReLU-Gaussian values (an exact point
 *   set of about 0.5 M points, as a dumped layer) uploaded through the file input: from the input's
 *   `change` event to the report (with `vsOptimal`) rendered, to the optimum's error curve complete
 *   (the `optimal` stage done at every width) and to every view ready; then the bits and band
 *   changes as above on that tensor.
 *
 * Writes bench/results/browser.json and prints a table. Targets: p95 ≤ 50 ms at 16 M
 * samples; load ≤ 1 s; no task over 50 ms. Exits 0 either way (it measures; it does not gate).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { generate } from '../src/core/generators';
import { measureNetwork, printNetwork } from './network.browser';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const PORT = Number(process.env.BENCH_PORT ?? 4189);
const BASE = `http://127.0.0.1:${PORT}`;
/**
 * `--quick`: 16 M samples only, 10 samples per change, no file load and no layers batch (a few
 * minutes less on a shared machine). `--layers`: the layers batch scenario alone (writes
 * browser-layers.json). `--network`: the Network panel's scenarios alone (writes browser-network.json). `--sizes=1M,16M` picks the sizes. BENCH_DIST builds into another folder
 * (parallel runs).
 */
const QUICK = process.argv.includes('--quick');
const ONLY_NETWORK = process.argv.includes('--network');
const ONLY_LAYERS = process.argv.includes('--layers') && !ONLY_NETWORK;
/** `--exact1m`: the uploaded 1 M exact-sample scenario alone (writes browser-exact1m.json). */
const ONLY_EXACT = process.argv.includes('--exact1m');
const EXACT_SAMPLES = 1_000_000;
/** Target for the optimum's curve and vsOptimal after opening 1 M exact samples. */
const TARGET_EXACT_OPEN_MS = 2000;
const SIZES_ARG = process.argv
  .find((a) => a.startsWith('--sizes='))
  ?.slice('--sizes='.length)
  .split(',');
const SIZES = [
  { label: '1M', n: 1_000_000 },
  { label: '16M', n: 16_777_216 },
].filter(
  (s) =>
    !ONLY_LAYERS &&
    !ONLY_NETWORK &&
    !ONLY_EXACT &&
    (SIZES_ARG ? SIZES_ARG.includes(s.label) : !QUICK || s.label === '16M'),
);
const DIST = process.env.BENCH_DIST ?? 'dist';
const BAND_SAMPLES = Number(process.env.BENCH_SAMPLES ?? (QUICK ? 10 : 20));
const WARM_BITS_SAMPLES = BAND_SAMPLES;
const COLD_BITS = [4, 5, 2, 6, 1, 7];
const TARGET_P95_MS = 50;
const TARGET_LOAD_MS = 1000;
const TARGET_TASK_MS = 50;
const STEP_TIMEOUT_MS = 120_000;
/** Opening 1 M exact samples finishes its background stages in about 80 s on an idle 2-core machine. */
const OPEN_TIMEOUT_MS = 600_000;
/** The layers batch file: tensors × samples of ReLU6 float32 (seeded). */
const LAYERS_TENSORS = 6;
const LAYERS_SAMPLES = 1_000_000;
/** Measured pairs of changes (one while a batch runs, one after it is done). */
const LAYERS_ROUNDS = Number(process.env.BENCH_LAYERS_ROUNDS ?? 12);
/** The change that starts a batch, and the timed change that follows it (both widths designed before). */
const LAYERS_TRIGGER_BITS = 3;
const LAYERS_MEASURED_BITS = 4;
/** How long after the triggering change the timed one comes: past the 150 ms debounce, mid-batch. */
const LAYERS_DELAY_MS = 400;

/**
 * In-page helpers, installed before the app's scripts run. Plain JavaScript text, so the
 * TypeScript runner's transforms never reach the page.
 */
const PAGE_HELPERS = `
(() => {
  const longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { /* not supported: reported as null below */ }
  const appRoot = () => document.querySelector('#root > .app');
  const afterFrame = () => new Promise((resolve) => requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve(performance.now());
    ch.port2.postMessage(0);
  }));
  /** Resolves once pred(root) holds (checked now and on every change of the root's hooks). */
  const until = (pred) => new Promise((resolve) => {
    const el = appRoot();
    if (el && pred(el)) { resolve(); return; }
    const obs = new MutationObserver(() => {
      const r = appRoot();
      if (r && pred(r)) { obs.disconnect(); resolve(); }
    });
    obs.observe(document.getElementById('root'), { attributes: true, subtree: true, attributeFilter: ['data-state', 'data-busy'] });
  });
  /** performance.now() after the next frame once pred(root) holds. */
  const when = (pred) => until(pred).then(afterFrame);
  const busyWith = (r, stage) => (r.getAttribute('data-busy') || '').split(' ').includes(stage);
  const setRange = (testId, value) => {
    const input = document.querySelector('[data-testid="' + testId + '"]');
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    setter.call(input, String(value));
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };
  /** When each stage last finished (ms since navigation), to see which stage an open waits for. */
  const stageDone = {};
  let busyBefore = [];
  new MutationObserver(() => {
    const r = appRoot();
    if (!r) return;
    const now = (r.getAttribute('data-busy') || '').split(' ').filter(Boolean);
    for (const s of busyBefore) if (!now.includes(s)) stageDone[s] = Math.round(performance.now());
    busyBefore = now;
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-busy'] });
  window.__bench = {
    stageDone,
    longTasks,
    supported: PerformanceObserver.supportedEntryTypes.includes('longtask'),
    /** One change of a slider, timed to the report's views and to every view. */
    async change(testId, value) {
      const el = appRoot();
      if (el.getAttribute('data-state') !== 'ready') throw new Error('not ready before the change: ' + el.getAttribute('data-state'));
      const t0 = performance.now();
      for (const k of Object.keys(stageDone)) delete stageDone[k];
      setRange(testId, value);
      // First see the report stage start (React commits the busy flag a microtask later),
      // then finish; likewise the whole page leave and regain "ready".
      const report = until((r) => busyWith(r, 'report')).then(() => when((r) => !busyWith(r, 'report')));
      const all = until((r) => r.getAttribute('data-state') !== 'ready').then(() => when((r) => r.getAttribute('data-state') === 'ready'));
      const out = { report: (await report) - t0, all: (await all) - t0 };
      // When each stage this change ran finished, ms after the change (which one the page waited for last).
      const stages = {};
      for (const [k, v] of Object.entries(stageDone)) stages[k] = Math.round(v - t0);
      return { ...out, stages };
    },
    /** Marks the file input's change event, then resolves when the data is loaded and when every view is ready. */
    armLoad() {
      const input = document.querySelector('[data-testid="data.file"]');
      window.__load = new Promise((resolve) => {
        input.addEventListener('change', () => {
          const t0 = performance.now();
          const first = longTasks.length;
          const loaded = when((r) => { const s = r.getAttribute('data-state'); return s !== 'loading' && s !== 'ready'; })
            .then((t) => t - t0);
          // 'busy' right after the load only; fall back to 'ready' if every stage was instant.
          const ready = loaded.then(() => when((r) => r.getAttribute('data-state') === 'ready')).then((t) => t - t0);
          Promise.all([loaded, ready]).then(([l, r]) => resolve({
            loadedMs: l, readyMs: r,
            longestTaskMs: Math.max(0, ...longTasks.slice(first).map((x) => x.duration)),
          }));
        }, { once: true, capture: true });
      });
    },
    ready: () => when((r) => r.getAttribute('data-state') === 'ready'),
    /**
     * Marks the file input's change event, then resolves once every view is ready with, in ms
     * after the change: the data loaded, and when the report (vsOptimal included) and the
     * optimum's error curve last finished.
     */
    armOpen() {
      const input = document.querySelector('[data-testid="data.file"]');
      window.__open = new Promise((resolve) => {
        input.addEventListener('change', () => {
          const t0 = performance.now();
          for (const k of Object.keys(stageDone)) delete stageDone[k];
          // Loaded: the page leaves 'loading' for 'busy' (the stages start on the new data).
          const loaded = when((r) => { const s = r.getAttribute('data-state'); return s !== 'loading' && s !== 'ready'; })
            .then((t) => t - t0);
          loaded.then((l) => when((r) => r.getAttribute('data-state') === 'ready').then((t) => {
            const since = (s) => (stageDone[s] === undefined ? null : Math.round(stageDone[s] - t0));
            resolve({ loadedMs: Math.round(l), reportMs: since('report'), optimalMs: since('optimal'), readyMs: Math.round(t - t0) });
          }));
        }, { once: true, capture: true });
      });
    },
    /** Sets a slider without timing anything; returns performance.now() at the input event. */
    set(testId, value) {
      const t = performance.now();
      setRange(testId, value);
      return t;
    },
    /** The layers batch as the panel shows it: status, rows done of this batch, tensors (null without the panel). */
    layers() {
      const p = document.querySelector('[data-testid="layers.panel"]');
      if (!p) return null;
      const prog = p.querySelector('[data-testid="layers.progress"]');
      return {
        status: p.getAttribute('data-state'),
        done: prog ? Number(prog.value) : null,
        total: prog ? Number(prog.max) : null,
      };
    },
    /** performance.now() once the layers panel's status satisfies pred (checked now and on every change). */
    layersUntil(pred) {
      const panel = () => document.querySelector('[data-testid="layers.panel"]');
      const holds = () => pred(panel()?.getAttribute('data-state') ?? null);
      return new Promise((resolve) => {
        if (holds()) { resolve(performance.now()); return; }
        const obs = new MutationObserver(() => {
          if (holds()) { obs.disconnect(); resolve(performance.now()); }
        });
        obs.observe(document.getElementById('root'), {
          attributes: true, childList: true, subtree: true, attributeFilter: ['data-state'],
        });
      });
    },
    layersDone() { return this.layersUntil((s) => s === 'done'); },
    /**
     * A change to a (which starts a layers batch), then, delayMs later and once the page is
     * ready again, a timed change to b; with the batch's state just before the timed change.
     */
    async changeDuringBatch(testId, a, b, delayMs) {
      const t0 = this.set(testId, a);
      await new Promise((r) => setTimeout(r, delayMs));
      await this.ready();
      const batch = this.layers();
      const sinceTrigger = performance.now() - t0;
      const timing = await this.change(testId, b);
      return { ...timing, batch, sinceTrigger };
    },
    /**
     * A change to a and its whole layers batch (seen start, then finish), then a timed change
     * to b with no batch running; batchMs = from the change to a to its batch done.
     */
    async changeAfterBatch(testId, a, b) {
      const t0 = this.set(testId, a);
      await this.layersUntil((s) => s !== 'done');
      const done = await this.layersDone();
      await this.ready();
      const batch = this.layers();
      const timing = await this.change(testId, b);
      return { ...timing, batch, batchMs: done - t0 };
    },
    /**
     * Counts a slider's input events and the longest gap between animation frames until
     * stopped: the longtask API only lists tasks of 50 ms and more, this shows the rest.
     */
    startDragProbe(testId) {
      const input = document.querySelector('[data-testid="' + testId + '"]');
      let inputs = 0;
      const onInput = () => { inputs++; };
      input.addEventListener('input', onInput);
      let last = performance.now();
      let maxGap = 0;
      let running = true;
      const loop = (t) => { maxGap = Math.max(maxGap, t - last); last = t; if (running) requestAnimationFrame(loop); };
      requestAnimationFrame(loop);
      window.__probe = () => {
        running = false;
        input.removeEventListener('input', onInput);
        return { inputEvents: inputs, maxFrameGapMs: Math.round(maxGap) };
      };
    },
  };
})();
`;

interface Latency {
  samples: number;
  reportP50: number;
  reportP95: number;
  reportMax: number;
  allP50: number;
  allP95: number;
  allMax: number;
}

function quantile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i];
}

function summarize(runs: { report: number; all: number }[]): Latency {
  const r = runs.map((x) => x.report).sort((a, b) => a - b);
  const a = runs.map((x) => x.all).sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 10) / 10;
  return {
    samples: runs.length,
    reportP50: round(quantile(r, 0.5)),
    reportP95: round(quantile(r, 0.95)),
    reportMax: round(r[r.length - 1]),
    allP50: round(quantile(a, 0.5)),
    allP95: round(quantile(a, 0.95)),
    allMax: round(a[a.length - 1]),
  };
}

async function waitForServer(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`vite preview exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not answer at ${url}`);
}

async function ready(page: Page, timeout = STEP_TIMEOUT_MS): Promise<void> {
  await page.locator('#root > .app[data-state="ready"]').waitFor({ timeout });
}

interface ChangeTiming {
  report: number;
  all: number;
  /** ms after the change at which each stage it ran finished. */
  stages: Record<string, number>;
}

async function change(page: Page, testId: string, value: number): Promise<ChangeTiming> {
  await ready(page);
  return page.evaluate(`window.__bench.change(${JSON.stringify(testId)}, ${value})`) as Promise<ChangeTiming>;
}

/** Per stage: how often it finished last among the stages a change ran, and its median finish time (ms). */
function stageSummary(runs: ChangeTiming[]): Record<string, { last: number; medianMs: number }> {
  const out: Record<string, { last: number; medianMs: number }> = {};
  const times: Record<string, number[]> = {};
  for (const r of runs) {
    const entries = Object.entries(r.stages);
    for (const [k, v] of entries) (times[k] ??= []).push(v);
    const last = entries.reduce<[string, number] | null>((a, e) => (a === null || e[1] > a[1] ? e : a), null);
    if (last) (out[last[0]] ??= { last: 0, medianMs: 0 }).last++;
  }
  for (const [k, v] of Object.entries(times)) {
    v.sort((a, b) => a - b);
    (out[k] ??= { last: 0, medianMs: 0 }).medianMs = quantile(v, 0.5);
  }
  return out;
}

async function longTaskCount(page: Page): Promise<number> {
  return page.evaluate('window.__bench.longTasks.length') as Promise<number>;
}

interface DragResult {
  /** Longest long task (0 when none: the API lists only tasks of 50 ms and more). */
  longestTaskMs: number;
  tasksOver50: number;
  inputEvents: number;
  maxFrameGapMs: number;
}

/** Drags a slider with the long-task observer and the frame probe running. */
async function measureDrag(page: Page, testId: string, from: number, to: number): Promise<DragResult> {
  const first = await longTaskCount(page);
  await page.evaluate(`window.__bench.startDragProbe(${JSON.stringify(testId)})`);
  await drag(page, testId, from, to);
  const probe = (await page.evaluate('window.__probe()')) as { inputEvents: number; maxFrameGapMs: number };
  const tasks = (await page.evaluate(`window.__bench.longTasks.slice(${first}).map((t) => t.duration)`)) as number[];
  return {
    longestTaskMs: Math.round(Math.max(0, ...tasks)),
    tasksOver50: tasks.filter((d) => d > TARGET_TASK_MS).length,
    ...probe,
  };
}

/** Drags a range input's thumb with the mouse across its track and back, at about 60 pointer moves a second. */
async function drag(page: Page, testId: string, from: number, to: number): Promise<void> {
  const slider = page.getByTestId(testId);
  await slider.scrollIntoViewIfNeeded();
  const box = (await slider.boundingBox())!;
  const min = Number(await slider.getAttribute('min'));
  const max = Number(await slider.getAttribute('max'));
  const xOf = (v: number) => box.x + 8 + ((v - min) / (max - min)) * (box.width - 16);
  const y = box.y + box.height / 2;
  await page.mouse.move(xOf(from), y);
  await page.mouse.down();
  const steps = 60;
  for (const [a, b] of [
    [from, to],
    [to, from],
  ]) {
    for (let i = 1; i <= steps; i++) {
      await page.mouse.move(xOf(a + ((b - a) * i) / steps), y);
      // A person's drag: one pointer move per frame (this is the input rate, not a wait for the app).
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => r(0)))');
    }
  }
  await page.mouse.up();
  await ready(page);
}

/**
 * Writes a .safetensors file: an 8-byte little-endian header length, the JSON header
 * ({name: {dtype, shape, data_offsets}}, padded with spaces so the data starts 8-byte aligned),
 * then each tensor's float32 bytes (little-endian, as on the machines this runs on).
 */
function writeSafetensors(path: string, tensors: { name: string; data: Float32Array }[]): number {
  const header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> = {};
  let offset = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: 'F32', shape: [t.data.length], data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (Buffer.byteLength(json) % 8)) % 8);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  const data = tensors.map((t) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  const bytes = Buffer.concat([length, Buffer.from(json), ...data]);
  writeFileSync(path, bytes);
  return bytes.length;
}

interface BatchState {
  status: string | null;
  done: number | null;
  total: number | null;
}

interface LayersBatchResult {
  tensors: number;
  samplesPerTensor: number;
  fileBytes: number;
  bits: { trigger: number; measured: number };
  delayMs: number;
  /** From the file input to the first batch done and every view ready. */
  openMs: number;
  /** A bits change made while the previous change's batch runs. */
  whileRunning: Latency;
  /** The same change once the batch is done. */
  idle: Latency;
  /** Of the whileRunning changes, how many found the batch still running (rows done < tensors). */
  batchRunningAtChange: number;
  /** Rows of the running batch done just before each whileRunning change. */
  rowsDoneAtChange: (number | null)[];
  /** ms from the triggering change to the timed one (≥ delayMs: waits for the page to be ready). */
  triggerToChangeMs: { p50: number; max: number };
  /** ms from a change to its whole batch done (the 150 ms debounce included), from the idle rounds. */
  batchMs: { p50: number; max: number };
  stages: { whileRunning: ReturnType<typeof stageSummary>; idle: ReturnType<typeof stageSummary> };
}

/**
 * The layers batch scenario: uploads a seeded multi-tensor .safetensors, waits for its first
 * batch, then alternates a bits change timed after the batch is done (idle) with one timed
 * LAYERS_DELAY_MS after the change that started a batch (while running).
 */
async function measureLayersBatch(page: Page, dir: string): Promise<LayersBatchResult> {
  console.log(`bench:browser: writing a .safetensors of ${LAYERS_TENSORS} × ${LAYERS_SAMPLES} ReLU6 float32…`);
  const file = join(dir, 'relu6_layers.safetensors');
  const tensors = Array.from({ length: LAYERS_TENSORS }, (_, i) => ({
    name: `layer${i}.act`,
    data: generate('relu6', { n: LAYERS_SAMPLES, seed: 100 + i, mean: 1, std: 2.5, clamp: 6 }),
  }));
  const fileBytes = writeSafetensors(file, tensors);

  await page.goto(`${BASE}/?g.n=1000`);
  await ready(page);
  const t0 = Date.now();
  await page.getByTestId('data.file').setInputFiles(file);
  await page.locator('[data-testid="layers.panel"][data-state="done"]').waitFor({ timeout: OPEN_TIMEOUT_MS });
  await ready(page, OPEN_TIMEOUT_MS);
  const openMs = Date.now() - t0;
  console.log(`bench:browser: layers file open, first batch done after ${openMs} ms; ${LAYERS_ROUNDS} rounds…`);

  const bitsId = JSON.stringify('controls.bits');
  // The in-page waits have no timeout of their own: a change that starts nothing would hang them.
  const bounded = <T>(what: string, p: Promise<unknown>): Promise<T> =>
    Promise.race([
      p as Promise<T>,
      new Promise<T>((_, reject) => {
        setTimeout(() => reject(new Error(`layers batch: timed out ${what}`)), STEP_TIMEOUT_MS);
      }),
    ]);
  const settle = async () => {
    await bounded('waiting for the batch to finish', page.evaluate('window.__bench.layersDone()'));
    await ready(page);
  };
  const afterBatch = () =>
    bounded<ChangeTiming & { batch: BatchState | null; batchMs: number }>(
      'in a change after the batch',
      page.evaluate(`window.__bench.changeAfterBatch(${bitsId}, ${LAYERS_TRIGGER_BITS}, ${LAYERS_MEASURED_BITS})`),
    );
  const duringBatch = () =>
    bounded<ChangeTiming & { batch: BatchState | null; sinceTrigger: number }>(
      'in a change during the batch',
      page.evaluate(
        `window.__bench.changeDuringBatch(${bitsId}, ${LAYERS_TRIGGER_BITS}, ${LAYERS_MEASURED_BITS}, ` +
          `${LAYERS_DELAY_MS})`,
      ),
    );

  // Every round moves bits from the trigger width to the measured one, so start on the
  // measured width (the default may be the trigger's: a change to it would start nothing).
  await settle();
  if (Number(await page.getByTestId('controls.bits').inputValue()) !== LAYERS_MEASURED_BITS) {
    await change(page, 'controls.bits', LAYERS_MEASURED_BITS);
  }
  // Warm-up (not recorded): both widths designed and their background views computed once.
  await settle();
  await afterBatch();
  await settle();

  const idle: (ChangeTiming & { batchMs: number })[] = [];
  const running: (ChangeTiming & { batch: BatchState | null; sinceTrigger: number })[] = [];
  // Interleaved, so a change in the machine's load affects both alike.
  for (let i = 0; i < LAYERS_ROUNDS; i++) {
    await settle();
    idle.push(await afterBatch());
    await settle();
    running.push(await duringBatch());
  }
  await settle();

  const sorted = (v: number[]) => [...v].sort((a, b) => a - b);
  const spread = (v: number[]) => {
    const s = sorted(v);
    return { p50: Math.round(quantile(s, 0.5)), max: Math.round(s[s.length - 1]) };
  };
  return {
    tensors: LAYERS_TENSORS,
    samplesPerTensor: LAYERS_SAMPLES,
    fileBytes,
    bits: { trigger: LAYERS_TRIGGER_BITS, measured: LAYERS_MEASURED_BITS },
    delayMs: LAYERS_DELAY_MS,
    openMs,
    whileRunning: summarize(running),
    idle: summarize(idle),
    batchRunningAtChange: running.filter((r) => r.batch?.status === 'running' && (r.batch.done ?? 0) < LAYERS_TENSORS)
      .length,
    rowsDoneAtChange: running.map((r) => r.batch?.done ?? null),
    triggerToChangeMs: spread(running.map((r) => r.sinceTrigger)),
    batchMs: spread(idle.map((r) => r.batchMs)),
    stages: { whileRunning: stageSummary(running), idle: stageSummary(idle) },
  };
}

/** The layers batch scenario's lines of the summary. */
function printLayersBatch(lb: LayersBatchResult): void {
  const line = (label: string, l: Latency) =>
    `  ${label.padEnd(13)} n ${l.samples}: report p50 ${l.reportP50} / p95 ${l.reportP95} / max ${l.reportMax} ms; ` +
    `all views p50 ${l.allP50} / p95 ${l.allP95} / max ${l.allMax} ms`;
  console.log(
    `\nLayers batch (${lb.tensors} × ${lb.samplesPerTensor} samples .safetensors): ` +
      `bits ${lb.bits.trigger} → ${lb.bits.measured}, the timed change ${lb.triggerToChangeMs.p50} ms ` +
      `(max ${lb.triggerToChangeMs.max}) after the one that started a batch`,
  );
  console.log(line('while running', lb.whileRunning));
  console.log(line('idle', lb.idle));
  console.log(
    `  batch still running at ${lb.batchRunningAtChange}/${lb.whileRunning.samples} timed changes ` +
      `(rows done: ${lb.rowsDoneAtChange.join(' ')}); a whole batch ${lb.batchMs.p50} ms (max ${lb.batchMs.max}) ` +
      `after its change; file open to first batch done ${lb.openMs} ms`,
  );
}

/** Cold and warm bits changes and band changes on the open data: their latencies and stage finishes. */
async function measureChanges(page: Page): Promise<{
  latency: Record<string, Latency>;
  stages: Record<string, ReturnType<typeof stageSummary>>;
}> {
  const cold: ChangeTiming[] = [];
  for (const bits of COLD_BITS) cold.push(await change(page, 'controls.bits', bits));
  const warm: ChangeTiming[] = [];
  for (let i = 0; i < WARM_BITS_SAMPLES; i++) warm.push(await change(page, 'controls.bits', i % 2 === 0 ? 3 : 4));
  const band: ChangeTiming[] = [];
  // A new band width every time (never a cached design): 0.021, 0.022, …
  for (let i = 0; i < BAND_SAMPLES; i++)
    band.push(await change(page, 'controls.bandLow', Math.round((0.021 + i * 0.001) * 1000) / 1000));
  return {
    latency: { bitsCold: summarize(cold), bitsWarm: summarize(warm), band: summarize(band) },
    stages: { bitsCold: stageSummary(cold), bitsWarm: stageSummary(warm), band: stageSummary(band) },
  };
}

interface OpenTiming {
  loadedMs: number;
  reportMs: number | null;
  optimalMs: number | null;
  readyMs: number;
}

interface Exact1MResult {
  samples: number;
  /** The point set as the page's stats strip shows it (mode and points). */
  points: string | null;
  fileBytes: number;
  /** Each open from the file input's change (ms); the first is cold, later ones reuse the compiled code. */
  opens: OpenTiming[];
  /** Median over the opens of when the optimum's curve and vsOptimal were both complete. */
  optimumCompleteMedianMs: number;
  latencyMs: Record<string, Latency>;
  stagesByChange: Record<string, ReturnType<typeof stageSummary>>;
}

/**
 * Uploads a seeded 1 M-sample float32 .npy of ReLU-Gaussian values three times (from the input's
 * change to the report, the optimum's curve and every view), then times bits and band changes on it.
 */
async function measureExact1M(page: Page, dir: string): Promise<Exact1MResult> {
  const npy = join(dir, 'relu_gaussian_1M.npy');
  const gen = spawnSync(
    process.execPath,
    [join(root, 'bin/bskmq.mjs'), 'generate', 'relu-gaussian', '--n', String(EXACT_SAMPLES), '--seed', '7', '-o', npy],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (gen.status !== 0) throw new Error('bskmq generate failed');
  await page.goto(`${BASE}/?g.n=1000`);
  await ready(page);
  const opens: OpenTiming[] = [];
  for (let i = 0; i < 3; i++) {
    await page.evaluate('window.__bench.armOpen()');
    await page.getByTestId('data.file').setInputFiles(npy);
    opens.push((await page.evaluate('window.__open')) as OpenTiming);
    await ready(page, OPEN_TIMEOUT_MS);
    console.log(`bench:browser: exact 1M open ${i + 1}: ${JSON.stringify(opens[i])}`);
  }
  // The stats strip shows the point set as "exact, 497 k pts" (formatted): kept as text.
  const points = (await page.getByTestId('data.stats').innerText()).match(/(exact|binned), ([^\n]*?) pts/)?.[0] ?? null;
  const complete = opens.map((o) => Math.max(o.reportMs ?? o.readyMs, o.optimalMs ?? o.readyMs)).sort((a, b) => a - b);
  const changes = await measureChanges(page);
  return {
    samples: EXACT_SAMPLES,
    points,
    fileBytes: statSync(npy).size,
    opens,
    optimumCompleteMedianMs: quantile(complete, 0.5),
    latencyMs: changes.latency,
    stagesByChange: changes.stages,
  };
}

function printExact1M(e: Exact1MResult): void {
  console.log(`
Exact 1 M-sample .npy (${e.points ?? '?'} points): open → report, optimum curve, all views (ms)`);
  for (const o of e.opens)
    console.log(`  loaded ${o.loadedMs}, report ${o.reportMs}, optimum curve ${o.optimalMs}, all ${o.readyMs}`);
  console.log(
    `  optimum curve and vsOptimal complete: median ${e.optimumCompleteMedianMs} ms (target ≤ ${TARGET_EXACT_OPEN_MS})`,
  );
  for (const [kind, l] of Object.entries(e.latencyMs)) {
    console.log(
      `  ${kind.padEnd(9)} n ${l.samples}: report p50 ${l.reportP50} / p95 ${l.reportP95}; all p50 ${l.allP50} / p95 ${l.allP95} / max ${l.allMax} ms`,
    );
  }
  for (const [kind, st] of Object.entries(e.stagesByChange)) {
    const cells = Object.entries(st).map(([k, v]) => `${k} ${v.medianMs} ms${v.last ? ` (last ${v.last}×)` : ''}`);
    console.log(`  ${kind}: stage finished (median after the change): ${cells.join(', ')}`);
  }
}

/** The exact 1 M scenario's targets: the optimum within 2 s of opening, changes within 50 ms p95. */
function exactTargets(e: Exact1MResult): Record<string, number | boolean> {
  const l = e.latencyMs;
  return {
    exactOpenMs: TARGET_EXACT_OPEN_MS,
    exactOptimumWithinTarget: e.optimumCompleteMedianMs <= TARGET_EXACT_OPEN_MS,
    exactBandAllP95Met: l.band.allP95 <= TARGET_P95_MS,
    exactBitsAllP95Met: Math.max(l.bitsCold.allP95, l.bitsWarm.allP95) <= TARGET_P95_MS,
  };
}

async function main(): Promise<void> {
  // The machine may be shared: its load is part of the result.
  const loadAverageBefore = loadavg().map((v) => Math.round(v * 100) / 100);
  console.log('bench:browser: building the app…');
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', DIST], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('vite build failed');

  const server = spawn(
    'npx',
    ['vite', 'preview', '--outDir', DIST, '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'],
    {
      cwd: root,
      stdio: 'ignore',
      detached: true,
    },
  );
  const stopServer = () => {
    if (server.pid !== undefined && server.exitCode === null) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', stopServer);
  const tmp = mkdtempSync(join(tmpdir(), 'bskmq-bench-'));
  let browser: Browser | null = null;
  try {
    await waitForServer(BASE, server);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, reducedMotion: 'reduce' });
    await context.addInitScript(PAGE_HELPERS);
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);

    const latency: Record<string, Record<string, Latency>> = {};
    const stagesByChange: Record<string, Record<string, ReturnType<typeof stageSummary>>> = {};
    const openMs: Record<string, number> = {};
    const openStageDoneMs: Record<string, unknown> = {};
    let dragResult: Record<string, DragResult> = {};
    for (const size of SIZES) {
      console.log(`bench:browser: ${size.label} samples…`);
      const t0 = Date.now();
      await page.goto(`${BASE}/?g.n=${size.n}`);
      await ready(page, OPEN_TIMEOUT_MS);
      openMs[size.label] = Date.now() - t0;
      openStageDoneMs[size.label] = await page.evaluate('({ ...window.__bench.stageDone })');

      const changes = await measureChanges(page);
      latency[size.label] = changes.latency;
      stagesByChange[size.label] = changes.stages;

      if (size.label === '16M') {
        dragResult = {
          bits: await measureDrag(page, 'controls.bits', 1, 8),
          bandLow: await measureDrag(page, 'controls.bandLow', 0, 0.3),
        };
      }
    }

    const exact1M = !QUICK && !ONLY_LAYERS && !ONLY_NETWORK ? await measureExact1M(page, tmp) : null;
    if (ONLY_EXACT && exact1M) {
      await browser.close();
      const out = join(root, 'bench', 'results', 'browser-exact1m.json');
      const machine = {
        date: new Date().toISOString(),
        cores: cpus().length,
        loadAverageBefore,
        loadAverageAfter: loadavg().map((v) => Math.round(v * 100) / 100),
        node: process.version,
      };
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, JSON.stringify({ ...machine, exact1M, targets: exactTargets(exact1M) }, null, 2) + '\n');
      printExact1M(exact1M);
      console.log(
        `  load average before/after: ${loadAverageBefore.join(' ')} / ${machine.loadAverageAfter.join(' ')} on ${machine.cores} cores`,
      );
      console.log(`Wrote ${out}`);
      return;
    }
    const loads: { loadedMs: number; readyMs: number; longestTaskMs: number }[] = [];
    let bytes = 0;
    if (!QUICK && !ONLY_LAYERS && !ONLY_NETWORK) {
      console.log('bench:browser: writing a 64 MiB .npy (16 M float32)…');
      const npy = join(tmp, 'relu6_16M.npy');
      const gen = spawnSync(
        process.execPath,
        [join(root, 'bin/bskmq.mjs'), 'generate', 'relu6', '--n', String(16 * 2 ** 20), '-o', npy],
        {
          cwd: root,
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      );
      if (gen.status !== 0) throw new Error('bskmq generate failed');
      bytes = statSync(npy).size;
      await page.goto(`${BASE}/?g.n=1000`);
      await ready(page);
      for (let i = 0; i < 3; i++) {
        await page.evaluate('window.__bench.armLoad()');
        await page.getByTestId('data.file').setInputFiles(npy);
        loads.push(
          (await page.evaluate('window.__load')) as { loadedMs: number; readyMs: number; longestTaskMs: number },
        );
        await ready(page);
      }
    }
    const layersBatch = (!QUICK || ONLY_LAYERS) && !ONLY_NETWORK ? await measureLayersBatch(page, tmp) : null;
    const network = !QUICK || ONLY_NETWORK ? await measureNetwork(page, BASE, tmp) : null;
    const longTaskSupported = (await page.evaluate('window.__bench.supported')) as boolean;
    await browser.close();

    const loadedSorted = loads.map((l) => l.loadedMs).sort((a, b) => a - b);
    const l16 = latency['16M'];
    const worstTask = Math.max(dragResult.bits?.longestTaskMs ?? 0, dragResult.bandLow?.longestTaskMs ?? 0);
    const machine = {
      date: new Date().toISOString(),
      chromium: browser.version(),
      cores: cpus().length,
      loadAverageBefore,
      loadAverageAfter: loadavg().map((v) => Math.round(v * 100) / 100),
      node: process.version,
    };
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    if (ONLY_NETWORK && network) {
      const out = join(root, 'bench', 'results', 'browser-network.json');
      writeFileSync(out, JSON.stringify({ ...machine, network }, null, 2) + '\n');
      printNetwork(network);
      console.log(`Wrote ${out}`);
      return;
    }
    if (ONLY_LAYERS && layersBatch) {
      const out = join(root, 'bench', 'results', 'browser-layers.json');
      writeFileSync(out, JSON.stringify({ ...machine, layersBatch }, null, 2) + '\n');
      printLayersBatch(layersBatch);
      console.log(
        `  load average before/after: ${loadAverageBefore.join(' ')} / ${machine.loadAverageAfter.join(' ')} ` +
          `on ${machine.cores} cores`,
      );
      console.log(`Wrote ${out}`);
      return;
    }
    const result = {
      ...machine,
      longTaskSupported,
      openMs,
      openStageDoneMs,
      latencyMs: latency,
      stagesByChange,
      load: {
        fileBytes: bytes,
        runs: loads.map((l) => ({
          loadedMs: Math.round(l.loadedMs),
          readyMs: Math.round(l.readyMs),
          longestTaskMs: Math.round(l.longestTaskMs),
        })),
        loadedMedianMs: Math.round(quantile(loadedSorted, 0.5)),
      },
      dragLongTasks: dragResult,
      ...(layersBatch ? { layersBatch } : {}),
      ...(network ? { network } : {}),
      ...(exact1M ? { exact1M } : {}),
      targets: {
        ...(exact1M ? exactTargets(exact1M) : {}),
        p95Ms: TARGET_P95_MS,
        loadMs: TARGET_LOAD_MS,
        taskMs: TARGET_TASK_MS,
        reportP95At16MMet:
          l16 && Math.max(l16.bitsCold.reportP95, l16.bitsWarm.reportP95, l16.band.reportP95) <= TARGET_P95_MS,
        allViewsP95At16MMet:
          l16 && Math.max(l16.bitsCold.allP95, l16.bitsWarm.allP95, l16.band.allP95) <= TARGET_P95_MS,
        loadMet: loads.length ? quantile(loadedSorted, 0.5) <= TARGET_LOAD_MS : null,
        noLongTaskWhileDragging: worstTask <= TARGET_TASK_MS,
      },
    };
    const out = join(root, 'bench', 'results', QUICK ? 'browser-quick.json' : 'browser.json');
    writeFileSync(out, JSON.stringify(result, null, 2) + '\n');

    const rows: string[][] = [['samples', 'change', 'n', 'report p50', 'report p95', 'all p50', 'all p95', 'all max']];
    for (const [size, kinds] of Object.entries(latency)) {
      for (const [kind, l] of Object.entries(kinds)) {
        rows.push([
          size,
          kind,
          String(l.samples),
          `${l.reportP50}`,
          `${l.reportP95}`,
          `${l.allP50}`,
          `${l.allP95}`,
          `${l.allMax}`,
        ]);
      }
    }
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    console.log('\nLatency from a slider change to the views updated (ms, after the next frame)');
    for (const r of rows) console.log(r.map((cell, c) => cell.padStart(widths[c])).join('  '));
    for (const [size, kinds] of Object.entries(stagesByChange)) {
      for (const [kind, st] of Object.entries(kinds)) {
        const cells = Object.entries(st).map(([k, v]) => `${k} ${v.medianMs} ms${v.last ? ` (last ${v.last}×)` : ''}`);
        console.log(`  ${size} ${kind}: stage finished (median after the change): ${cells.join(', ')}`);
      }
    }
    console.log(
      `\nOpen (generate + all views): ${Object.entries(openMs)
        .map(([k, v]) => `${k} ${v} ms`)
        .join(', ')}`,
    );
    console.log(`  stage last finished (ms after navigation): ${JSON.stringify(openStageDoneMs)}`);
    console.log(
      `  load average before/after: ${loadAverageBefore.join(' ')} / ${result.loadAverageAfter.join(' ')} on ${result.cores} cores`,
    );
    console.log(
      `Load of a ${(bytes / 2 ** 20).toFixed(1)} MiB .npy: loaded ${result.load.runs.map((r) => r.loadedMs).join(' / ')} ms, ` +
        `all views ${result.load.runs.map((r) => r.readyMs).join(' / ')} ms, longest task ${result.load.runs.map((r) => r.longestTaskMs).join(' / ')} ms`,
    );
    for (const [slider, d] of Object.entries(dragResult)) {
      console.log(
        `Dragging ${slider} (16 M, ${d.inputEvents} input events): longest task ${d.longestTaskMs} ms ` +
          `(${d.tasksOver50} over 50 ms), longest gap between frames ${d.maxFrameGapMs} ms` +
          (longTaskSupported ? '' : ' — longtask entries not supported by this browser'),
      );
    }
    if (layersBatch) printLayersBatch(layersBatch);
    if (network) printNetwork(network);
    if (exact1M) printExact1M(exact1M);
    console.log(`Targets: ${JSON.stringify(result.targets)}`);
    console.log(`Wrote ${out}`);
  } finally {
    await browser?.close().catch(() => undefined);
    stopServer();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(`bench:browser: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
