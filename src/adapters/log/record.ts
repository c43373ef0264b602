import { randomBytes } from 'node:crypto';
import { ValidationError, type FieldIssue } from '../../errors.js';

/** One ranked prediction: a label and its probability in [0, 1]. */
export interface RankedLabel {
  label: string;
  probability: number;
}

/**
 * One prediction event as every log stores it. Plain JSON, so a JSON Lines file,
 * a MongoDB document and `retail-ml log tail` all see the same thing.
 */
export interface PredictionRecord {
  /** Idempotent id: writing the same record twice stores it once (MongoDB `_id`). Time-ordered (UUIDv7). */
  id: string;
  /** When the prediction was made, ISO-8601 UTC with milliseconds. */
  timestamp: string;
  /** The subject of the prediction, when there is one (the form's customer id). */
  customerId?: string;
  /** Which model answered: its name and the sha256 of its file/bundle contents. */
  model: { name: string; sha256: string };
  /** What the customer submitted, with credential-like fields removed (see {@link redactCredentials}). */
  input: Record<string, unknown>;
  /** The exact feature vector scored, in the model's column order; `null` marks a missing value (NaN). */
  features: { names: string[]; values: (number | null)[] };
  /** The top-k labels, best first. */
  top: RankedLabel[];
}

/** What {@link createPredictionRecord} needs; everything else is derived. */
export interface PredictionRecordInput {
  input: Readonly<Record<string, unknown>>;
  features: ArrayLike<number>;
  featureNames?: readonly string[];
  top: readonly RankedLabel[];
  model: { name: string; sha256: string };
  customerId?: string | number;
  /** Defaults to now. */
  timestamp?: Date | number;
  /** Defaults to a fresh time-ordered id from {@link newPredictionId}. */
  id?: string;
}

/**
 * A fresh time-ordered unique id (UUIDv7: 48-bit milliseconds, then 74 random bits),
 * so ids sort by creation time and two processes never collide.
 *
 * @example
 * newPredictionId(Date.UTC(2024, 0, 1)) // => '018cc251-f400-7xxx-yxxx-xxxxxxxxxxxx'
 */
export function newPredictionId(nowMs: number = Date.now()): string {
  const bytes = randomBytes(16);
  let ms = Math.max(0, Math.floor(nowMs));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = 0x70 | (bytes[6] & 0x0f);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const CREDENTIAL_KEY = /pass(word|wd|phrase)?$|^pwd$|secret|token|api[-_]?key|credential|authorization|^auth$|cookie|session/i;
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:]*):([^\s/@]*)@/gi;

/**
 * A JSON-safe deep copy of `value` with credentials removed: keys that name a secret
 * (`password`, `smtp_pass`, `apiKey`, `token`, ...) are dropped and `scheme://user:pass@`
 * URLs lose their password. Non-finite numbers become `null`, bigints strings, functions
 * and symbols disappear; `__proto__` stays an ordinary key. Depth is capped at 32.
 *
 * @example
 * redactCredentials({ name: 'Ann', password: 'x', db: 'mongodb://u:p@h/db' })
 * // => { name: 'Ann', db: 'mongodb://u:***@h/db' }
 */
export function redactCredentials(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.replace(URL_USERINFO, '$1$2:***@');
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object' || depth >= 32) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    return Array.from(value as ArrayLike<unknown>, (item) => redactCredentials(item, depth + 1) ?? null);
  }
  const entries: [string, unknown][] = [];
  const source = value instanceof Map ? [...value.entries()] : Object.entries(value);
  for (const [key, item] of source) {
    if (typeof key !== 'string' || CREDENTIAL_KEY.test(key)) continue;
    const clean = redactCredentials(item, depth + 1);
    if (clean !== undefined) entries.push([key, clean]);
  }
  return Object.fromEntries(entries);
}

/**
 * Hides the password of a connection string for printing: `mongodb://u:***@host/`.
 *
 * @example
 * redactUrl('smtps://me%40gmail.com:app-pass@smtp.gmail.com:465') // => 'smtps://me%40gmail.com:***@smtp.gmail.com:465'
 */
export function redactUrl(url: string): string {
  return url.replace(URL_USERINFO, '$1$2:***@');
}

