import { InputError } from '../../errors.js';
import type { Estimator } from '../../estimator.js';
import type { Table } from '../../features/table.js';
import { XGBoostEstimator } from '../../formats/pickle/xgboost-estimator.js';
import { UsageError } from '../args.js';
import { float32Text } from '../../features/float32-text.js';

export type PredictMethod = 'predict' | 'predict_proba' | 'transform';

/**
 * Scores a CSV table with any loaded estimator and returns CSV text with a header:
 * `predict_proba` one column per class, `transform` one per output feature, `predict` the
 * labels or values as the estimator returns them; `--output margin|leaf` are XGBoost's.
 * Columns are matched by name when the estimator knows its input names, else by position.
 *
 * @example
 * scoreTable(loadModelFile('model.pkl'), readCsv(text, { inferTypes: false }), undefined, 'value')
 */
export function scoreTable(est: Estimator, table: Table, method: PredictMethod | undefined, output: 'value' | 'margin' | 'leaf'): string {
  const rows = inputRows(est, table);
  const isXGBoost = est instanceof XGBoostEstimator;
  const num = (v: number) => (isXGBoost ? float32Text(v) : String(v));
  if (output !== 'value') {
    if (!isXGBoost) throw new UsageError(`--output ${output} needs an XGBoost model`);
    if (method !== undefined) throw new UsageError(`--output ${output} cannot be combined with --method`);
    const values = output === 'margin' ? est.predictMargin(rows) : est.predictLeaf(rows);
    const width = table.numRows === 0 ? 0 : values.length / table.numRows;
    const fmt = output === 'leaf' ? String : num;
    return csv(width === 1 ? [output] : Array.from({ length: width }, (_, k) => `${output}_${k}`), table.numRows, width, (r, k) => fmt(values[r * width + k]));
  }
  const chosen = method ?? defaultMethod(est);
  if (chosen === 'predict_proba') {
    if (est.estimatorType !== 'classifier' || !est.predictProba) throw new UsageError(`--method predict_proba needs a classifier; this model is a ${est.estimatorType}`);
    const p = est.predictProba(rows);
    const classes = est.classes ?? Array.from({ length: p.cols }, (_, k) => k);
    return csv(classes.map((c) => `proba_${String(c)}`), p.rows, p.cols, (r, k) => num(p.data[r * p.cols + k]));
  }
  if (chosen === 'transform') {
    if (!est.transform) throw new UsageError(`--method transform needs a transformer; this model is a ${est.estimatorType}`);
    const m = est.transform(rows);
    const names = est.outputNames?.() ?? Array.from({ length: m.cols }, (_, k) => `x${k}`);
    return csv(names, m.rows, m.cols, (r, k) => String(m.data[r * m.cols + k]));
  }
  if (!est.predict) throw new UsageError(`this ${est.estimatorType} has no predict`);
  const values = est.predict(rows);
  const width = table.numRows === 0 ? 1 : values.length / table.numRows;
  const cell = (v: unknown) => (typeof v === 'number' ? (isXGBoost && est.estimatorType !== 'classifier' ? float32Text(v) : String(v)) : String(v));
  return csv(width === 1 ? ['predict'] : Array.from({ length: width }, (_, k) => `predict_${k}`), table.numRows, width, (r, k) => cell(values[r * width + k]));
}

/** scikit-learn's convention: probabilities for classifiers, predict for regressors and k-means, transform otherwise. */
function defaultMethod(est: Estimator): PredictMethod {
  if (est.estimatorType === 'classifier' && est.predictProba) return 'predict_proba';
  if (est.estimatorType === 'transformer') return 'transform';
  return 'predict';
}

function inputRows(est: Estimator, table: Table): unknown[][] {
  const header = table.columnNames;
  let columns: string[];
  if (est.featureNamesIn) {
    const missing = est.featureNamesIn.filter((name) => !header.includes(name));
    if (missing.length > 0) throw new InputError(`input lacks the model's column(s): ${missing.join(', ')}`);
    columns = [...est.featureNamesIn];
  } else {
    if (header.length < est.numFeaturesIn) throw new InputError(`input has ${header.length} columns, the model needs ${est.numFeaturesIn}`);
    columns = header.slice(0, est.numFeaturesIn);
  }
  const cells = columns.map((c) => table.strings(c));
  const rows: unknown[][] = [];
  for (let r = 0; r < table.numRows; r++) {
    rows.push(
      cells.map((column) => {
        const text = column[r];
        if (text === null || text === '' || text === 'NA') return null;
        const value = Number(text);
        // Numbers where the text is one; other text stays a string (category names for encoders).
        return Number.isNaN(value) && text.trim() !== 'NaN' ? text : value;
      }),
    );
  }
  return rows;
}

function csv(header: readonly string[], rows: number, width: number, cell: (r: number, k: number) => string): string {
  const lines = [header.map(quote).join(',')];
  for (let r = 0; r < rows; r++) {
    const line: string[] = [];
    for (let k = 0; k < width; k++) line.push(quote(cell(r, k)));
    lines.push(line.join(','));
  }
  return lines.join('\n') + '\n';
}

function quote(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
