/**
 * Key-by-key comparison of two reports in the command line's JSON schema (docs/definitions.md, The report):
 * numbers within a relative tolerance, everything else exactly. Returns one line per
 * difference (empty when the reports agree), so a failing test names every mismatch.
 */

export interface CompareOptions {
  /** Relative tolerance for numbers: |a − b| ≤ rel · max(|a|, |b|). */
  rel: number;
  /** Paths skipped, e.g. `input.file`; a bare key (`seconds`) is skipped at any depth. */
  ignore: string[];
}

export function reportDifferences(actual: unknown, expected: unknown, opts: CompareOptions): string[] {
  const out: string[] = [];
  walk(actual, expected, '', opts, out);
  return out;
}

function ignored(path: string, opts: CompareOptions): boolean {
  const key = path.slice(path.lastIndexOf('.') + 1).replace(/\[\d+\]$/, '');
  return opts.ignore.some((p) => p === path || (!p.includes('.') && p === key));
}

function walk(a: unknown, b: unknown, path: string, opts: CompareOptions, out: string[]): void {
  if (path && ignored(path, opts)) return;
  const where = path || '(root)';
  if (typeof a === 'number' && typeof b === 'number') {
    if (Object.is(a, b)) return;
    const scale = Math.max(Math.abs(a), Math.abs(b));
    if (!(Math.abs(a - b) <= opts.rel * scale))
      out.push(`${where}: app ${a} vs cli ${b} (rel ${(Math.abs(a - b) / scale).toExponential(2)})`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      out.push(`${where}: app has ${a.length} entries, cli ${b.length}`);
      return;
    }
    a.forEach((x, i) => walk(x, b[i], `${path}[${i}]`, opts, out));
    return;
  }
  if (
    a !== null &&
    b !== null &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    !Array.isArray(a) &&
    !Array.isArray(b)
  ) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const key of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
      const sub = path ? `${path}.${key}` : key;
      if (ignored(sub, opts)) continue;
      if (!(key in ao)) out.push(`${sub}: missing in the app's report (cli ${JSON.stringify(bo[key])})`);
      else if (!(key in bo)) out.push(`${sub}: missing in the cli's report (app ${JSON.stringify(ao[key])})`);
      else walk(ao[key], bo[key], sub, opts, out);
    }
    return;
  }
  if (a !== b) out.push(`${where}: app ${JSON.stringify(a)} vs cli ${JSON.stringify(b)}`);
}
