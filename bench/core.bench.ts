/**
 * Core benchmark (issue 2, item 6; SPEC §10): point-set builds, every method at
 * bits 1–8, `optimal` at 8 bits on a 65 536-point binned set, and the command
 * line end to end on a 10 M-sample .npy. Writes bench/results/core.json and
 * prints a table. Timings are medians of a few runs; slow cases run once.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { designQuantizer } from '../src/core/design';
import { generate } from '../src/core/generators';
import { DEFAULT_PARAMS, MAX_BITS, METHODS, MIN_BITS, type Method } from '../src/core/params';
import { buildBinnedPointSet, buildExactPointSet, type PointSet } from '../src/core/pointset';
import { createRng } from '../src/core/rng';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARGETS = { buildSeconds: 2, methodMs: 20, optimal8Seconds: 1, cliSeconds: 10 } as const;
/** The generator the timed data come from: ReLU activations, half their samples a spike at 0. */
const GENERATOR = 'relu-gaussian';
const SEED = 0;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Median wall time in ms of `fn` over up to `runs` runs; a run slower than `slowMs` is not repeated. */
function time<T>(fn: () => T, runs = 5, slowMs = 250): { ms: number; runs: number; value: T } {
  const times: number[] = [];
  let value!: T;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    value = fn();
    times.push(performance.now() - t0);
    if (times[0] > slowMs) break;
  }
  times.sort((a, b) => a - b);
  return { ms: times[times.length >> 1], runs: times.length, value };
}

function samples(n: number): Float32Array {
  return generate(GENERATOR, { n, seed: SEED });
}

interface BuildRow { samples: number; mode: 'exact' | 'binned'; points: number; ms: number; runs: number }
interface MethodRow { set: string; points: number; method: Method; bits: number; ms: number; runs: number }

const builds: BuildRow[] = [];
const pointSets: { label: string; ps: PointSet }[] = [];

for (const n of [1_000_000, 10_000_000]) {
  const data = samples(n);
  gc();
  const binned = time(() => buildBinnedPointSet(data), n > 2e6 ? 3 : 5);
  builds.push({ samples: n, mode: 'binned', points: binned.value.x.length, ms: binned.ms, runs: binned.runs });
  pointSets.push({ label: `${n / 1e6}M binned`, ps: binned.value });
  gc();
  // 10 M exact is above the default exact limit (2^22): timed once for reference, not used for methods.
  const exact = time(() => buildExactPointSet(data), n > 2e6 ? 1 : 3);
  builds.push({ samples: n, mode: 'exact', points: exact.value.x.length, ms: exact.ms, runs: exact.runs });
  if (n <= 2e6) pointSets.push({ label: `${n / 1e6}M exact`, ps: exact.value });
}

const methods: MethodRow[] = [];
for (const { label, ps } of pointSets) {
  for (const method of METHODS) {
    for (let bits = MIN_BITS; bits <= MAX_BITS; bits++) {
      const params = { ...DEFAULT_PARAMS, bits };
      const t = time(() => designQuantizer(ps, method, bits, params), 5, 100);
      methods.push({ set: label, points: ps.x.length, method, bits, ms: t.ms, runs: t.runs });
    }
  }
}

// (c) a binned set with (about) 65 536 points: uniform samples fill every bin.
const rng = createRng(SEED);
const uniform = new Float32Array(2_000_000);
for (let i = 0; i < uniform.length; i++) uniform[i] = rng();
const fullBins = buildBinnedPointSet(uniform);
const optimal8 = time(() => designQuantizer(fullBins, 'optimal', 8, { ...DEFAULT_PARAMS, bits: 8 }), 3, 2000);

// (d) the command line end to end on a 10 M-sample .npy.
const dir = mkdtempSync(join(tmpdir(), 'bskmq-bench-'));
let cli: { generateSeconds: number; designSeconds: number; fileBytes: number; reportBytes: number; mode: string; points: number };
try {
  const file = join(dir, 'relu-10m.npy');
  const bin = join(root, 'bin', 'bskmq.mjs');
  const gen = runCli([bin, 'generate', GENERATOR, '--n', '10000000', '--seed', String(SEED), '-o', file]);
  const design = runCli([bin, 'design', file]);
  const report = JSON.parse(design.stdout) as { pointSet: { mode: string; points: number }; results: unknown[] };
  if (report.results.length !== METHODS.length * (MAX_BITS - MIN_BITS + 1)) throw new Error('bench: incomplete CLI report');
  cli = {
    generateSeconds: gen.seconds,
    designSeconds: design.seconds,
    fileBytes: statSync(file).size,
    reportBytes: design.stdout.length,
    mode: report.pointSet.mode,
    points: report.pointSet.points,
  };
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function runCli(args: string[]): { seconds: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`bench: bskmq ${args[1]} failed (${r.status}): ${r.stderr.trim()}`);
  return { seconds, stdout: r.stdout };
}

