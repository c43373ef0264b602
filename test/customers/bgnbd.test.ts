import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  churnRisk,
  customerLifetimeValue,
  expectedAverageSpend,
  expectedPurchases,
  expectedPurchasesNewCustomer,
  fitBgNbd,
  fitGammaGamma,
  probabilityAlive,
  type CustomerSummaryRow,
} from '../../src/customers/index.js';
import { FitError, InputError } from '../../src/errors.js';

const CDNOW = '../shared/data/cdnow/cdnow_customers_summary.csv';
const CDNOW_SPEND = '../shared/data/cdnow/cdnow_customers_summary_with_transactions.csv';

function readSummary(path: string): CustomerSummaryRow[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => {
      const [id, x, tx, T, z] = line.split(',');
      return { customerId: id, frequency: Number(x), recency: Number(tx), T: Number(T), monetaryValue: z === undefined ? undefined : Number(z) };
    });
}

// Published parameters: Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", Marketing Science 24(2).
const paper = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426, logLikelihood: -9582.4 };
const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

describe.skipIf(!existsSync(CDNOW))('BG/NBD on the CDNOW sample', () => {
  const rows = readSummary(CDNOW);
  const fit = fitBgNbd(rows);

  it('reproduces the published maximum-likelihood estimates', () => {
    expect(rows).toHaveLength(2357);
    expect(round(fit.r, 3)).toBe(paper.r);
    expect(round(fit.alpha, 3)).toBe(paper.alpha);
    expect(round(fit.a, 3)).toBe(paper.a);
    expect(round(fit.b, 3)).toBe(paper.b);
    expect(round(fit.logLikelihood, 1)).toBe(paper.logLikelihood);
  });

  it('gives the paper\'s conditional expectation for customer 1 (x=2, tx=30.43, T=38.86): 1.226 purchases in 39 weeks', () => {
    expect(round(expectedPurchases(paper, 39, { frequency: 2, recency: 30.43, T: 38.86 }), 3)).toBe(1.226);
    expect(round(expectedPurchases(fit, 39, { frequency: 2, recency: 30.43, T: 38.86 }), 2)).toBe(1.23);
  });

  it('keeps P(alive) in (0, 1], 1 without repeat purchases, and churn = 1 − P(alive)', () => {
    expect(probabilityAlive(fit, { frequency: 0, recency: 0, T: 38.86 })).toBe(1);
    const stale = { frequency: 2, recency: 5, T: 38.86 };
    const fresh = { frequency: 2, recency: 38, T: 38.86 };
    expect(probabilityAlive(fit, stale)).toBeLessThan(probabilityAlive(fit, fresh));
    const churn = churnRisk(fit, stale, 0.5);
    expect(churn.risk).toBeCloseTo(1 - probabilityAlive(fit, stale), 15);
    expect(churn.churned).toBe(churn.risk >= 0.5);
    expect(churnRisk(fit, fresh, 0.99).churned).toBe(false);
  });

  it('sums individual expectations close to the population forecast for a new customer', () => {
    // E[X(t)] for a new customer is the conditional formula at x = 0, tx = 0, T = 0
    expect(expectedPurchases(fit, 39, { frequency: 0, recency: 0, T: 0 })).toBeCloseTo(expectedPurchasesNewCustomer(fit, 39), 10);
  });
});

