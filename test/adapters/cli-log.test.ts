import { execFile } from 'node:child_process';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/command.js';
import { openJsonlPredictionLog } from '../../src/adapters/log/index.js';
import { openMongoPredictionLog, readRecentFromMongo } from '../../src/adapters/mongodb/index.js';
import { UnavailableError } from '../../src/errors.js';
import { startMongoWireServer, type MongoWireServer } from './support/mongo-wire-server.js';
import { sampleRecord } from './support/records.js';

let dir: string;
let server: MongoWireServer | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retail-ml-cli-log-'));
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function cli(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: dir, env };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

const records = Array.from({ length: 8 }, (_, i) => sampleRecord(i));

describe('retail-ml log', () => {
  it('tail and stats read the embedded JSON Lines log', async () => {
    const log = await openJsonlPredictionLog(join(dir, '.retail-ml', 'predictions.jsonl'));
    for (const r of records) log.append(r);
    await log.close();

    const tail = await cli(['log', 'tail', '--limit', '2']);
    expect(tail.code).toBe(0);
    const lines = tail.stdout.trim().split('\n');
    expect(lines[0]).toBe(`# 2 most recent predictions, newest first, from ${join(dir, '.retail-ml', 'predictions.jsonl')}`);
    // i = 7: labels start at index 7 % 5 = 2 (Toys, Garden, Beauty)
    expect(lines[1]).toBe('2024-01-01T00:00:07.000Z  C7  Toys 50.0% · Garden 30.0% · Beauty 20.0%  (xgb_model_category c0ffee000000)');
    expect(lines[2]).toContain('  C6  Electronics 50.0%');

    const json = await cli(['log', 'tail', '--limit', '3', '--json']);
    expect(json.stdout.trim().split('\n').map((l) => JSON.parse(l).id)).toEqual([records[7].id, records[6].id, records[5].id]);

    const stats = await cli(['log', 'stats', '--json']);
    expect(JSON.parse(stats.stdout)).toEqual({
      total: 8,
      byTopCategory: [
        { category: 'Books', count: 2 },
        { category: 'Electronics', count: 2 },
        { category: 'Toys', count: 2 },
        { category: 'Beauty', count: 1 },
        { category: 'Garden', count: 1 },
      ],
    });
    const table = await cli(['log', 'stats', '--file', '.retail-ml/predictions.jsonl']);
    expect(table.stdout).toContain('Books               2   25.0%');
    expect(table.stdout.trim().split('\n').at(-1)).toBe('total               8');
  });

  it('reads MongoDB when MONGODB_URI is set (or --mongodb-uri)', async () => {
    server = await startMongoWireServer();
    const log = await openMongoPredictionLog({ uri: server.uri, outboxPath: join(dir, 'outbox.jsonl'), database: 'shop', onReport: () => undefined });
    for (const r of records) log.append(r);
    await log.close();
    const env = { MONGODB_URI: server.uri, MONGODB_DB: 'shop' };
    const tail = await cli(['log', 'tail', '--limit', '1', '--json'], env);
    expect(tail.stderr).toBe('');
    expect(JSON.parse(tail.stdout)).toEqual(records[7]);
    const stats = await cli(['log', 'stats', '--mongodb-uri', server.uri, '--db', 'shop']);
    expect(stats.stdout).toContain(`from mongodb://127.0.0.1:${server.port}/shop.category_predictions`);
    expect(stats.stdout.trim().split('\n').at(-1)).toBe('total               8');
  });

  it('usage mistakes exit 2, a missing log exits 1 with one line', async () => {
    expect((await cli(['log'])).code).toBe(2);
    expect((await cli(['log', 'head'])).code).toBe(2);
    expect((await cli(['log', 'tail', '--limit', '0'])).code).toBe(2);
    expect((await cli(['log', 'tail', '--db', 'x'])).code).toBe(2);
    expect((await cli(['log', 'stats', '--frobnicate', '1'])).code).toBe(2);
    const missing = await cli(['log', 'tail']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^retail-ml log: no prediction log at .*predictions\.jsonl/);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('log tail on a huge unterminated line prints its one line, no stack trace, in bounded memory (issue #21)', { timeout: 60_000 }, async () => {
    // 100 MB of one line (a sparse file, no disk used), read with a 48 MB heap: a reader
    // that gathers the whole line into a string aborts; the bounded reader skips it.
    const path = join(dir, 'huge.jsonl');
    await writeFile(path, '');
    await truncate(path, 100 * 1024 * 1024);
    const main = new URL('../../src/cli/main.ts', import.meta.url).pathname;
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, ['--max-old-space-size=48', '--import', 'tsx', main, 'log', 'tail', '--file', path], (error, stdout, stderr) =>
        resolve({ code: error ? (child.exitCode ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`# 0 most recent predictions, newest first, from ${path}\n`);
  });

  it('a refused MongoDB connection is one typed line naming the service and address, at once (issue #21)', async () => {
    const closed = await startMongoWireServer();
    const port = closed.port;
    await closed.stop(); // nothing listens there now: connections are refused
    const uri = `mongodb://shop:s3cr3t@127.0.0.1:${port}/?directConnection=true`;
    const started = performance.now();
    const tail = await cli(['log', 'tail', '--mongodb-uri', uri]);
    const seconds = (performance.now() - started) / 1000;
    expect(tail.code).toBe(1);
    expect(tail.stderr).toBe(
      `retail-ml log: MongoDB at mongodb://127.0.0.1:${port}/ecommerce_db.category_predictions: connection refused (connect ECONNREFUSED 127.0.0.1:${port})\n`,
    );
    expect(seconds).toBeLessThan(2); // the driver alone would wait out server selection (was 10.8 s)
    const error = await readRecentFromMongo({ uri }, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', service: 'MongoDB', address: `mongodb://127.0.0.1:${port}/ecommerce_db.category_predictions` });

    // several hosts: no fast path (another member may answer), the default selection timeout ends it
    const many = `mongodb://127.0.0.1:${port},127.0.0.1:${port + 1}/?serverSelectionTimeoutMS=300`;
    await expect(readRecentFromMongo({ uri: many }, 1)).rejects.toThrow(/^MongoDB at mongodb:\/\/127\.0\.0\.1:\d+,127\.0\.0\.1:\d+\/ecommerce_db\.category_predictions: (connection refused|no answer in time)/);
  });
});
