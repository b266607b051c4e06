/**
 * The measured sweep behind BS-KMQ's defaults (docs/defaults.md): every candidate setting
 * on every built-in generator (default options, 100 000 samples) at bits 2–8 and on the real
 * CNN activations of test/fixtures/activations/digits_cnn.npz, as BS-KMQ's MSE over the
 * optimum's. Prints a Markdown table per candidate; `--json` prints the raw ratios.
 *
 *   npx tsx scripts/defaults-sweep.ts [--json] [--quick]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { designQuantizer } from '../src/core/design';
import { bytesSource, openFile } from '../src/core/formats';
import { GENERATOR_NAMES, generate } from '../src/core/generators';
import { mseOf } from '../src/core/metrics';
import { optimalMse } from '../src/core/methods/optimal';
import { DEFAULT_PARAMS, type Params } from '../src/core/params';
import { buildExactPointSet, type PointSet } from '../src/core/pointset';

type Candidate = Pick<Params, 'bandLow' | 'bandHigh' | 'bsInit' | 'pin'>;

const quick = process.argv.includes('--quick');
const BANDS = quick ? [0, 0.02] : [0, 0.002, 0.005, 0.01, 0.02];
const CANDIDATES: Candidate[] = [];
for (const bsInit of ['plusplus', 'random'] as const)
  for (const pin of ['auto', 'none'] as const)
    for (const band of BANDS) CANDIDATES.push({ bandLow: band, bandHigh: band, bsInit, pin });

const BITS = [2, 3, 4, 5, 6, 7, 8];

async function datasets(): Promise<{ name: string; ps: PointSet }[]> {
  const out: { name: string; ps: PointSet }[] = GENERATOR_NAMES.map((g) => ({
    name: g,
    ps: buildExactPointSet(generate(g, {})),
  }));
  const file = 'digits_cnn.npz';
  const bytes = new Uint8Array(readFileSync(join(import.meta.dirname, '..', 'test', 'fixtures', 'activations', file)));
  const opened = await openFile(bytesSource(file, bytes));
  for (const t of opened.tensors)
    out.push({ name: `cnn:${t.name}`, ps: buildExactPointSet((await opened.decode(t.name)).data) });
  return out;
}

const label = (c: Candidate) => `band ${c.bandLow}, bsInit ${c.bsInit}, pin ${c.pin}`;

async function main() {
  const sets = await datasets();
  const floors = sets.map(({ ps }) => BITS.map((b) => optimalMse(ps, b)));
  const rows: { candidate: string; worst: number; mean: number; ratios: Record<string, number[]> }[] = [];
  for (const c of CANDIDATES) {
    const params: Params = { ...DEFAULT_PARAMS, methods: [...DEFAULT_PARAMS.methods], ...c };
    const ratios: Record<string, number[]> = {};
    let worst = 0,
      sum = 0,
      count = 0;
    sets.forEach(({ name, ps }, i) => {
      ratios[name] = BITS.map((b, j) => {
        const r = mseOf(ps, designQuantizer(ps, 'bskmq', b, params)) / floors[i][j];
        worst = Math.max(worst, r);
        sum += Math.log(r);
        count++;
        return r;
      });
    });
    rows.push({ candidate: label(c), worst, mean: Math.exp(sum / count), ratios });
    process.stderr.write(`${label(c)}: worst ${worst.toFixed(3)}\n`);
  }
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(rows, null, 1));
    return;
  }
  console.log('| candidate | worst ratio | geometric mean |');
  console.log('|---|---|---|');
  for (const r of [...rows].sort((a, b) => a.worst - b.worst))
    console.log(`| ${r.candidate} | ${r.worst.toFixed(3)} | ${r.mean.toFixed(4)} |`);
  for (const r of rows) {
    console.log(`\n### ${r.candidate}\n`);
    console.log(`| data | ${BITS.map((b) => `${b} b`).join(' | ')} |`);
    console.log(`|---|${BITS.map(() => '---').join('|')}|`);
    for (const [name, v] of Object.entries(r.ratios))
      console.log(`| ${name} | ${v.map((x) => x.toFixed(3)).join(' | ')} |`);
  }
}

void main();
