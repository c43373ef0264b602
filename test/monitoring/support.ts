import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { repoRoot } from '../support/paths.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
/** models/monitoring/expected.json, written by make_fixtures.py with scipy 1.10. */
export const fixtures: any = JSON.parse(readFileSync(join(repoRoot, 'models/monitoring/expected.json'), 'utf8'));

/** JSON cannot hold inf/nan; the generator writes them as strings. */
export function decode(v: number | string | null): number | null {
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (v === 'nan') return NaN;
  return v as number | null;
}

/** Equal to 1e-9 relative (exact for 0 and infinities). */
export function expectClose(actual: number | null, expectedRaw: number | string | null, what: string): void {
  const expected = decode(expectedRaw);
  if (expected === null || actual === null) {
    expect(actual, what).toBe(expected);
    return;
  }
  if (!Number.isFinite(expected) || expected === 0) {
    expect(actual, what).toBe(expected);
    return;
  }
  const rel = Math.abs(actual - expected) / Math.abs(expected);
  expect(rel, `${what}: ${actual} vs scipy ${expected}`).toBeLessThanOrEqual(1e-9);
}
