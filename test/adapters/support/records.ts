import { createPredictionRecord, type PredictionRecord } from '../../../src/adapters/log/index.js';

const LABELS = ['Books', 'Electronics', 'Toys', 'Garden', 'Beauty'];
export const MODEL = { name: 'xgb_model_category', sha256: 'c0ffee'.padEnd(64, '0') };

/** A valid record whose content depends only on `i` (plus a fresh id unless given). */
export function sampleRecord(i: number, overrides: Partial<PredictionRecord> = {}): PredictionRecord {
  const first = LABELS[i % LABELS.length];
  const second = LABELS[(i + 1) % LABELS.length];
  const third = LABELS[(i + 2) % LABELS.length];
  return {
    ...createPredictionRecord({
      input: { customer_id: `C${i}`, name: `Customer ${i}`, email: `c${i}@example.com`, age: 20 + (i % 50) },
      customerId: `C${i}`,
      features: [20 + (i % 50), i % 7, i % 2 === 0 ? NaN : i / 10],
      featureNames: ['age', 'logins', 'recency'],
      top: [
        { label: first, probability: 0.5 },
        { label: second, probability: 0.3 },
        { label: third, probability: 0.2 },
      ],
      model: MODEL,
      timestamp: Date.UTC(2024, 0, 1) + i * 1000,
    }),
    ...overrides,
  };
}
