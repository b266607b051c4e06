/**
 * Hostile-input benchmark: each bad-input class run through the CLI (`node bin/bskmq.mjs`) in
 * its own process, as a user would run it, recording wall time, peak RSS (GNU time's maximum
 * resident set size), exit code and the first stderr line. The inputs are written here (a
 * deflate bomb, a forged pickle length per opcode, one long text row, a million tensors, a
 * flipped bit, values near 1e300) so the figures can be compared between versions. Writes
 * bench/results/hostile.json and prints a table.
 *
 * `--quick` uses smaller inputs (a 256 MiB bomb, a 3 M-value row) for a run on a busy machine.
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Zip, ZipDeflate, zipSync } from 'fflate';
import { LENGTH_OPCODES } from '../src/core/formats/pickle';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(root, 'bin/bskmq.mjs');
const TIME = '/usr/bin/time';
const quick = process.argv.includes('--quick');
const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

function npyHeader(descr: string, count: number): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${count},), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(ascii(header), 10);
  return out;
}

/** np.savez_compressed of `count` float32 values made chunk by chunk (never the whole payload in memory). */
function writeDeflatedNpz(path: string, count: number, fill: (chunk: Float32Array, at: number) => void): void {
  const fd = openSync(path, 'w');
  const zip = new Zip((err, data) => {
    if (err) throw err;
    writeSync(fd, data);
  });
  const member = new ZipDeflate('x.npy', { level: 6 });
  zip.add(member);
  member.push(npyHeader('<f4', count));
  const step = 1 << 22;
  for (let at = 0; at < count; at += step) {
    const chunk = new Float32Array(Math.min(step, count - at));
    fill(chunk, at);
    member.push(new Uint8Array(chunk.buffer), at + step >= count);
  }
  zip.end();
  closeSync(fd);
}

/** A torch zip whose data.pkl is `pkl`. */
function torchZip(pkl: number[]): Uint8Array {
  return zipSync({ 'archive/data.pkl': new Uint8Array(pkl) }, { level: 0 });
}

function lengthBytes(bytes: number, length: bigint): number[] {
  const b = new DataView(new ArrayBuffer(8));
  b.setBigUint64(0, BigInt.asUintN(64, length), true);
  return Array.from(new Uint8Array(b.buffer, 0, bytes));
}

function manyTensorsSafetensors(path: string, n: number): void {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`"t${i}":{"dtype":"F32","shape":[1],"data_offsets":[${4 * i},${4 * i + 4}]}`);
  const json = Buffer.from(`{${parts.join(',')}}`);
  const head = Buffer.alloc(8);
  head.writeUInt32LE(json.length, 0);
  writeFileSync(path, Buffer.concat([head, json, Buffer.alloc(4 * n)]));
}

/** torch.save of a dict holding one tensor under `n` keys (the memo makes each a path to it). */
function manyRefsPt(path: string, n: number): void {
  const p: number[] = [0x80, 0x02, 0x7d, 0x28];
  const str = (s: string) => p.push(0x58, s.length, 0, 0, 0, ...ascii(s));
  const int = (v: number) => p.push(0x4a, v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);
  str('t0');
  p.push(0x63, ...ascii('torch._utils\n_rebuild_tensor_v2\n'), 0x28, 0x28);
  str('storage');
  p.push(0x63, ...ascii('torch\nFloatStorage\n'));
  str('0');
  str('cpu');
  int(1);
  p.push(0x74, 0x51);
  int(0);
  int(1);
  p.push(0x85);
  int(1);
  p.push(0x85, 0x89, 0x7d, 0x74, 0x52, 0x72, 0, 0, 0, 0);
  for (let i = 1; i < n; i++) {
    str(`t${i}`);
    p.push(0x6a, 0, 0, 0, 0);
  }
  p.push(0x75, 0x2e);
  writeFileSync(
    path,
    zipSync({ 'archive/data.pkl': new Uint8Array(p), 'archive/data/0': new Uint8Array(4) }, { level: 0 }),
  );
}

