/**
 * `optimal` before/after benchmark: the current DP (src/core/methods/optimal.ts)
 * against the divide-and-conquer DP it replaced (kept verbatim as
 * test/core/optimalReference.ts) at bits 3, 6 and 8 on
 * - a binned set of 10 M ReLU6 samples (65 536 bins plus the exact spikes), the
 *   size the app works on, and
 * - an exact set of 1 M ReLU-Gaussian samples (about 500 k distinct values),
 *   where 8 bits exceeds the split-table limit and both use the O(m)-memory
 *   recursion.
 * Both must find the same least cost (checked). Wall and CPU time are medians of
 * a few runs, the two algorithms alternating so they share the machine's load;
 * slow cases run once. The load average is recorded: on a busy machine wall
 * time overstates the work, CPU time less so.
 * Writes bench/results/optimal.json and prints a table.
 * `--quick` skips the old algorithm on the exact set (about a minute at 8 bits).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generate } from '../src/core/generators';
import { optimalCuts } from '../src/core/methods/optimal';
import { buildBinnedPointSet, buildExactPointSet, cellCost, type PointSet } from '../src/core/pointset';
import { referenceOptimalCuts } from '../test/core/optimalReference';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BITS = [3, 6, 8];
const quick = process.argv.includes('--quick');
const loadAtStart = loadavg()[0];

type Algorithm = 'before' | 'after';
const ALGORITHMS: Record<Algorithm, (ps: PointSet, k: number) => Int32Array> = {
  before: referenceOptimalCuts,
  after: optimalCuts,
};

interface Row {
  set: string;
  points: number;
  bits: number;
  algorithm: Algorithm;
  wallMs: number;
  cpuMs: number;
  runs: number;
  cost: number;
}

function cutsCost(ps: PointSet, cuts: Int32Array): number {
  let s = 0;
  for (let j = 0; j + 1 < cuts.length; j++) s += cellCost(ps, cuts[j], cuts[j + 1]);
  return s;
}

function median(a: number[]): number {
  const s = a.slice().sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Times the algorithms alternately: up to `runs` rounds, fewer once a round takes longer than `slowMs`. */
function timeAlternating(set: string, ps: PointSet, bits: number, algorithms: Algorithm[], runs = 5, slowMs = 1500): Row[] {
  const wall = new Map<Algorithm, number[]>(), cpu = new Map<Algorithm, number[]>(), cost = new Map<Algorithm, number>();
  for (let r = 0; r < runs; r++) {
    let roundMs = 0;
    for (const a of algorithms) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const cuts = ALGORITHMS[a](ps, 2 ** bits);
      const ms = performance.now() - t0;
      const used = process.cpuUsage(c0);
      roundMs += ms;
      (wall.get(a) ?? wall.set(a, []).get(a)!).push(ms);
      (cpu.get(a) ?? cpu.set(a, []).get(a)!).push((used.user + used.system) / 1000);
      cost.set(a, cutsCost(ps, cuts));
    }
    // Fewer rounds for slow cases: three above slowMs, one above 10·slowMs.
    if (roundMs > 10 * slowMs || (roundMs > slowMs && r >= 2)) break;
  }
  return algorithms.map((a) => ({
    set,
    points: ps.x.length,
    bits,
    algorithm: a,
    wallMs: median(wall.get(a)!),
    cpuMs: median(cpu.get(a)!),
    runs: wall.get(a)!.length,
    cost: cost.get(a)!,
  }));
}

const sets: { label: string; ps: PointSet; skipBefore: boolean }[] = [
  { label: 'relu6 10M binned', ps: buildBinnedPointSet(generate('relu6', { n: 10_000_000, seed: 0 })), skipBefore: false },
  {
    label: 'relu-gaussian 1M exact',
    ps: buildExactPointSet(generate('relu-gaussian', { n: 1_000_000, seed: 0 })),
    skipBefore: quick,
  },
];

const rows: Row[] = [];
for (const { label, ps, skipBefore } of sets) {
  for (const bits of BITS) {
    const algorithms: Algorithm[] = skipBefore ? ['after'] : ['before', 'after'];
    const timed = timeAlternating(label, ps, bits, algorithms);
    if (timed.length === 2) {
      const [b, a] = timed;
      // Same optimum: equal least cost up to rounding of the prefix sums.
      if (Math.abs(a.cost - b.cost) > 1e-9 * b.cost) {
        throw new Error(`bench: costs differ on ${label} at ${bits} bits: before ${b.cost}, after ${a.cost}`);
      }
    }
    rows.push(...timed);
  }
}

const result = {
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    node: process.version,
    loadAverage1m: { start: loadAtStart, end: loadavg()[0] },
  },
  date: new Date().toISOString(),
  note: 'before = previous divide-and-conquer DP (test/core/optimalReference.ts); after = src/core/methods/optimal.ts',
  sets: sets.map(({ label, ps }) => ({ label, mode: ps.mode, points: ps.x.length })),
  rows,
};
const out = join(root, 'bench', 'results', 'optimal.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');

const load = result.machine.loadAverage1m;
console.log(`optimal bench — ${result.machine.cpus} cores, Node ${result.machine.node}, ${result.date}`);
console.log(`load average (1 min) ${load.start.toFixed(2)} at start, ${load.end.toFixed(2)} at end`);
console.log(`\n${'set'.padEnd(24)}${'points'.padStart(8)}${'bits'.padStart(5)}  ${'before wall/cpu ms'.padStart(20)}` +
  `  ${'after wall/cpu ms'.padStart(20)}  ${'speed-up (cpu)'.padStart(14)}`);
for (const { label, ps } of sets) {
  for (const bits of BITS) {
    const b = rows.find((r) => r.set === label && r.bits === bits && r.algorithm === 'before');
    const a = rows.find((r) => r.set === label && r.bits === bits && r.algorithm === 'after')!;
    const cell = (r: Row | undefined) => (r ? `${r.wallMs.toFixed(0)} / ${r.cpuMs.toFixed(0)} (${r.runs}×)` : 'skipped');
    const speedUp = b ? `${(b.cpuMs / a.cpuMs).toFixed(2)}×` : '';
    console.log(`${label.padEnd(24)}${String(ps.x.length).padStart(8)}${String(bits).padStart(5)}  ${cell(b).padStart(20)}` +
      `  ${cell(a).padStart(20)}  ${speedUp.padStart(14)}`);
  }
}
console.log(`\nwrote ${out}`);
