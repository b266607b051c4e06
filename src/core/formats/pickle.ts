/**
 * A small unpickler for the pickles `torch.save` writes (protocols 0–5), built so that nothing a
 * file holds can run, loop or allocate beyond its own size: every length, count, index and offset
 * an opcode carries is checked against the bytes that are left before it is used, integers are
 * decoded as Python decodes them (two's complement, signed), and globals are resolved only through
 * the caller's table. Anything else is a PickleError naming the opcode and its byte offset.
 *
 * Opcode semantics follow CPython's Lib/pickle.py (`_Unpickler`).
 */

import { decodeLatin1, decodeUtf8 } from './utf8';

/** A problem in the pickle stream, at a byte offset of it. */
export class PickleError extends Error {
  constructor(
    readonly detail: string,
    readonly offset: number,
  ) {
    super(`${detail} at byte ${offset}`);
    this.name = 'PickleError';
  }
}

/** A global the caller did not register: kept as a name, never imported. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
}

/** An instance of an unregistered class: its constructor arguments and the state BUILD gave it. */
export class PyObject {
  /** BUILD's state, by attribute name (a dict state; slot state is merged in). */
  state: Map<unknown, unknown> | null = null;
  constructor(
    readonly type: PyGlobal,
    readonly args: readonly unknown[],
  ) {}
}

/** How the caller maps what the pickle names to values. */
export interface PickleHooks {
  /** A registered callable for `module.name`, or undefined to keep it as an inert PyGlobal. */
  global(module: string, name: string): ((...args: unknown[]) => unknown) | undefined;
  /** The object a persistent id stands for (PyTorch: a storage). */
  persistent(pid: unknown): unknown;
}

/** Python integers wider than this many bytes are refused (decoding them costs quadratic time). */
export const MAX_LONG_BYTES = 64;
const MAX_PROTOCOL = 5;

/** Opcode names, for messages. */
const NAMES: Readonly<Record<number, string>> = {
  0x28: 'MARK',
  0x2e: 'STOP',
  0x30: 'POP',
  0x31: 'POP_MARK',
  0x32: 'DUP',
  0x46: 'FLOAT',
  0x49: 'INT',
  0x4a: 'BININT',
  0x4b: 'BININT1',
  0x4c: 'LONG',
  0x4d: 'BININT2',
  0x4e: 'NONE',
  0x50: 'PERSID',
  0x51: 'BINPERSID',
  0x52: 'REDUCE',
  0x53: 'STRING',
  0x54: 'BINSTRING',
  0x55: 'SHORT_BINSTRING',
  0x56: 'UNICODE',
  0x58: 'BINUNICODE',
  0x61: 'APPEND',
  0x62: 'BUILD',
  0x63: 'GLOBAL',
  0x64: 'DICT',
  0x7d: 'EMPTY_DICT',
  0x65: 'APPENDS',
  0x67: 'GET',
  0x68: 'BINGET',
  0x69: 'INST',
  0x6a: 'LONG_BINGET',
  0x6c: 'LIST',
  0x5d: 'EMPTY_LIST',
  0x6f: 'OBJ',
  0x70: 'PUT',
  0x71: 'BINPUT',
  0x72: 'LONG_BINPUT',
  0x73: 'SETITEM',
  0x74: 'TUPLE',
  0x29: 'EMPTY_TUPLE',
  0x75: 'SETITEMS',
  0x47: 'BINFLOAT',
  0x80: 'PROTO',
  0x81: 'NEWOBJ',
  0x82: 'EXT1',
  0x83: 'EXT2',
  0x84: 'EXT4',
  0x85: 'TUPLE1',
  0x86: 'TUPLE2',
  0x87: 'TUPLE3',
  0x88: 'NEWTRUE',
  0x89: 'NEWFALSE',
  0x8a: 'LONG1',
  0x8b: 'LONG4',
  0x42: 'BINBYTES',
  0x43: 'SHORT_BINBYTES',
  0x8c: 'SHORT_BINUNICODE',
  0x8d: 'BINUNICODE8',
  0x8e: 'BINBYTES8',
  0x8f: 'EMPTY_SET',
  0x90: 'ADDITEMS',
  0x91: 'FROZENSET',
  0x92: 'NEWOBJ_EX',
  0x93: 'STACK_GLOBAL',
  0x94: 'MEMOIZE',
  0x95: 'FRAME',
  0x96: 'BYTEARRAY8',
  0x97: 'NEXT_BUFFER',
  0x98: 'READONLY_BUFFER',
};