/** One text row of `n` values, written in pieces. */
function longRowCsv(path: string, n: number): void {
  const fd = openSync(path, 'w');
  const step = 1 << 18;
  for (let at = 0; at < n; at += step) {
    const vals: string[] = [];
    for (let i = at; i < Math.min(n, at + step); i++) vals.push((((i * 7919) % 100003) / 997).toFixed(5));
    writeSync(fd, vals.join(',') + (at + step >= n ? '\n' : ','));
  }
  closeSync(fd);
}

interface Case {
  name: string;
  class: string;
  /** Writes the input; returns its path. */
  make: (dir: string) => string;
  command: 'inspect' | 'design';
  args?: string[];
  /** What a correct run does: exit 0, or fail with a line matching this. */
  expect: 'ok' | RegExp;
}

const BOMB_COUNT = quick ? 1 << 26 : 1 << 28;
const ROW_VALUES = quick ? 3_000_000 : 30_000_000;

const CASES: Case[] = [
  {
    name: '9-byte pickle hang (POP, BINBYTES -6)',
    class: 'hang',
    make: (d) => {
      const p = join(d, 'hang.pt');
      writeFileSync(p, torchZip([0x80, 0x02, 0x30, 0x42, 0xfa, 0xff, 0xff, 0xff, 0x2e]));
      return p;
    },
    command: 'inspect',
    expect: /not a valid pickle/,
  },
  ...Object.entries(LENGTH_OPCODES).map(([op, { op: code, bytes }]): Case => ({
    name: `${op} with length ${bytes === 1 ? 255 : -6}`,
    class: 'negative length',
    make: (d) => {
      const p = join(d, `len-${op}.pt`);
      writeFileSync(p, torchZip([0x80, 0x02, code, ...lengthBytes(bytes, bytes === 1 ? 255n : -6n), 0x2e]));
      return p;
    },
    command: 'inspect',
    expect: new RegExp(`${op}: `),
  })),
  ...[
    ['zeros', (c: Float32Array) => void c],
    ['ramp', (c: Float32Array, at: number) => c.forEach((_, i) => (c[i] = ((at + i) % 4096) / 64))],
  ].map(([label, fill]): Case => ({
    name: `deflate bomb: ${BOMB_COUNT / 2 ** 20} Mi float32 ${label as string}`,
    class: 'bomb',
    make: (d) => {
      const p = join(d, `bomb-${label as string}.npz`);
      writeDeflatedNpz(p, BOMB_COUNT, fill as (c: Float32Array, at: number) => void);
      return p;
    },
    command: 'design',
    args: ['--bits', '3'],
    expect: 'ok',
  })),
  {
    name: `one text row of ${ROW_VALUES / 1e6} M values`,
    class: 'long line',
    make: (d) => {
      const p = join(d, 'row.csv');
      longRowCsv(p, ROW_VALUES);
      return p;
    },
    command: 'design',
    args: ['--bits', '3'],
    expect: 'ok',
  },
  {
    name: 'safetensors with 1 M tensors',
    class: 'many tensors',
    make: (d) => {
      const p = join(d, 'many.safetensors');
      manyTensorsSafetensors(p, 1_000_000);
      return p;
    },
    command: 'inspect',
    expect: /at most 65536/,
  },
  {
    name: '.pt with 1 M references to one tensor',
    class: 'many tensors',
    make: (d) => {
      const p = join(d, 'refs.pt');
      manyRefsPt(p, 1_000_000);
      return p;
    },
    command: 'inspect',
    expect: /at most 65536/,
  },
  ...([0, 6] as const).map((level): Case => ({
    name: `${level ? 'deflated' : 'stored'} npz, 16 Mi float32, one bit flipped`,
    class: 'crc',
    make: (d) => {
      const p = join(d, `flip-${level}.npz`);
      const count = 1 << 24;
      const data = Float32Array.from({ length: count }, (_, i) => Math.sin(i));
      const header = npyHeader('<f4', count);
      const member = new Uint8Array(header.length + data.byteLength);
      member.set(header);
      member.set(new Uint8Array(data.buffer), header.length);
      const zip = zipSync({ 'x.npy': member }, { level });
      zip[zip.length >> 1] ^= 0x10;
      writeFileSync(p, zip);
      return p;
    },
    command: 'design',
    args: ['--bits', '3'],
    expect: /CRC-32|corrupt/,
  })),
  {
    name: 'float64 values near 1e300',
    class: 'overflow',
    make: (d) => {
      const p = join(d, 'huge.npy');
      const data = Float64Array.from({ length: 100_000 }, (_, i) => (i / 100_000 - 0.5) * 1e300);
      writeFileSync(p, Buffer.concat([npyHeader('<f8', data.length), new Uint8Array(data.buffer)]));
      return p;
    },
    command: 'design',
    expect: /beyond ±1e\+140/,
  },
  {
    name: 'safetensors shape of 3 M entries',
    class: 'message cap',
    make: (d) => {
      const p = join(d, 'shape.safetensors');
      const json = Buffer.from(
        `{"x":{"dtype":"F32","shape":[${new Array(3_000_000).fill(1).join(',')}],"data_offsets":[0,4]}}`,
      );
      const head = Buffer.alloc(8);
      head.writeUInt32LE(json.length, 0);
      writeFileSync(p, Buffer.concat([head, json, Buffer.alloc(4)]));
      return p;
    },
    command: 'inspect',
    expect: /x/,
  },
];

