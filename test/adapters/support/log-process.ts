/**
 * A child process for the concurrent prediction-log tests: `writer` appends batches and
 * prints `ack <id>` for every record once `flush()` has confirmed it; `opener` opens the
 * same log again and again as a second writer or a restart would (append one record,
 * acknowledge it, close); `tail` runs `retail-ml log tail` on it in a loop. Each runs for
 * `ms` milliseconds and prints `opens <n>` last.
 *
 * usage: node --import tsx log-process.ts writer|opener|tail <path> <ms>
 */
import { openJsonlPredictionLog } from '../../../src/adapters/log/index.js';
import { runCli } from '../../../src/cli/main.js';
import { sampleRecord } from './records.js';

const [mode, path, msText] = process.argv.slice(2);
const until = Date.now() + Number(msText);
const big = 'z'.repeat(12_000);
let opens = 0;
let i = 0;

const ack = (ids: string[]) => process.stdout.write(ids.map((id) => `ack ${id}\n`).join(''));

if (mode === 'writer') {
  const log = await openJsonlPredictionLog(path, { sync: false, onReport: () => undefined });
  opens++;
  while (Date.now() < until) {
    const batch = Array.from({ length: 8 }, () => sampleRecord(i++, { input: { big } }));
    for (const r of batch) log.append(r);
    if (await log.flush()) ack(batch.map((r) => r.id));
    await new Promise((r) => setImmediate(r));
  }
  await log.close();
} else if (mode === 'opener') {
  while (Date.now() < until) {
    const log = await openJsonlPredictionLog(path, { sync: false, onReport: () => undefined });
    opens++;
    const record = sampleRecord(1_000_000 + i++, { input: { big } });
    log.append(record);
    if (await log.flush()) ack([record.id]);
    await log.close();
  }
} else if (mode === 'tail') {
  const { existsSync } = await import('node:fs');
  while (!existsSync(path) && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
  const io = { stdout: () => undefined, stderr: (t: string) => process.stderr.write(t), cwd: process.cwd(), env: {} };
  while (Date.now() < until) {
    const code = await runCli(['log', 'tail', '--file', path, '--limit', '3'], io);
    if (code !== 0) process.exitCode = 1;
    opens++;
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
process.stdout.write(`opens ${opens}\n`);
