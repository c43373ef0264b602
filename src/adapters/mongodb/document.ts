import type { PredictionRecord } from '../log/record.js';

/** A prediction as stored in MongoDB: the record, `_id` = its idempotent id, a real Date, and the top-1 label for indexing. */
export interface PredictionDocument {
  _id: string;
  timestamp: Date;
  customerId?: string;
  model: { name: string; sha256: string };
  input: Record<string, unknown>;
  features: { names: string[]; values: (number | null)[] };
  top: { label: string; probability: number }[];
  topCategory: string;
}

/**
 * The indexes the adapter creates: newest first, per customer over time, per top category.
 *
 * @example
 * PREDICTION_INDEXES.map((i) => i.name) // => ['timestamp_-1', 'customerId_1_timestamp_-1', 'topCategory_1']
 */
export const PREDICTION_INDEXES = [
  { key: { timestamp: -1 }, name: 'timestamp_-1' },
  { key: { customerId: 1, timestamp: -1 }, name: 'customerId_1_timestamp_-1' },
  { key: { topCategory: 1 }, name: 'topCategory_1' },
] as const;

/**
 * The MongoDB document for a record.
 *
 * @example
 * toPredictionDocument(record)._id === record.id // => true
 */
export function toPredictionDocument(record: PredictionRecord): PredictionDocument {
  return {
    _id: record.id,
    timestamp: new Date(record.timestamp),
    ...(record.customerId === undefined ? {} : { customerId: record.customerId }),
    model: { name: record.model.name, sha256: record.model.sha256 },
    input: record.input,
    features: record.features,
    top: record.top,
    topCategory: record.top[0].label,
  };
}

/**
 * The record a stored document came from (inverse of {@link toPredictionDocument}).
 *
 * @example
 * fromPredictionDocument(toPredictionDocument(record)) // deep-equals record
 */
export function fromPredictionDocument(doc: PredictionDocument): PredictionRecord {
  return {
    id: String(doc._id),
    timestamp: doc.timestamp instanceof Date ? doc.timestamp.toISOString() : String(doc.timestamp),
    ...(doc.customerId === undefined ? {} : { customerId: doc.customerId }),
    model: doc.model,
    input: doc.input,
    features: doc.features,
    top: doc.top,
  };
}
