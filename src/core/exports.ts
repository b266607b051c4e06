/**
 * Text exports of a designed quantizer: a CSV of references and
 * levels, a NumPy snippet that applies the quantizer, and file names that carry the
 * tensor, method and bits. Numbers are written in their shortest round-trip form
 * (`String(number)`, which JavaScript, Python and NumPy all parse back to the same
 * double), so nothing is lost between the app, a simulator and a notebook.
 */
import type { Method } from './params';
import type { Quantizer } from './quantizer';

/** Shortest text that parses back to the same double; keeps the sign of −0. */
export function formatNumber(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

/**
 * CSV with a header row `code,reference,level` and one row per code 0 … k−1:
 * `reference` is the threshold t_j where code j starts (empty for code 0, which has
 * none), `level` is c_j. Lines end in `\n`, including the last.
 */
export function referencesCsv(q: Quantizer): string {
  const lines = ['code,reference,level'];
  for (let j = 0; j < q.levels.length; j++) {
    const reference = j === 0 ? '' : formatNumber(q.thresholds[j - 1]);
    lines.push(`${j},${reference},${formatNumber(q.levels[j])}`);
  }
  return lines.join('\n') + '\n';
}

/** A double as a Python literal: round-trip exact, with NumPy names for the non-finite ones. */
function pythonFloat(v: number): string {
  if (Number.isNaN(v)) return 'np.nan';
  if (v === Infinity) return 'np.inf';
  if (v === -Infinity) return '-np.inf';
  if (Object.is(v, -0)) return '-0.0';
  return String(v);
}

function pythonArray(name: string, values: Float64Array): string {
  const items = Array.from(values, pythonFloat);
  const body = items.length === 0 ? '' : items.map((s) => `    ${s},\n`).join('');
  return `${name} = np.array([\n${body}], dtype=np.float64)`;
}

/** What the snippet's header comment names. */
export interface SnippetContext {
  tensor?: string | null;
  file?: string | null;
}

/**
 * Python source that applies the quantizer with NumPy: `thresholds` and `levels` as
 * float64 arrays (exact), `quantize_codes(x)` = `np.searchsorted(thresholds, x,
 * side='right')` (the number of thresholds t ≤ x: a value equal to a threshold goes
 * to the upper code, as in docs/definitions.md, Vocabulary) and `quantize(x)` = `levels[quantize_codes(x)]`.
 * Inputs are converted to float64 first so every comparison matches this app's.
 * NaN inputs differ: NumPy sorts NaN last and gives it the top code.
 */
export function numpySnippet(q: Quantizer, context: SnippetContext = {}): string {
  const k = q.levels.length;
  const source = [context.file, context.tensor].filter((s): s is string => typeof s === 'string' && s !== '');
  // Newlines in a name would end the comment line and turn the rest into code.
  const of = source.length > 0 ? ` of ${source.join(' / ').replace(/[\r\n]+/g, ' ')}` : '';
  return [
    `# BS-KMQ Explorer: ${q.method} quantizer${of}, ${q.bits} bits (${k} codes).`,
    '# code(x) = number of thresholds t <= x (a value equal to a threshold goes to the upper code);',
    '# Q(x) = levels[code(x)]. Thresholds are the ADC references, levels the value of each code.',
    'import numpy as np',
    '',
    pythonArray('thresholds', q.thresholds),
    pythonArray('levels', q.levels),
    '',
    '',
    'def quantize_codes(x):',
    '    """ADC output code of each value of x: the number of thresholds <= x."""',
    "    return np.searchsorted(thresholds, np.asarray(x, dtype=np.float64), side='right')",
    '',
    '',
    'def quantize(x):',
    '    """Quantized value of each value of x: the level of its code."""',
    '    return levels[quantize_codes(x)]',
    '',
  ].join('\n');
}

/** The parts an exported file's name carries. */
export interface ExportNameParts {
  /** Tensor name (null or empty for single-array data). */
  tensor: string | null | undefined;
  method: Method;
  bits: number;
  /** File extension, with or without the dot: `csv`, `py`, `json`, `svg`, `png`. */
  ext: string;
  /** What the file holds, e.g. `references`, `numpy`, `histogram` (optional). */
  kind?: string;
}

const MAX_PART = 80;

/** One name part made safe on every file system: [A-Za-z0-9._-] only, no leading dot, bounded length. */
function sanitizePart(s: string): string {
  return s
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, MAX_PART)
    .replace(/[._-]+$/g, '');
}

/**
 * `bskmq_<tensor>_<method>_<bits>b[_<kind>].<ext>`, e.g.
 * `bskmq_layer1.0.conv1_kmeans_3b_references.csv`. Characters other than letters,
 * digits, `.`, `_` and `-` become `_`; the tensor part is dropped when empty.
 */
