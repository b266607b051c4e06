/**
 * A parser for the small Python literals that .npy headers are written in: dicts, tuples, lists,
 * strings, integers, True/False/None. Nothing is evaluated; anything else is a syntax error.
 */

export type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

/** Thrown for malformed literals; callers turn it into a FormatError with the file name. */
export class LiteralError extends Error {}

/** Parses one literal; throws LiteralError on anything else. Depth is limited so nesting cannot overflow. */
export function parsePyLiteral(text: string): PyValue {
  let i = 0;
  const n = text.length;
  const skip = (): void => {
    while (i < n && /\s/.test(text[i])) i++;
  };
  const fail = (what: string): never => {
    throw new LiteralError(`${what} at character ${i} of the header`);
  };
  const value = (depth: number): PyValue => {
    if (depth > 32) fail('nesting too deep');
    skip();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: { [key: string]: PyValue } = Object.create(null);
      skip();
      while (text[i] !== '}') {
        const key = value(depth + 1);
        if (typeof key !== 'string') fail('expected a string key');
        skip();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        obj[key as string] = value(depth + 1);
        skip();
        if (text[i] === ',') {
          i++;
          skip();
        } else if (text[i] !== '}') fail("expected ',' or '}'");
      }
      i++;
      return obj;
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      i++;
      const items: PyValue[] = [];
      skip();
      while (text[i] !== close) {
        if (i >= n) fail(`expected '${close}'`);
        items.push(value(depth + 1));
        skip();
        if (text[i] === ',') {
          i++;
          skip();
        } else if (text[i] !== close) fail(`expected ',' or '${close}'`);
      }
      i++;
      return items;
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) fail('unterminated string');
      const s = text.slice(i + 1, end);
      i = end + 1;
      return s;
    }
    const m = /^(-?\d+|True|False|None)/.exec(text.slice(i, i + 32));
    if (!m) return fail('unexpected character');
    i += m[0].length;
    // Python 2 headers may write longs as `3L`.
    if (text[i] === 'L') i++;
    if (m[0] === 'True') return true;
    if (m[0] === 'False') return false;
    if (m[0] === 'None') return null;
    return Number(m[0]);
  };
  const result = value(0);
  skip();
  if (i < n) fail('unexpected trailing text');
  return result;
}
