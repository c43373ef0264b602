import { InputError } from '../errors.js';

/** What {@link shouldRetrain} looks at; leave out what you do not know. */
export interface RetrainInput {
  /** Rows the model was trained on. */
  trainingRows: number;
  /** Labelled rows collected since training. */
  newRows?: number;
  /** F1 now, and at training time (the baseline). */
  f1?: number | null;
  baselineF1?: number | null;
  /** Did the last drift report find dataset drift? */
  datasetDrift?: boolean;
}

/** The triggers of the purchase system; every default is the seed's. */
export interface RetrainPolicy {
  /** New data as a share of the training rows (default 0.1 = +10%). */
  newDataShare?: number;
  /** Absolute F1 floor (default 0.86). */
  f1Floor?: number;
  /** Relative F1 drop against the baseline (default 0.05 = −5%). */
  f1Drop?: number;
  /** Retrain on dataset drift (default true). */
  onDrift?: boolean;
}

/** One trigger that fired. */
export interface RetrainReason {
  trigger: 'new-data' | 'f1-floor' | 'f1-drop' | 'data-drift';
  message: string;
}

/**
 * The purchase system's retraining decision: retrain when new data reaches +10% of the
 * training rows, when F1 falls below 0.86, when F1 drops more than 5% relative to its
 * baseline, or when the data drifted. Returns the decision with every reason that fired.
 *
 * @example
 * shouldRetrain({ trainingRows: 10_000, newRows: 1_200, f1: 0.9, baselineF1: 0.91 })
 * // => { retrain: true, reasons: [{ trigger: 'new-data', message: '1200 new rows = 12.0% of 10000 training rows (≥ 10.0%)' }] }
 */
export function shouldRetrain(input: RetrainInput, policy: RetrainPolicy = {}): { retrain: boolean; reasons: RetrainReason[] } {
  const newDataShare = policy.newDataShare ?? 0.1;
  const f1Floor = policy.f1Floor ?? 0.86;
  const f1Drop = policy.f1Drop ?? 0.05;
  if (!(Number.isFinite(input?.trainingRows) && input.trainingRows > 0)) throw new InputError('trainingRows must be a positive number');
  for (const [k, v] of Object.entries({ newDataShare, f1Floor, f1Drop })) {
    if (!(Number.isFinite(v) && v >= 0)) throw new InputError(`policy ${k} must be a non-negative number`);
  }
  const reasons: RetrainReason[] = [];
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  if (input.newRows !== undefined) {
    if (!(Number.isFinite(input.newRows) && input.newRows >= 0)) throw new InputError('newRows must be a non-negative number');
    const share = input.newRows / input.trainingRows;
    if (share >= newDataShare) {
      reasons.push({ trigger: 'new-data', message: `${input.newRows} new rows = ${pct(share)} of ${input.trainingRows} training rows (≥ ${pct(newDataShare)})` });
    }
  }
  const f1 = input.f1;
  if (f1 !== undefined && f1 !== null) {
    if (!(f1 >= 0 && f1 <= 1)) throw new InputError('f1 must be in [0, 1]');
    if (f1 < f1Floor) reasons.push({ trigger: 'f1-floor', message: `F1 ${f1.toFixed(4)} is below the floor ${f1Floor}` });
    const base = input.baselineF1;
    if (base !== undefined && base !== null) {
      if (!(base > 0 && base <= 1)) throw new InputError('baselineF1 must be in (0, 1]');
      const drop = (base - f1) / base;
      // A hair of slack so that 0.95 against 1 is exactly the 5% edge, not 5.000000000000004%.
      if (drop > f1Drop + 1e-12) reasons.push({ trigger: 'f1-drop', message: `F1 fell ${pct(drop)} from ${base.toFixed(4)} to ${f1.toFixed(4)} (> ${pct(f1Drop)})` });
    }
  }
  if (input.datasetDrift && policy.onDrift !== false) reasons.push({ trigger: 'data-drift', message: 'dataset drift detected' });
  return { retrain: reasons.length > 0, reasons };
}
