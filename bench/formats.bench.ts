/**
 * Formats benchmark (the load target of the README's Benchmarks table): parse throughput of 64 MB .npy, .npz (deflated),
 * .safetensors and .pt files of 16 M float32 ReLU activations, read through the CLI's node
 * ByteSource — decode() (open + decode to a typed array) and stream() (two chunked passes into a
 * 2^16-bin point set). Throughput is decoded float32 megabytes (10^6 bytes) per second, so the
 * deflated .npz is compared on the same payload as the others. Writes bench/results/formats.json
 * and prints a table.
 *
 * `--stream-memory [GB]` also writes a raw float32 file of that size (default 2) and streams it in a
 * separate process, as the CLI would, reporting that process's peak RSS.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { nodeSource } from '../cli/nodeSource';
import { openFile, type OpenOptions } from '../src/core/formats';
import { createNormal, createRng } from '../src/core/rng';
import { npy as npyBytes, npz, safetensors, torchDict } from '../test/support/encoders';

const here = fileURLToPath(import.meta.url);
const root = join(dirname(here), '..');
const COUNT = 16 * 1024 * 1024;
const RUNS = 3;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** ReLU-like activations: a normal clipped at 0 (half the samples are exactly 0). */
function activations(count: number, seed: number): Float32Array {
  const normal = createNormal(createRng(seed));
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const v = normal() + 0.1;
    out[i] = v > 0 ? v : 0;
  }
  return out;
}

interface Row {
  format: string;
  fileMB: number;
  /** Decoded float32 payload, the same for every format (64 MiB). */
  dataMB: number;
  decodeMs: number;
  decodeMBps: number;
  streamMs: number;
  streamMBps: number;
  count: number;
}

async function median(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    gc();
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

async function measure(format: string, path: string, options: OpenOptions = {}): Promise<Row> {
  const mb = statSync(path).size / 1e6;
  const dataMb = (COUNT * 4) / 1e6;
  let count = 0;
  const decodeMs = await median(async () => {
    const source = nodeSource(path);
    const opened = await openFile(source, options);
    const t = await opened.decode();
    count = t.data.length;
    await source.close();
  });
  const streamMs = await median(async () => {
    const source = nodeSource(path);
    const opened = await openFile(source, options);
    await opened.stream(undefined);
    await source.close();
  });
  if (count !== COUNT) throw new Error(`${format}: decoded ${count} values, expected ${COUNT}`);
  const round = (x: number): number => Math.round(x * 10) / 10;
  return {
    format,
    fileMB: round(mb),
    dataMB: round(dataMb),
    decodeMs: round(decodeMs),
    decodeMBps: round(dataMb / (decodeMs / 1000)),
    streamMs: round(streamMs),
    streamMBps: round(dataMb / (streamMs / 1000)),
    count,
  };
}

/** Child mode: stream one raw float32 file as the CLI would and print peak RSS as JSON. */
async function childStream(path: string): Promise<void> {
  let peak = process.memoryUsage().rss;
  const sample = (): void => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
  };
  const timer = setInterval(sample, 20);
  const t0 = performance.now();
  const source = nodeSource(path);
  const opened = await openFile(source, { raw: { dtype: 'float32', byteOrder: 'little' } });
  const { pointSet } = await opened.stream(undefined, { onProgress: sample });
  await source.close();
  clearInterval(timer);
  sample();
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(
    JSON.stringify({
      fileBytes: source.size,
      samples: pointSet.n + pointSet.nonFinite,
      points: pointSet.x.length,
      seconds: Math.round(seconds * 10) / 10,
      peakRssMB: Math.round(peak / 1e6),
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 1e3),
    }),
  );
}

async function streamMemory(dir: string, gigabytes: number): Promise<Record<string, number>> {
  const path = join(dir, 'big.f32');
  const fd = openSync(path, 'w');
  const chunk = 4 * 1024 * 1024;
  const total = Math.round((gigabytes * 2 ** 30) / 4);
  for (let done = 0, seed = 1; done < total; done += chunk, seed++) {
    const part = activations(Math.min(chunk, total - done), seed);
    writeSync(fd, new Uint8Array(part.buffer));
  }
  closeSync(fd);
  const child = spawnSync(process.execPath, ['--import', 'tsx', here, '--child-stream', path], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  rmSync(path, { force: true });
  if (child.status !== 0) throw new Error(`streaming child failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as Record<string, number>;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child-stream') return childStream(args[1]);
  const memoryAt = args.indexOf('--stream-memory');
  const dir = mkdtempSync(join(tmpdir(), 'bskmq-formats-bench-'));
  const loadAtStart = loadavg()[0];
  try {
    const data = activations(COUNT, 0);
    const npy = npyBytes(data);
    const files: [string, string, Uint8Array | (() => Uint8Array)][] = [
      ['npy', 'acts.npy', npy],
      ['npz (deflated)', 'acts.npz', () => npz({ acts: data }, { deflate: true })],
      ['safetensors', 'acts.safetensors', () => safetensors({ acts: data })],
      ['pt (zip, stored)', 'acts.pt', () => torchDict('acts', data)],
    ];
    const rows: Row[] = [];
    for (const [format, name, make] of files) {
      const path = join(dir, name);
      writeFileSync(path, typeof make === 'function' ? make() : make);
      rows.push(await measure(format, path));
      rmSync(path);
    }
    let memory: Record<string, number> | null = null;
    if (memoryAt >= 0) {
      const gb = Number(args[memoryAt + 1]) > 0 ? Number(args[memoryAt + 1]) : 2;
      memory = await streamMemory(dir, gb);
    }
    const result = {
      date: new Date().toISOString(),
      node: process.version,
      samples: COUNT,
      runs: RUNS,
      loadavg: { start: loadAtStart, end: loadavg()[0] },
      parse: rows,
      streamMemory: memory,
    };
    mkdirSync(join(root, 'bench/results'), { recursive: true });
    writeFileSync(join(root, 'bench/results/formats.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      `Formats: ${COUNT} float32 ReLU activations per file, median of ${RUNS} runs (load ${loadAtStart.toFixed(2)})`,
    );
    console.table(
      rows.map((r) => ({
        format: r.format,
        'file MB': r.fileMB,
        'data MB': r.dataMB,
        'decode ms': r.decodeMs,
        'decode MB/s': r.decodeMBps,
        'stream ms': r.streamMs,
        'stream MB/s': r.streamMBps,
      })),
    );
    if (memory) console.log('Streaming a raw float32 file in a separate process:', memory);
    console.log('wrote bench/results/formats.json');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