/**
 * Builds a {@link PredictionRecord}: copies and redacts the input, turns NaN features
 * into `null`, stamps time and id. Throws a `ValidationError` listing every bad field.
 *
 * @example
 * const record = createPredictionRecord({
 *   input: { customer_id: 'C1', age: 31 }, customerId: 'C1',
 *   features: [31, 4, NaN], featureNames: ['age', 'logins', 'recency'],
 *   top: [{ label: 'Books', probability: 0.6 }, { label: 'Toys', probability: 0.3 }],
 *   model: { name: 'xgb_model_category', sha256: 'ab'.repeat(32) },
 * });
 * record.features.values // => [31, 4, null]
 */
export function createPredictionRecord(args: PredictionRecordInput): PredictionRecord {
  const time = args.timestamp === undefined ? Date.now() : +args.timestamp;
  const values = Array.from({ length: args.features?.length ?? 0 }, (_, i) => {
    const v = Number(args.features[i]);
    return Number.isFinite(v) ? v : null;
  });
  const record: PredictionRecord = {
    id: args.id ?? newPredictionId(Number.isFinite(time) ? time : Date.now()),
    timestamp: Number.isFinite(time) ? new Date(time).toISOString() : String(args.timestamp),
    ...(args.customerId === undefined ? {} : { customerId: String(args.customerId) }),
    model: { name: args.model?.name, sha256: args.model?.sha256 },
    input: (redactCredentials(args.input ?? {}) ?? {}) as Record<string, unknown>,
    features: {
      names: args.featureNames ? [...args.featureNames] : values.map((_, i) => `f${i}`),
      values,
    },
    top: (args.top ?? []).map((t) => ({ label: t?.label, probability: t?.probability })),
  };
  const issues = checkPredictionRecord(record);
  if (issues.length > 0) throw new ValidationError(issues);
  return record;
}

const SHA256 = /^[0-9a-f]{64}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Every problem with a would-be record, empty when it is valid. Logs call this on
 * `append` and report (never throw) what it finds.
 *
 * @example
 * checkPredictionRecord({ ...record, top: [] }) // => [{ field: 'top', message: 'needs at least one label' }]
 */
export function checkPredictionRecord(record: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (field: string, message: string) => issues.push({ field, message });
  if (record === null || typeof record !== 'object') return [{ field: 'record', message: 'must be an object' }];
  const r = record as Partial<PredictionRecord>;
  if (typeof r.id !== 'string' || r.id.length === 0 || r.id.length > 200 || CONTROL.test(r.id)) {
    add('id', 'must be a non-empty string of at most 200 printable characters');
  }
  if (typeof r.timestamp !== 'string' || Number.isNaN(Date.parse(r.timestamp))) add('timestamp', 'must be an ISO-8601 time');
  if (r.customerId !== undefined && typeof r.customerId !== 'string') add('customerId', 'must be a string');
  if (!r.model || typeof r.model.name !== 'string' || r.model.name.length === 0) add('model.name', 'must be a non-empty string');
  if (!r.model || typeof r.model.sha256 !== 'string' || !SHA256.test(r.model.sha256)) {
    add('model.sha256', 'must be 64 lowercase hex digits');
  }
  if (!r.input || typeof r.input !== 'object' || Array.isArray(r.input)) add('input', 'must be an object');
  const f = r.features;
  if (!f || !Array.isArray(f.values) || !Array.isArray(f.names)) add('features', 'must have names and values arrays');
  else {
    if (f.names.length !== f.values.length) add('features.names', `has ${f.names.length} names for ${f.values.length} values`);
    if (f.values.some((v) => v !== null && !(typeof v === 'number' && Number.isFinite(v)))) {
      add('features.values', 'must be finite numbers or null');
    }
    if (f.names.some((n) => typeof n !== 'string')) add('features.names', 'must be strings');
  }
  if (!Array.isArray(r.top) || r.top.length === 0) add('top', 'needs at least one label');
  else {
    r.top.forEach((t, i) => {
      if (!t || typeof t.label !== 'string' || t.label.length === 0) add(`top[${i}].label`, 'must be a non-empty string');
      if (!t || typeof t.probability !== 'number' || !(t.probability >= 0 && t.probability <= 1)) {
        add(`top[${i}].probability`, 'must be a number in [0, 1]');
      }
    });
  }
  return issues;
}
