/**
 * A child process for the killed-writer MongoDB test: opens a MongoDB prediction log on
 * `<uri>` with the outbox `<outbox>`, appends batches forever and prints `ack <id>` for
 * each record once `flush()` says it is in the outbox. The test SIGKILLs it.
 *
 * usage: node --import tsx mongo-writer-process.ts <uri> <outbox>
 */
import { openMongoPredictionLog } from '../../../src/adapters/mongodb/index.js';
import { sampleRecord } from './records.js';

const [uri, outboxPath] = process.argv.slice(2);
const log = await openMongoPredictionLog({
  uri,
  outboxPath,
  sync: false,
  retry: { baseMs: 20, maxMs: 100 },
  clientOptions: { serverSelectionTimeoutMS: 200, connectTimeoutMS: 200 },
  onReport: () => undefined,
});
const big = 'q'.repeat(6000);
for (let i = 0; ; ) {
  const batch = Array.from({ length: 10 }, () => sampleRecord(i++, { input: { big } }));
  for (const r of batch) log.append(r);
  if (await log.flush()) process.stdout.write(batch.map((r) => `ack ${r.id}\n`).join(''));
}
