import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MARKETING_CSV = join(ROOT, '..', 'shared', 'data', 'customer-segmentation', 'marketing_campaign.csv');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function expected(name: string): any {
  return JSON.parse(readFileSync(join(ROOT, 'models', 'cluster', name), 'utf8'));
}

export function labelsOf(s: string): Int32Array {
  return Int32Array.from(s, (c) => Number(c));
}

/** Relative (with an absolute floor) closeness. */
export function expectClose(actual: number, want: number, rel = 1e-9, abs = 1e-12): void {
  const tol = Math.max(abs, rel * Math.abs(want));
  if (!(Math.abs(actual - want) <= tol)) throw new Error(`expected ${want}, got ${actual} (diff ${actual - want}, tol ${tol})`);
}

export function nanRows(rows: (number | null)[][]): number[][] {
  return rows.map((r) => r.map((v) => (v === null ? NaN : v)));
}
