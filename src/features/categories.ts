import { InputError } from '../errors.js';

/** A category value: a string, a number, or `null` for "missing" (as scikit-learn allows). */
export type Category = string | number | null;

/**
 * Compares categories the way `numpy.unique` sorts them: numbers ascending, strings by
 * Unicode code point (Python's order, not UTF-16's), missing last.
 *
 * @example
 * ['b', null, 'B', 'a'].sort(compareCategories) // => ['B', 'a', 'b', null]
 */
export function compareCategories(a: Category, b: Category): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  throw new InputError(`cannot order a ${typeof a} category against a ${typeof b} one`);
}

function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/**
 * The distinct values, sorted as {@link compareCategories} (like `numpy.unique`).
 * Mixing strings and numbers is an {@link InputError}, as in scikit-learn.
 *
 * @example
 * uniqueCategories(['Delhi', 'Mumbai', 'Delhi', null]) // => ['Delhi', 'Mumbai', null]
 */
export function uniqueCategories(values: Iterable<Category>): Category[] {
  const set = new Set<Category>();
  for (const v of values) set.add(typeof v === 'number' && Number.isNaN(v) ? null : v);
  const out = [...set];
  const kinds = new Set(out.filter((v) => v !== null).map((v) => typeof v));
  if (kinds.size > 1) throw new InputError('categories mix strings and numbers');
  return out.sort(compareCategories);
}

/**
 * The category as text in an output column name: strings as they are, numbers in
 * JavaScript's shortest form. Missing is written as scikit-learn does for what pandas
 * holds there: `None` among strings (object columns), `nan` among numbers.
 *
 * @example
 * categoryText(3)                  // => '3'
 * categoryText(null, ['a', null])  // => 'None'
 */
export function categoryText(c: Category, siblings: readonly Category[] = []): string {
  if (c !== null) return String(c);
  return siblings.some((s) => typeof s === 'number') ? 'nan' : 'None';
}

/** Validates a JSON category list (strings or numbers or null), naming `where` on error. */
export function parseCategoryList(value: unknown, where: string): Category[] {
  if (!Array.isArray(value)) throw new InputError(`${where}: expected an array of categories`);
  return value.map((v, i) => {
    if (v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) return v as Category;
    throw new InputError(`${where}[${i}]: a category must be a string, a finite number or null`);
  });
}
