/**
 * `npm run serve`: the five seed systems as one service on retail-ml, with embedded defaults
 * (SQLite via sql.js, a JSONL prediction log and an .eml outbox under DATA_DIR; MONGODB_URI
 * moves the store and the log to MongoDB, database MONGODB_DB). Listens on
 * PORT (3000) at HOST (127.0.0.1); SIGTERM/SIGINT finish in-flight requests and flush the
 * store, the log and the outbox before exiting.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RetailMlError } from 'retail-ml';
import { createService, type Service } from './app.js';
import { loadModels } from './models.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const env = process.env;
const port = Number(env.PORT ?? 3000);
const host = env.HOST ?? '127.0.0.1';
const dataDir = resolve(env.DATA_DIR ?? '.retail-ml/service');
const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

const started = performance.now();
const models = await loadModels(repoRoot, resolve(repoRoot, env.SHARED_DATA ?? '../shared/data'), log);
// The test clock (moves "now" to check the 24 h reuse) exists only when asked for explicitly.
const offset = { ms: 0 };
let service: Service;
try {
  service = await createService({ dataDir, models, env, log, now: env.RETAIL_ML_TEST_CLOCK === '1' ? () => Date.now() + offset.ms : Date.now });
} catch (error) {
  // A store that cannot be reached or a bad MONGODB_URI: one line that says which, not a stack.
  if (!(error instanceof RetailMlError)) throw error;
  log(`cannot start: ${error.message}`);
  process.exit(1);
}
if (env.RETAIL_ML_TEST_CLOCK === '1') {
  process.on('message', (m: { advanceMs?: number }) => {
    if (typeof m?.advanceMs === 'number') offset.ms += m.advanceMs;
    process.send?.({ clock: offset.ms });
  });
}
service.server.listen(port, host, () => {
  const address = service.server.address();
  const where = typeof address === 'object' && address ? `http://${address.address}:${address.port}` : String(address);
  log(`listening on ${where} (models ready in ${(performance.now() - started).toFixed(0)} ms; data in ${dataDir})`);
  process.send?.({ listening: where });
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing in-flight requests`);
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  });
}
