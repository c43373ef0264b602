import { runSteps, type Progress, type Steps } from '../steps.js';
import { FitError } from '../errors.js';

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * ln Γ(x) for x > 0 (Lanczos, g = 7; about 15 significant digits).
 *
 * @example
 * logGamma(5) // => Math.log(24)
 */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const y = x - 1;
  let a = LANCZOS[0];
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).
 *
 * @example
 * logBeta(1, 1) // => 0
 */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * The Gauss hypergeometric function ₂F₁(a, b; c; z) for 0 ≤ z < 1 by its power series
 * (terms shrink like zⁿ, so z close to 1 takes many terms; capped at a million).
 *
 * @example
 * hyp2f1(1, 1, 2, 0.5) // => -Math.log(1 - 0.5) / 0.5
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  if (!(z >= 0 && z < 1)) throw new FitError(`hyp2f1 needs 0 <= z < 1, got ${z}`);
  let term = 1;
  let sum = 1;
  for (let n = 0; n < 1_000_000; n++) {
    term *= ((a + n) * (b + n)) / ((c + n) * (n + 1)) * z;
    sum += term;
    if (Math.abs(term) <= 1e-16 * Math.abs(sum)) return sum;
  }
  throw new FitError('hyp2f1 series did not converge');
}

/** ln(eˣ + eʸ) without overflow. */
export function logAddExp(x: number, y: number): number {
  if (x === -Infinity) return y;
  if (y === -Infinity) return x;
  const m = Math.max(x, y);
  return m + Math.log(Math.exp(x - m) + Math.exp(y - m));
}

/**
 * Minimises `f` by Nelder–Mead from `start`, restarting from the best point until a restart no
 * longer improves it, or until `stopWhen(best)` (e.g. the point ran off to infinity); returns the
 * point and value. Non-finite values count as +∞.
 *
 * @example
 * nelderMead(([x, y]) => (x - 1) ** 2 + (y + 2) ** 2, [0, 0]).point // ≈ [1, -2]
 */
export function nelderMead(
  f: (x: number[]) => number,
  start: readonly number[],
  options: NelderMeadOptions = {},
): { point: number[]; value: number } {
  return runSteps(nelderMeadSteps(f, start, options));
}

/** Options of {@link nelderMead}. */
export interface NelderMeadOptions {
  tolerance?: number;
  maxIterations?: number;
  step?: number;
  stopWhen?: (best: number[]) => boolean;
}

/** Restarts before giving up on improving the best point. */
const MAX_RESTARTS = 10;
/** Iterations between progress reports: small enough to keep the event loop responsive. */
const ITERATIONS_PER_STEP = 25;

/**
 * {@link nelderMead} as steps (see `runSteps`/`runStepsAsync`): yields every few iterations,
 * counting iterations against the most there can be (`maxIterations` × restarts), so a
 * converging fit ends before its total.
 *
 * @example
 * const { point } = await runStepsAsync(nelderMeadSteps(([x]) => (x - 3) ** 2, [0]), 'fit', { signal });
 */
export function* nelderMeadSteps(f: (x: number[]) => number, start: readonly number[], options: NelderMeadOptions = {}): Steps<{ point: number[]; value: number }> {
  const { tolerance = 1e-12, maxIterations = 5_000, step = 0.5, stopWhen = () => false } = options;
  const safe = (x: number[]) => {
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  const progress = { done: 0, total: maxIterations * MAX_RESTARTS };
  let best = { point: start.slice(), value: safe(start.slice()) };
  for (let restart = 0; restart < MAX_RESTARTS; restart++) {
    const result = yield* nelderMeadOnce(safe, best.point, step / (restart + 1), tolerance, maxIterations, stopWhen, progress);
    const improved = best.value - result.value;
    if (result.value <= best.value) best = result;
    if (stopWhen(best.point)) break;
    if (restart > 0 && !(improved > tolerance * (1 + Math.abs(best.value)))) break;
  }
  return best;
}

function* nelderMeadOnce(
  f: (x: number[]) => number,
  start: number[],
  step: number,
  tolerance: number,
  maxIterations: number,
  stopWhen: (best: number[]) => boolean,
  progress: Progress,
): Steps<{ point: number[]; value: number }> {
  const n = start.length;
  const simplex: number[][] = [start.slice()];
  for (let i = 0; i < n; i++) {
    const p = start.slice();
    p[i] += step;
    simplex.push(p);
  }
  const values = simplex.map(f);
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  for (let iter = 0; iter < maxIterations; iter++) {
    if (++progress.done % ITERATIONS_PER_STEP === 0) yield { ...progress };
    order.sort((i, j) => values[i] - values[j]);
    const bestI = order[0];
    if (stopWhen(simplex[bestI])) break;
    const worstI = order[n];
    const secondI = order[n - 1];
    if (Math.abs(values[worstI] - values[bestI]) <= tolerance * (1 + Math.abs(values[bestI]))) {
      let spread = 0;
      for (const p of simplex) for (let d = 0; d < n; d++) spread = Math.max(spread, Math.abs(p[d] - simplex[bestI][d]));
      if (spread < 1e-9) break;
    }
    const centroid = new Array(n).fill(0);
    for (const i of order.slice(0, n)) for (let d = 0; d < n; d++) centroid[d] += simplex[i][d] / n;
    const along = (t: number) => centroid.map((c, d) => c + t * (simplex[worstI][d] - c));
    const reflected = along(-1);
    const fr = f(reflected);
    if (fr < values[bestI]) {
      const expanded = along(-2);
      const fe = f(expanded);
      if (fe < fr) {
        simplex[worstI] = expanded;
        values[worstI] = fe;
      } else {
        simplex[worstI] = reflected;
        values[worstI] = fr;
      }
      continue;
    }
    if (fr < values[secondI]) {
      simplex[worstI] = reflected;
      values[worstI] = fr;
      continue;
    }
    const contracted = fr < values[worstI] ? along(-0.5) : along(0.5);
    const fc = f(contracted);
    if (fc < Math.min(fr, values[worstI])) {
      simplex[worstI] = contracted;
      values[worstI] = fc;
      continue;
    }
    for (const i of order.slice(1)) {
      simplex[i] = simplex[i].map((x, d) => simplex[bestI][d] + 0.5 * (x - simplex[bestI][d]));
      values[i] = f(simplex[i]);
    }
  }
  let b = 0;
  for (let i = 1; i <= n; i++) if (values[i] < values[b]) b = i;
  return { point: simplex[b], value: values[b] };
}
