import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BSON, MongoClient } from 'mongodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdapterReport, PredictionRecord } from '../../src/adapters/log/index.js';
import { openPredictionLogFromEnv } from '../../src/adapters/log/index.js';
import {
  countTopCategoriesInMongo,
  describeMongoTarget,
  openMongoPredictionLog,
  readRecentFromMongo,
  toPredictionDocument,
  type MongoLogOptions,
} from '../../src/adapters/mongodb/index.js';
import { InputError } from '../../src/errors.js';
import { MemoryStore, startMongoWireServer, type MongoWireServer } from './support/mongo-wire-server.js';
import { sampleRecord } from './support/records.js';

const NS = 'ecommerce_db.category_predictions';
const FAST = { serverSelectionTimeoutMS: 400, connectTimeoutMS: 400, socketTimeoutMS: 2000, heartbeatFrequencyMS: 500 };

let dir: string;
let server: MongoWireServer | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retail-ml-mongo-'));
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

function options(uri: string, reports: AdapterReport[] = [], extra: Partial<MongoLogOptions> = {}): MongoLogOptions {
  return {
    uri,
    outboxPath: join(dir, 'outbox.jsonl'),
    retry: { baseMs: 20, maxMs: 200 },
    clientOptions: FAST,
    onReport: (r) => reports.push(r),
    ...extra,
  };
}

