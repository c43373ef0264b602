import type { Collection, Document, MongoClientOptions } from 'mongodb';
import { InputError, SAMPLE_CATALOGUE, type PeerCustomer, type PurchaseEvent, type Recommendation, type StoredRecommendationSet } from 'retail-ml';
import { connectMongoClient, DEFAULT_DATABASE, DEFAULT_SERVER_SELECTION_TIMEOUT_MS, describeMongoTarget, loadMongoDriver, toUnavailableError } from 'retail-ml/adapters/mongodb';
import { DuplicateCustomerError, type CustomerAddress, type CustomerDetails, type CustomerHistory, type CustomerProfile, type ProductRow, type ServiceStore } from './service-store.js';

/** Options of {@link openMongoServiceStore}. */
export interface MongoServiceStoreOptions {
  uri: string;
  /** Default `ecommerce_db`, the seed's database (the prediction log's default too). */
  database?: string;
  /** Passed to the driver; tests shorten the timeouts. */
  clientOptions?: MongoClientOptions;
}

/**
 * Every write waits for a majority of the replica set to have it in its on-disk journal
 * (on a single server: that server's journal), so an acknowledged write survives a crash
 * of the service and of MongoDB.
 *
 * @example
 * MONGO_WRITE_CONCERN // => { w: 'majority', j: true }
 */
export const MONGO_WRITE_CONCERN = { w: 'majority', j: true } as const;

/** The seed's tables as collections, with the indexes created at start. */
const INDEXES: Record<string, { key: Record<string, 1 | -1>; unique?: true; name: string }[]> = {
  customer_profiles: [
    { key: { customer_id: 1 }, unique: true, name: 'customer_id_unique' },
    { key: { email: 1 }, unique: true, name: 'email_unique' },
  ],
  customer_addresses: [{ key: { customer_id: 1 }, name: 'customer_id' }],
  browsing_history: [{ key: { customer_id: 1, timestamp: -1 }, name: 'customer_id_timestamp' }],
  purchase_history: [{ key: { customer_id: 1 }, name: 'customer_id' }],
  customer_segments: [{ key: { customer_id: 1 }, unique: true, name: 'customer_id_unique' }],
  product_catalog: [{ key: { product_id: 1 }, unique: true, name: 'product_id_unique' }],
  customer_recommendations: [{ key: { customer_id: 1, created_at: -1 }, name: 'customer_id_created_at' }],
};

const NO_ID = { projection: { _id: 0 } } as const;

/**
 * The seed's tables in MongoDB, one collection each (`customer_profiles`, `customer_addresses`,
 * `browsing_history`, `purchase_history`, `customer_segments`, `product_catalog`,
 * `customer_recommendations`), through the official driver as the MongoDB adapter loads it.
 * At start it connects (failing at once, with an `UnavailableError`, when the server refuses
 * the connection), creates the indexes (unique customer id and e-mail) and loads the sample
 * catalogue into an empty `product_catalog`. Writes use {@link MONGO_WRITE_CONCERN}.
 *
 * MongoDB has no transaction on a single server, so nothing here needs one: a duplicate id
 * or e-mail is the unique index's E11000, and stored recommendation sets carry the number of
 * events they were computed from (`basis`), so a set computed before an interaction is never
 * served after it, whatever a crash or a concurrent request did to the delete that follows
 * the event.
 *
 * @example
 * const store = await openMongoServiceStore({ uri: 'mongodb://127.0.0.1:27017', database: 'shop' });
 * console.log(store.description); // 'mongodb://127.0.0.1:27017/shop.*'
 */
