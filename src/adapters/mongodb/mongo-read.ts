import type { MongoClientOptions } from 'mongodb';
import type { PredictionRecord } from '../log/record.js';
import { createMongoClient, DEFAULT_COLLECTION, DEFAULT_DATABASE } from './driver.js';
import { fromPredictionDocument, type PredictionDocument } from './document.js';
import { countTopCategoriesInCollection, readRecentFromCollection } from './mongo-log.js';

/** Where to read predictions from. */
export interface MongoTarget {
  uri: string;
  /** Default `ecommerce_db`. */
  database?: string;
  /** Default `category_predictions`. */
  collection?: string;
  clientOptions?: MongoClientOptions;
}

async function withCollection<T>(target: MongoTarget, fn: (c: import('mongodb').Collection<PredictionDocument>) => Promise<T>): Promise<T> {
  const client = await createMongoClient(target.uri, { serverSelectionTimeoutMS: 10_000, ...target.clientOptions });
  try {
    const collection = client
      .db(target.database ?? DEFAULT_DATABASE)
      .collection<PredictionDocument>(target.collection ?? DEFAULT_COLLECTION);
    return await fn(collection);
  } finally {
    await client.close();
  }
}

/**
 * The `limit` most recent predictions stored in MongoDB, newest first (opens and closes a client).
 *
 * @example
 * const last = await readRecentFromMongo({ uri: 'mongodb://127.0.0.1:27017' }, 10);
 */
export function readRecentFromMongo(target: MongoTarget, limit: number): Promise<PredictionRecord[]> {
  return withCollection(target, (c) => readRecentFromCollection(c, limit));
}

/**
 * Predictions stored in MongoDB per top-1 category, most frequent first.
 *
 * @example
 * await countTopCategoriesInMongo({ uri: 'mongodb://127.0.0.1:27017' }) // => Map { 'Books' => 12 }
 */
export function countTopCategoriesInMongo(target: MongoTarget): Promise<Map<string, number>> {
  return withCollection(target, countTopCategoriesInCollection);
}

/**
 * The predictions stored with a timestamp in [from, to), oldest first (opens and closes a
 * client); the `timestamp_-1` index serves the range.
 *
 * @example
 * const january = await readPredictionsBetweenFromMongo({ uri }, new Date('2025-01-01'), new Date('2025-02-01'));
 */
export function readPredictionsBetweenFromMongo(target: MongoTarget, from: Date, to: Date): Promise<PredictionRecord[]> {
  return withCollection(target, async (c) => {
    const docs = await c.find({ timestamp: { $gte: from, $lt: to } }).sort({ timestamp: 1, _id: 1 }).toArray();
    return docs.map((d) => fromPredictionDocument(d as PredictionDocument));
  });
}