async function outboxLines(): Promise<number> {
  const text = await readFile(join(dir, 'outbox.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l.length > 0).length;
}

describe('openMongoPredictionLog against a wire-protocol server, through the official driver', () => {
  it('stores the input, exact features, top 3, model name and hash, timestamp; creates indexes; empties the outbox', async () => {
    server = await startMongoWireServer();
    const log = await openMongoPredictionLog(options(server.uri));
    const record = sampleRecord(3, {
      input: { customer_id: 'C3', name: 'Zoë <b>', age: 41 },
    });
    log.append(record);
    expect(await log.drain(10_000)).toBe(true);
    const [doc] = server.store.docs(NS);
    expect(doc).toEqual({
      _id: record.id,
      timestamp: new Date(record.timestamp),
      customerId: 'C3',
      model: record.model,
      input: { customer_id: 'C3', name: 'Zoë <b>', age: 41 },
      features: record.features,
      top: record.top,
      topCategory: record.top[0].label,
    });
    expect((doc.features as { values: unknown[] }).values).toEqual([23, 3, 0.3]);
    expect(server.store.indexes.get(NS)?.map((i) => i.name)).toEqual([
      '_id_',
      'timestamp_-1',
      'customerId_1_timestamp_-1',
      'topCategory_1',
    ]);
    expect(await outboxLines()).toBe(0);
    expect(await log.recent(5)).toEqual([record]);
    expect([...(await log.countByTopCategory())]).toEqual([[record.top[0].label, 1]]);
    await log.close();
    expect(log.stats()).toMatchObject({ inserted: 1, alreadyStored: 0, waiting: 0, refused: 0 });
  });

  it('honours the database and collection names and never shows the password', async () => {
    server = await startMongoWireServer();
    const uri = `mongodb://app:s3cr3t@127.0.0.1:${server.port}/?directConnection=true&authSource=admin`;
    expect(describeMongoTarget(uri, 'shop', 'preds')).toBe(`mongodb://127.0.0.1:${server.port}/shop.preds`);
    await expect(openMongoPredictionLog({ ...options('mongodb://u:s3cr3t@'), clientOptions: {} })).rejects.toThrow(InputError);
    await openMongoPredictionLog({ ...options('mongodb://u:s3cr3t@') }).catch((e: Error) => expect(e.message).not.toMatch(/s3cr3t/));
    const log = await openMongoPredictionLog({ ...options(server.uri), database: 'shop', collection: 'preds' });
    log.append(sampleRecord(1));
    expect(await log.drain()).toBe(true);
    await log.close();
    expect(server.store.docs('shop.preds')).toHaveLength(1);
    expect(server.store.docs(NS)).toHaveLength(0);
  });

  it('batches inserts and keeps append order', async () => {
    server = await startMongoWireServer();
    const log = await openMongoPredictionLog(options(server.uri, [], { batchSize: 500 }));
    const records = Array.from({ length: 1200 }, (_, i) => sampleRecord(i));
    for (const r of records) log.append(r);
    expect(await log.drain(20_000)).toBe(true);
    await log.close();
    expect(server.store.docs(NS).map((d) => d._id)).toEqual(records.map((r) => r.id));
    const inserts = server.commands.filter((c) => c === 'insert').length;
    expect(inserts).toBeGreaterThanOrEqual(3);
    expect(inserts).toBeLessThanOrEqual(4);
  });

  it('FAULT: server stopped mid-stream and restarted: every record stored exactly once, in order (zero lost, zero duplicated)', async () => {
    const store = new MemoryStore();
    server = await startMongoWireServer({ store });
    const port = server.port;
    const reports: AdapterReport[] = [];
    const log = await openMongoPredictionLog(options(server.uri, reports, { batchSize: 25 }));
    const records: PredictionRecord[] = [];
    const send = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const r = sampleRecord(i);
        records.push(r);
        log.append(r);
        if (i % 10 === 0) await new Promise((res) => setTimeout(res, 2));
      }
    };
    await send(0, 150);
    // the next insert is applied but its reply is lost: the adapter must not store it twice
    server.dropNextInsertReplies(1);
    await send(150, 200);
    // stop only once the lost reply has happened and been settled, or the restarted server would never drop it
    await vi.waitFor(() => expect(log.stats().alreadyStored).toBeGreaterThanOrEqual(1), { timeout: 15_000, interval: 20 });
    await server.stop();
    server = undefined;
    await send(200, 400); // MongoDB is down: these must wait in the outbox
    expect(await log.flush()).toBe(true);
    expect(await outboxLines()).toBeGreaterThanOrEqual(200);
    expect(reports.some((r) => r.kind === 'retry')).toBe(true);
    server = await startMongoWireServer({ port, store });
    await send(400, 600);
    expect(await log.drain(30_000)).toBe(true);
    await log.close();

    const stored = store.docs(NS).map((d) => String(d._id));
    expect(stored.length).toBe(600);
    expect(new Set(stored).size).toBe(600);
    expect(stored).toEqual(records.map((r) => r.id));
    expect(log.stats().alreadyStored).toBeGreaterThanOrEqual(1);
    expect(log.stats().waiting).toBe(0);
    expect(await outboxLines()).toBe(0);
    expect(reports.some((r) => r.kind === 'recovered' && /reachable again/.test(r.message))).toBe(true);
  });

  it('records left in the outbox by a process that closed while MongoDB was down are replayed exactly once on next open', async () => {
    const store = new MemoryStore();
    server = await startMongoWireServer({ store });
    const port = server.port;
    await server.stop();
    server = undefined;
    const reports: AdapterReport[] = [];
    const first = await openMongoPredictionLog(options(`mongodb://127.0.0.1:${port}/?directConnection=true`, reports, { closeTimeoutMs: 300 }));
    const records = Array.from({ length: 50 }, (_, i) => sampleRecord(i));
    const started = Date.now();
    for (const r of records) first.append(r);
    expect(Date.now() - started).toBeLessThan(200); // append never waits for MongoDB
    await first.close();
    expect(await outboxLines()).toBe(50);
    expect(reports.at(-1)?.message).toMatch(/closed with 50 records/);

    // an earlier attempt got the first 20 in before its reply was lost
    const seeded = store.collection(NS);
    const { toPredictionDocument } = await import('../../src/adapters/mongodb/index.js');
    const { BSON } = await import('mongodb');
    for (const r of records.slice(0, 20)) {
      seeded.docs.push(toPredictionDocument(r) as never);
      seeded.ids.add(Buffer.from(BSON.serialize({ v: r.id })).toString('hex'));
    }
    server = await startMongoWireServer({ port, store });
    const replays: AdapterReport[] = [];
    const second = await openMongoPredictionLog(options(server.uri, replays));
    expect(replays[0]).toMatchObject({ kind: 'recovered', message: expect.stringContaining('50 records from an earlier run') });
    expect(await second.drain(10_000)).toBe(true);
    await second.close();
    expect(store.docs(NS).map((d) => d._id)).toEqual(records.map((r) => r.id));
    expect(second.stats()).toMatchObject({ inserted: 30, alreadyStored: 20 });
    expect(await outboxLines()).toBe(0);
  });

  it('reads recent records and per-category counts back through readRecentFromMongo / countTopCategoriesInMongo', async () => {
    server = await startMongoWireServer();
    const log = await openMongoPredictionLog(options(server.uri));
    const records = Array.from({ length: 12 }, (_, i) => sampleRecord(i));
    for (const r of records) log.append(r);
    await log.close();
    const target = { uri: server.uri, clientOptions: FAST };
    expect((await readRecentFromMongo(target, 3)).map((r) => r.id)).toEqual([records[11].id, records[10].id, records[9].id]);
    // i = 0..11 over 5 labels: Books 0,5,10; Electronics 1,6,11; Toys 2,7; Garden 3,8; Beauty 4,9
    expect([...(await countTopCategoriesInMongo(target))]).toEqual([
      ['Books', 3],
      ['Electronics', 3],
      ['Beauty', 2],
      ['Garden', 2],
      ['Toys', 2],
    ]);
  });

  it('openPredictionLogFromEnv switches to MongoDB when MONGODB_URI is set, with MONGODB_DB / MONGODB_COLLECTION', async () => {
    server = await startMongoWireServer();
    const { log, kind } = await openPredictionLogFromEnv(
      { MONGODB_URI: `${server.uri}&serverSelectionTimeoutMS=500`, MONGODB_DB: 'shop', MONGODB_COLLECTION: 'audit' },
      { dir },
    );
    expect(kind).toBe('mongodb');
    expect(log.location).toBe(`mongodb://127.0.0.1:${server.port}/shop.audit`);
    log.append(sampleRecord(1));
    await log.close();
    expect(server.store.docs('shop.audit')).toHaveLength(1);
  });
});