describe.skipIf(!existsSync(CDNOW_SPEND))('Gamma-Gamma on the CDNOW sample', () => {
  const rows = readSummary(CDNOW_SPEND);
  const fit = fitGammaGamma(rows);
  it('reproduces the published p = 6.25, q = 3.74, γ = 15.44 (Fader & Hardie, Gamma-Gamma note)', () => {
    expect(Math.abs(fit.p - 6.25)).toBeLessThan(0.01);
    expect(Math.abs(fit.q - 3.74)).toBeLessThan(0.01);
    expect(Math.abs(fit.v - 15.44)).toBeLessThan(0.01);
  });
  it('shrinks a customer\'s mean spend toward the population mean', () => {
    const population = (fit.p * fit.v) / (fit.q - 1);
    const e = expectedAverageSpend(fit, 2, 100);
    expect(e).toBeLessThan(100);
    expect(e).toBeGreaterThan(population);
    expect(expectedAverageSpend(fit, 0, 0)).toBeCloseTo(population, 12);
  });
  it('computes CLV month by month with a monthly discount rate', () => {
    const bg = fitBgNbd(rows);
    const c = { frequency: 2, recency: 30.43, T: 38.86, monetaryValue: 22.35 };
    const spend = expectedAverageSpend(fit, 2, 22.35);
    const perMonth = 4.345;
    // without discounting the monthly increments telescope to spend · E[Y(12 months)]
    expect(customerLifetimeValue(bg, fit, c, { months: 12, monthlyDiscountRate: 0, periodsPerMonth: perMonth })).toBeCloseTo(
      spend * expectedPurchases(bg, 12 * perMonth, c),
      10,
    );
    // two months by hand
    const y1 = expectedPurchases(bg, perMonth, c);
    const y2 = expectedPurchases(bg, 2 * perMonth, c);
    expect(customerLifetimeValue(bg, fit, c, { months: 2, monthlyDiscountRate: 0.01, periodsPerMonth: perMonth })).toBeCloseTo(
      (spend * y1) / 1.01 + (spend * (y2 - y1)) / 1.01 ** 2,
      10,
    );
    expect(() => customerLifetimeValue(bg, fit, c, { monthlyDiscountRate: -1 })).toThrow(InputError);
  });
});

describe('degenerate input', () => {
  it('gives clear errors instead of NaN', () => {
    expect(() => fitBgNbd([])).toThrow(FitError);
    expect(() => fitBgNbd([{ frequency: 0, recency: 0, T: 10 }, { frequency: 0, recency: 0, T: 5 }])).toThrow(FitError);
    expect(() => fitBgNbd([{ frequency: 1.5, recency: 1, T: 10 }])).toThrow(InputError);
    expect(() => fitBgNbd([{ frequency: 1, recency: 11, T: 10 }])).toThrow(InputError);
    expect(() => fitBgNbd([{ frequency: 1, recency: NaN, T: 10 }])).toThrow(InputError);
    expect(() => fitGammaGamma([{ frequency: 1, recency: 1, T: 2, monetaryValue: 5 }])).toThrow(FitError);
    expect(() => fitGammaGamma([1, 2, 3].map(() => ({ frequency: 2, recency: 1, T: 2, monetaryValue: 5 })))).toThrow(FitError);
  });

  it('reports an edge optimum as FitError, which a small penalizer turns into a finite fit', () => {
    const rows = [
      { frequency: 2, recency: 9, T: 10 },
      { frequency: 2, recency: 19, T: 20 },
      { frequency: 0, recency: 0, T: 5 },
    ];
    expect(() => fitBgNbd(rows)).toThrow(/finite interior optimum/);
    const fit = fitBgNbd(rows, { penalizer: 0.1 });
    for (const v of [fit.r, fit.alpha, fit.a, fit.b, fit.logLikelihood]) expect(Number.isFinite(v)).toBe(true);
    expect(() => fitBgNbd(rows, { penalizer: -1 })).toThrow(InputError);
  });

  it('never returns a non-finite parameter (property)', () => {
    const row = fc
      .record({ x: fc.integer({ min: 0, max: 6 }), T: fc.double({ min: 0.5, max: 60, noNaN: true }), f: fc.double({ min: 0, max: 1, noNaN: true }), z: fc.double({ min: 0.5, max: 200, noNaN: true }) })
      .map(({ x, T, f, z }) => ({ frequency: x, recency: x === 0 ? 0 : f * T, T, monetaryValue: z }));
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 8 }), (rows) => {
        for (const fit of [() => fitBgNbd(rows), () => fitGammaGamma(rows)]) {
          try {
            const params = fit();
            for (const v of Object.values(params)) expect(Number.isFinite(v)).toBe(true);
          } catch (e) {
            expect(e).toBeInstanceOf(FitError);
          }
        }
      }),
      { numRuns: 20 },
    );
  });
});
