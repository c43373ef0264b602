import type { PeerCustomer, PurchaseEvent, StoredRecommendationSet } from 'retail-ml';

/** A row of `customer_profiles`. */
export interface CustomerProfile {
  customer_id: string;
  name: string;
  email: string;
  age: number | null;
  location: string | null;
  /** Epoch ms. */
  created_at: number;
}

/** A row of `customer_addresses`, without its customer. */
export interface CustomerAddress {
  kind: 'shipping' | 'billing';
  line1: string;
  city: string;
  postal_code: string | null;
  country: string;
}

/** A row of `product_catalog`. */
export interface ProductRow {
  product_id: string;
  name: string;
  category: string;
  price: number;
  /** Space-separated. */
  tags: string;
}

/** A browsing event (`price` absent) or a purchase (`price` set). */
export interface Interaction {
  customer_id: string;
  product_id: string | null;
  category: string;
  price?: number;
  /** Epoch ms. */
  timestamp: number;
}

/** What `GET /customer/get-profile` shows besides the profile itself. */
export interface CustomerDetails {
  addresses: CustomerAddress[];
  browsing: { product_id: string | null; category: string; timestamp: number }[];
  purchases: { product_id: string | null; category: string; price: number; timestamp: number }[];
  segment: { segment: string; average_order_value: number } | null;
}

/**
 * A customer's history as the hybrid recommender reads it, and `basis`: how many events
 * (browsing + purchases) it holds. A stored recommendation set remembers its basis, so a
 * store without multi-document transactions can still tell a set computed before an
 * interaction from one computed after it.
 */
export interface CustomerHistory {
  /** Newest first. */
  browsing: { category: string; timestamp: number }[];
  /** Oldest first. */
  purchases: PurchaseEvent[];
  basis: number;
}

/** What is saved with a freshly computed recommendation set. */
export interface RecommendationContext {
  segment: string;
  averageOrderValue: number;
  /** The history's `basis` the set was computed from. */
  basis: number;
}

/**
 * `POST /customer/create` for an id or e-mail that is already taken (the route answers 409
 * naming `field`).
 *
 * @example
 * throw new DuplicateCustomerError('email', 'ben@example.com'); // e-mail ben@example.com belongs to another customer
 */
export class DuplicateCustomerError extends Error {
  constructor(
    readonly field: 'customer_id' | 'email',
    readonly value: string,
  ) {
    super(field === 'email' ? `e-mail ${value} belongs to another customer` : `customer ${value} already exists`);
    this.name = 'DuplicateCustomerError';
  }
}

/**
 * The recommendation backend's tables (seed 001), as the service's routes use them. Two
 * implementations: SQLite through sql.js with a journal (`sqlite-service-store.ts`, the
 * embedded default) and MongoDB (`mongo-service-store.ts`, when `MONGODB_URI` is set). Every
 * write resolves only once it is durable; every method may reject with the store's own
 * errors (`UnavailableError` when MongoDB cannot be reached).
 *
 * @example
 * const store = await openServiceStore(process.env, '.data', console.log);
 * await store.createCustomer({ customer_id: 'c1', name: 'Ben', email: 'ben@example.com', age: 41, location: 'Pune', created_at: Date.now() });
 * const profile = await store.customer('c1');
 */
export interface ServiceStore {
  /** What `/health` reports, e.g. `sqlite (sql.js) + journal` or `mongodb://host/db` (no password). */
  readonly description: string;
  customer(customerId: string): Promise<CustomerProfile | undefined>;
  /** Rejects with {@link DuplicateCustomerError} when the id or the e-mail is taken. */
  createCustomer(profile: CustomerProfile): Promise<void>;
  addAddresses(customerId: string, addresses: readonly CustomerAddress[]): Promise<void>;
  details(customerId: string): Promise<CustomerDetails>;
  product(productId: string): Promise<ProductRow | undefined>;
  /** The catalogue in the order it was loaded. */
  catalogue(): Promise<ProductRow[]>;
  /** Records the event and forgets the customer's stored recommendation sets. */
  recordInteraction(kind: 'browsing' | 'purchase', event: Interaction): Promise<void>;
  history(customerId: string): Promise<CustomerHistory>;
  /** Every other customer's purchases, for the segment popularity. */
  peers(customerId: string): Promise<PeerCustomer[]>;
  /** The customer's stored sets still valid for their history, newest first. */
  listRecommendations(customerId: string): Promise<StoredRecommendationSet[]>;
  /** Stores a set and the segment it was computed with, keeping the newest `keep` sets. */
  addRecommendations(customerId: string, set: StoredRecommendationSet, keep: number, context: RecommendationContext): Promise<void>;
  clearRecommendations(customerId: string): Promise<void>;
  close(): Promise<void>;
}
