import { SAMPLE_CATALOGUE, type PeerCustomer, type PurchaseEvent, type Recommendation, type StoredRecommendationSet } from 'retail-ml';
import { SCHEMA } from './schema.js';
import { DuplicateCustomerError, type CustomerAddress, type CustomerDetails, type CustomerHistory, type CustomerProfile, type ProductRow, type ServiceStore } from './service-store.js';
import { openStore, type Statement, type Store } from './store.js';

/**
 * The embedded default: the seed's tables in SQLite (sql.js) made durable by the journal of
 * `store.ts`, in `dir`. Reads are synchronous underneath; a check and the write that depends
 * on it (a free e-mail, then the insert) run in one turn of the event loop, so no other
 * request can slip between them.
 *
 * @example
 * const store = await openSqliteServiceStore('.data/store');
 * console.log(store.description); // 'sqlite (sql.js) + journal'
 */
export async function openSqliteServiceStore(dir: string): Promise<ServiceStore> {
  const store = await openStore({ dir, schema: SCHEMA });
  await upgrade(store);
  if (!store.get('SELECT 1 FROM product_catalog LIMIT 1')) {
    await store.write(SAMPLE_CATALOGUE.map((p) => ['INSERT INTO product_catalog VALUES (?, ?, ?, ?, ?)', [p.id, p.name, p.category, p.price, typeof p.tags === 'string' ? p.tags : p.tags.join(' ')]] as const));
  }
  const forget = (id: string): Statement => ['DELETE FROM customer_recommendations WHERE customer_id = ?', [id]];
  return {
    description: 'sqlite (sql.js) + journal',
    async customer(id) {
      return store.get('SELECT customer_id, name, email, age, location, created_at FROM customer_profiles WHERE customer_id = ?', [id]) as CustomerProfile | undefined;
    },
    async createCustomer(p) {
      if (store.get('SELECT 1 FROM customer_profiles WHERE customer_id = ?', [p.customer_id])) throw new DuplicateCustomerError('customer_id', p.customer_id);
      if (store.get('SELECT 1 FROM customer_profiles WHERE email = ?', [p.email])) throw new DuplicateCustomerError('email', p.email);
      await store.write([['INSERT INTO customer_profiles (customer_id, name, email, age, location, created_at) VALUES (?, ?, ?, ?, ?, ?)', [p.customer_id, p.name, p.email, p.age, p.location, p.created_at]]]);
    },
    async addAddresses(id, addresses) {
      await store.write(addresses.map((a) => ['INSERT INTO customer_addresses (customer_id, kind, line1, city, postal_code, country) VALUES (?, ?, ?, ?, ?, ?)', [id, a.kind, a.line1, a.city, a.postal_code, a.country]] as const));
    },
    async details(id): Promise<CustomerDetails> {
      return {
        addresses: store.all('SELECT kind, line1, city, postal_code, country FROM customer_addresses WHERE customer_id = ? ORDER BY id', [id]) as unknown as CustomerAddress[],
        browsing: store.all('SELECT product_id, category, timestamp FROM browsing_history WHERE customer_id = ? ORDER BY id', [id]) as unknown as CustomerDetails['browsing'],
        purchases: store.all('SELECT product_id, category, price, timestamp FROM purchase_history WHERE customer_id = ? ORDER BY id', [id]) as unknown as CustomerDetails['purchases'],
        segment: (store.get('SELECT segment, average_order_value FROM customer_segments WHERE customer_id = ?', [id]) as CustomerDetails['segment'] | undefined) ?? null,
      };
    },
    async product(productId) {
      return store.get('SELECT product_id, name, category, price, tags FROM product_catalog WHERE product_id = ?', [productId]) as ProductRow | undefined;
    },
    async catalogue() {
      return store.all('SELECT product_id, name, category, price, tags FROM product_catalog ORDER BY rowid') as unknown as ProductRow[];
    },
    async recordInteraction(kind, e) {
      // The event and the invalidation are one transaction: both or neither survive a crash.
      await store.write(
        kind === 'browsing'
          ? [['INSERT INTO browsing_history (customer_id, product_id, category, timestamp) VALUES (?, ?, ?, ?)', [e.customer_id, e.product_id, e.category, e.timestamp]], forget(e.customer_id)]
          : [['INSERT INTO purchase_history (customer_id, product_id, category, price, timestamp) VALUES (?, ?, ?, ?, ?)', [e.customer_id, e.product_id, e.category, e.price ?? 0, e.timestamp]], forget(e.customer_id)],
      );
    },
    async history(id): Promise<CustomerHistory> {
      const browsing = store.all('SELECT category, timestamp FROM browsing_history WHERE customer_id = ? ORDER BY timestamp DESC, id DESC', [id]) as unknown as CustomerHistory['browsing'];
      const purchases = store.all('SELECT category, price, timestamp FROM purchase_history WHERE customer_id = ? ORDER BY id', [id]) as unknown as PurchaseEvent[];
      return { browsing, purchases, basis: browsing.length + purchases.length };
    },
    async peers(id) {
      const byCustomer = new Map<string, PurchaseEvent[]>();
      for (const r of store.all('SELECT customer_id, category, price, timestamp FROM purchase_history WHERE customer_id != ? ORDER BY id', [id])) {
        const list = byCustomer.get(r.customer_id as string) ?? [];
        list.push({ category: r.category as string, price: r.price as number, timestamp: r.timestamp as number });
        byCustomer.set(r.customer_id as string, list);
      }
      return [...byCustomer].map(([customerId, purchases]): PeerCustomer => ({ customerId, purchases }));
    },
    async listRecommendations(id) {
      // No check of `basis` here (reuse is the hot path): a stale set is never stored, see below.
      return store
        .all('SELECT created_at, recommendations FROM customer_recommendations WHERE customer_id = ? ORDER BY created_at DESC, id DESC', [id])
        .map((r): StoredRecommendationSet => ({ createdAt: r.created_at as number, recommendations: JSON.parse(r.recommendations as string) as Recommendation[] }));
    },
    async addRecommendations(id, set, keep, context) {
      await store.write([
        ['INSERT INTO customer_segments VALUES (?, ?, ?, ?) ON CONFLICT(customer_id) DO UPDATE SET segment = excluded.segment, average_order_value = excluded.average_order_value, updated_at = excluded.updated_at', [id, context.segment, context.averageOrderValue, set.createdAt]],
        // Stored only if no event arrived since the history was read: an interaction that lands
        // while the set is computed has already run its delete, so the set must not appear after
        // it. The check and the insert are one transaction, and replay the same from the journal.
        [
          `INSERT INTO customer_recommendations (customer_id, created_at, recommendations, basis) SELECT ?, ?, ?, ?
             WHERE ? = (SELECT COUNT(*) FROM browsing_history WHERE customer_id = ?) + (SELECT COUNT(*) FROM purchase_history WHERE customer_id = ?)`,
          [id, set.createdAt, JSON.stringify(set.recommendations), context.basis, context.basis, id, id],
        ],
        ['DELETE FROM customer_recommendations WHERE customer_id = ? AND id NOT IN (SELECT id FROM customer_recommendations WHERE customer_id = ? ORDER BY created_at DESC, id DESC LIMIT ?)', [id, id, keep]],
      ]);
    },
    async clearRecommendations(id) {
      await store.write([forget(id)]);
    },
    close: () => store.close(),
  };
}

/**
 * Brings a store made by an earlier version of the service up to SCHEMA, through the journal
 * like any write: the `basis` column of stored recommendations and the unique e-mail index
 * (skipped, with the check in `createCustomer` still in force, if old data has duplicates).
 */
async function upgrade(store: Store): Promise<void> {
  const columns = store.all('PRAGMA table_info(customer_recommendations)').map((c) => c.name);
  if (!columns.includes('basis')) await store.write([['ALTER TABLE customer_recommendations ADD COLUMN basis INTEGER']]);
  const hasEmailIndex = store.get("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'customer_profiles_email'");
  const duplicates = store.get('SELECT 1 FROM customer_profiles GROUP BY email HAVING COUNT(*) > 1 LIMIT 1');
  if (!hasEmailIndex && !duplicates) await store.write([['CREATE UNIQUE INDEX customer_profiles_email ON customer_profiles (email)']]);
}
