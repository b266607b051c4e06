/**
 * `npm run bench`: runs every benchmark script in turn, each in its own Node
 * process (so one script's heap does not skew the next one's timings), and
 * exits non-zero if any script fails. Each script writes its JSON to
 * bench/results/ and prints its own table.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

/** Benchmark scripts in the order they run; missing optional ones are skipped with a note. */
const SCRIPTS = [
  { file: 'core.bench.ts', required: true },
  { file: 'formats.bench.ts', required: false },
  { file: 'optimal.bench.ts', required: false },
  { file: 'hostile.bench.ts', required: false },
];

let failed = 0;
for (const { file, required } of SCRIPTS) {
  const path = join(here, file);
  if (!existsSync(path)) {
    if (required) {
      console.error(`bench: ${file} is missing`);
      failed++;
    } else console.log(`bench: ${file} not present, skipped`);
    continue;
  }
  console.log(`\n=== ${file} ===`);
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`bench: ${file} failed (exit ${run.status ?? run.signal})`);
    failed++;
  }
}
// The PyTorch bridge's benchmark runs under Debian's python3 (the one with torch).
console.log('\n=== torch_bench.py ===');
const py = spawnSync('/usr/bin/python3', [join(here, 'torch_bench.py')], { cwd: root, stdio: 'inherit' });
if (py.status !== 0) {
  console.error(`bench: torch_bench.py failed (exit ${py.status ?? py.signal})`);
  failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
