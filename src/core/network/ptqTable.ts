/**
 * The PTQ table: accuracy of every method at every bit width for one network, written by the Python
 * `ptq(...)` and by `window.bskmq.getNetworkReport()`, drawn by the accuracy chart. Recognised by its
 * content (`format: "bskmq-ptq"`), whatever the file is called.
 */
import { METHODS, type Method } from '../params';

export interface PtqLayer {
  name: string;
  thresholds: number[];
  levels: number[];
  mse: number;
}

export interface PtqResult {
  method: string;
  bits: number;
  accuracy: number;
  layers: PtqLayer[];
}

export interface PtqTable {
  format: 'bskmq-ptq';
  version: 1;
  model: { name: string; activations: { name: string; shape: number[] }[] };
  samples: { calibration: number; evaluation: number };
  labels: boolean;
  metric: 'top1' | 'agreement';
  floatAccuracy: number;
  params: Record<string, unknown>;
  results: PtqResult[];
}

export const PTQ_FORMAT = 'bskmq-ptq';

/** True when `text` starts like a JSON object that names the PTQ format (cheap check before parsing). */
export function looksLikePtqTable(text: string): boolean {
  return /^\s*\{/.test(text) && text.includes(`"${PTQ_FORMAT}"`);
}

/** Parses and checks a PTQ table; throws an Error naming `file` and the first field that is wrong. */
export function parsePtqTable(text: string, file: string): PtqTable {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON (${e instanceof Error ? e.message : e})`);
  }
  const fail = (what: string): never => {
    throw new Error(`${file}: PTQ table: ${what}`);
  };
  const o = v as Record<string, unknown>;
  if (!o || typeof o !== 'object' || o.format !== PTQ_FORMAT) fail(`"format" must be "${PTQ_FORMAT}"`);
  if (o.version !== 1) fail(`version ${JSON.stringify(o.version)} is not supported (expected 1)`);
  const model = o.model as PtqTable['model'];
  if (!model || typeof model.name !== 'string' || !Array.isArray(model.activations))
    fail('"model" must have a name and activations');
  const fa = o.floatAccuracy;
  if (typeof fa !== 'number' || !(fa >= 0 && fa <= 1)) fail('"floatAccuracy" must be a number in 0–1');
  if (o.metric !== 'top1' && o.metric !== 'agreement') fail('"metric" must be "top1" or "agreement"');
  const samples = o.samples as PtqTable['samples'];
  if (!samples || !Number.isInteger(samples.calibration) || !Number.isInteger(samples.evaluation))
    fail('"samples" must hold integer calibration and evaluation counts');
  if (!Array.isArray(o.results)) fail('"results" must be a list');
  (o.results as unknown[]).forEach((r, i) => {
    const x = r as Record<string, unknown>;
    if (!x || typeof x.method !== 'string') fail(`results[${i}].method must be a string`);
    if (!Number.isInteger(x.bits) || (x.bits as number) < 1 || (x.bits as number) > 16)
      fail(`results[${i}].bits must be an integer in 1–16`);
    if (typeof x.accuracy !== 'number' || !((x.accuracy as number) >= 0 && (x.accuracy as number) <= 1))
      fail(`results[${i}].accuracy must be a number in 0–1`);
    if (x.layers !== undefined && !Array.isArray(x.layers)) fail(`results[${i}].layers must be a list`);
  });
  return {
    ...(o as unknown as PtqTable),
    params: (o.params as Record<string, unknown>) ?? {},
    labels: Boolean(o.labels),
  };
}

/** The methods of a table in METHODS order (known first), then any other names as they come. */
export function tableMethods(results: readonly { method: string }[]): string[] {
  const seen = [...new Set(results.map((r) => r.method))];
  const known = METHODS.filter((m) => seen.includes(m));
  return [...known, ...seen.filter((m) => !(METHODS as readonly string[]).includes(m as Method))];
}
