import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  exportFileName,
  formatNumber,
  layersCsv,
  layersExportFileName,
  layersNumpySnippet,
  numpySnippet,
  referencesCsv,
  type LayerDesigns,
} from '../../src/core/exports';
import { codeOf, midpoints, type Quantizer } from '../../src/core/quantizer';
import { createRng } from '../../src/core/rng';

/** Levels whose decimal forms are long and awkward: only a round-trip format keeps them. */
function awkwardQuantizer(): Quantizer {
  const levels = Float64Array.of(
    -0,
    0.1 + 0.2,
    1 / 3,
    Math.PI,
    1e-300 + 7,
    2 ** 53 + 2,
    123456.789e10,
    1.7976931348623157e308,
  );
  levels.sort();
  return { method: 'kmeans', bits: 3, levels, thresholds: midpoints(levels), iterations: 5 };
}

/** A CDF-like quantizer whose thresholds are not midpoints, with a tiny and a negative value. */
function cdfQuantizer(): Quantizer {
  return {
    method: 'cdf',
    bits: 2,
    levels: Float64Array.of(-2.5e-8, 0.1, 0.30000000000000004, 5e-324),
    thresholds: Float64Array.of(-1e-9, 0.2, 0.2),
    iterations: 0,
  };
}

function parseCsv(text: string): string[][] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => line.split(','));
}

