import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { checkPredictionRecord, countPredictionsByTopCategory, createPredictionRecord, readRecentPredictions } from '../../src/adapters/log/index.js';
import type { FuzzTarget } from '../target.js';
import { inconsistent } from '../support/checks.js';

let dir: string | undefined;

/**
 * The JSON Lines prediction-log reader (`readRecentPredictions`, `countPredictionsByTopCategory`)
 * on a mutated log file: every record it returns must be a valid record.
 */
export const target: FuzzTarget = {
  name: 'prediction-log',
  seeds: () => {
    const lines = Array.from({ length: 6 }, (_, i) =>
      JSON.stringify(
        createPredictionRecord({
          input: { customer_id: `C${i}`, age: 20 + i },
          customerId: `C${i}`,
          features: [20 + i, i, i % 2 ? NaN : i / 10],
          featureNames: ['age', 'logins', 'recency'],
          top: [
            { label: ['Books', 'Toys', 'Home'][i % 3], probability: 0.6 },
            { label: 'Garden', probability: 0.4 },
          ],
          model: { name: 'm', sha256: 'c0ffee'.padEnd(64, '0') },
          timestamp: Date.UTC(2024, 0, 1) + i * 1000,
        }),
      ),
    );
    return [new TextEncoder().encode(`${lines.join('\n')}\n`), new TextEncoder().encode(`${lines.slice(0, 3).join('\n')}\n${lines[1]}\n{"torn":`)];
  },
  parse: async (bytes) => {
    dir ??= mkdtempSync(join(tmpdir(), `retail-ml-fuzz-log-${threadId}-`));
    const path = join(dir, 'predictions.jsonl');
    writeFileSync(path, bytes);
    return { recent: await readRecentPredictions(path, 10), counts: await countPredictionsByTopCategory(path) };
  },
  check: (result) => {
    const { recent, counts } = result as { recent: unknown[]; counts: Map<string, number> };
    if (recent.length > 10) inconsistent(`${recent.length} recent records for a limit of 10`);
    for (const r of recent) if (checkPredictionRecord(r).length > 0) inconsistent('an invalid record was returned');
    for (const [, n] of counts) if (!(Number.isInteger(n) && n > 0)) inconsistent(`count ${n}`);
  },
};
