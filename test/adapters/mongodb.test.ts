import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdapterReport, PredictionRecord } from '../../src/adapters/log/index.js';
import { openPredictionLogFromEnv } from '../../src/adapters/log/index.js';
import {
  countTopCategoriesInMongo,
  describeMongoTarget,
  openMongoPredictionLog,
  readRecentFromMongo,
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
    } finally {
      await client.db(database).collection(collection).drop().catch(() => undefined);
      await client.close();
    }
  });
});
