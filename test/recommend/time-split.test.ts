import { describe, expect, it } from 'vitest';
import { timeSplit } from '../../src/recommend/time-split.js';
import { InputError } from '../../src/errors.js';

describe('timeSplit', () => {
  const rows = [5, 1, 3, 3, 2, 4].map((t, i) => ({ id: i, t }));
  it('splits at an explicit cutoff, keeping order', () => {
    const { train, test } = timeSplit(rows, (r) => r.t, { cutoff: 3 });
    expect(train.map((r) => r.id)).toEqual([1, 4]);
    expect(test.map((r) => r.id)).toEqual([0, 2, 3, 5]);
  });
  it('picks the cutoff for a test fraction without splitting equal timestamps', () => {
    // 6 rows, 50 % → at most 3 test rows: {5, 4} fit, adding both 3s would make 4 → cutoff 4
    const { test, cutoff } = timeSplit(rows, (r) => r.t, { testFraction: 0.5 });
    expect(cutoff).toBe(4);
    expect(test.map((r) => r.t).sort()).toEqual([4, 5]);
  });
  it('rejects a bad fraction, bad dates and an impossible split', () => {
    expect(() => timeSplit(rows, (r) => r.t, { testFraction: 1 })).toThrow(InputError);
    expect(() => timeSplit([{ t: NaN }], (r) => r.t, { cutoff: 0 })).toThrow(InputError);
    expect(() => timeSplit([{ t: 1 }, { t: 1 }], (r) => r.t, { testFraction: 0.4 })).toThrow(InputError);
  });
});
