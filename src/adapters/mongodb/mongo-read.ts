import type { MongoClientOptions } from 'mongodb';
import type { PredictionRecord } from '../log/record.js';
import { connectMongoClient, toUnavailableError } from './connect.js';
import { createMongoClient, DEFAULT_COLLECTION, DEFAULT_DATABASE, describeMongoTarget } from './driver.js';
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

// Reads are for a person waiting at a prompt: connect first, so an unreachable server is one typed line at once.
async function withCollection<T>(target: MongoTarget, fn: (c: import('mongodb').Collection<PredictionDocument>) => Promise<T>): Promise<T> {
  const database = target.database ?? DEFAULT_DATABASE;
  const collectionName = target.collection ?? DEFAULT_COLLECTION;
  const address = describeMongoTarget(target.uri, database, collectionName);
  const client = await createMongoClient(target.uri, target.clientOptions);
  await connectMongoClient(client, address);
  try {
    return await fn(client.db(database).collection<PredictionDocument>(collectionName));
  } catch (error) {
    throw toUnavailableError(error, address);
  } finally {
    await client.close();
  }
}

/**
 * The `limit` most recent predictions stored in MongoDB, newest first (opens and closes a
 * client). An unreachable server is an `UnavailableError` naming the address, at once
 * when a single host refuses the connection.
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
