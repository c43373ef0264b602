import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { Table, writeCsv } from '../../features/index.js';
import type { Column } from '../../features/index.js';
import { RandomForestClassifier, loadSklearnTrees, stratifiedSplit } from '../../forest/index.js';
import type { ClassLabel, MaxFeatures } from '../../forest/index.js';
import {
  accuracy,
  averagePrecision,
  confusionMatrix,
  f1Score,
  logLoss,
  precision,
  precisionRecallChart,
  precisionRecallCurve,
  recall,
  rocAuc,
  rocChart,
  rocCurve,
  thresholdForRecall,
} from '../../metrics/index.js';
import { readCsvInput } from '../input.js';
import { readNamedFile } from '../system-error.js';
import { countTrained, decodeRowHashes, encodeRowHashes, rowHashes, type TrainingRecord } from './training-rows.js';
import { option, parseArgs, requireOption, UsageError } from '../args.js';
import type { CliIO, Command } from '../command.js';

const usage = `usage: retail-ml forest train    --input <features.csv> --target <column> --out <model.json>
                          [--exclude col1,col2] [--trees 100] [--max-depth N] [--min-samples-split 2]
                          [--min-samples-leaf 1] [--max-features sqrt|log2|all|N|0.x]
                          [--criterion gini|entropy] [--class-weight balanced|balanced_subsample] [--seed 0]
                          [--test-size 0.2]
       retail-ml forest predict  --model <model.json> --input <features.csv> [--out <predictions.csv>] [--id <column>]
       retail-ml forest evaluate --model <model.json> --input <features.csv> --target <column>
                          [--threshold 0.5] [--recall 1] [--charts <dir>] [--test-size 0.2 [--seed N]]
  Models are sklearn-trees JSON: written by 'forest train' or exported from scikit-learn with
  models/forest/export_sklearn.py. Feature columns are matched by name (the model's feature_names).
  train uses every numeric column except the target and --exclude; progress goes to stderr.
  predict prints CSV: the --id column if given, then proba_<class> per class and prediction.
  evaluate prints a metrics table for the positive class 1 and the threshold reaching --recall.
  --test-size F holds out a stratified, seeded fraction F of the rows: train learns from the
  rest, evaluate (same input, F and seed; the model remembers its seed) scores only those.
  evaluate warns on stderr when 10% or more of the rows it scores were used to train the model. --input - reads stdin.`;

function numberOption(value: string | undefined, name: string, check: (x: number) => boolean): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || !check(x)) throw new UsageError(`--${name} ${value} is not valid`);
  return x;
}

function featureMatrix(table: Table, names: readonly string[]) {
  const d = names.length;
  const data = new Float32Array(table.numRows * d);
  names.forEach((name, j) => {
    if (!table.has(name)) throw new InputError(`the input has no feature column '${name}'`);
    const values = table.numbers(name);
    for (let i = 0; i < values.length; i++) {
      if (Number.isNaN(values[i])) throw new InputError(`row ${i + 1}, column ${name}: missing or not a number`);
      data[i * d + j] = values[i];
    }
  });
  return { data, numRows: table.numRows, numFeatures: d };
}

function labelsOf(table: Table, target: string): ClassLabel[] {
  if (!table.has(target)) throw new InputError(`the input has no target column '${target}'`);
  const column = table.column(target);
  if (column.kind === 'number') {
    return Array.from(column.values, (v, i) => {
      if (Number.isNaN(v)) throw new InputError(`row ${i + 1}, column ${target}: the target is missing`);
      return v;
    });
  }
  return table.strings(target).map((v, i) => {
    if (v === null) throw new InputError(`row ${i + 1}, column ${target}: the target is missing`);
    return v;
  });
}

async function loadModel(io: CliIO, path: string) {
  const text = await readNamedFile(resolve(io.cwd, path));
  const model = loadSklearnTrees(text);
  // Only models from 'forest train' say which rows they learnt from; exports from scikit-learn do not.
  let training: Partial<TrainingRecord> | undefined;
  try {
    const raw = (JSON.parse(text) as { retail_ml_training?: unknown }).retail_ml_training;
    if (raw !== null && typeof raw === 'object') training = raw as Partial<TrainingRecord>;
  } catch {
    training = undefined;
  }
  return { model, training };
}

function rowsOf(x: { data: Float32Array; numRows: number; numFeatures: number }, rows: Int32Array): ReturnType<typeof featureMatrix> {
  const d = x.numFeatures;
  const data = new Float32Array(rows.length * d);
  rows.forEach((r, i) => data.set(x.data.subarray(r * d, (r + 1) * d), i * d));
  return { data, numRows: rows.length, numFeatures: d };
}

