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
  `CREATE TABLE customer_recommendations (id INTEGER PRIMARY KEY AUTOINCREMENT, customer_id TEXT NOT NULL, created_at INTEGER NOT NULL, recommendations TEXT NOT NULL)`,
  'CREATE INDEX browsing_by_customer ON browsing_history (customer_id)',
  'CREATE INDEX purchases_by_customer ON purchase_history (customer_id)',
  'CREATE INDEX recommendations_by_customer ON customer_recommendations (customer_id, created_at)',
];

/** The original backend's 16-product sample catalogue (its own category spellings kept). */
export const SAMPLE_CATALOGUE: readonly (readonly [name: string, category: string, price: number, tags: string])[] = [
  ['Galaxy S22', 'SmartPhone', 799.99, 'samsung phone android camera'],
  ['iPhone 13', 'SmartPhone', 899.99, 'apple phone ios camera'],
  ['Google Pixel 6', 'SmartPhone', 699.99, 'google phone android camera photography'],
  ['MacBook Pro', 'Laptop', 1299.99, 'apple laptop macOS productivity'],
  ['Dell XPS 13', 'Laptop', 999.99, 'dell laptop windows productivity'],
  ['Lenovo ThinkPad', 'Laptop', 1099.99, 'lenovo laptop windows business'],
  ['Premium Yoga Mat', 'Yoga Mat', 45.99, 'yoga fitness exercise mat'],
  ['Yoga Block Set', 'Yoga', 19.99, 'yoga fitness exercise props'],
  ['Premium Resistance Bands', 'fitness', 29.99, 'fitness strength training bands home workout'],
  ['Smart Treadmill', 'fitness', 1499.99, 'fitness cardio treadmill running machine'],
  ['Adjustable Dumbbells', 'fitness', 299.99, 'fitness strength weights dumbbells'],
  ['Running Shoes', 'fashion', 89.99, 'shoes running fitness footwear'],
  ['Casual Sneakers', 'fashion', 59.99, 'shoes casual fashion footwear'],
  ['Formal Shoes', 'fashion', 129.99, 'shoes formal dress footwear'],
  ['Fitness Tracker Watch', 'fashion', 149.99, 'watch smartwatch fitness tracker'],
  ['Designer Jeans', 'fashion', 79.99, 'jeans pants denim fashion'],
];
