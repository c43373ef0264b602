import { readFileSync } from 'node:fs';

/** The jpmml fixtures are plain CSV (no quotes); this keeps their tests independent of our own CSV reader. */
export function readPlainCsv(path: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  return { header: lines[0].split(','), rows: lines.slice(1).map((line) => line.split(',')) };
}
