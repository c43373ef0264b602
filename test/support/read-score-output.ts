import { readScoreInput, type ScoreCell } from '../../src/node/score-input.js';

/** A scored file (CSV, JSONL, Arrow or Parquet) read back whole through the scorer's own readers. */
export async function readScoreOutput(path: string): Promise<{ names: readonly string[]; rows: ScoreCell[][] }> {
  let names: readonly string[] = [];
  const rows: ScoreCell[][] = [];
  for await (const batch of readScoreInput(path)) {
    names = batch.columnNames;
    rows.push(...batch.rows);
  }
  return { names, rows };
}
