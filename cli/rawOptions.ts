/**
 * `--raw-dtype` and `--byte-order`: how to read a headerless binary file
 * (docs/definitions.md, Input formats). The dtype itself is validated by the format parsers, which know
 * the full list; here only the flags' shape is checked.
 */
import { BYTE_ORDERS, type ByteOrder, type RawReadOptions } from '../src/core/formats';
import { CliError, type FlagSpec, type ParsedArgs } from './args';

/** The raw-binary flags shared by `inspect` and `design`. */
export const RAW_FLAGS: Readonly<Record<string, FlagSpec>> = {
  'raw-dtype': {
    kind: 'value',
    metavar: 'DTYPE',
    help: 'Read FILE as headerless binary of this dtype (e.g. float32, float16, int8, uint16).',
  },
  'byte-order': { kind: 'value', metavar: 'little|big', help: 'Byte order of --raw-dtype data. Default little.' },
};

/** The raw option the flags ask for, or undefined when FILE is to be recognised by its contents. */
export function rawOptionFrom(args: ParsedArgs): RawReadOptions | undefined {
  const dtype = args.values.get('raw-dtype');
  const order = args.values.get('byte-order');
  if (order !== undefined && !(BYTE_ORDERS as readonly string[]).includes(order)) {
    throw new CliError(`--byte-order ${order}: byte order must be one of ${BYTE_ORDERS.join(', ')}`);
  }
  if (dtype === undefined) {
    if (order !== undefined) throw new CliError('--byte-order only applies with --raw-dtype');
    return undefined;
  }
  if (dtype.trim() === '') throw new CliError('--raw-dtype needs a dtype name, e.g. float32');
  return { dtype: dtype.trim(), byteOrder: (order ?? 'little') as ByteOrder };
}
