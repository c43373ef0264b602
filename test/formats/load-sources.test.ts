import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, loadXGBoost } from '../../src/index.js';
import { repoRoot } from '../support/paths.js';

// XGBoost 1.7.4's probabilities for the shipped model (models/features/category_grid.py).
const grid = JSON.parse(readFileSync(join(repoRoot, 'models/features/category/grid.json'), 'utf8')) as { cases: { row: number[]; probabilities: number[] }[] };
const bytes = readFileSync(join(repoRoot, 'models/category-recommender/xgb_model_category.json'));

describe('loadXGBoost sources', () => {
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const padded = new Uint8Array(bytes.length + 16);
  padded.set(bytes, 8);
  const sources: [string, Parameters<typeof loadXGBoost>[0]][] = [
    ['Buffer', bytes],
    ['ArrayBuffer (the browser idiom: await res.arrayBuffer())', copy],
    ['DataView', new DataView(copy)],
    ['a view with an offset into a larger buffer', new DataView(padded.buffer, 8, bytes.length)],
    ['JSON text', bytes.toString('utf8')],
    ['parsed object', JSON.parse(bytes.toString('utf8')) as Record<string, unknown>],
  ];
  for (const [name, source] of sources) {
    it(`scores as XGBoost from ${name}`, () => {
      const model = loadXGBoost(source);
      const { row, probabilities } = grid.cases[0];
      Array.from(model.predict([row])).forEach((p, k) => expect(p).toBeCloseTo(probabilities[k], 6));
    });
  }

  it('refuses numbers, null and booleans with an InputError', () => {
    for (const bad of [42, null, true, undefined]) expect(() => loadXGBoost(bad as never)).toThrow(InputError);
  });
});
