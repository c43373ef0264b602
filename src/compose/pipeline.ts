import { InputError, ModelFormatError } from '../errors.js';
import type { Estimator, EstimatorInput, EstimatorType, Labels } from '../estimator.js';
import type { DenseMatrix } from '../preprocess/matrix.js';

/** A pipeline step: a fitted estimator, or `'passthrough'` (scikit-learn's `None`/`'passthrough'`). */
export type PipelineStep = Estimator | 'passthrough';

/** JSON form of a {@link Pipeline}: each step's own JSON, or `'passthrough'`. */
export interface PipelineJSON {
  type: 'Pipeline';
  steps: [string, unknown][];
}

/**
 * Fitted estimators chained as scikit-learn's `Pipeline`: every step but the last
 * transforms, and the last one predicts, gives probabilities or transforms too. The input
 * goes to the first step as given (named rows or a `Table` matched by its names); the
 * steps after it get the previous step's output matrix. Any estimator fits, a loaded
 * XGBoost model as well as retail-ml's own.
 *
 * @example
 * const pipe = new Pipeline([['scale', scaler], ['kmeans', kmeans]]);
 * pipe.predict([{ spend: 120, days: 30 }]) // => Int32Array [segment]
 */
export class Pipeline implements Estimator {
  readonly steps: readonly (readonly [string, PipelineStep])[];
  readonly #first: Estimator | null;
  readonly #last: Estimator | null;

  constructor(steps: readonly (readonly [string, PipelineStep])[]) {
    if (steps.length === 0) throw new ModelFormatError('Pipeline.steps', 'must not be empty');
    const names = new Set<string>();
    for (const [name, step] of steps) {
      if (typeof name !== 'string' || names.has(name)) throw new ModelFormatError('Pipeline.steps', `step names must be distinct strings, got ${JSON.stringify(name)}`);
      names.add(name);
      if (step !== 'passthrough' && (step === null || typeof step !== 'object' || typeof step.toJSON !== 'function')) {
        throw new ModelFormatError(`Pipeline.steps.${name}`, 'must be an estimator or "passthrough"');
      }
    }
    steps.slice(0, -1).forEach(([name, step]) => {
      if (step !== 'passthrough' && typeof step.transform !== 'function') throw new ModelFormatError(`Pipeline.steps.${name}`, 'is not a transformer, but only the last step may predict');
    });
    this.steps = steps;
    const real = steps.map(([, s]) => s).filter((s): s is Estimator => s !== 'passthrough');
    this.#first = real[0] ?? null;
    const last = steps[steps.length - 1][1];
    this.#last = last === 'passthrough' ? null : last;
    // Only the methods the last step has, so callers can ask the pipeline what it can do.
    if (this.#last?.predict) this.predict = (x) => this.#last!.predict!(this.prefix(x));
    if (this.#last?.predictProba) this.predictProba = (x) => this.#last!.predictProba!(this.prefix(x));
    if (this.#last === null) this.transform = (x) => asMatrix(this.prefix(x));
    else if (this.#last.transform) this.transform = (x) => this.#last!.transform!(this.prefix(x));
  }

  get estimatorType(): EstimatorType {
    return this.#last?.estimatorType ?? 'transformer';
  }

  /** The first step's input names (scikit-learn's `Pipeline.feature_names_in_`). */
  get featureNamesIn(): readonly string[] | null {
    return this.#first?.featureNamesIn ?? null;
  }

  get numFeaturesIn(): number {
    return this.#first?.numFeaturesIn ?? 0;
  }

  get classes(): Labels | undefined {
    return this.#last?.classes;
  }

  /** Runs the input through every step before the last. */
  private prefix(x: EstimatorInput): EstimatorInput {
    let data: EstimatorInput = x;
    for (const [, step] of this.steps.slice(0, -1)) if (step !== 'passthrough') data = step.transform!(data);
    return data;
  }

  /**
   * The last step's predictions (labels, numbers or cluster indices); present when the
   * last step predicts.
   *
   * @example
   * pipe.predict?.(table);
   */
  readonly predict?: (x: EstimatorInput) => Float64Array | Int32Array | Labels;

  /**
   * The last step's class probabilities; present when the last step has them.
   *
   * @example
   * pipe.predictProba?.([{ age: 35, location: 'Delhi' }]).data;
   */
  readonly predictProba?: (x: EstimatorInput) => DenseMatrix;

  /**
   * Every step's transform in turn (a trailing `'passthrough'` returns the matrix before
   * it); present when the last step transforms.
   *
   * @example
   * pipe.transform?.(rows).data;
   */
  readonly transform?: (x: EstimatorInput) => DenseMatrix;

  /**
   * The last transforming step's output names.
   *
   * @example
   * pipe.outputNames();
   */
  outputNames(): readonly string[] {
    const real = this.steps.map(([, s]) => s).filter((s): s is Estimator => s !== 'passthrough');
    const last = real[real.length - 1];
    if (!last?.outputNames) throw new InputError('Pipeline: the last step does not name its outputs');
    return last.outputNames();
  }

  /**
   * JSON: each step's `toJSON()`, read back by {@link Pipeline.fromJSON}.
   *
   * @example
   * JSON.stringify(pipe);
   */
  toJSON(): PipelineJSON {
    return { type: 'Pipeline', steps: this.steps.map(([name, step]) => [name, step === 'passthrough' ? step : step.toJSON()]) };
  }

  /**
   * Restores a pipeline; `revive` turns each step's JSON into an estimator (e.g.
   * `estimatorFromJSON`, or a function that also knows your own estimators).
   *
   * @example
   * const pipe = Pipeline.fromJSON(json, estimatorFromJSON);
   */
  static fromJSON(json: unknown, revive: (step: unknown) => Estimator): Pipeline {
    if (json === null || typeof json !== 'object' || (json as { type?: unknown }).type !== 'Pipeline') {
      throw new ModelFormatError('Pipeline', 'expected a JSON object with type "Pipeline"');
    }
    const steps = (json as { steps?: unknown }).steps;
    if (!Array.isArray(steps)) throw new ModelFormatError('Pipeline.steps', 'must be an array of [name, step]');
    return new Pipeline(
      steps.map((s: unknown, i: number): [string, PipelineStep] => {
        if (!Array.isArray(s) || s.length !== 2 || typeof s[0] !== 'string') throw new ModelFormatError(`Pipeline.steps[${i}]`, 'must be [name, step]');
        return [s[0], s[1] === 'passthrough' ? 'passthrough' : revive(s[1])];
      }),
    );
  }
}

function asMatrix(x: EstimatorInput): DenseMatrix {
  if (typeof x === 'object' && x !== null && (x as DenseMatrix).data instanceof Float64Array) return x as DenseMatrix;
  throw new InputError('Pipeline: nothing transforms the input');
}
