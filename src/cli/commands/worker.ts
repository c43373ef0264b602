import { option, parseArgs, requireOption, UsageError } from '../args.js';
import type { Command } from '../command.js';

const usage = `usage: retail-ml worker --redis redis://host:port [--concurrency 1] [--threads 1] [--lock-ms 30000]
  Takes chunks enqueued by 'retail-ml score … --redis' and scores them, until SIGTERM or SIGINT,
  when it finishes the jobs in hand and exits 0. Models are loaded once per content hash; each
  part is written under a temporary name, then renamed. A worker that dies holding a job loses
  nothing: after --lock-ms another worker re-queues the chunk.`;

export const workerCommand: Command = {
  summary: "score chunks queued by 'score --redis' (a BullMQ worker; runs until SIGTERM)",
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { options: ['redis', 'concurrency', 'threads', 'lock-ms', 'queue'] });
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    const number = (name: string, fallback: number) => {
      const text = option(args, name);
      const n = text === undefined ? fallback : Number(text);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got '${text}'`);
      return n;
    };
    const { startScoreWorker } = await import('../../adapters/bullmq/score-worker.js');
    const worker = await startScoreWorker({
      redis: requireOption(args, 'redis'),
      queue: option(args, 'queue'),
      concurrency: number('concurrency', 1),
      threads: number('threads', 1),
      lockMs: number('lock-ms', 30000),
      onJob: (e) => io.stderr(`retail-ml worker: chunk ${e.chunk} (${e.rows} rows) ${e.state}${e.error ? `: ${e.error}` : ''}\n`),
    });
    await worker.ready();
    io.stderr(`retail-ml worker: ready (pid ${process.pid})\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        resolve();
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    io.stderr('retail-ml worker: stopping after the jobs in hand\n');
    await worker.close();
    return 0;
  },
};
