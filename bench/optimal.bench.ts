/**
 * `optimal` benchmark: the exact optimum (src/core/methods/optimal.ts, Lagrangian
 * relaxation) against the per-layer DP it replaced (optimalLayered.ts) and the
 * `ckmeans` npm package (Ckmeans.1d.dp in JavaScript), at bits 1–8 one by one
 * and bits 1–8 together, on
 * - 1 M exact ReLU6 samples and 1 M exact GELU-like (`gelu-tail`) samples, the
 *   size of a typical dumped layer, and
 * - the 65 536-point binned set (2 M uniform samples fill every bin).
 * Every algorithm must reach the same least cost as the layered DP (to 1e-12
 * relative), else the script fails. `optimal` and the layered DP are timed on
 * the positive point set; `ckmeans` takes the raw samples (its interface), so
 * its time includes its own sort; it has no weights, so it does not run on the
 * binned set. Fast cases are medians of a few runs, slow ones run once. The
 * layered DP's and ckmeans' "bits 1–8 together" is the sum of their per-bits
 * times where they cannot share work (ckmeans never; the layered DP when its
 * split table would not fit). ckmeans runs in a worker thread with a large heap
 * (its two k × n matrices of JS numbers take about 4 GB at 8 bits).
 * Also times `bskmq design` end to end (every method, bits 1–8) on a 1 M-sample
 * exact `.npy`. The load average is recorded beside the figures.
 * Writes bench/results/optimal.json and prints a table.
 * `--quick` skips the layered DP and ckmeans on the 1 M sets above 5 bits.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { generate, type GeneratorName } from '../src/core/generators';
import { designOptimalMany, optimalCuts, optimalQuantizer, positivePoints } from '../src/core/methods/optimal';
import { designOptimalManyLayered, layeredOptimalCuts, TABLE_LIMIT } from '../src/core/methods/optimalLayered';
import { buildBinnedPointSet, buildExactPointSet, cellCost, type PointSet } from '../src/core/pointset';
import { createRng } from '../src/core/rng';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BITS = [1, 2, 3, 4, 5, 6, 7, 8];
const SAMPLES = 1_000_000;
const SEED = 0;
const TARGETS = { allBitsSeconds: 3, eightBitsSeconds: 1, cliSeconds: 3 } as const;
const quick = process.argv.includes('--quick');
const loadAtStart = loadavg()[0];
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

type Algorithm = 'optimal' | 'layered' | 'ckmeans';

interface Timing {
  /** Wall time (median). */
  ms: number;
  /** CPU time of this process, all threads (median): less skewed by other work on the machine than wall time. */
  cpuMs: number;
  runs: number;
  /** Whether `ms` is the sum of the per-bits times rather than one measured call. */
  summed?: boolean;
}

interface Row {
  set: string;
  /** 1–8, or 'all' for bits 1–8 together. */
  bits: number | 'all';
  optimal: Timing;
  layered: Timing | null;
  ckmeans: Timing | null;
  /** layered / optimal and ckmeans / optimal CPU time. */
  layeredRatio: number | null;
  ckmeansRatio: number | null;
  /** Least total cost (Σ w·squared error) of each algorithm's partition; null where skipped. */
  cost: Partial<Record<Algorithm, number>> | null;
}

function cutsCost(ps: PointSet, cuts: Int32Array): number {
  let s = 0;
  for (let j = 0; j + 1 < cuts.length; j++) s += cellCost(ps, cuts[j], cuts[j + 1]);
  return s;
}

/** Median wall time of up to `runs` calls of `fn`; a call slower than `slowMs` is not repeated. */
function time<T>(fn: () => T, runs = 5, slowMs = 1500): { timing: Timing; value: T } {
  const times: number[] = [],
    cpu: number[] = [];
  let value!: T;
  for (let r = 0; r < runs; r++) {
    gc();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    value = fn();
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    if (times[0] > slowMs || (r >= 2 && times[r] > slowMs / 3)) break;
  }
  return { timing: { ms: median(times), cpuMs: median(cpu), runs: times.length }, value };
}

