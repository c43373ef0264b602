import { resolve } from 'node:path';
import { loadXGBoostFile } from '../../node/load-xgboost-file.js';
import { scoreFile } from '../../node/score-file.js';
import { option, parseArgs, requireOption, UsageError } from '../args.js';
import type { Command, CliIO } from '../command.js';
import { withPath } from '../system-error.js';

const usage = `usage: retail-ml score --model <model.json|.ubj> --input <in.csv|.arrow|.parquet> --output <out.csv|.jsonl>
         [--id <column>]... [--threads N] [--output-kind value|margin] [--skip-bad-rows <rejects.csv>]
       retail-ml score … --redis redis://host:port [--chunk-rows 100000]
  Scores every input row with an XGBoost model and writes the scores in input order, after the
  --id columns, streaming in blocks: memory stays flat for any file size. Columns are matched to
  the model's feature_names, else taken by position. --threads N scores on N worker threads
  (default 1). A bad cell stops the run naming its row, unless --skip-bad-rows names a file that
  receives each rejected row with the reason.
  With --redis, the input (CSV, on storage every worker reads) is cut into chunks of --chunk-rows
  rows, one BullMQ job each, scored by 'retail-ml worker' processes and assembled in order:
  the output is byte-identical to the local run.`;

export const scoreCommand: Command = {
  summary: 'score a big CSV, Arrow or Parquet file in bounded memory, locally or on BullMQ workers',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { options: ['model', 'input', 'output', 'id', 'threads', 'output-kind', 'skip-bad-rows', 'redis', 'chunk-rows', 'queue'] });
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const modelPath = resolve(io.cwd, requireOption(args, 'model'));
    const input = resolve(io.cwd, requireOption(args, 'input'));
    const output = resolve(io.cwd, requireOption(args, 'output'));
    const ids = args.options.get('id') ?? [];
    const kind = option(args, 'output-kind') ?? 'value';
    if (kind !== 'value' && kind !== 'margin') throw new UsageError(`--output-kind must be value or margin, got '${kind}'`);
    const threads = positive(option(args, 'threads') ?? '1', '--threads');
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
      model = loadXGBoostFile(modelPath);
    } catch (error) {
      throw withPath(error, modelPath);
    }
    const summary = await scoreFile(model, input, output, { ids, output: kind, threads, skipBadRows, onProgress: (p) => bar(p.rows, null, `${(p.bytes / 2 ** 20).toFixed(0)} MiB read`) });
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
