import { resolve } from 'node:path';
import { loadScoreModel } from '../../node/load-score-model.js';
import { isEstimator, type ScoreMethod } from '../../node/score-estimator.js';
import { scoreFile } from '../../node/score-file.js';
import { option, parseArgs, requireOption, UsageError } from '../args.js';
import type { Command, CliIO } from '../command.js';
import { withPath } from '../system-error.js';

const usage = `usage: retail-ml score --model <model> --input <in.csv|.arrow|.parquet> --output <out.csv|.jsonl|.arrow|.arrows|.parquet>
         [--id <column>]... [--threads N] [--output-kind value|margin] [--method predict|predict_proba|transform]
         [--skip-bad-rows <rejects.csv>]
       retail-ml score … --redis redis://host:port [--chunk-rows 100000]
  Scores every input row and writes the scores in input order, after the --id columns,
  streaming in blocks: memory stays flat for any file size (Arrow: one record batch per block,
  Parquet: one row group per block). Models: XGBoost files (.json .ubj .model .bin), the
  library's JSON models (forest train's forests, k-means, pipelines), pickles, joblib files
  and MLflow folders. Columns are matched to the model's feature names, else taken by position.
  Estimators write what 'retail-ml predict' writes (default method: predict_proba for
  classifiers, one proba_<class> column per class; predict for regressors and k-means;
  transform for transformers). --threads N scores an XGBoost model on N worker threads (default
  1); estimators score on the main thread. A bad cell stops the run naming its row, unless
  --skip-bad-rows names a file that receives each rejected row with the reason.
  With --redis, the input (CSV, on storage every worker reads) is cut into chunks of --chunk-rows
  rows, one BullMQ job each, scored by 'retail-ml worker' processes and assembled in order:
  the output (CSV or JSONL) is byte-identical to the local run.`;

export const scoreCommand: Command = {
  summary: 'score a big CSV, Arrow or Parquet file in bounded memory, locally or on BullMQ workers',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { options: ['model', 'input', 'output', 'id', 'threads', 'output-kind', 'skip-bad-rows', 'redis', 'chunk-rows', 'queue', 'method'] });
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const modelPath = resolve(io.cwd, requireOption(args, 'model'));
    const input = resolve(io.cwd, requireOption(args, 'input'));
    const output = resolve(io.cwd, requireOption(args, 'output'));
    const ids = args.options.get('id') ?? [];
    const kind = option(args, 'output-kind') ?? 'value';
    if (kind !== 'value' && kind !== 'margin') throw new UsageError(`--output-kind must be value or margin, got '${kind}'`);
    const threads = positive(option(args, 'threads') ?? '1', '--threads');
    const method = option(args, 'method') as ScoreMethod | undefined;
    if (method !== undefined && !['predict', 'predict_proba', 'transform'].includes(method)) throw new UsageError(`--method must be predict, predict_proba or transform, got '${method}'`);
    const rejectsOption = option(args, 'skip-bad-rows');
    const skipBadRows = rejectsOption === undefined ? undefined : resolve(io.cwd, rejectsOption);
    const redis = option(args, 'redis');
    const bar = progressBar(io);
    const started = Date.now();
    if (redis) {
      const chunkRows = positive(option(args, 'chunk-rows') ?? '100000', '--chunk-rows');
      const { scoreFileDistributed } = await import('../../adapters/bullmq/score-coordinator.js');
      const summary = await scoreFileDistributed({
        redis,
        model: modelPath,
        input,
        output,
        chunkRows,
        ids,
        outputKind: kind,
        method,
        skipBadRows,
        queue: option(args, 'queue'),
        onProgress: (p) => bar(p.rows, p.totalRows, `${p.chunksDone}/${p.chunks} chunks`),
      });
      bar.done();
      io.stderr(`retail-ml score: ${summary.rows} rows in ${summary.chunks} chunks, ${seconds(started)} s\n`);
      return 0;
    }
    if (option(args, 'chunk-rows') !== undefined) throw new UsageError('--chunk-rows needs --redis');
    let model;
    try {
      model = loadScoreModel(modelPath);
    } catch (error) {
      throw withPath(error, modelPath);
    }
    if (isEstimator(model) && threads > 1) io.stderr(`retail-ml score: note: --threads applies to XGBoost models; this ${model.estimatorType} scores on the main thread\n`);
    const summary = await scoreFile(model, input, output, { ids, output: kind, method, threads, skipBadRows, onProgress: (p) => bar(p.rows, null, `${(p.bytes / 2 ** 20).toFixed(0)} MiB read`) });
    bar.done();
    io.stderr(`retail-ml score: ${summary.rows} rows scored${summary.rejected ? `, ${summary.rejected} rejected` : ''}, ${seconds(started)} s\n`);
    return 0;
  },
};

function positive(text: string, name: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive integer, got '${text}'`);
  return n;
}

function seconds(since: number): string {
  return ((Date.now() - since) / 1000).toFixed(1);
}

/** A one-line progress bar on stderr, redrawn at most 10 times a second; silent unless stderr is a terminal. */
function progressBar(io: CliIO): ((rows: number, total: number | null, detail: string) => void) & { done(): void } {
  let last = 0;
  let drawn = false;
  const draw = (rows: number, total: number | null, detail: string) => {
    if (!io.stderrIsTTY) return;
    const now = Date.now();
    if (now - last < 100 && !(total !== null && rows >= total)) return;
    last = now;
    drawn = true;
    const width = 30;
    const filled = total ? Math.round((width * Math.min(rows, total)) / total) : 0;
    const bar = total ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` : '';
    io.stderr(`\r${bar}${rows.toLocaleString('en')}${total ? `/${total.toLocaleString('en')}` : ''} rows, ${detail}\u001b[K`);
  };
  return Object.assign(draw, { done: () => void (drawn && io.stderr('\n')) });
}