/** Pulls `name = np.array([...])` out of the snippet and parses its numbers. */
function arrayFromSnippet(snippet: string, name: string): number[] {
  const match = new RegExp(`^${name} = np\\.array\\(\\[([^\\]]*)\\]`, 'm').exec(snippet);
  if (!match) throw new Error(`no ${name} array in the snippet`);
  return match[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
}

describe('formatNumber', () => {
  it('writes the shortest text that parses back to the same double, keeping −0', () => {
    for (const v of [0.1 + 0.2, 1 / 3, 5e-324, 1.7976931348623157e308, -2.5e-8, 2 ** 53 + 2]) {
      expect(Number(formatNumber(v))).toBe(v);
    }
    expect(formatNumber(0.1)).toBe('0.1');
    expect(Object.is(Number(formatNumber(-0)), -0)).toBe(true);
  });
});

describe('referencesCsv', () => {
  it('has a header and one row per code, with an empty reference for code 0', () => {
    const rows = parseCsv(referencesCsv(cdfQuantizer()));
    expect(rows[0]).toEqual(['code', 'reference', 'level']);
    expect(rows).toHaveLength(5);
    expect(rows[1][0]).toBe('0');
    expect(rows[1][1]).toBe('');
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual([0, 1, 2, 3]);
  });
  it('parses back to exactly the same references and levels', () => {
    for (const q of [awkwardQuantizer(), cdfQuantizer()]) {
      const rows = parseCsv(referencesCsv(q)).slice(1);
      const refs = rows.slice(1).map((r) => Number(r[1]));
      const levels = rows.map((r) => Number(r[2]));
      expect(refs).toEqual(Array.from(q.thresholds));
      expect(levels).toEqual(Array.from(q.levels));
      expect(Object.is(levels[0], q.levels[0])).toBe(true);
    }
  });
  it('ends every line, including the last, with a newline', () => {
    const text = referencesCsv(cdfQuantizer());
    expect(text.endsWith('3,0.2,5e-324\n')).toBe(true);
    expect(text.includes('\r')).toBe(false);
  });
});

describe('numpySnippet', () => {
  it('prints thresholds and levels that parse back exactly', () => {
    for (const q of [awkwardQuantizer(), cdfQuantizer()]) {
      const s = numpySnippet(q, { tensor: 'layer1.relu' });
      expect(arrayFromSnippet(s, 'thresholds')).toEqual(Array.from(q.thresholds));
      expect(arrayFromSnippet(s, 'levels')).toEqual(Array.from(q.levels));
    }
  });
  it("uses searchsorted with side='right' (a value equal to a threshold goes up) and float64", () => {
    const s = numpySnippet(cdfQuantizer());
    expect(s).toContain("np.searchsorted(thresholds, np.asarray(x, dtype=np.float64), side='right')");
    expect(s).toContain('return levels[quantize_codes(x)]');
    expect(s).toMatch(/^# BS-KMQ Explorer: cdf quantizer, 2 bits \(4 codes\)\./);
  });
  it('keeps a tensor name with a newline inside the comment line', () => {
    const s = numpySnippet(cdfQuantizer(), { tensor: 'evil\nimport os' });
    expect(s.split('\n').some((line) => line.startsWith('import os'))).toBe(false);
  });
  it('writes non-finite values as NumPy names and −0 as -0.0', () => {
    const q: Quantizer = {
      method: 'cdf',
      bits: 1,
      levels: Float64Array.of(-0, Infinity),
      thresholds: Float64Array.of(NaN),
      iterations: 0,
    };
    const s = numpySnippet(q);
    expect(s).toContain('    np.nan,');
    expect(s).toContain('    -0.0,\n    np.inf,');
  });

  const numpy = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  const hasNumpy = numpy.status === 0;
  const skipReason = hasNumpy ? '' : ' [skipped: python3 with numpy is not available on this machine]';
  it.skipIf(!hasNumpy)(`gives the same codes and levels as codeOf when run by Python with NumPy${skipReason}`, () => {
    const rng = createRng(9);
    for (const q of [awkwardQuantizer(), cdfQuantizer()]) {
      const xs: number[] = [];
      for (const t of q.thresholds) xs.push(t, t - Math.abs(t) * 1e-15 - 1e-300, t + Math.abs(t) * 1e-15 + 1e-300);
      xs.push(-1e308, 1e308, 0, -0, 0.25, 0.2);
      for (let i = 0; i < 40; i++) xs.push((rng() - 0.5) * 10 ** Math.floor(rng() * 20 - 10));
      const dir = mkdtempSync(join(tmpdir(), 'bskmq-numpy-'));
      try {
        const script = join(dir, 'check.py');
        writeFileSync(
          script,
          numpySnippet(q) +
            '\nimport json, sys\n' +
            'xs = np.array(json.loads(sys.stdin.read()), dtype=np.float64)\n' +
            'print(json.dumps({"codes": quantize_codes(xs).tolist(), "values": quantize(xs).tolist()}))\n',
        );
        const run = spawnSync('/usr/bin/python3', [script], { input: JSON.stringify(xs), encoding: 'utf8' });
        expect(run.stderr).toBe('');
        expect(run.status).toBe(0);
        const out = JSON.parse(run.stdout) as { codes: number[]; values: number[] };
        const codes = xs.map((x) => codeOf(q.thresholds, x));
        expect(out.codes).toEqual(codes);
        expect(out.values).toEqual(codes.map((c) => q.levels[c]));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});

describe('exportFileName', () => {
  it('carries tensor, method and bits, with the extension', () => {
    expect(
      exportFileName({ tensor: 'layer1.0.conv1', method: 'kmeans', bits: 3, ext: 'csv', kind: 'references' }),
    ).toBe('bskmq_layer1.0.conv1_kmeans_3b_references.csv');
    expect(exportFileName({ tensor: null, method: 'bskmq', bits: 8, ext: '.PNG' })).toBe('bskmq_bskmq_8b.png');
  });
  it('replaces characters that file systems reject and never starts a part with a dot', () => {
    const name = exportFileName({ tensor: '../model/layer 1:relu*?"<>|\\', method: 'optimal', bits: 4, ext: 'py' });
    expect(name).toBe('bskmq_model_layer_1_relu_optimal_4b.py');
    expect(name).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(name).not.toContain('..');
  });
  it('bounds the length of a long tensor name', () => {
    const name = exportFileName({ tensor: 'x'.repeat(500), method: 'linear', bits: 2, ext: 'svg' });
    expect(name.length).toBeLessThanOrEqual(120);
    expect(name.endsWith('_linear_2b.svg')).toBe(true);
  });
  it('rejects a bad bit count or an empty extension', () => {
    expect(() => exportFileName({ tensor: 't', method: 'linear', bits: 0, ext: 'csv' })).toThrow(/bits/);
    expect(() => exportFileName({ tensor: 't', method: 'linear', bits: 2, ext: '.' })).toThrow(/extension/);
  });
});

/** Two tensors, two methods each, with awkward numbers and names a CSV or Python literal must escape. */
function layerDesigns(): LayerDesigns[] {
  const kmeans = awkwardQuantizer();
  const cdf = cdfQuantizer();
  const asResult = (q: Quantizer) => ({
    method: q.method,
    bits: q.bits,
    levels: Array.from(q.levels),
    thresholds: Array.from(q.thresholds),
  });
  return [
    { tensor: 'layer1.conv, "a"', results: [asResult(cdf), { ...asResult(cdf), method: 'bskmq' }] },
    { tensor: "b'\\\n", results: [asResult(kmeans)] },
  ];
}

/** A CSV line split by RFC 4180 (quoted fields may hold commas and doubled quotes). */
function csvLine(line: string): string[] {
  const out: string[] = [];
  const re = /("(?:[^"]|"")*"|[^,]*)(,|$)/g;
  for (let m = re.exec(line); m && m.index < line.length; m = re.exec(line)) {
    out.push(m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]);
    if (m[2] === '') break;
  }
  return out;
}

describe('layersCsv', () => {
  it('has one row per tensor, method and code, parsing back to the exact references and levels', () => {
    const layers = layerDesigns().slice(0, 1);
    const lines = layersCsv(layers).trimEnd().split('\n');
    expect(lines[0]).toBe('tensor,method,code,reference,level');
    const rows = lines.slice(1).map(csvLine);
    expect(rows).toHaveLength(8);
    expect(rows.every((r) => r[0] === 'layer1.conv, "a"')).toBe(true);
    expect(rows.map((r) => r[1])).toEqual(['cdf', 'cdf', 'cdf', 'cdf', 'bskmq', 'bskmq', 'bskmq', 'bskmq']);
    expect(rows.slice(0, 4).map((r) => Number(r[2]))).toEqual([0, 1, 2, 3]);
    expect(rows[0][3]).toBe('');
    expect(rows.slice(1, 4).map((r) => Number(r[3]))).toEqual(layers[0].results[0].thresholds);
    expect(rows.slice(0, 4).map((r) => Number(r[4]))).toEqual(layers[0].results[0].levels);
  });
  it('writes a non-finite (null) number as nan', () => {
    const csv = layersCsv([
      { tensor: 't', results: [{ method: 'cdf', bits: 1, levels: [0, null], thresholds: [null] }] },
    ]);
    expect(csv).toBe('tensor,method,code,reference,level\nt,cdf,0,,0\nt,cdf,1,nan,nan\n');
  });
});

describe('layersNumpySnippet', () => {
  it('names the file, bits and every failed tensor in comment lines only', () => {
    const s = layersNumpySnippet(layerDesigns(), {
      file: 'model\nimport os',
      bits: 2,
      method: 'cdf',
      failures: [{ tensor: 'nan\nimport sys', error: 'no finite values' }],
    });
    expect(s).toMatch(/^# BS-KMQ Explorer: every tensor's quantizers of model import os, 2 bits \(4 codes\)\./);
    expect(s).toContain('# Not designed: nan import sys: no finite values');
    expect(s.split('\n').some((line) => line.startsWith('import os') || line.startsWith('import sys'))).toBe(false);
  });

  const numpy = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  const hasNumpy = numpy.status === 0;
  const skipReason = hasNumpy ? '' : ' [skipped: python3 with numpy is not available on this machine]';
  it.skipIf(!hasNumpy)(`run by Python, holds every tensor's exact arrays and quantizes as codeOf${skipReason}`, () => {
    const layers = layerDesigns();
    const xs = [-1, 0, 0.2, 0.25, 1e308, -0, 3.5];
    const dir = mkdtempSync(join(tmpdir(), 'bskmq-layers-'));
    try {
      const script = join(dir, 'check.py');
      writeFileSync(
        script,
        layersNumpySnippet(layers, { file: 'm.npz', bits: 2, method: 'bskmq' }) +
          '\nimport json, sys\n' +
          'xs = np.array(json.loads(sys.stdin.read()), dtype=np.float64)\n' +
          'out = {t: {m: {k: v.tolist() for k, v in q.items()} for m, q in ms.items()} for t, ms in QUANTIZERS.items()}\n' +
          `first = ${JSON.stringify(layers[0].tensor)}\n` +
          'print(json.dumps({"q": out, "codes": quantize_codes(xs, first).tolist(),\n' +
          '                  "values": quantize(xs, first, "cdf").tolist()}))\n',
      );
      const run = spawnSync('/usr/bin/python3', [script], { input: JSON.stringify(xs), encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const out = JSON.parse(run.stdout) as {
        q: Record<string, Record<string, { thresholds: number[]; levels: number[] }>>;
        codes: number[];
        values: number[];
      };
      const expected = Object.fromEntries(
        layers.map((l) => [
          l.tensor,
          Object.fromEntries(l.results.map((r) => [r.method, { thresholds: r.thresholds, levels: r.levels }])),
        ]),
      );
      expect(out.q).toEqual(expected);
      const cdf = cdfQuantizer();
      const codes = xs.map((x) => codeOf(cdf.thresholds, x));
      expect(out.codes).toEqual(codes);
      expect(out.values).toEqual(codes.map((c) => cdf.levels[c]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('layersExportFileName', () => {
  it('names the file and bits, not a method', () => {
    expect(layersExportFileName('model.safetensors', 4, 'json')).toBe('bskmq_model.safetensors_layers_4b.json');
    expect(layersExportFileName(null, 3, 'py')).toBe('bskmq_layers_3b.py');
  });
});