async function train(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { options: ['input', 'target', 'out', 'exclude', 'trees', 'max-depth', 'min-samples-split', 'min-samples-leaf', 'max-features', 'criterion', 'class-weight', 'seed', 'test-size'] });
  const testSize = numberOption(option(args, 'test-size'), 'test-size', (x) => x > 0 && x < 1);
  const seed = numberOption(option(args, 'seed'), 'seed', Number.isInteger) ?? 0;
  const target = requireOption(args, 'target');
  const out = requireOption(args, 'out');
  const exclude = new Set((option(args, 'exclude') ?? '').split(',').filter(Boolean));
  const criterion = option(args, 'criterion') ?? 'gini';
  if (criterion !== 'gini' && criterion !== 'entropy') throw new UsageError('--criterion must be gini or entropy');
  const classWeight = option(args, 'class-weight');
  if (classWeight !== undefined && classWeight !== 'balanced' && classWeight !== 'balanced_subsample') throw new UsageError('--class-weight must be balanced or balanced_subsample');
  const mf = option(args, 'max-features');
  const maxFeatures: MaxFeatures | undefined = mf === undefined ? undefined : mf === 'sqrt' || mf === 'log2' || mf === 'all' ? mf : numberOption(mf, 'max-features', (x) => x > 0);
  const table = await readCsvInput(requireOption(args, 'input'), io);
  const names = table.columnNames.filter((n) => n !== target && !exclude.has(n) && table.column(n).kind !== 'string');
  if (names.length === 0) throw new InputError('no numeric feature columns left to train on');
  const trees = numberOption(option(args, 'trees'), 'trees', (x) => Number.isInteger(x) && x >= 1) ?? 100;
  let lastShown = -1;
  const forest = new RandomForestClassifier({
    nEstimators: trees,
    maxDepth: numberOption(option(args, 'max-depth'), 'max-depth', (x) => Number.isInteger(x) && x >= 1),
    minSamplesSplit: numberOption(option(args, 'min-samples-split'), 'min-samples-split', (x) => Number.isInteger(x) && x >= 2),
    minSamplesLeaf: numberOption(option(args, 'min-samples-leaf'), 'min-samples-leaf', (x) => Number.isInteger(x) && x >= 1),
    maxFeatures,
    criterion,
    classWeight: (classWeight as 'balanced' | 'balanced_subsample' | undefined) ?? null,
    seed,
    featureNames: names,
    onProgress: (done, total) => {
      const pct = Math.floor((100 * done) / total / 10) * 10;
      if (pct !== lastShown) {
        lastShown = pct;
        io.stderr(`trained ${done}/${total} trees\n`);
      }
    },
  });
  let x = featureMatrix(table, names);
  let y = labelsOf(table, target);
  if (testSize !== undefined) {
    const { train: kept, test } = stratifiedSplit(y, testSize, seed);
    x = rowsOf(x, kept);
    y = Array.from(kept, (r) => y[r]);
    io.stderr(`held out ${test.length} of ${table.numRows} rows (stratified, seed ${seed}); score them with: forest evaluate --test-size ${testSize} --seed ${seed}\n`);
  }
  forest.fit(x, y);
  const training: TrainingRecord = { rows: x.numRows, ...(testSize !== undefined ? { test_size: testSize } : {}), seed, row_hashes: encodeRowHashes(rowHashes(x, y)) };
  await writeFile(resolve(io.cwd, out), JSON.stringify({ ...forest.toJSON(), retail_ml_training: training }));
  io.stdout(`wrote ${out}: ${trees} trees on ${x.numRows} rows × ${names.length} features, classes ${JSON.stringify(forest.classes)}\n`);
  return 0;
}

function modelFeatureNames(model: { featureNames: readonly string[] | undefined; numFeatures: number }, table: Table, exclude: readonly string[]): readonly string[] {
  if (model.featureNames) return model.featureNames;
  const names = table.columnNames.filter((n) => !exclude.includes(n));
  if (names.length !== model.numFeatures) throw new InputError(`the model has no feature names and the input has ${names.length} columns, expected ${model.numFeatures}`);
  return names;
}

async function predict(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { options: ['model', 'input', 'out', 'id'] });
  const { model } = await loadModel(io, requireOption(args, 'model'));
  const id = option(args, 'id');
  const table = await readCsvInput(requireOption(args, 'input'), io, id ? { types: new Map([[id, 'string' as const]]) } : {});
  if (id && !table.has(id)) throw new InputError(`the input has no id column '${id}'`);
  const names = modelFeatureNames(model, table, id ? [id] : []);
  const proba = model.predictProba(featureMatrix(table, names));
  const k = model.classes.length;
  const columns: [string, Column][] = [];
  if (id) columns.push([id, table.column(id)]);
  model.classes.forEach((c, j) => columns.push([`proba_${String(c)}`, { kind: 'number', values: Float64Array.from({ length: table.numRows }, (_, i) => proba[i * k + j]) }]));
  const predicted = model.predict(featureMatrix(table, names));
  columns.push(['prediction', { kind: 'string', values: predicted.map((p) => String(p)) }]);
  const csv = writeCsv(Table.fromColumns(columns));
  const out = option(args, 'out');
  if (out) {
    await writeFile(resolve(io.cwd, out), csv);
    io.stdout(`wrote ${out}: ${table.numRows} rows\n`);
  } else io.stdout(csv);
  return 0;
}