// Targets of issue 2: build of 10 M ≤ 2 s; any non-optimal method at any bits on the 10 M set ≤ 20 ms;
// optimal at 8 bits on 65 536 points ≤ 1 s; all methods × bits 1–8 through the CLI ≤ 10 s.
const build10m = builds.find((b) => b.samples === 10_000_000 && b.mode === 'binned')!;
const onTenM = methods.filter((r) => r.set === '10M binned' && r.method !== 'optimal');
const slowest = onTenM.reduce((a, b) => (b.ms > a.ms ? b : a));
const targets = {
  build10mBinned: { seconds: build10m.ms / 1000, target: TARGETS.buildSeconds, pass: build10m.ms / 1000 <= TARGETS.buildSeconds },
  slowestMethod10m: {
    ms: slowest.ms, method: slowest.method, bits: slowest.bits, target: TARGETS.methodMs, pass: slowest.ms <= TARGETS.methodMs,
  },
  optimal8: {
    seconds: optimal8.ms / 1000, points: fullBins.x.length, target: TARGETS.optimal8Seconds,
    pass: optimal8.ms / 1000 <= TARGETS.optimal8Seconds,
  },
  cliDesign10m: { seconds: cli.designSeconds, target: TARGETS.cliSeconds, pass: cli.designSeconds <= TARGETS.cliSeconds },
};

const result = {
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, node: process.version, platform: process.platform },
  date: new Date().toISOString(),
  generator: { name: GENERATOR, seed: SEED },
  targets,
  builds,
  methods,
  optimal8: { points: fullBins.x.length, ms: optimal8.ms, runs: optimal8.runs },
  cli,
};
const out = join(root, 'bench', 'results', 'core.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');

printTables();
console.log(`\nwrote ${out}`);

function printTables(): void {
  const f = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(3));
  console.log(`core bench — ${result.machine.cpus} cores, Node ${result.machine.node}, ${result.date}`);
  console.log('\npoint-set build (ms)');
  for (const b of builds) console.log(`  ${String(b.samples).padStart(9)} ${b.mode.padEnd(7)} ${String(b.points).padStart(8)} points  ${f(b.ms).padStart(8)}`);
  for (const { label, ps } of pointSets) {
    console.log(`\nmethods on ${label} (${ps.x.length} points), ms per design, bits 1–8`);
    console.log(`  ${'method'.padEnd(9)}${Array.from({ length: MAX_BITS }, (_, i) => String(i + 1).padStart(9)).join('')}`);
    for (const method of METHODS) {
      const row = methods.filter((r) => r.set === label && r.method === method).map((r) => f(r.ms).padStart(9));
      console.log(`  ${method.padEnd(9)}${row.join('')}`);
    }
  }
  console.log('\ntargets');
  const t = targets;
  const mark = (p: boolean) => (p ? 'PASS' : 'FAIL');
  console.log(`  build 10M binned        ${t.build10mBinned.seconds.toFixed(3)} s   ≤ 2 s    ${mark(t.build10mBinned.pass)}`);
  console.log(`  slowest method on 10M   ${f(t.slowestMethod10m.ms)} ms (${t.slowestMethod10m.method}@${t.slowestMethod10m.bits})  ≤ 20 ms   ${mark(t.slowestMethod10m.pass)}`);
  console.log(`  optimal@8, ${t.optimal8.points} pts  ${t.optimal8.seconds.toFixed(3)} s   ≤ 1 s    ${mark(t.optimal8.pass)}`);
  console.log(`  CLI design 10M .npy     ${t.cliDesign10m.seconds.toFixed(2)} s   ≤ 10 s   ${mark(t.cliDesign10m.pass)}`);
}