async function rejectedLines(): Promise<{ id: string; rejected: { reason: string } }[]> {
  const text = await readFile(join(dir, 'outbox.jsonl.rejected.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));
}

function seed(store: MemoryStore, records: readonly PredictionRecord[]): void {
  const c = store.collection(NS);
  for (const r of records) {
    c.docs.push(toPredictionDocument(r) as never);
    c.ids.add(Buffer.from(BSON.serialize({ v: r.id })).toString('hex'));
  }
}

describe('an outbox shared by two live processes', () => {
  it('one empties the outbox only when no other live writer has lines there: records the other could not deliver survive its close', async () => {
    const store = new MemoryStore();
    server = await startMongoWireServer({ store });
    const unreachable = await startMongoWireServer({ store });
    await unreachable.stop();
    const a = await openMongoPredictionLog(options(server.uri));
    const b = await openMongoPredictionLog(options(unreachable.uri, [], { closeTimeoutMs: 200 }));
    const fromA = Array.from({ length: 5 }, (_, i) => sampleRecord(i));
    const fromB = Array.from({ length: 5 }, (_, i) => sampleRecord(10 + i));
    for (const r of fromB) b.append(r);
    expect(await b.flush()).toBe(true);
    for (const r of fromA) a.append(r);
    expect(await a.drain(10_000)).toBe(true);
    await a.close(); // b is alive with undelivered lines in the file: a must not empty it
    await b.close();
    expect(b.stats().waiting).toBe(5);
    expect(await outboxLines()).toBe(10);

    const c = await openMongoPredictionLog(options(server.uri));
    expect(await c.drain(10_000)).toBe(true);
    await c.close();
    expect(c.stats()).toMatchObject({ inserted: 5, alreadyStored: 5 });
    expect(store.docs(NS).map((d) => d._id).sort()).toEqual([...fromA, ...fromB].map((r) => r.id).sort());
    expect(await outboxLines()).toBe(0);
  });
});

describe('a MongoDB writer killed while MongoDB is down', () => {
  it('SIGKILL mid-stream: every record the killed process had in its outbox is stored exactly once by the next process', { timeout: 60_000 }, async () => {
    const store = new MemoryStore();
    const probe = await startMongoWireServer({ store });
    const port = probe.port;
    await probe.stop();
    const script = new URL('./support/mongo-writer-process.ts', import.meta.url).pathname;
    const uri = `mongodb://127.0.0.1:${port}/?directConnection=true`;
    const child = spawn(process.execPath, ['--import', 'tsx', script, uri, join(dir, 'outbox.jsonl')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (out.split('\n').length > 400) resolve();
      });
      child.once('exit', (code) => reject(new Error(`writer exited early (${code})`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const acked = out.split('\n').filter((l) => l.startsWith('ack ')).map((l) => l.slice(4));
    expect(acked.length).toBeGreaterThanOrEqual(400);

    server = await startMongoWireServer({ port, store });
    const reports: AdapterReport[] = [];
    const next = await openMongoPredictionLog(options(server.uri, reports));
    expect(await next.drain(30_000)).toBe(true);
    await next.close();
    const stored = store.docs(NS).map((d) => String(d._id));
    expect(new Set(stored).size).toBe(stored.length);
    const have = new Set(stored);
    expect(acked.filter((id) => !have.has(id))).toEqual([]);
    expect(await outboxLines()).toBe(0);
  });
});

describe('MongoDB errors by class (issue #21 item 3)', () => {
  it('per-document write errors: duplicate _id = already stored; other unique index, validation, size = set aside with the reason; transient codes = retried', async () => {
    const store = new MemoryStore();
    server = await startMongoWireServer({ store });
    const reports: AdapterReport[] = [];
    // another unique index on the collection: one customer e-mail per prediction
    const admin = new MongoClient(server.uri, FAST);
    await admin.db('ecommerce_db').collection(NS.split('.')[1]).createIndex({ 'input.email': 1 }, { unique: true, name: 'email_unique' });
    await admin.close();
    const records = Array.from({ length: 12 }, (_, i) => sampleRecord(i));
    records[4] = sampleRecord(4, { input: { ...records[1].input } }); // same e-mail as record 1, another id
    seed(store, [records[2]]); // stored by an earlier run whose reply was lost
    const transientLeft = new Map([
      [records[7].id, { code: 91, codeName: 'ShutdownInProgress', errmsg: 'The server is in quiesce mode and will shut down', left: 2 }],
      [records[8].id, { code: 112, codeName: 'WriteConflict', errmsg: 'WriteConflict error: this operation conflicted with another operation', left: 1 }],
      [records[9].id, { code: 189, codeName: 'PrimarySteppedDown', errmsg: 'Primary stepped down while waiting for replication', left: 1 }],
    ]);
    server.documentError = (doc) => {
      if (doc._id === records[5].id) return { code: 121, codeName: 'DocumentValidationFailure', errmsg: 'Document failed validation', errInfo: { failingDocumentId: doc._id } };
      if (doc._id === records[6].id) return { code: 10334, codeName: 'BSONObjectTooLarge', errmsg: 'object to insert too large' };
      const t = transientLeft.get(String(doc._id));
      if (t && t.left > 0) {
        t.left--;
        return { code: t.code, codeName: t.codeName, errmsg: t.errmsg };
      }
      return undefined;
    };
    const log = await openMongoPredictionLog(options(server.uri, reports, { batchSize: 100 }));
    for (const r of records) log.append(r);
    expect(await log.drain(20_000)).toBe(true);
    await log.close();

    const refused = [4, 5, 6].map((i) => records[i].id);
    expect(store.docs(NS).map((d) => d._id)).toEqual([records[2], ...records.filter((r, i) => i !== 2 && !refused.includes(r.id))].map((r) => r.id));
    const rejected = await rejectedLines();
    expect(rejected.map((r) => r.id)).toEqual(refused);
    expect(rejected[0].rejected.reason).toMatch(/^code 11000: E11000 duplicate key error .* index: email_unique/);
    expect(rejected[1].rejected.reason).toMatch(/^code 121: Document failed validation \{"failingDocumentId"/);
    expect(rejected[2].rejected.reason).toBe('code 10334: object to insert too large');
    expect(log.stats()).toMatchObject({ inserted: 8, alreadyStored: 1, refused: 3, waiting: 0, failedAttempts: 4 });
    const retries = reports.filter((r) => r.kind === 'retry').map((r) => r.message);
    expect(retries).toHaveLength(4);
    expect(retries.join('\n')).toMatch(/quiesce mode/);
    expect(retries.join('\n')).toMatch(/WriteConflict/);
    expect(reports.filter((r) => r.kind === 'rejected').map((r) => r.recordId)).toEqual(refused);
    // a transient error mid-batch resends only what was not stored: nothing came back as a duplicate
    expect(reports.some((r) => /already/.test(r.message))).toBe(false);
    expect(await outboxLines()).toBe(0);
  });

  it('top-level errors: retryable codes and labels, and errors that name no record (Unauthorized) are retried, never set aside', async () => {
    server = await startMongoWireServer();
    const reports: AdapterReport[] = [];
    const log = await openMongoPredictionLog(options(server.uri, reports));
    server.failNextInserts(1, { code: 91, codeName: 'ShutdownInProgress', errmsg: 'shutting down', errorLabels: ['RetryableWriteError'] });
    const records = Array.from({ length: 5 }, (_, i) => sampleRecord(i));
    for (const r of records.slice(0, 2)) log.append(r);
    expect(await log.drain(10_000)).toBe(true);
    server.failNextInserts(1, { code: 8000, codeName: 'AtlasError', errmsg: 'a retryable label on an unknown code', errorLabels: ['TransientTransactionError'] });
    log.append(records[2]);
    expect(await log.drain(10_000)).toBe(true);
    server.failNextInserts(3, { code: 13, codeName: 'Unauthorized', errmsg: 'not authorized on ecommerce_db to execute command { insert: ... }' });
    for (const r of records.slice(3)) log.append(r);
    expect(await log.drain(10_000)).toBe(true);
    await log.close();
    expect(server.store.docs(NS).map((d) => d._id)).toEqual(records.map((r) => r.id));
    expect(log.stats()).toMatchObject({ inserted: 5, refused: 0 });
    // one per failed command, plus any server-selection wait while the driver re-checks a server that said it is shutting down
    expect(log.stats().failedAttempts).toBeGreaterThanOrEqual(5);
    expect(await rejectedLines()).toEqual([]);
    const retries = reports.filter((r) => r.kind === 'retry').map((r) => r.message);
    expect(retries[0]).toMatch(/shutting down; 2 records wait in .*, retry in \d+ ms/);
    expect(retries.filter((m) => /not authorized/.test(m))).toHaveLength(3);
    expect(retries.filter((m) => /retryable label on an unknown code/.test(m))).toHaveLength(1);
  });

  it('top-level duplicate, validation and size errors name no record: the batch is split and only the record at fault is set aside', async () => {
    const store = new MemoryStore();
    server = await startMongoWireServer({ store, maxBsonObjectSize: 16 * 1024 });
    const reports: AdapterReport[] = [];
    const records = Array.from({ length: 9 }, (_, i) => sampleRecord(i));
    records[6] = sampleRecord(6, { input: { note: 'x'.repeat(20_000) } }); // over the server's advertised size: the driver refuses it
    seed(store, [records[1]]);
    server.commandError = (docs) => {
      if (docs.some((d) => d._id === records[3].id)) return { code: 121, codeName: 'DocumentValidationFailure', errmsg: 'Document failed validation' };
      if (docs.some((d) => d._id === records[1].id)) return { code: 11000, errmsg: 'E11000 duplicate key error collection: ecommerce_db.category_predictions index: _id_' };
      return undefined;
    };
    const log = await openMongoPredictionLog(options(server.uri, reports, { batchSize: 100 }));
    for (const r of records) log.append(r);
    expect(await log.drain(20_000)).toBe(true);
    await log.close();
    const refused = [records[3].id, records[6].id];
    expect(store.docs(NS).map((d) => d._id)).toEqual([records[1], ...records.filter((r, i) => i !== 1 && !refused.includes(r.id))].map((r) => r.id));
    const rejected = await rejectedLines();
    expect(rejected.map((r) => r.id)).toEqual(refused);
    expect(rejected[0].rejected.reason).toMatch(/Document failed validation/);
    expect(rejected[1].rejected.reason).toMatch(/larger than the maximum size 16384/);
    expect(log.stats()).toMatchObject({ inserted: 6, alreadyStored: 1, refused: 2, waiting: 0 });
  });
});

describe.skipIf(!process.env.MONGODB_URI)('against a real MongoDB (MONGODB_URI)', () => {
  it('stores, replays idempotently and reads back', async () => {
    const uri = process.env.MONGODB_URI!;
    const collection = `retail_ml_test_${Date.now()}`;
    const database = process.env.MONGODB_DB || 'retail_ml_test';
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
    try {
      const log = await openMongoPredictionLog({ uri, database, collection, outboxPath: join(dir, 'outbox.jsonl'), onReport: () => undefined });
      const records = Array.from({ length: 30 }, (_, i) => sampleRecord(i));
      for (const r of records) log.append(r);
      expect(await log.drain(30_000)).toBe(true);
      await log.close();
      // a replay of the same records (as after a lost reply) stores nothing new
      const again = await openMongoPredictionLog({ uri, database, collection, outboxPath: join(dir, 'outbox2.jsonl'), onReport: () => undefined });
      for (const r of records.slice(0, 10)) again.append(r);
      expect(await again.drain(30_000)).toBe(true);
      await again.close();
      expect(again.stats().alreadyStored).toBe(10);
      const coll = client.db(database).collection(collection);
      expect(await coll.countDocuments()).toBe(30);
      const names = (await coll.listIndexes().toArray()).map((i) => i.name).sort();
      expect(names).toEqual(['_id_', 'customerId_1_timestamp_-1', 'timestamp_-1', 'topCategory_1']);
      expect((await readRecentFromMongo({ uri, database, collection }, 1))[0]).toEqual(records[29]);

      // error classes on the real server: another unique index refuses a record (set aside with
      // the reason), while a duplicate _id on replay counts as already stored
      await client.db(database).collection(collection).createIndex({ 'input.email': 1 }, { unique: true, name: 'email_unique' });
      const clash = sampleRecord(40, { input: { ...records[0].input } });
      const third = await openMongoPredictionLog({ uri, database, collection, outboxPath: join(dir, 'outbox3.jsonl'), onReport: () => undefined });
      third.append(records[1]);
      third.append(clash);
      third.append(sampleRecord(41));
      expect(await third.drain(30_000)).toBe(true);
      await third.close();
      expect(third.stats()).toMatchObject({ inserted: 1, alreadyStored: 1, refused: 1 });
      const rejected = (await readFile(join(dir, 'outbox3.jsonl.rejected.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      expect(rejected.map((r) => r.id)).toEqual([clash.id]);
      expect(rejected[0].rejected.reason).toMatch(/^code 11000: .*email_unique/);
    } finally {
      await client.db(database).collection(collection).drop().catch(() => undefined);
      await client.close();
    }
  });
});
