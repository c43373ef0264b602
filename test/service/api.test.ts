/**
 * The service's API, against the real process: every endpoint, bad input (422 with the
 * fields), unknown ids (404), duplicate ids and e-mails (409), the 24 h reuse of stored
 * recommendations and their invalidation, a restart, body limits, cross-origin posts,
 * escaping, and no stack traces. The whole suite runs once per store: the embedded SQLite
 * store, MongoDB (MONGODB_URI) against the repo's wire-protocol test server, and a real
 * MongoDB when MONGODB_URI is set for the test run. Expected numbers come from the reference
 * tools (XGBoost's probabilities for the seed customer; the published BG/NBD expectation for
 * CDNOW customer 1).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore, startMongoWireServer } from '../adapters/support/mongo-wire-server.js';
import { hasShared } from '../support/paths.js';
import { startService, type RunningService } from './service-process.js';

/** Where a run keeps its customers and its prediction log. */
interface Backend {
  /** Added to the service's environment. */
  env: Record<string, string>;
  /** Whether prediction `id` reached the log (waits a little: the MongoDB log writes in the background). */
  logged(dataDir: string, id: string): Promise<boolean>;
  /** The documents of a collection, for the MongoDB runs. */
  mongo?: MongoClient;
  database?: string;
  close(): Promise<void>;
}

const REAL_URI = process.env.MONGODB_URI?.trim();
if (!REAL_URI) console.log('test/service/api.test.ts: set MONGODB_URI to run the API suite against a real MongoDB too (skipped)');

