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
  const ext = parts.ext.replace(/^\./, '').toLowerCase().replace(/[^a-z0-9]+/g, '');
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
