import { describe, expect, expectTypeOf, it } from 'vitest';
import { recommendCategories, type CustomerFormInput } from '../../src/category/index.js';
import { RetailMlError, type RetailMlErrorCode } from '../../src/errors.js';
import { loadBundle } from '../../src/node/index.js';
import { repoRoot } from '../support/paths.js';

// The type checks below are enforced by `npx tsc --noEmit` (tests are type-checked): an
// `@ts-expect-error` on a line that type-checks is itself an error.
describe('CustomerFormInput and error codes', () => {
  it('accepts the documented spellings and rejects misspelt fields at compile time', async () => {
    const ok: CustomerFormInput[] = [
      { location: 'Delhi', age: 35, last_login_days: 30, prefers_discount: 'No' },
      { location: 'Delhi', age: '35', last_login_days: '30', prefers_discount: true, customer_id: null },
    ];
    // @ts-expect-error locaton is not a field (and location is missing)
    const typo: CustomerFormInput = { locaton: 'Delhi', age: 35, last_login_days: 30, prefers_discount: 'No' };
    // @ts-expect-error prefers_discount takes a boolean or "Yes"/"No"
    const maybe: CustomerFormInput = { location: 'Delhi', age: 35, last_login_days: 30, prefers_discount: 'maybe' };
    const bundle = await loadBundle(`${repoRoot}/models/category-recommender`);
    expect(recommendCategories(ok[0], bundle).top).toHaveLength(3);
    // At run time both are still validated: untyped callers (JSON bodies) get a ValidationError.
    expect(() => recommendCategories(typo, bundle)).toThrow(/location: is required/);
    expect(() => recommendCategories(maybe, bundle)).toThrow(/prefers_discount/);
  });
  it('types code as the union of codes', () => {
    expectTypeOf<RetailMlError['code']>().toEqualTypeOf<RetailMlErrorCode>();
    // @ts-expect-error not a code
    const bad: RetailMlErrorCode = 'NOT_A_CODE';
    expect(bad).toBe('NOT_A_CODE');
  });
});
