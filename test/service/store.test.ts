/**
 * The service's two stores behind one interface, called directly: the same contract for the
 * embedded SQLite store and the MongoDB store (against the repo's wire-protocol test server,
 * and a real server when MONGODB_URI is set). What the API tests cannot reach from outside is
 * here: a recommendation set computed before an interaction but stored after it (the race a
 * store without transactions must survive), duplicate ids and e-mails under concurrency,
 * the write concern on the wire, MongoDB going away and coming back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openMongoServiceStore } from '../../examples/service/mongo-service-store.js';
import { DuplicateCustomerError, type ServiceStore } from '../../examples/service/service-store.js';
import { SCHEMA } from '../../examples/service/schema.js';
import { openSqliteServiceStore } from '../../examples/service/sqlite-service-store.js';
import { openStore } from '../../examples/service/store.js';
import { MemoryStore, startMongoWireServer, type MongoWireServer } from '../adapters/support/mongo-wire-server.js';
import { ensureBuilt } from './service-process.js';

const REAL_URI = process.env.MONGODB_URI?.trim();
const FAST = { serverSelectionTimeoutMS: 800, connectTimeoutMS: 800, heartbeatFrequencyMS: 500 };
const profile = (id: string, email = `${id}@example.com`) => ({ customer_id: id, name: 'N', email, age: 30, location: 'Pune', created_at: 1_000 });
const recs = (label: string) => [{ productId: label, name: label, category: label, price: 1, score: 1, reason: label }] as never;

interface Opened {
  store: ServiceStore;
  cleanup(): Promise<void>;
}

const kinds: [name: string, enabled: boolean, open: () => Promise<Opened>][] = [
  [
    'SQLite (sql.js + journal)',
    true,
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'retail-ml-store-'));
      const store = await openSqliteServiceStore(join(dir, 'store'));
      return { store, cleanup: () => rm(dir, { recursive: true, force: true }) };
    },
  ],
  [
    'MongoDB (wire-protocol test server)',
    true,
    async () => {
      const server = await startMongoWireServer();
      const store = await openMongoServiceStore({ uri: server.uri, database: 'shop', clientOptions: FAST });
      return { store, cleanup: () => server.stop() };
    },
  ],
  [
    'MongoDB (MONGODB_URI)',
    Boolean(REAL_URI),
    async () => {
      const database = `retail_ml_test_${randomUUID().slice(0, 8)}`;
      const store = await openMongoServiceStore({ uri: REAL_URI!, database });
      return {
        store,
        async cleanup() {
          const client = new MongoClient(REAL_URI!);
          await client.db(database).dropDatabase();
          await client.close();
        },
      };
    },
  ],
];
if (!REAL_URI) console.log('test/service/store.test.ts: set MONGODB_URI to run the MongoDB store against a real server too (skipped)');

beforeAll(() => ensureBuilt(), 300_000);

for (const [name, enabled, open] of kinds) {
  describe.skipIf(!enabled)(`service store: ${name}`, () => {
    let opened: Opened;
    beforeAll(async () => {
      opened = await open();
    }, 60_000);
    afterAll(async () => {
      await opened?.store.close();
      await opened?.cleanup();
    });

    it('creates customers; a taken id or e-mail is a DuplicateCustomerError naming the field, even for concurrent creates', async () => {
      const { store } = opened;
      await store.createCustomer(profile('a1'));
      expect(await store.customer('a1')).toEqual(profile('a1'));
      await expect(store.createCustomer(profile('a1', 'other@example.com'))).rejects.toMatchObject({ field: 'customer_id' });
      await expect(store.createCustomer(profile('a2', 'a1@example.com'))).rejects.toMatchObject({ field: 'email' });
      expect(await store.customer('a2')).toBeUndefined();
      const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => store.createCustomer(profile(`race-${i}`, 'same@example.com'))));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(DuplicateCustomerError);
    });

    it('keeps addresses and events in order, and the catalogue as loaded', async () => {
      const { store } = opened;
      await store.createCustomer(profile('d1'));
      await store.addAddresses('d1', [
        { kind: 'shipping', line1: '1 MG Road', city: 'Pune', postal_code: null, country: 'IN' },
        { kind: 'billing', line1: '2 FC Road', city: 'Pune', postal_code: '411004', country: 'IN' },
      ]);
      await store.recordInteraction('browsing', { customer_id: 'd1', product_id: null, category: 'Yoga', timestamp: 5 });
      await store.recordInteraction('browsing', { customer_id: 'd1', product_id: '3', category: 'Books', timestamp: 9 });
      await store.recordInteraction('purchase', { customer_id: 'd1', product_id: '7', category: 'Yoga Mat', price: 45.99, timestamp: 7 });
      const details = await store.details('d1');
      expect(details.addresses.map((a) => a.line1)).toEqual(['1 MG Road', '2 FC Road']);
      expect(details.addresses[1]).toEqual({ kind: 'billing', line1: '2 FC Road', city: 'Pune', postal_code: '411004', country: 'IN' });
      expect(details.browsing).toEqual([
        { product_id: null, category: 'Yoga', timestamp: 5 },
        { product_id: '3', category: 'Books', timestamp: 9 },
      ]);
      expect(details.purchases).toEqual([{ product_id: '7', category: 'Yoga Mat', price: 45.99, timestamp: 7 }]);
      expect(details.segment).toBeNull();
      const history = await store.history('d1');
      expect(history.browsing.map((b) => b.category)).toEqual(['Books', 'Yoga']); // newest first
      expect(history.basis).toBe(3);
      const peers = await store.peers('someone-else');
      expect(peers.find((p) => p.customerId === 'd1')?.purchases).toEqual([{ category: 'Yoga Mat', price: 45.99, timestamp: 7 }]);
      expect((await store.peers('d1')).some((p) => p.customerId === 'd1')).toBe(false);
      const catalogue = await store.catalogue();
      // The library's SAMPLE_CATALOGUE: the original backend's 16 products, ids '1' to '16' in order.
      expect(catalogue.map((p) => p.product_id)).toEqual(Array.from({ length: 16 }, (_, i) => String(i + 1)));
      expect(await store.product('7')).toMatchObject({ category: 'Yoga Mat', price: 45.99 });
      expect(await store.product('999')).toBeUndefined();
    });

    it('stores recommendation sets newest first, keeps `keep`, saves the segment, and an interaction forgets them', async () => {
      const { store } = opened;
      await store.createCustomer(profile('s1'));
      for (let i = 1; i <= 7; i++) await store.addRecommendations('s1', { createdAt: i * 100, recommendations: recs(`set${i}`) }, 5, { segment: 'Regular', averageOrderValue: 50 + i, basis: 0 });
      const sets = await store.listRecommendations('s1');
      expect(sets.map((s) => s.createdAt)).toEqual([700, 600, 500, 400, 300]);
      expect(sets[0].recommendations).toEqual(recs('set7'));
      expect((await store.details('s1')).segment).toEqual({ segment: 'Regular', average_order_value: 57 });
      await store.recordInteraction('purchase', { customer_id: 's1', product_id: null, category: 'Books', price: 10, timestamp: 800 });
      expect(await store.listRecommendations('s1')).toEqual([]);
      await store.addRecommendations('s1', { createdAt: 900, recommendations: recs('fresh') }, 5, { segment: 'Budget', averageOrderValue: 10, basis: 1 });
      expect((await store.listRecommendations('s1')).map((s) => s.createdAt)).toEqual([900]);
      await store.clearRecommendations('s1');
      expect(await store.listRecommendations('s1')).toEqual([]);
    });

    it('a set computed before an interaction but stored after it is never served', async () => {
      const { store } = opened;
      await store.createCustomer(profile('race'));
      const before = await store.history('race'); // GET /recommendations starts computing…
      await store.recordInteraction('browsing', { customer_id: 'race', product_id: null, category: 'Laptop', timestamp: 10 }); // …a browse lands…
      await store.addRecommendations('race', { createdAt: 20, recommendations: recs('stale') }, 5, { segment: 'Budget', averageOrderValue: 0, basis: before.basis }); // …then the stale set is stored.
      expect(await store.listRecommendations('race')).toEqual([]);
    });
  });
}

describe('MongoDB service store: on the wire', () => {
  let server: MongoWireServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('creates the unique indexes at start and sends every write with { w: "majority", j: true }', async () => {
    server = await startMongoWireServer();
    const store = await openMongoServiceStore({ uri: server.uri, database: 'shop', clientOptions: FAST });
    try {
      const unique = (ns: string) => (server!.store.indexes.get(ns) ?? []).filter((i) => i.unique === true).map((i) => Object.keys(i.key as object).join(','));
      expect(unique('shop.customer_profiles').sort()).toEqual(['customer_id', 'email']);
      expect(unique('shop.product_catalog')).toEqual(['product_id']);
      expect(server.store.docs('shop.product_catalog')).toHaveLength(16);
      await store.createCustomer(profile('w1'));
      await store.recordInteraction('purchase', { customer_id: 'w1', product_id: null, category: 'Books', price: 3, timestamp: 1 });
      await store.addRecommendations('w1', { createdAt: 2, recommendations: recs('x') }, 5, { segment: 'Budget', averageOrderValue: 3, basis: 1 });
      const writes = server.received.filter((b) => ['insert', 'update', 'delete'].includes(Object.keys(b)[0]));
      expect(new Set(writes.map((b) => Object.keys(b)[0]))).toEqual(new Set(['insert', 'update', 'delete']));
      for (const w of writes) expect(w.writeConcern, JSON.stringify(Object.keys(w))).toEqual({ w: 'majority', j: true });
      expect(server.store.docs('shop.customer_profiles')[0]).toMatchObject(profile('w1'));
    } finally {
      await store.close();
    }
  });

  it('a second start over the same data keeps it and loads the catalogue once', async () => {
    const data = new MemoryStore();
    server = await startMongoWireServer({ store: data });
    const first = await openMongoServiceStore({ uri: server.uri, database: 'shop', clientOptions: FAST });
    await first.createCustomer(profile('keep'));
    await first.close();
    const second = await openMongoServiceStore({ uri: server.uri, database: 'shop', clientOptions: FAST });
    expect(await second.customer('keep')).toEqual(profile('keep'));
    expect(data.docs('shop.product_catalog')).toHaveLength(16);
    await second.close();
  });

  it('fails at start with an UnavailableError when the server refuses the connection', async () => {
    const closed = await startMongoWireServer();
    await closed.stop();
    await expect(openMongoServiceStore({ uri: closed.uri, clientOptions: FAST })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/connection refused/) });
  });

  it('while MongoDB is away, calls reject with UnavailableError (the service answers 503); when it is back, they work', async () => {
    const data = new MemoryStore();
    server = await startMongoWireServer({ store: data });
    const port = server.port;
    const store = await openMongoServiceStore({ uri: server.uri, database: 'shop', clientOptions: FAST });
    try {
      await store.createCustomer(profile('away'));
      await server.stop();
      await expect(store.customer('away')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
      server = await startMongoWireServer({ store: data, port });
      let found;
      for (let i = 0; i < 50 && !found; i++) found = await store.customer('away').catch(() => new Promise((r) => setTimeout(r, 100)).then(() => undefined));
      expect(found).toEqual(profile('away'));
    } finally {
      await store.close();
    }
  });
});

describe('SQLite service store: a store made by the earlier service', () => {
  // The schema as the service first shipped it: no `basis` column, no unique e-mail index.
  const OLD_SCHEMA = SCHEMA.filter((sql) => !sql.includes('customer_profiles_email')).map((sql) => sql.replace(', basis INTEGER', ''));
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  async function oldStore(customers: [id: string, email: string][]): Promise<string> {
    const dir = join(await mkdtemp(join(tmpdir(), 'retail-ml-old-store-')), 'store');
    dirs.push(dirname(dir));
    const old = await openStore({ dir, schema: OLD_SCHEMA });
    expect(old.all('PRAGMA table_info(customer_recommendations)').map((c) => c.name)).not.toContain('basis');
    for (const [id, email] of customers) await old.write([['INSERT INTO customer_profiles VALUES (?, ?, ?, ?, ?, ?)', [id, 'N', email, null, null, 1]]]);
    await old.write([['INSERT INTO customer_recommendations (customer_id, created_at, recommendations) VALUES (?, ?, ?)', [customers[0][0], 50, JSON.stringify(recs('old'))]]]);
    await old.close();
    return dir;
  }

  it('opens it, adds the basis column and the unique e-mail index, and keeps its stored sets', async () => {
    const dir = await oldStore([['o1', 'o1@example.com']]);
    const store = await openSqliteServiceStore(dir);
    try {
      expect(await store.listRecommendations('o1')).toEqual([{ createdAt: 50, recommendations: recs('old') }]);
      await expect(store.createCustomer(profile('o2', 'o1@example.com'))).rejects.toMatchObject({ field: 'email' });
      await store.addRecommendations('o1', { createdAt: 60, recommendations: recs('new') }, 5, { segment: 'Budget', averageOrderValue: 0, basis: 0 });
      expect((await store.listRecommendations('o1')).map((s) => s.createdAt)).toEqual([60, 50]);
    } finally {
      await store.close();
    }
    // The upgrade went through the journal and the checkpoint: a second open sees it done.
    const raw = await openStore({ dir, schema: [] });
    expect(raw.all('PRAGMA table_info(customer_recommendations)').map((c) => c.name)).toContain('basis');
    expect(raw.get("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'customer_profiles_email'")).toBeDefined();
    await raw.close();
  });

  it('opens one whose customers already share an e-mail: no unique index, new duplicates still refused', async () => {
    const dir = await oldStore([
      ['p1', 'shared@example.com'],
      ['p2', 'shared@example.com'],
    ]);
    const store = await openSqliteServiceStore(dir);
    try {
      expect(await store.customer('p2')).toMatchObject({ email: 'shared@example.com' });
      await expect(store.createCustomer(profile('p3', 'shared@example.com'))).rejects.toMatchObject({ field: 'email' });
      await store.createCustomer(profile('p4'));
    } finally {
      await store.close();
    }
  });
});