async function mongoBackend(uri: string, database: string, stop: () => Promise<void>): Promise<Backend> {
  const mongo = new MongoClient(uri, { serverSelectionTimeoutMS: 2000 });
  await mongo.connect();
  return {
    env: { MONGODB_URI: uri, MONGODB_DB: database },
    mongo,
    database,
    async logged(_dir, id) {
      for (let i = 0; i < 100; i++) {
        if (await mongo.db(database).collection<{ _id: string }>('category_predictions').findOne({ _id: id })) return true;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return false;
    },
    async close() {
      await mongo.close();
      await stop();
    },
  };
}

const backends: [name: string, enabled: boolean, open: () => Promise<Backend>][] = [
  [
    'SQLite store (embedded default)',
    true,
    async () => ({
      env: {},
      logged: async (dataDir, id) => (await readFile(join(dataDir, 'predictions.jsonl'), 'utf8')).trim().split('\n').some((l) => JSON.parse(l).id === id),
      close: async () => undefined,
    }),
  ],
  [
    'MongoDB store (wire-protocol test server)',
    true,
    async () => {
      const server = await startMongoWireServer();
      return mongoBackend(server.uri, 'shop', () => server.stop());
    },
  ],
  [
    'MongoDB store (real server at MONGODB_URI)',
    Boolean(REAL_URI),
    async () => {
      const database = `retail_ml_test_${randomUUID().slice(0, 8)}`;
      let backend: Backend;
      backend = await mongoBackend(REAL_URI!, database, async () => undefined);
      const close = backend.close;
      backend.close = async () => {
        await backend.mongo!.db(database).dropDatabase();
        await close();
      };
      return backend;
    },
  ],
];

for (const [backendName, enabled, openBackend] of backends) {
  describe.skipIf(!enabled)(backendName, () => {
    let service: RunningService;
    let dataDir: string;
    let backend: Backend;

    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'retail-ml-service-'));
      backend = await openBackend();
      service = await startService(dataDir, backend.env);
    }, 120_000);
    afterAll(async () => {
      await service?.stop();
      await backend?.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(service.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const json = async (r: Response) => ({ status: r.status, body: (await r.json()) as Record<string, any> });
    const sample = { name: 'Asha', email: 'asha@example.com', customer_id: 'c-1001', age: 35, location: 'Delhi', last_login_days: 30, prefers_discount: 'No' };

    describe('category recommender (seed 000)', () => {
      it('GET / serves the form', async () => {
        const r = await fetch(service.url + '/');
        expect(r.headers.get('content-type')).toMatch(/text\/html/);
        const html = await r.text();
        for (const name of ['name', 'email', 'customer_id', 'age', 'location', 'last_login_days', 'prefers_discount']) expect(html).toContain(`name="${name}"`);
      });

      it("POST /category-recommendations scores as XGBoost, logs the prediction and writes the e-mail", async () => {
        const { status, body } = await json(await post('/category-recommendations', sample));
        expect(status).toBe(200);
        // XGBoost 1.7.4 for this customer (../shared/README.md): Home 0.77770525, Clothing 0.09853294, Electronics 0.06188915.
        expect(body.top.map((t: { label: string }) => t.label)).toEqual(['Home', 'Clothing', 'Electronics']);
        expect(body.top[0].probability).toBeCloseTo(0.77770525, 6);
        expect(body.top[2].probability).toBeCloseTo(0.06188915, 6);
        expect(await backend.logged(dataDir, body.predictionId)).toBe(true);
        const outbox = (await readdir(join(dataDir, 'mail-outbox'))).filter((f) => f.endsWith('.eml'));
        expect(outbox).toHaveLength(1);
        const mail = await readFile(join(dataDir, 'mail-outbox', outbox[0]), 'utf8');
        expect(mail).toMatch(/^To: .*asha@example\.com/m);
        expect(mail).toContain('Home');
      });

      it('answers a browser with the Top Recommendations page, escaping what the customer typed', async () => {
        const form = new URLSearchParams({ ...sample, name: '<script>alert(1)</script>', age: '35', last_login_days: '30' });
        const r = await fetch(service.url + '/category-recommendations', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: form });
        const html = await r.text();
        expect(r.status).toBe(200);
        expect(html).toContain('Top Recommendations');
        expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
        expect(html).not.toContain('<script>');
        expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
      });

      it('bad input is a 422 naming every bad field; a browser gets the form back with the issues', async () => {
        const { status, body } = await json(await post('/category-recommendations', { name: 'A', email: 'not-an-email', age: 300, location: '', last_login_days: -1, prefers_discount: 'maybe' }));
        expect(status).toBe(422);
        expect(body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['age', 'email', 'last_login_days', 'location', 'prefers_discount']);
        const r = await fetch(service.url + '/category-recommendations', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: 'name=%22%3E%3Cb%3E&age=x' });
        expect(r.status).toBe(422);
        const html = await r.text();
        expect(html).toContain('role="alert"');
        expect(html).toContain('value="&quot;&gt;&lt;b&gt;"');
      });

      it('refuses cross-origin posts, oversized bodies, malformed JSON and other content types, without stack traces', async () => {
        expect((await post('/category-recommendations', sample, { origin: 'http://evil.example' })).status).toBe(403);
        expect((await post('/category-recommendations', { ...sample, pad: 'x'.repeat(70_000) })).status).toBe(413);
        const bad = await post('/category-recommendations', '{"name": ');
        expect(bad.status).toBe(400);
        expect(await bad.text()).not.toMatch(/at .*\.ts:\d+/);
        expect((await fetch(service.url + '/category-recommendations', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' })).status).toBe(415);
        expect((await post('/category-recommendations', JSON.stringify({ ...sample, __proto__: { age: 1 } }))).status).toBe(200);
      });
    });

    describe('recommendation backend (seed 001)', () => {
      it('creates customers, adds addresses, records behaviour, and returns the profile', async () => {
        expect((await post('/customer/create', { customer_id: 'b1', name: 'Ben', email: 'ben@example.com', age: 41, location: 'Pune' })).status).toBe(201);
        expect((await post('/customer/create', { customer_id: 'b1', name: 'Ben', email: 'ben@example.com' })).status).toBe(409);
        const created = await json(await post('/customer/create', { customer_id: '', name: '', email: 'x', age: 500 }));
        expect(created.status).toBe(422);
        expect(created.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['age', 'customer_id', 'email', 'name']);
        expect((await post('/customer/add-address', { customer_id: 'b1', addresses: [{ kind: 'shipping', line1: '1 MG Road', city: 'Pune', country: 'IN' }, { kind: 'billing', line1: '2 FC Road', city: 'Pune', country: 'IN' }] })).status).toBe(201);
        const badAddress = await json(await post('/customer/add-address', { customer_id: 'b1', addresses: [{ kind: 'home', city: 'Pune' }] }));
        expect(badAddress.status).toBe(422);
        expect(badAddress.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['addresses[0].country', 'addresses[0].kind', 'addresses[0].line1']);
        expect((await post('/customer/update-behavior', { customer_id: 'b1', type: 'browsing', category: 'Yoga' })).status).toBe(201);
        expect((await post('/customer/update-behavior', { customer_id: 'b1', type: 'purchase', product_id: '7' })).status).toBe(201);
        expect((await post('/customer/update-behavior', { customer_id: 'b1', type: 'refund' })).status).toBe(422);
        const profile = await json(await fetch(service.url + '/customer/get-profile/b1'));
        expect(profile.body.name).toBe('Ben');
        expect(profile.body.addresses).toHaveLength(2);
        expect(profile.body.browsing.map((b: { category: string }) => b.category)).toEqual(['Yoga']);
        expect(profile.body.purchases).toEqual([expect.objectContaining({ product_id: '7', category: 'Yoga Mat', price: 45.99 })]);
      });

      it('unknown customers and products are 404 / 422', async () => {
        expect((await fetch(service.url + '/customer/get-profile/nobody')).status).toBe(404);
        expect((await fetch(service.url + '/recommendations/nobody')).status).toBe(404);
        expect((await post('/recommendations/process-browsing', { customer_id: 'nobody', category: 'x' })).status).toBe(404);
        expect((await post('/recommendations/process-purchase', { customer_id: 'b1', product_id: '999' })).status).toBe(422);
      });

      it('stores recommendations, reuses them for 24 h, and a new interaction invalidates them', async () => {
        await post('/customer/create', { customer_id: 'r1', name: 'Rita', email: 'rita@example.com' });
        await post('/recommendations/process-purchase', { customer_id: 'r1', product_id: '11' });
        const first = await json(await fetch(service.url + '/recommendations/r1'));
        expect(first.body.from_cache).toBe(false);
        // The hybrid rules: a fitness purchase puts the fitness products first (exact category match).
        expect(first.body.recommendations[0].category).toBe('fitness');
        await service.advanceClock(23 * 3_600_000);
        expect((await json(await fetch(service.url + '/recommendations/r1'))).body.from_cache).toBe(true);
        await service.advanceClock(2 * 3_600_000);
        expect((await json(await fetch(service.url + '/recommendations/r1'))).body.from_cache).toBe(false);
        expect((await json(await fetch(service.url + '/recommendations/r1'))).body.from_cache).toBe(true);
        await post('/recommendations/process-browsing', { customer_id: 'r1', category: 'Laptop' });
        const after = await json(await fetch(service.url + '/recommendations/r1'));
        expect(after.body.from_cache).toBe(false);
        expect(after.body.recommendations.some((r: { category: string }) => r.category === 'Laptop')).toBe(true);
        expect((await json(await fetch(service.url + '/customer/get-profile/r1'))).body.segment).toEqual({ segment: expect.any(String), average_order_value: expect.any(Number) });
      });

      it('an e-mail that belongs to another customer is a 409 naming the field, and nothing is stored', async () => {
        const taken = await json(await post('/customer/create', { customer_id: 'b2', name: 'Another Ben', email: 'ben@example.com' }));
        expect(taken.status).toBe(409);
        expect(taken.body.issues).toEqual([{ field: 'email', message: 'is already taken' }]);
        expect((await fetch(service.url + '/customer/get-profile/b2')).status).toBe(404);
        expect((await json(await post('/customer/create', { customer_id: 'b1', name: 'Ben', email: 'ben2@example.com' }))).body.issues).toEqual([{ field: 'customer_id', message: 'is already taken' }]);
      });

      it('keeps everything, stored recommendations included, across a restart; the rows are in the seed-named tables', async () => {
        const before = await json(await fetch(service.url + '/recommendations/r1'));
        expect(before.body.from_cache).toBe(true);
        expect(await service.stop()).toBe(0);
        service = await startService(dataDir, backend.env);
        // The new process's test clock starts at 0 again: move it to where the old one was.
        await service.advanceClock(25 * 3_600_000);
        const profile = await json(await fetch(service.url + '/customer/get-profile/b1'));
        expect(profile.body.addresses.map((a: { line1: string }) => a.line1)).toEqual(['1 MG Road', '2 FC Road']);
        const again = await json(await fetch(service.url + '/recommendations/r1'));
        expect(again.body).toEqual(before.body);
        const health = (await json(await fetch(service.url + '/health'))).body;
        if (backend.mongo) {
          expect(health.store).toBe(`mongodb://${new URL(backend.env.MONGODB_URI).host}/${backend.database}.*`);
          expect(existsSync(join(dataDir, 'store'))).toBe(false);
          const db = backend.mongo.db(backend.database);
          expect(await db.collection('customer_profiles').findOne({ customer_id: 'b1' })).toMatchObject({ name: 'Ben', email: 'ben@example.com', age: 41, location: 'Pune' });
          expect(await db.collection('customer_addresses').countDocuments({ customer_id: 'b1' })).toBe(2);
          expect(await db.collection('purchase_history').countDocuments({ customer_id: 'b1' })).toBe(1);
          expect(await db.collection('customer_recommendations').countDocuments({ customer_id: 'r1' })).toBe(1);
          expect(await db.collection('product_catalog').countDocuments({})).toBe(16);
        } else {
          expect(health.store).toBe('sqlite (sql.js) + journal');
          expect(existsSync(join(dataDir, 'store', 'store.sqlite'))).toBe(true);
        }
      });
    });

    describe('segmentation (seed 002)', () => {
      const customer = {
        Age: 42, Education: 2, Marital_Status: 1, Parental_Status: 1, Children: 1, Income: 58000, Total_Spending: 600, Days_as_Customer: 3400, Recency: 40,
        Wines: 300, Fruits: 20, Meat: 150, Fish: 30, Sweets: 20, Gold: 40, Web: 5, Catalog: 3, Store: 6, Discount_Purchases: 2, Total_Promo: 0, NumWebVisitsMonth: 5,
      };
      it('GET /segment serves the 21-attribute form; POST /segment assigns a cluster with its profile', async () => {
        const html = await (await fetch(service.url + '/segment')).text();
        expect(html.match(/<input /g)).toHaveLength(21);
        const { status, body } = await json(await post('/segment', customer));
        expect(status).toBe(200);
        expect([0, 1, 2]).toContain(body.cluster);
        expect(body.distances).toHaveLength(3);
        expect(body.cluster).toBe(body.distances.indexOf(Math.min(...body.distances)));
        if (hasShared) expect(body.profile.distinguishing.length).toBeGreaterThan(0);
      });
      it('bad attributes are a 422 naming them', async () => {
        const { status, body } = await json(await post('/segment', { ...customer, Age: 'old', Children: 2.5 }));
        expect(status).toBe(422);
        expect(body.issues.map((i: { field: string }) => i.field)).toEqual(expect.arrayContaining(['Age', 'Children']));
      });
    });

    describe.skipIf(!hasShared)('purchase in 24 h (seed 003) and customer value (seed 004)', () => {
      const user = {
        user_id: '100000', first_visit_date: '2023-09-19', age: 66, platform: 'Android', screen_list: 'CategoryBrowse,Search,WishList,ReturnPolicy,ProductDetail,WishList,ProductDetail,Account',
        session_count: 5, total_screens_viewed: 10, used_search_feature: 1, wrote_review: 1, added_to_wishlist: 0, user_segment: 'Senior Buyer', region: 'Europe', acquisition_channel: 'Referral', app_version: '2.0.8',
      };
      it('POST /predict and /predict/batch give { prediction, probability } at the saved threshold', async () => {
        const one = await json(await post('/predict', user));
        expect(one.status).toBe(200);
        expect(one.body.prediction === 0 || one.body.prediction === 1).toBe(true);
        expect(one.body.probability).toBeGreaterThanOrEqual(0);
        expect(one.body.probability).toBeLessThanOrEqual(1);
        const batch = await json(await post('/predict/batch', { users: Array.from({ length: 100 }, (_, i) => ({ ...user, user_id: String(i) })) }));
        expect(batch.body.predictions).toHaveLength(100);
        expect(batch.body.predictions[7]).toEqual(one.body);
        expect((await post('/predict/batch', { users: [] })).status).toBe(422);
      });
      it('GET /customers/{id}/value: CDNOW customer 1 expects 1.226 purchases in 39 weeks, as Fader, Hardie & Lee (2005)', async () => {
        const { status, body } = await json(await fetch(service.url + '/customers/1/value'));
        expect(status).toBe(200);
        expect(body.expected_purchases_39_weeks).toBeCloseTo(1.226, 2);
        expect(body.p_alive).toBeGreaterThan(0);
        expect(body.churn_risk.risk).toBeCloseTo(1 - body.p_alive, 12);
        expect(body.rfm.frequency).toBeGreaterThan(0);
        expect((await fetch(service.url + '/customers/999999/value')).status).toBe(404);
      });
    });

    describe('operations', () => {
      it('GET /health and /monitoring answer; unknown paths are 404 and wrong methods 405', async () => {
        expect((await json(await fetch(service.url + '/health'))).body.status).toBe('ok');
        expect((await fetch(service.url + '/monitoring')).status).toBe(200);
        expect((await fetch(service.url + '/nope')).status).toBe(404);
        expect((await fetch(service.url + '/predict')).status).toBe(405);
      });
    });
  });
}

describe('MongoDB store: the server goes away', () => {
  it('answers 503 naming MongoDB (no detail, no stack) while it is away, and serves again when it is back', { timeout: 120_000 }, async () => {
    const data = new MemoryStore();
    let server = await startMongoWireServer({ store: data });
    const dataDir = await mkdtemp(join(tmpdir(), 'retail-ml-service-'));
    const uri = server.uri.replace('?', '?serverSelectionTimeoutMS=1000&');
    const service = await startService(dataDir, { SHARED_DATA: '/nonexistent', MONGODB_URI: uri, MONGODB_DB: 'shop' });
    try {
      expect((await fetch(`${service.url}/customer/create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customer_id: 'g1', name: 'G', email: 'g@example.com' }) })).status).toBe(201);
      const port = server.port;
      await server.stop();
      const away = await fetch(`${service.url}/customer/get-profile/g1`);
      expect(away.status).toBe(503);
      expect(await away.json()).toEqual({ error: 'MongoDB is unavailable' });
      server = await startMongoWireServer({ store: data, port });
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = (await fetch(`${service.url}/customer/get-profile/g1`)).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(status).toBe(200);
    } finally {
      await service.stop();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start, in one line, when MONGODB_URI points at nothing', { timeout: 60_000 }, async () => {
    const closed = await startMongoWireServer();
    await closed.stop();
    const dataDir = await mkdtemp(join(tmpdir(), 'retail-ml-service-'));
    try {
      await expect(startService(dataDir, { SHARED_DATA: '/nonexistent', MONGODB_URI: closed.uri })).rejects.toThrow(/MongoDB at mongodb:\/\/127\.0\.0\.1:\d+\/ecommerce_db\.\*: connection refused/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
