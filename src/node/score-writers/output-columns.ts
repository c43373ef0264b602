import { InputError } from '../../errors.js';
import type { ScoreCell } from '../score-input.js';
import type { ScoreValues } from './score-sink.js';

/**
 * The type of one output column in a typed format (Arrow, Parquet).
 *
 * @example
 * const types: OutputColumnType[] = ['string', 'float32'];
 */
export type OutputColumnType = 'string' | 'float64' | 'int64' | 'bool' | 'float32' | 'int32';

/**
 * One output column of a block, ready for a typed writer: a typed array, or cells with nulls.
 *
 * @example
 * const ids: OutputColumnData = ['c1', null, 'c3'];
 */
export type OutputColumnData = Float32Array | Float64Array | Int32Array | (string | number | bigint | boolean | null)[];

/**
 * Types the output columns from the first block, so every later block (every record
 * batch, every row group) has the same schema: an id column takes the type of its first
 * non-missing cell (text → string, number → float64, which holds any JavaScript number
 * exactly, bigint → int64, boolean → bool; all missing → string), a score column the
 * kind of the scores (labels as the id columns).
 *
 * @example
 * outputColumnTypes([['c1']], { kind: 'float32', width: 1, data: Float32Array.of(0.5) }, 1) // => ['string', 'float32']
 */
export function outputColumnTypes(ids: readonly (readonly ScoreCell[])[], values: ScoreValues | null, numIds: number, width: number): OutputColumnType[] {
  const types: OutputColumnType[] = [];
  for (let i = 0; i < numIds; i++) types.push(cellType(ids.map((row) => row[i])));
  for (let k = 0; k < width; k++) {
    const kind = values?.kind ?? 'label';
    if (kind === 'label') {
      const cells: unknown[] = [];
      if (values) for (let r = 0; r < ids.length; r++) cells.push(values.data[r * width + k]);
      types.push(cellType(cells));
    } else types.push(kind);
  }
  return types;
}

function cellType(cells: readonly unknown[]): OutputColumnType {
  for (const cell of cells) {
    if (cell === null || cell === undefined) continue;
    if (typeof cell === 'number') return 'float64';
    if (typeof cell === 'bigint') return 'int64';
    if (typeof cell === 'boolean') return 'bool';
    return 'string';
  }
  return 'string';
}

/**
 * A block's columns in the types {@link outputColumnTypes} chose: scores as typed arrays
 * (one column each, taken out of the row-major block), ids and labels as cells with nulls.
 * A cell that does not fit its column's type (text in a column typed from numbers) is an
 * {@link InputError} naming the column.
 *
 * @example
 * outputColumns([['c1']], { kind: 'float32', width: 1, data: Float32Array.of(0.5) }, ['customer_id', 'value'], ['string', 'float32'])
 * // => [['c1'], Float32Array [0.5]]
 */
export function outputColumns(ids: readonly (readonly ScoreCell[])[], values: ScoreValues, names: readonly string[], types: readonly OutputColumnType[]): OutputColumnData[] {
  const n = ids.length;
  const numIds = names.length - values.width;
  const columns: OutputColumnData[] = [];
  for (let c = 0; c < names.length; c++) {
    const type = types[c];
    const k = c - numIds;
    const at = (r: number): unknown => (k < 0 ? ids[r][c] : values.data[r * values.width + k]);
    if (k >= 0 && values.kind !== 'label') {
      const column = values.kind === 'float32' ? new Float32Array(n) : values.kind === 'float64' ? new Float64Array(n) : new Int32Array(n);
      for (let r = 0; r < n; r++) column[r] = values.data[r * values.width + k] as number;
      columns.push(column);
      continue;
    }
    const column: (string | number | bigint | boolean | null)[] = new Array(n);
    for (let r = 0; r < n; r++) column[r] = convert(at(r), type, names[c]);
    columns.push(column);
  }
  return columns;
}

function convert(cell: unknown, type: OutputColumnType, name: string): string | number | bigint | boolean | null {
  if (cell === null || cell === undefined) return null;
  if (type === 'string') return typeof cell === 'string' ? cell : String(cell);
  if (type === 'float64' && (typeof cell === 'number' || typeof cell === 'bigint')) return Number(cell);
  if (type === 'int64' && (typeof cell === 'bigint' || (typeof cell === 'number' && Number.isSafeInteger(cell)))) return BigInt(cell);
  if (type === 'bool' && typeof cell === 'boolean') return cell;
  const text = String(cell);
  throw new InputError(`output column '${name}' was typed ${type} from its first block, then got ${typeof cell} '${text.length > 40 ? `${text.slice(0, 40)}…` : text}'`);
}
