/**
 * What a failed MongoDB write means for the record it was about:
 * - `duplicate`: a unique index already has the key: on `_id` the record is already
 *   stored (an earlier reply was lost); on another unique index it is refused;
 * - `refused`: the document itself can never be stored (validation, size, bad key);
 * - `transient`: the server could not take it now (failover, shutdown, write conflict,
 *   network): retry later with backoff.
 */
export type WriteErrorClass = 'duplicate' | 'refused' | 'transient';

/**
 * Codes after which the same write succeeds later: the driver's retryable-write list
 * (6, 7, 89, 91, 134, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436) plus write
 * conflicts, lock and time-limit waits and unsatisfied write concerns.
 *
 * @example
 * RETRYABLE_WRITE_CODES.has(91) // => true (ShutdownInProgress)
 */
export const RETRYABLE_WRITE_CODES: ReadonlySet<number> = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  134, // ReadConcernMajorityNotAvailableYet
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
  112, // WriteConflict
  24, // LockTimeout
  46, // LockBusy
  50, // MaxTimeMSExpired
  64, // WriteConcernFailed
]);

/**
 * Error labels that mark an error as retryable whatever its code.
 *
 * @example
 * RETRYABLE_LABELS.includes('RetryableWriteError') // => true
 */
export const RETRYABLE_LABELS: readonly string[] = ['RetryableWriteError', 'TransientTransactionError', 'NetworkError'];

const DUPLICATE_KEY_CODES: ReadonlySet<number> = new Set([11000, 11001, 12582]);

/**
 * Codes that are about one document, never about the server: duplicate keys, document
 * validation (121), too large (10334, 17419, 17420), key too long (17280, 10142 bad `_id`).
 * A top-level answer with one of these names no document, so the batch is split to find it.
 *
 * @example
 * DOCUMENT_ERROR_CODES.has(121) // => true (DocumentValidationFailure)
 */
export const DOCUMENT_ERROR_CODES: ReadonlySet<number> = new Set([...DUPLICATE_KEY_CODES, 121, 10334, 17419, 17420, 17280, 10142]);

interface ErrorLike {
  code?: unknown;
  errorLabels?: unknown;
  hasErrorLabel?: unknown;
  name?: unknown;
  message?: unknown;
}

/**
 * The class of a per-document write error (one entry of `writeErrors`): a duplicate key,
 * a retryable code, or else refused for good, so one poisonous document never blocks the
 * ordered stream behind it.
 *
 * @example
 * classifyDocumentError({ code: 11000 }) // => 'duplicate'
 * classifyDocumentError({ code: 112 })   // => 'transient'
 * classifyDocumentError({ code: 121 })   // => 'refused'
 */
export function classifyDocumentError(error: { code?: unknown }): WriteErrorClass {
  const code = Number(error?.code);
  if (DUPLICATE_KEY_CODES.has(code)) return 'duplicate';
  if (RETRYABLE_WRITE_CODES.has(code)) return 'transient';
  return 'refused';
}

/**
 * The class of an error that fails a whole insert (no document index): `duplicate` or
 * `refused` only for document codes (then one of the documents is at fault), and for the
 * driver refusing a document over the server's size limit before sending anything;
 * everything else (labels, retryable codes, authorization, network, timeouts) is
 * `transient`, because it says nothing against the records and they must not be dropped.
 *
 * @example
 * classifyCommandError({ code: 91, errorLabels: ['RetryableWriteError'] }) // => 'transient'
 * classifyCommandError({ code: 13 }) // => 'transient' (Unauthorized: fix the user, the records wait)
 * classifyCommandError({ code: 121 }) // => 'refused'
 */
export function classifyCommandError(error: unknown): WriteErrorClass {
  const e = (error ?? {}) as ErrorLike;
  if (hasLabel(e)) return 'transient';
  if (e.name === 'MongoInvalidArgumentError' && /larger than the maximum size/i.test(String(e.message))) return 'refused';
  const code = Number(e.code);
  if (!DOCUMENT_ERROR_CODES.has(code)) return 'transient';
  return DUPLICATE_KEY_CODES.has(code) ? 'duplicate' : 'refused';
}

function hasLabel(e: ErrorLike): boolean {
  if (typeof e.hasErrorLabel === 'function') {
    const has = e.hasErrorLabel as (label: string) => boolean;
    if (RETRYABLE_LABELS.some((label) => has.call(e, label))) return true;
  }
  return Array.isArray(e.errorLabels) && e.errorLabels.some((label) => RETRYABLE_LABELS.includes(String(label)));
}