/** The opcodes that carry a length, and how it is encoded (for tests that forge negative ones). */
export const LENGTH_OPCODES: Readonly<Record<string, { op: number; bytes: 1 | 4 | 8 }>> = {
  BINBYTES: { op: 0x42, bytes: 4 },
  SHORT_BINBYTES: { op: 0x43, bytes: 1 },
  BINBYTES8: { op: 0x8e, bytes: 8 },
  BINSTRING: { op: 0x54, bytes: 4 },
  SHORT_BINSTRING: { op: 0x55, bytes: 1 },
  BINUNICODE: { op: 0x58, bytes: 4 },
  SHORT_BINUNICODE: { op: 0x8c, bytes: 1 },
  BINUNICODE8: { op: 0x8d, bytes: 8 },
  BYTEARRAY8: { op: 0x96, bytes: 8 },
  LONG1: { op: 0x8a, bytes: 1 },
  LONG4: { op: 0x8b, bytes: 4 },
  FRAME: { op: 0x95, bytes: 8 },
};

/** A Python int from its little-endian two's-complement bytes: a number when exact, else a BigInt. */
export function decodeLong(bytes: Uint8Array): number | bigint {
  const n = bytes.length;
  if (n === 0) return 0;
  if (n <= 6) {
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + bytes[i];
    return bytes[n - 1] & 0x80 ? v - 2 ** (8 * n) : v;
  }
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  if (bytes[n - 1] & 0x80) v -= 1n << BigInt(8 * n);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Unpickles `bytes` with `hooks`; throws PickleError for anything malformed, never loops. */
export function unpickle(bytes: Uint8Array, hooks: PickleHooks): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length;
  let pos = 0;
  let opAt = 0;
  let op = 0;
  let stack: unknown[] = [];
  const marks: unknown[][] = [];
  const memo = new Map<number, unknown>();

  const name = (): string => NAMES[op] ?? `opcode 0x${op.toString(16).padStart(2, '0')}`;
  const fail = (why: string): never => {
    throw new PickleError(`${name()}: ${why}`, opAt);
  };
  const need = (n: number, what: string): void => {
    if (!(Number.isSafeInteger(n) && n >= 0)) fail(`${what} ${n} is not a non-negative length`);
    if (n > end - pos) fail(`${what} ${n} runs past the end of the pickle (${end - pos} bytes left)`);
  };
  const u8 = (): number => {
    need(1, 'argument of');
    return bytes[pos++];
  };
  const u16 = (): number => {
    need(2, 'argument of');
    const v = view.getUint16(pos, true);
    pos += 2;
    return v;
  };
  const i32 = (): number => {
    need(4, 'argument of');
    const v = view.getInt32(pos, true);
    pos += 4;
    return v;
  };
  const u32 = (): number => {
    need(4, 'argument of');
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const u64 = (): number => {
    need(8, 'argument of');
    const v = view.getUint32(pos, true) + view.getUint32(pos + 4, true) * 2 ** 32;
    // Past 2^53 a number is inexact: name the exact value (a negative one written as unsigned shows as 2^64 − n).
    if (v > Number.MAX_SAFE_INTEGER)
      fail(`length ${view.getBigUint64(pos, true)} runs past the end of the pickle (${end - pos - 8} bytes left)`);
    pos += 8;
    return v;
  };
  const take = (n: number): Uint8Array => {
    need(n, 'length');
    const b = bytes.subarray(pos, pos + n);
    pos += n;
    return b;
  };
  const line = (): string => {
    const nl = bytes.indexOf(0x0a, pos);
    if (nl < 0) fail('its text argument has no end of line');
    const text = decodeLatin1(bytes.subarray(pos, nl));
    pos = nl + 1;
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  };
  const text = (n: number): string => {
    const b = take(n);
    return decodeUtf8(b);
  };
  const pop = (): unknown => {
    if (stack.length === 0) fail('the stack is empty');
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) fail('the stack is empty');
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const items = stack;
    const prev = marks.pop();
    if (!prev) fail('no MARK to pop back to');
    stack = prev as unknown[];
    return items;
  };
  const memoGet = (i: number): unknown => {
    if (!memo.has(i)) fail(`memo entry ${i} was never stored`);
    return memo.get(i);
  };
  const memoPut = (i: number): void => {
    if (!Number.isSafeInteger(i) || i < 0) fail(`memo index ${i} is not a non-negative integer`);
    memo.set(i, top());
  };
  const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : fail(`expected a list, found ${kind(v)}`));
  const asMap = (v: unknown): Map<unknown, unknown> =>
    v instanceof Map ? v : fail(`expected a dict, found ${kind(v)}`);
  const resolve = (module: unknown, nm: unknown): unknown => {
    if (typeof module !== 'string' || typeof nm !== 'string') fail('module and name must be strings');
    return hooks.global(module as string, nm as string) ?? new PyGlobal(module as string, nm as string);
  };
  const call = (func: unknown, args: unknown): unknown => {
    const list = Array.isArray(args) ? args : fail(`arguments must be a tuple, found ${kind(args)}`);
    if (typeof func === 'function') return (func as (...a: unknown[]) => unknown)(...list);
    if (func instanceof PyGlobal) return new PyObject(func, list);
    return fail(`cannot call ${kind(func)}`);
  };
  const intLine = (s: string): number | bigint | boolean => {
    if (s === '01') return true;
    if (s === '00') return false;
    const t = s.endsWith('L') ? s.slice(0, -1) : s;
    if (!/^[+-]?\d+$/.test(t)) fail(`'${s.slice(0, 40)}' is not an integer`);
    const v = BigInt(t);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };

  while (pos < end) {
    opAt = pos;
    op = bytes[pos++];
    switch (op) {
      case 0x80: {
        const v = u8();
        if (v > MAX_PROTOCOL) fail(`protocol ${v} is not supported (at most ${MAX_PROTOCOL})`);
        break;
      }
      case 0x95: // FRAME: framing carries no meaning here, but its length must fit.
        need(u64(), 'frame length');
        break;
      case 0x2e: // STOP
        return pop();
      case 0x28:
        marks.push(stack);
        stack = [];
        break;
      case 0x30:
        if (stack.length > 0) stack.pop();
        else popMark();
        break;
      case 0x31:
        popMark();
        break;
      case 0x32:
        stack.push(top());
        break;
      case 0x70:
        memoPut(Number(intLine(line())));
        break;
      case 0x71:
        memoPut(u8());
        break;
      case 0x72:
        memoPut(u32());
        break;
      case 0x94:
        memoPut(memo.size);
        break;
      case 0x67:
        stack.push(memoGet(Number(intLine(line()))));
        break;
      case 0x68:
        stack.push(memoGet(u8()));
        break;
      case 0x6a:
        stack.push(memoGet(u32()));
        break;
      case 0x4e:
        stack.push(null);
        break;
      case 0x88:
        stack.push(true);
        break;
      case 0x89:
        stack.push(false);
        break;
      case 0x49:
      case 0x4c:
        stack.push(intLine(line()));
        break;
      case 0x46: {
        const s = line();
        const v = Number(s);
        if (s.trim() === '' || (Number.isNaN(v) && !/^[+-]?nan$/i.test(s.trim())))
          fail(`'${s.slice(0, 40)}' is not a float`);
        stack.push(v);
        break;
      }
      case 0x4a:
        stack.push(i32());
        break;
      case 0x4b:
        stack.push(u8());
        break;
      case 0x4d:
        stack.push(u16());
        break;
      case 0x8a:
        stack.push(decodeLong(take(u8())));
        break;
      case 0x8b: {
        const n = i32();
        if (n < 0) fail(`byte count ${n} is negative`);
        if (n > MAX_LONG_BYTES) fail(`a ${n}-byte integer; at most ${MAX_LONG_BYTES} bytes are accepted`);
        stack.push(decodeLong(take(n)));
        break;
      }
      case 0x47: {
        need(8, 'argument of');
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      }
      case 0x53: {
        const s = line();
        if (s.length < 2 || s[0] !== s[s.length - 1] || (s[0] !== '"' && s[0] !== "'"))
          fail('the string is not quoted');
        stack.push(s.slice(1, -1));
        break;
      }
      case 0x56:
        stack.push(line());
        break;
      case 0x54: {
        const n = i32();
        if (n < 0) fail(`length ${n} is negative`);
        stack.push(decodeLatin1(take(n)));
        break;
      }
      case 0x55:
        stack.push(decodeLatin1(take(u8())));
        break;
      case 0x58:
        stack.push(text(u32()));
        break;
      case 0x8c:
        stack.push(text(u8()));
        break;
      case 0x8d:
        stack.push(text(u64()));
        break;
      case 0x42:
        stack.push(take(u32()));
        break;
      case 0x43:
        stack.push(take(u8()));
        break;
      case 0x8e:
      case 0x96:
        stack.push(take(u64()));
        break;
      case 0x29:
      case 0x5d:
        stack.push([]);
        break;
      case 0x74:
      case 0x6c: {
        // popMark replaces `stack`: take the items before naming the stack to push on.
        const items = popMark();
        stack.push(items);
        break;
      }
      case 0x85:
        stack.push([pop()]);
        break;
      case 0x86: {
        const b = pop();
        const a = pop();
        stack.push([a, b]);
        break;
      }
      case 0x87: {
        const c = pop();
        const b = pop();
        const a = pop();
        stack.push([a, b, c]);
        break;
      }
      case 0x61: {
        const v = pop();
        asList(top()).push(v);
        break;
      }
      case 0x65: {
        const items = popMark();
        const list = asList(top());
        for (const v of items) list.push(v);
        break;
      }
      case 0x7d:
        stack.push(new Map());
        break;
      case 0x64: {
        const items = popMark();
        if (items.length % 2) fail('odd number of items');
        const map = new Map<unknown, unknown>();
        for (let i = 0; i < items.length; i += 2) map.set(items[i], items[i + 1]);
        stack.push(map);
        break;
      }
      case 0x73: {
        const v = pop();
        const k = pop();
        asMap(top()).set(k, v);
        break;
      }
      case 0x75: {
        const items = popMark();
        if (items.length % 2) fail('odd number of items');
        const map = asMap(top());
        for (let i = 0; i < items.length; i += 2) map.set(items[i], items[i + 1]);
        break;
      }
      case 0x8f:
        stack.push([]);
        break;
      case 0x91: {
        const items = popMark();
        stack.push(items);
        break;
      }
      case 0x90: {
        const items = popMark();
        const set = asList(top());
        for (const v of items) set.push(v);
        break;
      }
      case 0x82:
      case 0x83:
      case 0x84: {
        const code = op === 0x82 ? u8() : op === 0x83 ? u16() : u32();
        fail(`extension code ${code} is not supported`);
        break;
      }
      case 0x63: {
        const module = line();
        stack.push(resolve(module, line()));
        break;
      }
      case 0x93: {
        const nm = pop();
        stack.push(resolve(pop(), nm));
        break;
      }
      case 0x69: {
        const module = line();
        const cls = resolve(module, line());
        const made = call(cls, popMark());
        stack.push(made);
        break;
      }
      case 0x6f: {
        const items = popMark();
        if (items.length === 0) fail('no class to instantiate');
        const cls = items.shift();
        const made = call(cls, items);
        stack.push(made);
        break;
      }
      case 0x81: {
        const args = pop();
        stack.push(call(pop(), args));
        break;
      }
      case 0x92: {
        pop(); // keyword arguments: no registered callable takes any
        const args = pop();
        stack.push(call(pop(), args));
        break;
      }
      case 0x50:
        stack.push(hooks.persistent(line()));
        break;
      case 0x51:
        stack.push(hooks.persistent(pop()));
        break;
      case 0x52: {
        const args = pop();
        stack.push(call(pop(), args));
        break;
      }
      case 0x62: {
        const state = pop();
        const obj = top();
        if (obj instanceof PyObject) {
          // A (dict, slots) pair or a dict; anything else is kept under its own key.
          const parts = Array.isArray(state) && state.length === 2 ? state : [state];
          for (const part of parts) {
            if (part === null) continue;
            obj.state ??= new Map();
            if (part instanceof Map) for (const [k, v] of part) obj.state.set(k, v);
            else obj.state.set('__state__', part);
          }
        }
        break;
      }
      case 0x97:
        fail('out-of-band buffers are not supported');
        break;
      case 0x98:
        break;
      default:
        fail('unknown opcode');
    }
  }
  opAt = end;
  throw new PickleError('the pickle ends without STOP', end);
}

function kind(v: unknown): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Map) return 'a dict';
  if (v instanceof PyGlobal) return `${v.module}.${v.name}`;
  if (v instanceof PyObject) return `a ${v.type.module}.${v.type.name}`;
  return typeof v;
}
