/**
 * JSON text for the command line's reports: objects indented for reading,
 * arrays of numbers or strings kept on one line (a 256-level array stays one
 * line), non-finite numbers written as `null` (docs/definitions.md, The report, as JSON.stringify does).
 */

/** Pretty JSON with inline primitive arrays; typed arrays are written as arrays. */
export function formatJson(value: unknown, indent = '  '): string {
  return write(value, '', indent);
}

function write(value: unknown, pad: string, indent: string): string {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return write(Array.from(value as unknown as ArrayLike<number>), pad, indent);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object')) {
      return `[${value.map((v) => JSON.stringify(v ?? null) ?? 'null').join(', ')}]`;
    }
    const inner = pad + indent;
    return `[\n${value.map((v) => inner + write(v, inner, indent)).join(',\n')}\n${pad}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const inner = pad + indent;
    const body = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${write(v, inner, indent)}`);
    return `{\n${body.join(',\n')}\n${pad}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