function median(a: number[]): number {
  const s = a.slice().sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

// ckmeans in a worker thread: its heap limit is raised there without touching this process's.
const ckmeansPath = createRequire(import.meta.url).resolve('ckmeans');
const ckmeansWorker = new Worker(
  `const { parentPort, workerData } = require('node:worker_threads');
   const ckmeans = require(workerData.path);
   parentPort.on('message', ({ samples, k }) => {
     const t0 = performance.now();
     const starts = ckmeans(samples, k);
     parentPort.postMessage({ ms: performance.now() - t0, starts: Float64Array.from(starts) });
   });`,
  { eval: true, workerData: { path: ckmeansPath }, resourceLimits: { maxOldGenerationSizeMb: 8192 } },
);
ckmeansWorker.unref();

function runCkmeans(samples: Float64Array, k: number): Promise<{ ms: number; cpuMs: number; starts: Float64Array }> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    const c0 = process.cpuUsage();
    ckmeansWorker.once('error', onError);
    ckmeansWorker.once('message', (msg: { ms: number; starts: Float64Array }) => {
      ckmeansWorker.off('error', onError);
      const c = process.cpuUsage(c0);
      resolve({ ...msg, cpuMs: (c.user + c.system) / 1000 });
    });
    ckmeansWorker.postMessage({ samples, k });
  });
}

/** Cuts of the point set from ckmeans' cluster starts (the first sample value of each cluster). */
function cutsFromStarts(ps: PointSet, starts: Float64Array): Int32Array {
  const cuts = new Int32Array(starts.length + 1);
  cuts[starts.length] = ps.x.length;
  for (let j = 1; j < starts.length; j++) {
    let lo = 0,
      hi = ps.x.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ps.x[mid] < starts[j]) lo = mid + 1;
      else hi = mid;
    }
    cuts[j] = lo;
  }
  return cuts;
}

interface BenchSet {
  label: string;
  ps: PointSet;
  /** Raw samples for ckmeans (null: weighted set, which ckmeans cannot take). */
  samples: Float64Array | null;
}

function exactSet(name: GeneratorName): BenchSet {
  const data = generate(name, { n: SAMPLES, seed: SEED });
  return { label: `${name} 1M exact`, ps: buildExactPointSet(data), samples: Float64Array.from(data) };
}

function binnedSet(): BenchSet {
  const rng = createRng(SEED);
  const uniform = new Float32Array(2_000_000);
  for (let i = 0; i < uniform.length; i++) uniform[i] = rng();
  return { label: 'uniform 2M binned', ps: buildBinnedPointSet(uniform), samples: null };
}

function relative(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), Number.MIN_VALUE);
}

