/**
 * Every `code` a {@link RetailMlError} can carry, so `switch (error.code)` is checked:
 * `MODEL_FORMAT` ({@link ModelFormatError}), `INPUT` ({@link InputError}), `VALIDATION`
 * ({@link ValidationError}), `DATA_FORMAT` ({@link DataFormatError}), `FIT` ({@link FitError}),
 * `USAGE` (a CLI usage mistake), `MISSING_PEER` (an optional peer dependency is not installed),
 * `WORKER` ({@link WorkerError}), `ABORTED` ({@link AbortedError}), `CHUNK_FAILED` ({@link ChunkFailedError}).
 *
 * @example
 * const code: RetailMlErrorCode = 'DATA_FORMAT';
 */
export type RetailMlErrorCode = 'MODEL_FORMAT' | 'INPUT' | 'VALIDATION' | 'DATA_FORMAT' | 'FIT' | 'USAGE' | 'MISSING_PEER' | 'WORKER' | 'ABORTED' | 'UNAVAILABLE' | 'UNSAFE_PICKLE' | 'UNSUPPORTED_MODEL' | 'CHUNK_FAILED';

/**
 * Every error this library throws on purpose is a `RetailMlError`, so callers can
 * tell bad input from bugs with one `instanceof` and switch on a stable `code`.
 *
 * @example
 * try { loadXGBoost(bytes); } catch (e) {
 *   if (e instanceof ModelFormatError) console.error(e.where, e.message);
 * }
 */
export class RetailMlError extends Error {
  /** A stable machine-readable code such as `MODEL_FORMAT` or `INPUT_SHAPE`. */
  readonly code: RetailMlErrorCode;
  constructor(code: RetailMlErrorCode, message: string, options?: { cause?: unknown }) {
    // Messages quote untrusted text (names, values from files); escaping control
    // characters keeps every message on one line, as logs and the CLI expect.
    super(message.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`), options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * A model file is malformed, truncated, inconsistent or hostile. `where` names the
 * offending place, e.g. `learner.gradient_booster.model.trees[3].left_children`.
 *
 * @example
 * new ModelFormatError('trees[3].left_children', 'length 7, expected 9').message
 * // => 'trees[3].left_children: length 7, expected 9'
 */
export class ModelFormatError extends RetailMlError {
  readonly where: string;
  constructor(where: string, detail: string, options?: { cause?: unknown }) {
    super('MODEL_FORMAT', where ? `${where}: ${detail}` : detail, options);
    this.where = where;
  }
}

/**
 * Input rows do not fit what was asked: wrong width, wrong type, unknown feature.
 *
 * @example
 * new InputError('row 2 has 5 values, expected 7')
 */
export class InputError extends RetailMlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INPUT', message, options);
  }
}

/** One problem with one named field of a record. */
export interface FieldIssue {
  field: string;
  message: string;
}

/**
 * A record (a form, a customer, a config) failed validation; `issues` has one entry
 * per bad field so a UI can show each next to its field.
 *
 * @example
 * new ValidationError([{ field: 'age', message: 'must be between 0 and 120' }]).message
 * // => 'invalid input: age: must be between 0 and 120'
 */
export class ValidationError extends RetailMlError {
  readonly issues: readonly FieldIssue[];
  constructor(issues: readonly FieldIssue[]) {
    super('VALIDATION', `invalid input: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
    this.issues = issues;
  }
}

/**
 * A data file (CSV, XLSX, JSON rows) cannot be parsed; `where` is e.g. `line 12`.
 *
 * @example
 * new DataFormatError('line 12', 'unterminated quoted field').message
 * // => 'line 12: unterminated quoted field'
 */
export class DataFormatError extends RetailMlError {
  readonly where: string;
  constructor(where: string, detail: string, options?: { cause?: unknown }) {
    super('DATA_FORMAT', where ? `${where}: ${detail}` : detail, options);
    this.where = where;
  }
}

/**
 * A model could not be fitted: degenerate or insufficient data, or the optimiser
 * failed to reach a finite answer. Fitting never returns NaN parameters instead.
 *
 * @example
 * new FitError('need at least 2 distinct rows for k = 2')
 */
export class FitError extends RetailMlError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('FIT', message, options);
  }
}

/** Why a {@link WorkerError} ended a call. */
export type WorkerFailure = 'exit' | 'error' | 'start' | 'closed';

/**
 * A call to a worker pool could not finish: its worker exited or was terminated
 * (`reason: 'exit'`, with `exitCode`), threw (`'error'`, the worker's error as `cause`),
 * could not start (`'start'`), or the pool was closed with `mode: 'abort'` or before the
 * call was made (`'closed'`).
 *
 * @example
 * try { await pool.predict(rows); } catch (e) {
 *   if (e instanceof WorkerError && e.reason === 'exit') await pool.predict(rows); // the pool has replaced the worker
 * }
 */