export function exportFileName(parts: ExportNameParts): string {
  if (!(Number.isInteger(parts.bits) && parts.bits >= 1)) {
    throw new RangeError(`bits must be a positive integer, got ${parts.bits}`);
  }
  const ext = parts.ext
    .replace(/^\./, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
  if (ext === '') {
    throw new RangeError(`file extension must contain letters or digits, got ${JSON.stringify(parts.ext)}`);
  }
  const pieces = ['bskmq'];
  const tensor = sanitizePart(parts.tensor ?? '');
  if (tensor !== '') pieces.push(tensor);
  pieces.push(sanitizePart(parts.method), `${parts.bits}b`);
  const kind = sanitizePart(parts.kind ?? '');
  if (kind !== '') pieces.push(kind);
  return `${pieces.join('_')}.${ext}`;
}

/** One tensor's designs as the layers exports read them: a report's results (numbers, null where non-finite). */
export interface LayerDesigns {
  tensor: string;
  results: readonly {
    method: string;
    bits: number;
    levels: readonly (number | null)[];
    thresholds: readonly (number | null)[];
  }[];
}

/** A report number as CSV text: null (a non-finite value in the JSON) is written `nan`, as NumPy and pandas read it. */
function csvNumber(v: number | null): string {
  return v === null ? 'nan' : formatNumber(v);
}

/** A CSV field, quoted (RFC 4180) when it holds a comma, quote, line break or edge space. */
function csvField(s: string): string {
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Every tensor's references in one CSV: header `tensor,method,code,reference,level`, one row per
 * tensor, method and code in the given order; `reference` is empty for code 0, as in `referencesCsv`.
 */
export function layersCsv(layers: readonly LayerDesigns[]): string {
  const lines = ['tensor,method,code,reference,level'];
  for (const layer of layers) {
    const tensor = csvField(layer.tensor);
    for (const r of layer.results) {
      for (let j = 0; j < r.levels.length; j++) {
        const reference = j === 0 ? '' : csvNumber(r.thresholds[j - 1] ?? null);
        lines.push(`${tensor},${csvField(r.method)},${j},${reference},${csvNumber(r.levels[j])}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}

/** A string as a Python literal: JSON's escapes (\n, \", \\, \uXXXX) mean the same in Python 3. */
function pythonString(s: string): string {
  return JSON.stringify(s);
}

function pythonInlineArray(values: readonly (number | null)[]): string {
  return `np.array([${values.map((v) => pythonFloat(v ?? NaN)).join(', ')}], dtype=np.float64)`;
}

/** What the layers snippet's header names and which method its functions use unless told. */
export interface LayersSnippetContext {
  file?: string | null;
  bits: number;
  /** The method `quantize(x, tensor)` uses by default. */
  method: string;
  /** Tensors left out (they could not be designed) and why, as comment lines. */
  failures?: readonly { tensor: string; error: string }[];
}

/**
 * Python source holding every tensor's quantizers in one dict, `QUANTIZERS[tensor][method] =
 * {'thresholds': …, 'levels': …}` (float64, exact), with `quantize_codes(x, tensor, method)` and
 * `quantize(x, tensor, method)` applying them as `numpySnippet`'s functions do.
 */
export function layersNumpySnippet(layers: readonly LayerDesigns[], context: LayersSnippetContext): string {
  const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');
  const of = context.file ? ` of ${oneLine(context.file)}` : '';
  const lines = [
    `# BS-KMQ Explorer: every tensor's quantizers${of}, ${context.bits} bits (${2 ** context.bits} codes).`,
    '# QUANTIZERS[tensor][method] holds the ADC references (thresholds) and the value of each code (levels).',
    '# code(x) = number of thresholds t <= x (a value equal to a threshold goes to the upper code);',
    '# Q(x) = levels[code(x)].',
  ];
  for (const f of context.failures ?? []) lines.push(`# Not designed: ${oneLine(f.tensor)}: ${oneLine(f.error)}`);
  lines.push('import numpy as np', '', 'QUANTIZERS = {');
  for (const layer of layers) {
    lines.push(`    ${pythonString(layer.tensor)}: {`);
    for (const r of layer.results) {
      lines.push(
        `        ${pythonString(r.method)}: {`,
        `            'thresholds': ${pythonInlineArray(r.thresholds)},`,
        `            'levels': ${pythonInlineArray(r.levels)},`,
        '        },',
      );
    }
    lines.push('    },');
  }
  const method = pythonString(context.method);
  lines.push(
    '}',
    '',
    '',
    `def quantize_codes(x, tensor, method=${method}):`,
    '    """ADC output code of each value of x for that tensor: the number of thresholds <= x."""',
    "    thresholds = QUANTIZERS[tensor][method]['thresholds']",
    "    return np.searchsorted(thresholds, np.asarray(x, dtype=np.float64), side='right')",
    '',
    '',
    `def quantize(x, tensor, method=${method}):`,
    '    """Quantized value of each value of x for that tensor: the level of its code."""',
    "    return QUANTIZERS[tensor][method]['levels'][quantize_codes(x, tensor, method)]",
    '',
  );
  return lines.join('\n');
}

/** `bskmq_<file>_layers_<bits>b.<ext>`: the layers view's exports, named by the file (not one tensor or method). */
export function layersExportFileName(file: string | null | undefined, bits: number, ext: string): string {
  const name = exportFileName({ tensor: file, method: 'linear', bits, ext });
  return name.replace(/_linear_(\d+b\.[a-z0-9]+)$/, '_layers_$1');
}
