/** The recommendation backend's tables, as its README lists them (seed 001), in SQLite. */
export const SCHEMA: readonly string[] = [
  `CREATE TABLE customer_profiles (
     customer_id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, age INTEGER, location TEXT, created_at INTEGER NOT NULL)`,
  `CREATE TABLE customer_addresses (
     id INTEGER PRIMARY KEY AUTOINCREMENT, customer_id TEXT NOT NULL REFERENCES customer_profiles(customer_id),
     kind TEXT NOT NULL, line1 TEXT NOT NULL, city TEXT NOT NULL, postal_code TEXT, country TEXT NOT NULL)`,
  `CREATE TABLE browsing_history (
     id INTEGER PRIMARY KEY AUTOINCREMENT, customer_id TEXT NOT NULL, product_id TEXT, category TEXT NOT NULL, timestamp INTEGER NOT NULL)`,
  `CREATE TABLE purchase_history (
     id INTEGER PRIMARY KEY AUTOINCREMENT, customer_id TEXT NOT NULL, product_id TEXT, category TEXT NOT NULL, price REAL NOT NULL, timestamp INTEGER NOT NULL)`,
  `CREATE TABLE customer_segments (customer_id TEXT PRIMARY KEY, segment TEXT NOT NULL, average_order_value REAL NOT NULL, updated_at INTEGER NOT NULL)`,
  `CREATE TABLE product_catalog (product_id TEXT PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL, price REAL NOT NULL, tags TEXT NOT NULL)`,
  // basis: how many events (browsing + purchases) the set was computed from; see CustomerHistory.
  `CREATE TABLE customer_recommendations (id INTEGER PRIMARY KEY AUTOINCREMENT, customer_id TEXT NOT NULL, created_at INTEGER NOT NULL, recommendations TEXT NOT NULL, basis INTEGER)`,
  'CREATE UNIQUE INDEX customer_profiles_email ON customer_profiles (email)',
  'CREATE INDEX browsing_by_customer ON browsing_history (customer_id)',
  'CREATE INDEX purchases_by_customer ON purchase_history (customer_id)',
  'CREATE INDEX recommendations_by_customer ON customer_recommendations (customer_id, created_at)',
];
