import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError, ModelFormatError } from '../../errors.js';
import { readCsvInput, readSniffedCsvInput } from '../input.js';
import { readNamedFile } from '../system-error.js';
import type { Table } from '../../features/table.js';
import { fitKMeans, predictKMeans } from '../../cluster/kmeans.js';
import { calinskiHarabaszScore, clusterInertia, daviesBouldinScore, silhouetteScore } from '../../cluster/quality.js';
import type { DenseMatrix } from '../../preprocess/matrix.js';
import type { Command, CliIO } from '../command.js';
import { option, parseArgs, requireOption, UsageError } from '../args.js';

const usage = `usage:
  retail-ml kmeans fit    --input <csv> --k <n> [--seed 0] [--n-init 10] [--max-iter 300] [--columns a,b] [--delimiter tab] --out <model.json>
  retail-ml kmeans assign --model <model.json> --input <csv> [--delimiter tab]      prints one cluster per row (CSV)
  retail-ml kmeans score  --input <csv> --labels <column> [--delimiter tab] [--json]
Numeric columns are used as given (no scaling). A tab-separated file is detected from its header line.
`;

async function loadTable(io: CliIO, path: string, delimiter: string | undefined): Promise<Table> {
  if (delimiter === undefined) return readSniffedCsvInput(path, io);
  const d = delimiter === 'tab' ? '\t' : delimiter;
  if (d !== ',' && d !== '\t' && d !== ';' && d !== '|') throw new UsageError(`--delimiter must be one of , ; | tab`);
  return readCsvInput(path, io, { delimiter: d });
}

function numericMatrix(table: Table, names: readonly string[]): DenseMatrix {
  const cols = names.length;
  const data = new Float64Array(table.numRows * cols);
  names.forEach((name, j) => {
    if (!table.has(name)) throw new InputError(`column '${name}' is not in the input`);
    if (table.column(name).kind !== 'number') throw new InputError(`column '${name}' is not numeric`);
    const v = table.numbers(name);
    for (let i = 0; i < table.numRows; i++) {
      if (Number.isNaN(v[i])) throw new InputError(`row ${i + 1}, column ${name}: missing value (k-means needs every cell)`);
      data[i * cols + j] = v[i];
    }
  });
  return { data, rows: table.numRows, cols };
}

function numericColumns(table: Table, except?: string): string[] {
  return table.columnNames.filter((n) => n !== except && table.column(n).kind === 'number');
}

function intOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a non-negative integer`);
  return Number(value);
}

async function fit(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { options: ['input', 'k', 'seed', 'n-init', 'max-iter', 'columns', 'delimiter', 'out'] });
  const table = await loadTable(io, requireOption(args, 'input'), option(args, 'delimiter'));
  const k = intOption(requireOption(args, 'k'), 'k', 0);
  const seed = intOption(option(args, 'seed'), 'seed', 0);
  const columns = option(args, 'columns')?.split(',').map((s) => s.trim()) ?? numericColumns(table);
  if (columns.length === 0) throw new InputError('the input has no numeric columns');
  const x = numericMatrix(table, columns);
  const r = fitKMeans(x, { k, seed, nInit: intOption(option(args, 'n-init'), 'n-init', 10), maxIter: intOption(option(args, 'max-iter'), 'max-iter', 300) });
  const model = {
    type: 'KMeans',
    columns,
    seed,
    centroids: Array.from({ length: k }, (_, c) => Array.from(r.centroids.data.subarray(c * columns.length, (c + 1) * columns.length))),
    sizes: Array.from(r.sizes),
    inertia: r.inertia,
    iterations: r.iterations,
  };
  const out = requireOption(args, 'out');
  await writeFile(resolve(io.cwd, out), JSON.stringify(model, null, 1) + '\n');
  io.stdout(`k=${k} on ${x.rows} rows × ${columns.length} columns: inertia ${r.inertia}, ${r.iterations} iterations, sizes ${model.sizes.join('/')}\nmodel written to ${out}\n`);
  return 0;
}

async function assign(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { options: ['model', 'input', 'delimiter'] });
  const modelPath = requireOption(args, 'model');
  const text = await readNamedFile(resolve(io.cwd, modelPath));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ModelFormatError(modelPath, 'is not valid JSON');
  }
  const obj = json as { type?: unknown; columns?: unknown; centroids?: unknown };
  if (!obj || obj.type !== 'KMeans' || !Array.isArray(obj.columns) || !obj.columns.every((c) => typeof c === 'string')) {
    throw new ModelFormatError(modelPath, 'not a retail-ml kmeans model (type "KMeans" with columns)');
  }
  const columns = obj.columns as string[];
  const cents = obj.centroids;
  if (!Array.isArray(cents) || cents.length === 0) throw new ModelFormatError(`${modelPath}: centroids`, 'must be a non-empty array');
  const data = new Float64Array(cents.length * columns.length);
  cents.forEach((row, c) => {
    if (!Array.isArray(row) || row.length !== columns.length || !row.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new ModelFormatError(`${modelPath}: centroids[${c}]`, `must be ${columns.length} finite numbers`);
    }
    data.set(row as number[], c * columns.length);
  });
  const table = await loadTable(io, requireOption(args, 'input'), option(args, 'delimiter'));
  const x = numericMatrix(table, columns);
  const labels = predictKMeans({ data, rows: cents.length, cols: columns.length }, x);
  io.stdout('cluster\n' + Array.from(labels).join('\n') + (labels.length ? '\n' : ''));
  return 0;
}

async function score(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { options: ['input', 'labels', 'delimiter'], flags: ['json'] });
  const table = await loadTable(io, requireOption(args, 'input'), option(args, 'delimiter'));
  const labelColumn = requireOption(args, 'labels');
  if (!table.has(labelColumn)) throw new InputError(`label column '${labelColumn}' is not in the input`);
  const col = table.column(labelColumn);
  const labels: (number | string)[] = col.kind === 'number' ? Array.from(col.values) : table.strings(labelColumn).map((s) => s ?? '');
  if (col.kind === 'number' && labels.some((v) => Number.isNaN(v))) throw new InputError(`label column '${labelColumn}' has missing values`);
  const columns = numericColumns(table, labelColumn);
  if (columns.length === 0) throw new InputError('the input has no numeric feature columns');
  const x = numericMatrix(table, columns);
  const result = {
    silhouette: silhouetteScore(x, labels),
    daviesBouldin: daviesBouldinScore(x, labels),
    calinskiHarabasz: calinskiHarabaszScore(x, labels),
    inertia: clusterInertia(x, labels),
  };
  if (args.flags.has('json')) io.stdout(JSON.stringify(result) + '\n');
  else {
    io.stdout(
      `rows ${x.rows}, features ${columns.length} (${columns.join(', ')})\n` +
        `silhouette         ${result.silhouette}\ndavies-bouldin     ${result.daviesBouldin}\n` +
        `calinski-harabasz  ${result.calinskiHarabasz}\ninertia            ${result.inertia}\n`,
    );
  }
  return 0;
}

/** `retail-ml kmeans fit|assign|score`: k-means on the numeric columns of a CSV file. */
export const kmeansCommand: Command = {
  summary: 'k-means: fit a model on a CSV, assign rows to clusters, score a labelling',
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'fit') return fit(rest, io);
    if (sub === 'assign') return assign(rest, io);
    if (sub === 'score') return score(rest, io);
    throw new UsageError(sub === undefined ? 'missing sub-command' : `unknown sub-command '${sub}'`);
  },
};
