import { InputError, ModelFormatError } from '../errors.js';
import type { Estimator, EstimatorInput } from '../estimator.js';
import { frameInput, frameNumbers, inputFrame, isNamedInput, type Frame, type FrameColumn } from '../estimator-input.js';
import { stringsOrNullField, type DenseMatrix } from '../preprocess/matrix.js';

/** Stands for an input column no part reads (and which named input may leave out). */
const NOT_READ: FrameColumn = Object.freeze([]);

/** A transformer that can name its outputs after given input names (scikit-learn's `get_feature_names_out(input_features)`). */
interface NamesFor {
  outputNamesFor(inputNames: readonly string[]): readonly string[];
}

/** One part of a {@link ColumnTransformer}: a fitted transformer (or `'passthrough'`) and the input columns it reads. */
export interface ColumnPart {
  readonly name: string;
  readonly step: Estimator | 'passthrough';
  /** Input column indices, in the order the step reads them. */
  readonly columns: readonly number[];
}

/** JSON form of a {@link ColumnTransformer}. */
export interface ColumnTransformerJSON {
  type: 'ColumnTransformer';
  numFeaturesIn: number;
  featureNamesIn: string[] | null;
  verboseNames: boolean;
  parts: { name: string; columns: number[]; step: unknown }[];
}

/**
 * Different transformers for different input columns, their outputs side by side, as
 * scikit-learn's `ColumnTransformer`: each part reads its columns (by name when the input
 * is named and the transformer knows its input names, otherwise by position), a
 * `'passthrough'` part copies its columns as numbers, and dropped columns are simply in no
 * part (the remainder, when kept, is the last part, named `remainder`).
 *
 * @example
 * const ct = new ColumnTransformer([
 *   { name: 'num', step: scaler, columns: [0, 1] },
 *   { name: 'cat', step: oneHot, columns: [3] },
 *   { name: 'remainder', step: 'passthrough', columns: [2] },
 * ], { numFeaturesIn: 4, featureNamesIn: ['age', 'days', 'discount', 'location'] });
 * ct.transform([{ age: 35, days: 30, discount: 0, location: 'Delhi' }]).data;
 */
export class ColumnTransformer implements Estimator {
  readonly estimatorType = 'transformer' as const;
  readonly parts: readonly ColumnPart[];
  readonly numFeaturesIn: number;
  readonly featureNamesIn: readonly string[] | null;
  /** Output names `<part>__<name>` (scikit-learn's `verbose_feature_names_out`, the default). */
  readonly verboseNames: boolean;

  constructor(parts: readonly ColumnPart[], options: { numFeaturesIn: number; featureNamesIn?: readonly string[] | null; verboseNames?: boolean }) {
    this.numFeaturesIn = options.numFeaturesIn;
    this.featureNamesIn = options.featureNamesIn ?? null;
    this.verboseNames = options.verboseNames ?? true;
    if (this.featureNamesIn && this.featureNamesIn.length !== this.numFeaturesIn) {
      throw new ModelFormatError('ColumnTransformer.featureNamesIn', `has ${this.featureNamesIn.length} names for ${this.numFeaturesIn} columns`);
    }
    parts.forEach((p) => {
      if (p.columns.some((c) => !Number.isInteger(c) || c < 0 || c >= this.numFeaturesIn)) {
        throw new ModelFormatError(`ColumnTransformer.${p.name}.columns`, `must be column indices below ${this.numFeaturesIn}`);
      }
      if (p.step !== 'passthrough' && typeof p.step?.transform !== 'function') throw new ModelFormatError(`ColumnTransformer.${p.name}`, 'must be a transformer or "passthrough"');
      if (p.step !== 'passthrough' && p.step.numFeaturesIn !== p.columns.length) {
        throw new ModelFormatError(`ColumnTransformer.${p.name}`, `reads ${p.step.numFeaturesIn} columns, but ${p.columns.length} are selected`);
      }
    });
    this.parts = parts;
  }

  /**
   * Each part's output, concatenated column-wise in part order.
   *
   * @example
   * ct.transform(table).cols // total output width
   */
  transform(x: EstimatorInput): DenseMatrix {
    const frame = this.read(x);
    const outputs = this.parts.map((p) => {
      // Names go along only to a step that matches by name; one fitted on unnamed columns reads them by position.
      const byName = frame.names !== null && p.step !== 'passthrough' && p.step.featureNamesIn !== null;
      const sub: Frame = { rows: frame.rows, columns: p.columns.map((j) => frame.columns[j]), names: byName ? p.columns.map((j) => frame.names![j]) : null };
      const out = p.step === 'passthrough' ? frameNumbers(sub) : p.step.transform!(frameInput(sub));
      if (out.rows !== frame.rows) throw new InputError(`ColumnTransformer: part '${p.name}' returned ${out.rows} rows for ${frame.rows}`);
      return out;
    });
    const cols = outputs.reduce((n, o) => n + o.cols, 0);
    const data = new Float64Array(frame.rows * cols);
    let offset = 0;
    for (const o of outputs) {
      for (let i = 0; i < frame.rows; i++) data.set(o.data.subarray(i * o.cols, (i + 1) * o.cols), i * cols + offset);
      offset += o.cols;
    }
    return { data, rows: frame.rows, cols };
  }

