// Seeded mutations of the pickle and legacy-binary fuzz targets: every case must end in a
// typed RetailMlError or an accepted value that passes the target's check, quickly.
// FUZZ_CASES=20000 npx vitest run test/pickle/fuzz.test.ts runs the full campaign.
import { describe, expect, it } from 'vitest';
import { RetailMlError } from '../../src/index.js';
import type { FuzzTarget } from '../../fuzz/target.js';
import { target as pickleTarget } from '../../fuzz/targets/pickle.js';
import { target as legacyTarget } from '../../fuzz/targets/xgboost-legacy.js';
import { mutate, rng } from '../support/mutate.js';

const CASES = Number(process.env.FUZZ_CASES ?? 300);

async function campaign(target: FuzzTarget, cases: number, baseSeed: number) {
  const seeds = await target.seeds();
  let accepted = 0;
  let refused = 0;
  let slowest = 0;
  for (let i = 0; i < cases; i++) {
    const seed = baseSeed + i;
    const random = rng(seed);
    const input = mutate(seeds[i % seeds.length], random);
    const started = performance.now();
    try {
      const result = target.parse(input);
      await target.check?.(result);
      accepted++;
    } catch (error) {
      if (!(error instanceof RetailMlError) || typeof error.code !== 'string') {
        throw new Error(`${target.name} case seed ${seed}: untyped ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      }
      refused++;
    }
    const took = performance.now() - started;
    slowest = Math.max(slowest, took);
    if (took > 2000) throw new Error(`${target.name} case seed ${seed} took ${Math.round(took)} ms`);
  }
  return { accepted, refused, slowest };
}

describe('fuzzing', () => {
  for (const [target, base] of [[pickleTarget, 1_000_000], [legacyTarget, 2_000_000]] as const) {
    it(`${target.name}: ${CASES} seeded mutations end in a typed error or a consistent result`, async () => {
      const seeds = await target.seeds();
      for (const s of seeds) await target.check?.(target.parse(s));
      const { accepted, refused, slowest } = await campaign(target, CASES, base);
      if (process.env.FUZZ_CASES) console.log(`${target.name}: ${CASES} cases, ${accepted} accepted, ${refused} refused, slowest ${slowest.toFixed(0)} ms`);
      expect(accepted + refused).toBe(CASES);
      // Both outcomes occur: mutations are neither all fatal nor all harmless.
      expect(refused).toBeGreaterThan(0);
      expect(slowest).toBeLessThan(2000);
    }, 600_000);
  }
});
