import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import {
  accuracy,
  averagePrecision,
  confusionMatrix,
  f1Score,
  logLoss,
  prAuc,
  precision,
  precisionRecallCurve,
  precisionRecallChart,
  recall,
  rocAuc,
  rocChart,
  rocCurve,
  thresholdForRecall,
} from '../../src/metrics/index.js';

const expected = JSON.parse(readFileSync(join(__dirname, '../../models/metrics/expected.json'), 'utf8'));

function expectArrayClose(actual: ArrayLike<number>, wanted: number[], digits = 12) {
  expect(actual.length).toBe(wanted.length);
  wanted.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, digits));
}

describe('binary metrics equal scikit-learn 1.2.1', () => {
  for (const c of expected.binary) {
    it(c.name, () => {
      const pred = (c.scores as number[]).map((s) => (s >= c.threshold ? 1 : 0));
      expect(confusionMatrix(c.y, pred).matrix).toEqual(c.confusion_matrix);
      expect(precision(c.y, pred)).toBeCloseTo(c.precision, 14);
      expect(recall(c.y, pred)).toBeCloseTo(c.recall, 14);
      expect(f1Score(c.y, pred)).toBeCloseTo(c.f1, 14);
      expect(accuracy(c.y, pred)).toBeCloseTo(c.accuracy, 14);
      expect(rocAuc(c.y, c.scores)).toBeCloseTo(c.roc_auc, 12);
      expect(averagePrecision(c.y, c.scores)).toBeCloseTo(c.average_precision, 12);
      expect(prAuc(c.y, c.scores)).toBeCloseTo(c.pr_auc, 12);
      expect(logLoss(c.y, (c.scores as number[]).map((s) => Math.min(1, Math.max(0, s))))).toBeCloseTo(c.log_loss, 12);
      const roc = rocCurve(c.y, c.scores);
      expectArrayClose(roc.fpr, c.roc_curve.fpr);
      expectArrayClose(roc.tpr, c.roc_curve.tpr);
      expectArrayClose(roc.thresholds, c.roc_curve.thresholds);
      const pr = precisionRecallCurve(c.y, c.scores);
      expectArrayClose(pr.precision, c.pr_curve.precision);
      expectArrayClose(pr.recall, c.pr_curve.recall);
      expectArrayClose(pr.thresholds, c.pr_curve.thresholds);
      for (const [target, want] of Object.entries(c.threshold_for_recall) as [string, { threshold: number; precision: number; recall: number }][]) {
        const got = thresholdForRecall(c.y, c.scores, Number(target));
        expect(got.threshold).toBe(want.threshold);
        expect(got.precision).toBeCloseTo(want.precision, 14);
        expect(got.recall).toBeCloseTo(want.recall, 14);
      }
    });
  }

  it('multi-class log loss, confusion matrix and accuracy with string labels', () => {
    const m = expected.multiclass;
    expect(logLoss(m.y, (m.proba as number[][]).flat())).toBeCloseTo(m.log_loss, 12);
    expect(confusionMatrix(m.y, m.pred)).toEqual({ labels: ['a', 'b', 'c'], matrix: m.confusion_matrix });
    expect(accuracy(m.y, m.pred)).toBeCloseTo(m.accuracy, 14);
  });
});

describe('metric edge cases', () => {
  it('positiveLabel selects the positive class; other labels need it', () => {
    expect(recall(['buy', 'no', 'buy'], ['buy', 'buy', 'no'], { positiveLabel: 'buy' })).toBe(0.5);
    expect(() => recall(['buy', 'no'], ['buy', 'no'])).toThrow(InputError);
    expect(rocAuc([true, false, true], [0.9, 0.1, 0.8])).toBe(1);
  });

  it('undefined cases throw typed errors, zero division gives 0', () => {
    expect(() => rocAuc([1, 1], [0.2, 0.3])).toThrow(InputError);
    expect(() => rocAuc([1, 0], [0.2, NaN])).toThrow(InputError);
    expect(() => rocAuc([1, 0], [0.2])).toThrow(InputError);
    expect(() => thresholdForRecall([0, 0], [0.1, 0.2], 1)).toThrow(InputError);
    expect(() => thresholdForRecall([0, 1], [0.1, 0.2], 1.5)).toThrow(InputError);
    expect(() => logLoss([1, 1], [0.5, 0.5])).toThrow(InputError);
    expect(precision([1, 0], [0, 0])).toBe(0);
    expect(f1Score([0, 0], [0, 0])).toBe(0);
  });

  it('thresholdForRecall: flagging score >= threshold reaches the target, the next higher score does not', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 20 })), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (rows, target) => {
          const y = rows.map(([b]) => (b ? 1 : 0));
          if (!y.includes(1)) return;
          const s = rows.map(([, v]) => v / 20);
          const op = thresholdForRecall(y, s, target);
          const rec = (thr: number) => y.filter((v, i) => v === 1 && s[i] >= thr).length / y.filter((v) => v === 1).length;
          expect(rec(op.threshold)).toBeGreaterThanOrEqual(target);
          const higher = s.filter((v) => v > op.threshold);
          if (higher.length > 0) expect(rec(Math.min(...higher))).toBeLessThan(target);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('ROC AUC equals the pairwise ranking probability (ties count half)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 5 })), { minLength: 2, maxLength: 40 }), (rows) => {
        const y = rows.map(([b]) => (b ? 1 : 0));
        if (!y.includes(1) || !y.includes(0)) return;
        const s = rows.map(([, v]) => v);
        let wins = 0;
        let pairs = 0;
        for (let i = 0; i < y.length; i++) for (let j = 0; j < y.length; j++) {
          if (y[i] === 1 && y[j] === 0) {
            pairs++;
            wins += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
          }
        }
        expect(rocAuc(y, s)).toBeCloseTo(wins / pairs, 12);
      }),
      { numRuns: 200 },
    );
  });

  it('curves render as standalone SVG', () => {
    const c = expected.binary[0];
    const roc = rocChart(rocCurve(c.y, c.scores), { auc: c.roc_auc });
    expect(roc.startsWith('<svg') || roc.startsWith('<?xml')).toBe(true);
    expect(roc).toContain('</svg>');
    expect(roc).toContain(`AUC ${c.roc_auc.toFixed(3)}`);
    const pr = precisionRecallChart(precisionRecallCurve(c.y, c.scores), { averagePrecision: c.average_precision, positiveRate: 0.5 });
    expect(pr).toContain('no skill');
  });
});