async function benchSet({ label, ps: all, samples }: BenchSet): Promise<Row[]> {
  const ps = positivePoints(all);
  const m = ps.x.length;
  const rows: Row[] = [];
  for (const bits of BITS) {
    const k = 2 ** bits;
    if (m <= k) continue;
    const slowCase = quick && samples !== null && bits > 5;
    const opt = time(() => optimalCuts(ps, k));
    const cost: Partial<Record<Algorithm, number>> = { optimal: cutsCost(ps, opt.value) };
    let layered: Timing | null = null;
    if (!slowCase) {
      const lay = time(() => layeredOptimalCuts(ps, k), 3, 1500);
      layered = lay.timing;
      cost.layered = cutsCost(ps, lay.value);
    }
    let ck: Timing | null = null;
    if (samples && !slowCase) {
      const times: number[] = [],
        cpu: number[] = [];
      let starts!: Float64Array;
      for (let r = 0; r < 3; r++) {
        const run = await runCkmeans(samples, k);
        times.push(run.ms);
        cpu.push(run.cpuMs);
        starts = run.starts;
        if (run.ms > 500) break;
      }
      ck = { ms: median(times), cpuMs: median(cpu), runs: times.length };
      cost.ckmeans = cutsCost(ps, cutsFromStarts(ps, starts));
    }
    if (cost.layered !== undefined) {
      for (const a of ['optimal', 'ckmeans'] as const) {
        const c = cost[a];
        if (c !== undefined && relative(c, cost.layered) > 1e-12) {
          throw new Error(
            `bench: ${a} cost ${c} differs from the layered DP's ${cost.layered} on ${label} at ${bits} bits`,
          );
        }
      }
    }
    rows.push({
      set: label,
      bits,
      optimal: opt.timing,
      layered,
      ckmeans: ck,
      layeredRatio: layered ? layered.cpuMs / opt.timing.cpuMs : null,
      ckmeansRatio: ck ? ck.cpuMs / opt.timing.cpuMs : null,
      cost,
    });
    console.log(
      `  ${label} ${bits} bits: optimal ${opt.timing.ms.toFixed(1)} ms, layered ${layered?.ms.toFixed(0) ?? '-'} ms, ckmeans ${ck?.ms.toFixed(0) ?? '-'} ms`,
    );
  }

  // Bits 1–8 together.
  const many = time(() => designOptimalMany(ps, BITS), 3, 3000);
  // The shared search must give each width's levels exactly as the one-width search does.
  for (const [t, bits] of BITS.entries()) {
    const single = optimalQuantizer(ps, bits, m > 2 ** bits ? optimalCuts(ps, 2 ** bits) : null);
    if (!single.levels.every((v, j) => Object.is(v, many.value[t].levels[j]))) {
      throw new Error(`bench: designOptimalMany's ${bits}-bit levels differ from designOptimal's on ${label}`);
    }
  }
  const perBits = rows.filter((r) => typeof r.bits === 'number');
  const sum = (pick: (r: Row) => Timing | null): Timing | null => {
    const ts = perBits.map(pick);
    if (ts.some((t) => t === null)) return null;
    return {
      ms: ts.reduce((s, t) => s + t!.ms, 0),
      cpuMs: ts.reduce((s, t) => s + t!.cpuMs, 0),
      runs: 1,
      summed: true,
    };
  };
  const kMax = 2 ** BITS[BITS.length - 1];
  let layeredAll: Timing | null;
  if ((kMax - 1) * (m + 1) <= TABLE_LIMIT) {
    layeredAll = time(() => designOptimalManyLayered(ps, BITS), 3, 1500).timing;
  } else layeredAll = sum((r) => r.layered);
  const ckAll = sum((r) => r.ckmeans);
  rows.push({
    set: label,
    bits: 'all',
    optimal: many.timing,
    layered: layeredAll,
    ckmeans: ckAll,
    layeredRatio: layeredAll ? layeredAll.cpuMs / many.timing.cpuMs : null,
    ckmeansRatio: ckAll ? ckAll.cpuMs / many.timing.cpuMs : null,
    cost: null,
  });
  return rows;
}

/**
 * `bskmq design <file>` with its defaults on a 1 M-sample float32 .npy of `name` samples (written by `bskmq
 * generate`): wall and CPU seconds (user + system, from /usr/bin/time), medians of 3 runs.
 */
function benchCli(name: GeneratorName): {
  set: string;
  seconds: number;
  cpuSeconds: number;
  runs: number;
  points: number;
} {
  const dir = mkdtempSync(join(tmpdir(), 'bskmq-optimal-bench-'));
  const bin = join(root, 'bin', 'bskmq.mjs');
  try {
    const file = join(dir, `${name}.npy`);
    const gen = spawnSync(
      process.execPath,
      [bin, 'generate', name, '--n', String(SAMPLES), '--seed', String(SEED), '-o', file],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    if (gen.status !== 0) throw new Error(`bench: bskmq generate failed: ${gen.stderr}`);
    const wall: number[] = [],
      cpu: number[] = [];
    let points = 0;
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      const run = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, bin, 'design', file], {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      });
      wall.push((performance.now() - t0) / 1000);
      if (run.status !== 0) throw new Error(`bench: bskmq design failed: ${run.stderr}`);
      const [user, sys] = run.stderr.trim().split('\n').pop()!.split(' ').map(Number);
      cpu.push(user + sys);
      points = (JSON.parse(run.stdout) as { pointSet: { points: number } }).pointSet.points;
    }
    return { set: `${name} 1M .npy`, seconds: median(wall), cpuSeconds: median(cpu), runs: 3, points };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sets: BenchSet[] = [exactSet('relu6'), exactSet('gelu-tail'), binnedSet()];