interface Row {
  class: string;
  case: string;
  fileMB: number;
  exit: number;
  seconds: number;
  peakRssMB: number;
  stderrBytes: number;
  ok: boolean;
  message: string;
}

function run(c: Case, dir: string): Row {
  const path = c.make(dir);
  const fileMB = Math.round((statSync(path).size / 1e6) * 100) / 100;
  const timing = join(dir, 'time.txt');
  const r = spawnSync(TIME, ['-f', '%e %M', '-o', timing, process.execPath, BIN, c.command, path, ...(c.args ?? [])], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    timeout: 600_000,
  });
  rmSync(path, { force: true });
  const [secs, kb] = readFileSync(timing, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  const exit = r.status ?? -1;
  const line = (r.stderr ?? '').split('\n').find((l) => l.startsWith('bskmq') && !l.includes('note:')) ?? '';
  const ok = c.expect === 'ok' ? exit === 0 : exit !== 0 && c.expect.test(line) && r.stdout === '';
  return {
    class: c.class,
    case: c.name,
    fileMB,
    exit,
    seconds: secs,
    peakRssMB: Math.round(kb / 1000),
    stderrBytes: Buffer.byteLength(r.stderr ?? ''),
    ok,
    message: line.length > 160 ? `${line.slice(0, 157)}…` : line,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'bskmq-hostile-bench-'));
const loadAtStart = loadavg()[0];
try {
  const rows: Row[] = [];
  for (const c of CASES) {
    rows.push(run(c, dir));
    const r = rows[rows.length - 1];
    console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.case}: ${r.seconds} s, ${r.peakRssMB} MB, exit ${r.exit} ${r.message}`);
  }
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    quick,
    loadavg: { start: loadAtStart, end: loadavg()[0] },
    cases: rows,
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/hostile.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    `Hostile inputs through the CLI, one process each (load ${loadAtStart.toFixed(2)} → ${loadavg()[0].toFixed(2)})`,
  );
  console.table(
    rows.map((r) => ({
      class: r.class,
      case: r.case,
      'file MB': r.fileMB,
      s: r.seconds,
      'peak MB': r.peakRssMB,
      ok: r.ok,
    })),
  );
  console.log('wrote bench/results/hostile.json');
  if (rows.some((r) => !r.ok)) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
