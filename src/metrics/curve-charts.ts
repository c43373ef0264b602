import { lineChart } from '../charts/index.js';
import type { PrecisionRecallCurve, RocCurve } from './ranking.js';

/**
 * The ROC curve as a standalone SVG file, with the chance diagonal and the AUC in the legend.
 *
 * @example
 * writeFileSync('roc.svg', rocChart(rocCurve(yTrue, scores), { auc: rocAuc(yTrue, scores) }));
 */
export function rocChart(curve: RocCurve, options: { title?: string; auc?: number } = {}): string {
  const points = Array.from(curve.fpr, (x, i) => [x, curve.tpr[i]] as const);
  return lineChart({
    title: options.title ?? 'ROC curve',
    xLabel: 'false positive rate',
    yLabel: 'true positive rate (recall)',
    series: [
      { name: options.auc === undefined ? 'model' : `model (AUC ${options.auc.toFixed(3)})`, points },
      { name: 'chance', points: [[0, 0], [1, 1]] },
    ],
  });
}

/**
 * The precision-recall curve as a standalone SVG file, with the positive rate as the no-skill line.
 *
 * @example
 * writeFileSync('pr.svg', precisionRecallChart(precisionRecallCurve(yTrue, scores), { averagePrecision: 0.87, positiveRate: 0.3 }));
 */
export function precisionRecallChart(
  curve: PrecisionRecallCurve,
  options: { title?: string; averagePrecision?: number; positiveRate?: number } = {},
): string {
  const points = Array.from(curve.recall, (x, i) => [x, curve.precision[i]] as const);
  const series = [{ name: options.averagePrecision === undefined ? 'model' : `model (AP ${options.averagePrecision.toFixed(3)})`, points }];
  if (options.positiveRate !== undefined) series.push({ name: 'no skill', points: [[0, options.positiveRate], [1, options.positiveRate]] });
  return lineChart({ title: options.title ?? 'Precision-recall curve', xLabel: 'recall', yLabel: 'precision', series });
}