const rows: Row[] = [];
for (const set of sets) {
  console.log(`${set.label}: ${set.ps.x.length} points`);
  rows.push(...(await benchSet(set)));
  set.samples = null;
  gc();
}
const cli = [benchCli('gelu-tail'), benchCli('relu6')];
await ckmeansWorker.terminate();

const loadAtEnd = loadavg()[0];
const exactRows = rows.filter((r) => r.set.endsWith('1M exact'));
const worst = (bits: number | 'all', pick: (t: Timing) => number) =>
  Math.max(...exactRows.filter((r) => r.bits === bits).map((r) => pick(r.optimal))) / 1000;
const targets = [
  {
    figure: 'optimal bits 1-8 together, 1 M exact samples (worst set)',
    wall: worst('all', (t) => t.ms),
    cpu: worst('all', (t) => t.cpuMs),
    target: TARGETS.allBitsSeconds,
  },
  {
    figure: 'optimal 8 bits, 1 M exact samples (worst set)',
    wall: worst(8, (t) => t.ms),
    cpu: worst(8, (t) => t.cpuMs),
    target: TARGETS.eightBitsSeconds,
  },
  {
    figure: 'bskmq design (defaults) on a 1 M-sample .npy (worst set)',
    wall: Math.max(...cli.map((c) => c.seconds)),
    cpu: Math.max(...cli.map((c) => c.cpuSeconds)),
    target: TARGETS.cliSeconds,
  },
].map((t) => ({ ...t, unit: 's', met: t.wall <= t.target }));

const result = {
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    node: process.version,
    loadAverage1m: { start: loadAtStart, end: loadAtEnd },
  },
  date: new Date().toISOString(),
  quick,
  note:
    'optimal = src/core/methods/optimal.ts; layered = src/core/methods/optimalLayered.ts (the previous DP, the oracle); ' +
    'ckmeans = the ckmeans npm package on the raw samples (its time includes its sort). Times are wall ms; ratios are ' +
    'layered/optimal and ckmeans/optimal; "summed" marks a bits-1-8 time that is the sum of the per-bits times.',
  sets: sets.map(({ label, ps }) => ({ label, mode: ps.mode, points: ps.x.length, samples: ps.n })),
  rows,
  cli,
  targets,
};
const out = join(root, 'bench', 'results', 'optimal.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');

const ms = (t: Timing | null) =>
  t
    ? `${t.ms < 100 ? t.ms.toFixed(1) : t.ms.toFixed(0)}/${t.cpuMs < 100 ? t.cpuMs.toFixed(1) : t.cpuMs.toFixed(0)}${t.summed ? ' Σ' : ''}`
    : '-';
const ratio = (r: number | null) => (r === null ? '-' : `${r < 10 ? r.toFixed(1) : r.toFixed(0)}×`);
console.log(`\noptimal bench — ${result.machine.cpus} cores, Node ${result.machine.node}, ${result.date}`);
console.log(`load average (1 min) ${loadAtStart.toFixed(2)} at start, ${loadAtEnd.toFixed(2)} at end`);
console.log('times are wall/CPU ms; ratios of CPU time');
console.log(
  `\n${'set'.padEnd(20)}${'bits'.padStart(5)}${'optimal'.padStart(14)}${'layered'.padStart(16)}` +
    `${'ratio'.padStart(8)}${'ckmeans'.padStart(16)}${'ratio'.padStart(8)}`,
);
for (const r of rows) {
  console.log(
    `${r.set.padEnd(20)}${String(r.bits).padStart(5)}${ms(r.optimal).padStart(14)}${ms(r.layered).padStart(16)}` +
      `${ratio(r.layeredRatio).padStart(8)}${ms(r.ckmeans).padStart(16)}${ratio(r.ckmeansRatio).padStart(8)}`,
  );
}
for (const c of cli)
  console.log(
    `bskmq design ${c.set} (${c.points} points): ${c.seconds.toFixed(2)} s wall, ${c.cpuSeconds.toFixed(2)} s CPU`,
  );
for (const t of targets) {
  console.log(
    `${t.met ? 'ok  ' : 'OVER'} ${t.figure}: ${t.wall.toFixed(2)} ${t.unit} wall, ${t.cpu.toFixed(2)} ${t.unit} CPU (target ≤ ${t.target})`,
  );
}
console.log(`\nwrote ${out}`);