  /**
   * The input's columns. Named input needs only the columns some part reads, as
   * scikit-learn asks only for the columns it does not drop.
   */
  private read(x: EstimatorInput): Frame {
    const names = this.featureNamesIn;
    if (!names || !isNamedInput(x)) return inputFrame(x, this, 'ColumnTransformer');
    const used = [...new Set(this.parts.flatMap((p) => p.columns))].sort((a, b) => a - b);
    const sub = inputFrame(x, { featureNamesIn: used.map((j) => names[j]), numFeaturesIn: used.length }, 'ColumnTransformer');
    const columns = new Array<FrameColumn>(this.numFeaturesIn).fill(NOT_READ);
    used.forEach((j, k) => (columns[j] = sub.columns[k]));
    return { rows: sub.rows, columns, names };
  }

  /**
   * Output names, `<part>__<name>` unless `verboseNames` is false.
   *
   * @example
   * ct.outputNames() // => ['num__age', 'num__days', 'cat__location_Delhi', …, 'remainder__discount']
   */
  outputNames(): string[] {
    return this.parts.flatMap((p) => {
      // As scikit-learn, parts name their outputs after this transformer's input names.
      const inputs = p.columns.map((j) => this.featureNamesIn?.[j] ?? `x${j}`);
      const step = p.step as Estimator & Partial<NamesFor>;
      const names =
        p.step === 'passthrough'
          ? inputs
          : step.outputNamesFor
            ? [...step.outputNamesFor(inputs)]
            : step.outputNames
              ? [...step.outputNames()]
              : inputs.map((_, k) => `${k}`);
      return this.verboseNames ? names.map((n) => `${p.name}__${n}`) : names;
    });
  }

  /**
   * JSON: each part's columns and its step's `toJSON()`, read back by {@link ColumnTransformer.fromJSON}.
   *
   * @example
   * JSON.stringify(ct);
   */
  toJSON(): ColumnTransformerJSON {
    return {
      type: 'ColumnTransformer',
      numFeaturesIn: this.numFeaturesIn,
      featureNamesIn: this.featureNamesIn ? [...this.featureNamesIn] : null,
      verboseNames: this.verboseNames,
      parts: this.parts.map((p) => ({ name: p.name, columns: [...p.columns], step: p.step === 'passthrough' ? p.step : p.step.toJSON() })),
    };
  }

  /**
   * Restores a column transformer; `revive` turns each part's JSON into an estimator.
   *
   * @example
   * const ct = ColumnTransformer.fromJSON(json, estimatorFromJSON);
   */
  static fromJSON(json: unknown, revive: (step: unknown) => Estimator): ColumnTransformer {
    if (json === null || typeof json !== 'object' || (json as { type?: unknown }).type !== 'ColumnTransformer') {
      throw new ModelFormatError('ColumnTransformer', 'expected a JSON object with type "ColumnTransformer"');
    }
    const j = json as Record<string, unknown>;
    const n = j.numFeaturesIn;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new ModelFormatError('ColumnTransformer.numFeaturesIn', 'must be a whole number');
    const names = stringsOrNullField(j, 'featureNamesIn', 'ColumnTransformer');
    if (!Array.isArray(j.parts)) throw new ModelFormatError('ColumnTransformer.parts', 'must be an array');
    const parts = j.parts.map((p: unknown, i: number): ColumnPart => {
      const o = (p ?? {}) as Record<string, unknown>;
      if (typeof o.name !== 'string' || !Array.isArray(o.columns) || o.columns.some((c) => !Number.isInteger(c))) {
        throw new ModelFormatError(`ColumnTransformer.parts[${i}]`, 'must have a name and integer columns');
      }
      return { name: o.name, columns: o.columns as number[], step: o.step === 'passthrough' ? 'passthrough' : revive(o.step) };
    });
    return new ColumnTransformer(parts, { numFeaturesIn: n, featureNamesIn: names, verboseNames: j.verboseNames !== false });
  }
}