export async function openMongoServiceStore(options: MongoServiceStoreOptions): Promise<ServiceStore> {
  const database = options.database ?? DEFAULT_DATABASE;
  const address = describeMongoTarget(options.uri, database, '*');
  const { MongoClient } = await loadMongoDriver();
  const inUri = /[?&]serverSelectionTimeoutMS=/i.test(options.uri);
  let client;
  try {
    client = new MongoClient(options.uri, { appName: 'retail-ml-service', ...(inUri ? {} : { serverSelectionTimeoutMS: DEFAULT_SERVER_SELECTION_TIMEOUT_MS }), ...options.clientOptions });
  } catch (error) {
    throw new InputError(`invalid MONGODB_URI for ${address}: ${(error as Error).message.replace(/\/\/[^@/]*@/, '//')}`, { cause: error });
  }
  await connectMongoClient(client, address);
  const db = client.db(database, { writeConcern: MONGO_WRITE_CONCERN });
  const c = <T extends Document>(name: keyof typeof INDEXES): Collection<T> => db.collection<T>(name);
  const profiles = c<CustomerProfile>('customer_profiles');
  const addresses = c<CustomerAddress & { customer_id: string }>('customer_addresses');
  const browsing = c<{ customer_id: string; product_id: string | null; category: string; timestamp: number }>('browsing_history');
  const purchases = c<{ customer_id: string; product_id: string | null; category: string; price: number; timestamp: number }>('purchase_history');
  const segments = c<{ customer_id: string; segment: string; average_order_value: number; updated_at: number }>('customer_segments');
  const products = c<ProductRow>('product_catalog');
  const recommendations = c<{ customer_id: string; created_at: number; recommendations: Recommendation[]; basis: number }>('customer_recommendations');

  // Driver errors that mean "MongoDB is not there" become UnavailableError (the service answers 503).
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw toUnavailableError(error, address);
    }
  };

  try {
    for (const [name, specs] of Object.entries(INDEXES)) await db.collection(name).createIndexes(specs);
    if (!(await products.findOne({}))) {
      const rows = SAMPLE_CATALOGUE.map((p): ProductRow => ({ product_id: p.id, name: p.name, category: p.category, price: p.price, tags: typeof p.tags === 'string' ? p.tags : p.tags.join(' ') }));
      // Unordered, and a duplicate is fine: another instance may be loading it at the same time.
      await products.insertMany(rows, { ordered: false }).catch((error: { code?: number; writeErrors?: unknown }) => {
        if (!isDuplicateKey(error)) throw error;
      });
    }
  } catch (error) {
    await client.close().catch(() => undefined);
    throw toUnavailableError(error, address);
  }

  const count = async (customerId: string) => {
    const [b, p] = await Promise.all([browsing.countDocuments({ customer_id: customerId }), purchases.countDocuments({ customer_id: customerId })]);
    return b + p;
  };

  return {
    description: address,
    customer: (id) => guard(async () => (await profiles.findOne({ customer_id: id }, NO_ID)) ?? undefined),
    createCustomer: (p) =>
      guard(async () => {
        try {
          await profiles.insertOne({ ...p });
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          const e = error as { keyPattern?: Record<string, unknown>; errmsg?: string; message?: string };
          const onEmail = e.keyPattern ? 'email' in e.keyPattern : /email/.test(e.errmsg ?? e.message ?? '');
          throw onEmail ? new DuplicateCustomerError('email', p.email) : new DuplicateCustomerError('customer_id', p.customer_id);
        }
      }),
    addAddresses: (id, list) =>
      guard(async () => {
        await addresses.insertMany(list.map((a) => ({ customer_id: id, kind: a.kind, line1: a.line1, city: a.city, postal_code: a.postal_code, country: a.country })));
      }),
    details: (id) =>
      guard(async (): Promise<CustomerDetails> => {
        // Four independent reads: in parallel, one round trip of latency instead of four.
        const [a, b, p, segment] = await Promise.all([
          addresses.find({ customer_id: id }, { projection: { _id: 0, customer_id: 0 } }).sort({ _id: 1 }).toArray(),
          browsing.find({ customer_id: id }, { projection: { _id: 0, product_id: 1, category: 1, timestamp: 1 } }).sort({ _id: 1 }).toArray(),
          purchases.find({ customer_id: id }, { projection: { _id: 0, product_id: 1, category: 1, price: 1, timestamp: 1 } }).sort({ _id: 1 }).toArray(),
          segments.findOne({ customer_id: id }, { projection: { _id: 0, segment: 1, average_order_value: 1 } }),
        ]);
        return { addresses: a, browsing: b, purchases: p, segment };
      }),
    product: (productId) => guard(async () => (await products.findOne({ product_id: productId }, NO_ID)) ?? undefined),
    catalogue: () => guard(() => products.find({}, NO_ID).sort({ _id: 1 }).toArray()),
    recordInteraction: (kind, e) =>
      guard(async () => {
        if (kind === 'browsing') await browsing.insertOne({ customer_id: e.customer_id, product_id: e.product_id, category: e.category, timestamp: e.timestamp });
        else await purchases.insertOne({ customer_id: e.customer_id, product_id: e.product_id, category: e.category, price: e.price ?? 0, timestamp: e.timestamp });
        // Tidying only: once the event is stored, the basis check already refuses the old sets.
        await recommendations.deleteMany({ customer_id: e.customer_id });
      }),
    history: (id) =>
      guard(async (): Promise<CustomerHistory> => {
        // basis counts exactly what was read, so a concurrent event shows up as a mismatch later.
        const [b, p] = await Promise.all([
          browsing.find({ customer_id: id }, { projection: { _id: 0, category: 1, timestamp: 1 } }).sort({ timestamp: -1, _id: -1 }).toArray(),
          purchases.find({ customer_id: id }, { projection: { _id: 0, category: 1, price: 1, timestamp: 1 } }).sort({ _id: 1 }).toArray() as Promise<PurchaseEvent[]>,
        ]);
        return { browsing: b, purchases: p, basis: b.length + p.length };
      }),
    peers: (id) =>
      guard(async () => {
        const byCustomer = new Map<string, PurchaseEvent[]>();
        for (const r of await purchases.find({ customer_id: { $ne: id } }, { projection: { _id: 0, customer_id: 1, category: 1, price: 1, timestamp: 1 } }).sort({ _id: 1 }).toArray()) {
          const list = byCustomer.get(r.customer_id) ?? [];
          list.push({ category: r.category, price: r.price, timestamp: r.timestamp });
          byCustomer.set(r.customer_id, list);
        }
        return [...byCustomer].map(([customerId, list]): PeerCustomer => ({ customerId, purchases: list }));
      }),
    listRecommendations: (id) =>
      guard(async () => {
        const sets = await recommendations.find({ customer_id: id }).sort({ created_at: -1, _id: -1 }).toArray();
        if (sets.length === 0) return [];
        const basis = await count(id);
        return sets.filter((s) => s.basis === basis).map((s): StoredRecommendationSet => ({ createdAt: s.created_at, recommendations: s.recommendations }));
      }),
    addRecommendations: (id, set, keep, context) =>
      guard(async () => {
        await segments.updateOne({ customer_id: id }, { $set: { segment: context.segment, average_order_value: context.averageOrderValue, updated_at: set.createdAt } }, { upsert: true });
        await recommendations.insertOne({ customer_id: id, created_at: set.createdAt, recommendations: set.recommendations, basis: context.basis });
        const old = await recommendations.find({ customer_id: id }, { projection: { _id: 1 } }).sort({ created_at: -1, _id: -1 }).skip(keep).toArray();
        if (old.length > 0) await recommendations.deleteMany({ _id: { $in: old.map((o) => o._id) } });
      }),
    clearRecommendations: (id) =>
      guard(async () => {
        await recommendations.deleteMany({ customer_id: id });
      }),
    close: () => client.close(),
  };
}

function isDuplicateKey(error: unknown): boolean {
  const e = error as { code?: number; writeErrors?: { code?: number }[] | { code?: number } };
  if (e?.code === 11000) return true;
  const list = Array.isArray(e?.writeErrors) ? e.writeErrors : e?.writeErrors ? [e.writeErrors] : [];
  return list.length > 0 && list.every((w) => w.code === 11000);
}
