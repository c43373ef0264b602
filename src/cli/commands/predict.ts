import { readFileSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { InputError } from '../../errors.js';
import { loadModelFile } from '../../node/load-model-file.js';
import { loadXGBoostFile } from '../../node/load-xgboost-file.js';
import { featureColumns } from '../../node/score-rows.js';
import type { XGBoostOutput } from '../../formats/xgboost/xgboost-model.js';
import { option, parseArgs, requireOption, UsageError } from '../args.js';
import type { Command } from '../command.js';
import { float32Text } from '../../features/float32-text.js';
import { csvInputBatches, readCsvInput } from '../input.js';
import { describeSystemError, isSystemError, withPath } from '../system-error.js';
import { scoreTable, type PredictMethod } from './predict-estimator.js';


const usage = `usage: retail-ml predict --model <.pkl|.joblib|.model|.bin|.json|.ubj|mlflow-folder> --input <rows.csv | ->
         [--method predict|predict_proba|transform] [--output value|margin|leaf]
         [--categories <names.json>] [--iteration-range <begin>:<end>] [--best-iteration]
  Scores every CSV row (header required; columns matched by name when the model stores its
  input names, else taken by position; an empty cell, NA or NaN is missing) and writes CSV
  with a header to stdout. XGBoost files (.json .ubj .model .bin) score as a Booster;
  pickles, joblib files and MLflow folders as the estimator they hold (default method:
  predict_proba for classifiers, predict for regressors and k-means, transform for transformers).
  Pickles are read safely: a file naming anything outside the allow-list is refused.
  XGBoost files are read and scored in blocks (memory stays flat for any size); - reads stdin.
  An early-stopped model scores every round (XGBoost's Booster.predict) unless --best-iteration
  (rounds [0, best_iteration + 1), as XGBoost's sklearn wrapper) or --iteration-range is given;
  a note on stderr says so.`;

const XGBOOST_FILES = new Set(['.json', '.ubj', '.model', '.bin']);
const METHODS: readonly PredictMethod[] = ['predict', 'predict_proba', 'transform'];

export const predictCommand: Command = {
  summary: 'score a CSV file with a model file: XGBoost, pickle, joblib or an MLflow folder',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { options: ['model', 'input', 'output', 'categories', 'iteration-range', 'method'], flags: ['best-iteration'] });
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const output = (option(args, 'output') ?? 'value') as XGBoostOutput;
    if (!['value', 'margin', 'leaf'].includes(output)) throw new UsageError(`--output must be value, margin or leaf, got '${output}'`);
    const method = option(args, 'method') as PredictMethod | undefined;
    if (method !== undefined && !METHODS.includes(method)) throw new UsageError(`--method must be predict, predict_proba or transform, got '${method}'`);
    const modelPath = resolve(io.cwd, requireOption(args, 'model'));
    const isXGBoostFile = XGBOOST_FILES.has(extname(modelPath).toLowerCase()) && !isFolder(modelPath);
    if (!isXGBoostFile || method !== undefined) {
      for (const name of ['categories', 'iteration-range']) if (option(args, name) !== undefined) throw new UsageError(`--${name} applies to XGBoost model files without --method`);
      if (args.flags.has('best-iteration')) throw new UsageError('--best-iteration applies to XGBoost model files without --method');
      let estimator;
      try {
        estimator = loadModelFile(modelPath);
      } catch (error) {
        throw withPath(error, modelPath);
      }
      const rows = await readCsvInput(requireOption(args, 'input'), io, { inferTypes: false });
      io.stdout(scoreTable(estimator, rows, method, output as 'value' | 'margin' | 'leaf'));
      return 0;
    }
    const iterationRange = parseRange(option(args, 'iteration-range'));
    const categoriesPath = option(args, 'categories');
    const categories = categoriesPath ? readCategories(resolve(io.cwd, categoriesPath)) : undefined;

    const useBestIteration = args.flags.has('best-iteration');
    let model;
    try {
      model = loadXGBoostFile(modelPath, { categories, useBestIteration });
    } catch (error) {
      throw withPath(error, modelPath);
    }
    // XGBoost itself answers two ways for an early-stopped model, so say which one this is.
    // (1.7's xgb.train writes best_iteration even without early stopping: then nothing differs.)
    const best = model.bestIteration;
    if (best !== null && best + 1 < model.numRounds && model.ensemble && !useBestIteration && iterationRange === undefined) {
      io.stderr(
        `retail-ml predict: note: the model stopped early at round ${best} of ${model.numRounds}; scoring every round as Booster.predict does ` +
          `(--best-iteration scores rounds 0:${best + 1} as the sklearn wrapper's predict does; --iteration-range 0:${model.numRounds} silences this note)\n`,
      );
    }
    const batches = await csvInputBatches(requireOption(args, 'input'), io, { inferTypes: false });

    // Scored and written one batch at a time, so memory stays flat for any input size.
    let columns: number[] | undefined;
    let names: string[] | undefined;
    for await (const batch of batches) {
      const header = batch.columnNames;
      columns ??= featureColumns(model, header);
      const rows: (number | string | null)[][] = batch.rows.map((cells, r) =>
        columns!.map((c, f) => {
          const text = cells[c];
          if (text === null || text === '') return null;
          if (model.categories[f]) return text;
          const value = Number(text);
          if (Number.isNaN(value) && text.trim() !== 'NaN') throw new InputError(`row ${batch.firstRow + r}, column '${header[c]}': '${text}' is not a number`);
          return value;
        }),
      );
      const values = model.predict(rows, { output, iterationRange });
      const width = values.length / rows.length;
      let text = '';
      if (names === undefined) {
        names = width === 1 ? [output] : Array.from({ length: width }, (_, k) => `${output}_${k}`);
        text += names.join(',') + '\n';
      }
      for (let r = 0; r < rows.length; r++) {
        const line: string[] = [];
        for (let k = 0; k < width; k++) line.push(output === 'leaf' ? String(values[r * width + k]) : float32Text(values[r * width + k]));
        text += line.join(',') + '\n';
      }
      io.stdout(text);
      await io.drain?.();
    }
    if (names === undefined) io.stdout('\n');
    return 0;
  },
};

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function parseRange(text: string | undefined): [number, number] | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+):(\d+)$/.exec(text);
  if (!match) throw new UsageError(`--iteration-range must look like <begin>:<end>, got '${text}'`);
  return [Number(match[1]), Number(match[2])];
}

function readCategories(path: string): Record<string, string[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InputError(`--categories ${isSystemError(error) ? describeSystemError(withPath(error, path) as typeof error) : error instanceof Error ? error.message : String(error)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InputError('--categories must be a JSON object mapping feature name to a list of category names');
  const out: Record<string, string[]> = Object.create(null);
  for (const [name, list] of Object.entries(parsed as Record<string, unknown>)) {
    if (!Array.isArray(list) || list.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
      throw new InputError(`--categories: '${name}' must map to a list of category names`);
    }
    out[name] = list.map(String);
  }
  return out;
}
