import { InputError } from '../errors.js';
import type { XGBoostModel } from '../formats/xgboost/xgboost-model.js';
import type { ScoreCell, ScoreInputBatch } from './score-input.js';

/** A row the scorer refused: its number in the whole input, why, and its cells as read. */
export interface RejectedRow {
  row: number;
  reason: string;
  cells: readonly ScoreCell[];
}

/** One block turned into model input: the feature matrix, the id cells and the rows refused. */
export interface FeatureBlock {
  values: Float32Array;
  numRows: number;
  /** `ids[r]`: the id columns' cells of kept row r. */
  ids: ScoreCell[][];
  rejected: RejectedRow[];
}

/** What the scorer needs of a model to map columns. */
export type ColumnModel = Pick<XGBoostModel, 'featureNames' | 'numFeatures' | 'categories'>;

/**
 * Maps input columns to a model's features once (by feature_names, else by position), then
 * turns each block into a row-major Float32Array as pandas + XGBoost would read the same
 * cells: a number, empty/NA/NaN as missing. A bad cell is an {@link InputError} naming the
 * row and column, or, with `skipBadRows`, the row is set aside with the reason.
 *
 * @example
 * const features = new FeatureBlockReader(model, header, ['customer_id'], false);
 * const block = features.read(batch); // { values, numRows, ids, rejected }
 */
export class FeatureBlockReader {
  private readonly columns: number[];
  private readonly idColumns: number[];
  private readonly codes: (Map<string, number> | null)[];
  constructor(
    private readonly model: ColumnModel,
    private readonly header: readonly string[],
    ids: readonly string[],
    private readonly skipBadRows: boolean,
  ) {
    this.columns = featureColumns(model, header);
    this.idColumns = ids.map((name) => {
      const c = header.indexOf(name);
      if (c < 0) throw new InputError(`input has no id column '${name}' (columns: ${header.slice(0, 20).join(', ')})`);
      return c;
    });
    this.codes = model.categories.map((names) => (names ? new Map(names.map((name, code) => [name, code])) : null));
  }

  /** The feature matrix of one block; see the class. `into`, when large enough, receives the values (a reused buffer). */
  read(batch: ScoreInputBatch, into?: Float32Array): FeatureBlock {
    const F = this.model.numFeatures;
    const values = into && into.length >= batch.rows.length * F ? into : new Float32Array(batch.rows.length * F);
    const block: FeatureBlock = { values, numRows: 0, ids: [], rejected: [] };
    this.append(batch, 0, batch.rows.length, block);
    if (values.length !== block.numRows * F) block.values = values.subarray(0, block.numRows * F);
    return block;
  }

  /**
   * Appends rows [from, to) of `batch` to `block`: kept rows' features go to
   * `block.values` after its `numRows` rows (which must have room for them), ids and
   * rejections are pushed. Many small parsed batches can so fill one large block, while
   * each batch's row arrays die young (see scoreBatches).
   */
  append(batch: ScoreInputBatch, from: number, to: number, block: FeatureBlock): void {
    const F = this.model.numFeatures;
    const { values, ids, rejected } = block;
    let n = block.numRows;
    for (let r = from; r < to; r++) {
      const cells = batch.rows[r];
      const base = n * F;
      let reason: string | null = null;
      for (let f = 0; f < F; f++) {
        const c = this.columns[f];
        const x = this.number(cells[c], f);
        if (x === undefined) {
          reason = `column '${this.header[c]}': ${describeCell(cells[c])} is not ${this.codes[f] ? 'a known category' : 'a number'}`;
          break;
        }
        values[base + f] = x;
      }
      if (reason !== null) {
        const row = batch.firstRow + r;
        if (!this.skipBadRows) throw new InputError(`row ${row}, ${reason}`);
        rejected.push({ row, reason, cells });
        continue;
      }
      ids.push(this.idColumns.map((c) => cells[c]));
      n++;
    }
    block.numRows = n;
  }

  /** The feature value of a cell, NaN for missing, undefined for a cell that is neither. */
  private number(cell: ScoreCell, f: number): number | undefined {
    if (cell === null || cell === undefined || cell === '') return NaN;
    const codes = this.codes[f];
    if (typeof cell === 'number') return cell;
    if (typeof cell === 'bigint') return Number(cell);
    if (typeof cell === 'boolean') return cell ? 1 : 0;
    if (codes) {
      const code = codes.get(cell);
      return code === undefined ? undefined : code;
    }
    if (cell === 'NA' || cell === 'NaN' || cell === 'nan' || cell === 'N/A' || cell === 'null') return NaN;
    const x = Number(cell);
    // Number('') and Number(' ') are 0; a blank cell is missing (handled above), whitespace is not a number.
    if (Number.isNaN(x) || cell.trim() === '') return undefined;
    return x;
  }
}

function describeCell(cell: ScoreCell): string {
  const text = typeof cell === 'string' ? cell : String(cell);
  return `'${text.length > 40 ? `${text.slice(0, 40)}…` : text}'`;
}

/**
 * Which input column feeds each model feature: by the model's feature_names, else by position.
 *
 * @example
 * featureColumns({ featureNames: ['age', 'orders'], numFeatures: 2 }, ['id', 'orders', 'age']) // => [2, 1]
 */
export function featureColumns(model: Pick<ColumnModel, 'featureNames' | 'numFeatures'>, header: readonly string[]): number[] {
  if (model.featureNames) {
    const missing = model.featureNames.filter((name) => !header.includes(name));
    if (missing.length > 0) throw new InputError(`input lacks the model's feature column(s): ${missing.join(', ')}`);
    return model.featureNames.map((name) => header.indexOf(name));
  }
  if (header.length < model.numFeatures) throw new InputError(`input has ${header.length} columns, the model needs ${model.numFeatures}`);
  return Array.from({ length: model.numFeatures }, (_, f) => f);
}