export class WorkerError extends RetailMlError {
  readonly reason: WorkerFailure;
  /** The worker's exit code, for `reason: 'exit'`. */
  readonly exitCode: number | null;
  constructor(reason: WorkerFailure, message: string, options?: { cause?: unknown; exitCode?: number }) {
    super('WORKER', message, options);
    this.reason = reason;
    this.exitCode = options?.exitCode ?? null;
  }
}

/**
 * Long work was cancelled through its `AbortSignal`; `cause` is the signal's reason.
 *
 * @example
 * await fitKMeansAsync(rows, { k: 8, signal: AbortSignal.timeout(1000) }).catch((e) => e.code) // => 'ABORTED'
 */
export class AbortedError extends RetailMlError {
  constructor(what: string, options?: { cause?: unknown }) {
    super('ABORTED', `${what}: aborted`, options);
  }
}

/**
 * A distributed scoring run failed because one chunk of its input exhausted its retries;
 * `chunk` is its index, `firstRow`/`lastRow` the rows it holds (1-based, after the header).
 *
 * @example
 * new ChunkFailedError(3, 300001, 400000, 3, "row 312345, column 'f7': 'oops' is not a number").message
 * // => "chunk 3 (rows 300001-400000) failed after 3 attempts: row 312345, column 'f7': 'oops' is not a number"
 */
export class ChunkFailedError extends RetailMlError {
  readonly chunk: number;
  readonly firstRow: number;
  readonly lastRow: number;
  constructor(chunk: number, firstRow: number, lastRow: number, attempts: number, reason: string) {
    super('CHUNK_FAILED', `chunk ${chunk} (rows ${firstRow}-${lastRow}) failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}`);
    this.chunk = chunk;
    this.firstRow = firstRow;
    this.lastRow = lastRow;
  }
}

/**
 * A short, safe description of any value for an error message. Never throws, even for
 * objects whose `toString` is missing or hostile (`String(value)` would).
 *
 * @example
 * describeValue({ toString: false }) // => 'an object'
 * describeValue('abc') // => 'the string "abc"'
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return 'a typed array';
  switch (typeof value) {
    case 'string':
      // JSON quoting escapes newlines and control characters, keeping messages on one line.
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/**
 * A service or shared resource cannot be reached or taken in time: MongoDB refusing
 * connections, a log file locked by another live process. `service` and `address`
 * name it (never with a password), so the one-line message says where to look.
 *
 * @example
 * new UnavailableError('MongoDB', 'mongodb://127.0.0.1:27017/ecommerce_db.category_predictions', 'connection refused').message
 * // => 'MongoDB at mongodb://127.0.0.1:27017/ecommerce_db.category_predictions: connection refused'
 */
export class UnavailableError extends RetailMlError {
  readonly service: string;
  readonly address: string;
  constructor(service: string, address: string, detail: string, options?: { cause?: unknown }) {
    super('UNAVAILABLE', `${service} at ${address}: ${detail}`, options);
    this.service = service;
    this.address = address;
  }
}

/**
 * A pickle names a global (a function or class) that is not on the safe unpickler's
 * allow-list, or asks for something a data-only reader never does (persistent ids,
 * out-of-band buffers, extension codes). Nothing was run: the reader only builds data.
 *
 * @example
 * new UnsafePickleError('os.system').message
 * // => "pickle refers to global 'os.system', which is not on the allow-list; nothing was run"
 */
export class UnsafePickleError extends RetailMlError {
  /** The refused global as `module.name`, or the refused feature. */
  readonly global: string;
  constructor(global: string, detail?: string) {
    super('UNSAFE_PICKLE', detail ?? `pickle refers to global '${global}', which is not on the allow-list; nothing was run`);
    this.global = global;
  }
}

/**
 * A file holds a well-formed object of a class retail-ml does not load (or not with these
 * options): the message names the class and, when the file says, what saved it.
 *
 * @example
 * new UnsupportedModelError('sklearn.svm._classes.SVC', 'scikit-learn 1.2.1').message
 * // => 'sklearn.svm._classes.SVC (saved by scikit-learn 1.2.1) is not supported'
 */
export class UnsupportedModelError extends RetailMlError {
  readonly className: string;
  /** What saved it, e.g. `'scikit-learn 1.2.1'`, or null when the file does not say. */
  readonly savedBy: string | null;
  constructor(className: string, savedBy: string | null = null, detail = 'is not supported') {
    super('UNSUPPORTED_MODEL', `${className}${savedBy ? ` (saved by ${savedBy})` : ''} ${detail}`);
    this.className = className;
    this.savedBy = savedBy;
  }
}