async function evaluate(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { options: ['model', 'input', 'target', 'threshold', 'recall', 'charts', 'test-size', 'seed'] });
  const { model, training } = await loadModel(io, requireOption(args, 'model'));
  const testSize = numberOption(option(args, 'test-size'), 'test-size', (x) => x > 0 && x < 1);
  // The split train made: same input, same fraction, same seed (the model remembers its seed).
  const seed = numberOption(option(args, 'seed'), 'seed', Number.isInteger) ?? (typeof training?.seed === 'number' ? training.seed : 0);
  const target = requireOption(args, 'target');
  const threshold = numberOption(option(args, 'threshold'), 'threshold', (x) => x >= 0 && x <= 1) ?? 0.5;
  const wantedRecall = numberOption(option(args, 'recall'), 'recall', (x) => x > 0 && x <= 1) ?? 1;
  const table = await readCsvInput(requireOption(args, 'input'), io);
  const names = modelFeatureNames(model, table, [target]);
  const positive = model.classes.findIndex((c) => c === 1 || c === true);
  if (model.classes.length !== 2 || positive < 0) throw new InputError(`evaluate needs a binary model with classes 0/1, got ${JSON.stringify(model.classes)}`);
  let labels = labelsOf(table, target);
  let x = featureMatrix(table, names);
  if (testSize !== undefined) {
    const { test } = stratifiedSplit(labels, testSize, seed);
    x = rowsOf(x, test);
    labels = Array.from(test, (r) => labels[r]);
  }
  const trained = decodeRowHashes(training?.row_hashes);
  if (trained) {
    const seen = countTrained(rowHashes(x, labels), trained);
    // A few identical rows on both sides are normal in real data; a tenth or more is evaluating on the training set.
    if (seen > 0 && seen >= 0.1 * x.numRows) {
      io.stderr(
        `warning: ${seen} of ${x.numRows} evaluated rows were used to train this model, so these metrics are optimistic; ` +
          `hold rows out with forest train --test-size F and score them with forest evaluate --test-size F\n`,
      );
    }
  }
  const yTrue: number[] = labels.map((v) => (v === 1 || v === '1' || v === true ? 1 : 0));
  const proba = model.predictProba(x);
  const scores = Array.from({ length: x.numRows }, (_, i) => proba[i * 2 + positive]);
  const yPred = scores.map((s) => (s >= threshold ? 1 : 0));
  const cm = confusionMatrix(yTrue, yPred, [0, 1]).matrix;
  const op = thresholdForRecall(yTrue, scores, wantedRecall);
  const auc = rocAuc(yTrue, scores);
  const ap = averagePrecision(yTrue, scores);
  const lines = [
    `| metric | value |`,
    `|---|---|`,
    `| rows | ${x.numRows}${testSize !== undefined ? ` (held out: --test-size ${testSize}, seed ${seed})` : ''} |`,
    `| accuracy @ ${threshold} | ${accuracy(yTrue, yPred).toFixed(4)} |`,
    `| precision @ ${threshold} | ${precision(yTrue, yPred).toFixed(4)} |`,
    `| recall @ ${threshold} | ${recall(yTrue, yPred).toFixed(4)} |`,
    `| F1 @ ${threshold} | ${f1Score(yTrue, yPred).toFixed(4)} |`,
    `| confusion [[TN, FP], [FN, TP]] | ${JSON.stringify(cm)} |`,
    `| ROC AUC | ${auc.toFixed(4)} |`,
    `| average precision | ${ap.toFixed(4)} |`,
    `| log loss | ${logLoss(yTrue, scores).toFixed(4)} |`,
    `| threshold for recall ≥ ${wantedRecall} | ${op.threshold} (recall ${op.recall.toFixed(4)}, precision ${op.precision.toFixed(4)}, flags ${op.flagged} rows) |`,
  ];
  io.stdout(lines.join('\n') + '\n');
  const charts = option(args, 'charts');
  if (charts) {
    const dir = resolve(io.cwd, charts);
    await mkdir(dir, { recursive: true });
    const positives = yTrue.reduce((a, b) => a + b, 0);
    await writeFile(join(dir, 'roc.svg'), rocChart(rocCurve(yTrue, scores), { auc }));
    await writeFile(join(dir, 'precision-recall.svg'), precisionRecallChart(precisionRecallCurve(yTrue, scores), { averagePrecision: ap, positiveRate: positives / yTrue.length }));
    io.stdout(`wrote ${join(charts, 'roc.svg')} and ${join(charts, 'precision-recall.svg')}\n`);
  }
  return 0;
}

export const forestCommand: Command = {
  summary: 'train, apply and evaluate random forests (ours or exported from scikit-learn)',
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'train') return train(rest, io);
    if (sub === 'predict') return predict(rest, io);
    if (sub === 'evaluate') return evaluate(rest, io);
    throw new UsageError(sub === undefined ? 'missing sub-command: train, predict or evaluate' : `unknown sub-command '${sub}'`);
  },
};
