import { ValidationError, type FieldIssue } from '../errors.js';

/** A validated customer form, the recommender's input. */
export interface CustomerForm {
  /** Key into the bundle's feature tables; `null` when the form has none. */
  customer_id: string | null;
  name: string | null;
  email: string | null;
  location: string;
  /** Years, 0–120. */
  age: number;
  /** Days since the last login, ≥ 0. */
  last_login_days: number;
  prefers_discount: boolean;
}

/**
 * What a caller may pass to `recommendCategories`: the form as typed by a person or a web
 * form, before validation. Numbers may come as text; `prefers_discount` as a boolean or the
 * seed app's "Yes"/"No". A misspelt field (`locaton`) is a type error.
 *
 * @example
 * const form: CustomerFormInput = { customer_id: 'c1', location: 'Delhi', age: 35, last_login_days: 30, prefers_discount: 'No' };
 */
export interface CustomerFormInput {
  customer_id?: string | null;
  name?: string | null;
  email?: string | null;
  location: string;
  age: number | string;
  last_login_days: number | string;
  prefers_discount: boolean | 'Yes' | 'No';
}

/** Limits used by {@link validateCustomerForm}. */
export const CUSTOMER_FORM_LIMITS = Object.freeze({ minAge: 0, maxAge: 120, maxLoginDays: 36_500, maxText: 320 });

// A pragmatic address check (what HTML's <input type=email> accepts): local@domain.tld.
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/**
 * Checks a raw customer form (parsed JSON, a web form's fields) and returns it typed, or
 * throws one {@link ValidationError} listing every bad field:
 * - `age`: a number (or numeric text) in 0–120;
 * - `last_login_days`: a number (or numeric text), ≥ 0;
 * - `prefers_discount`: a boolean, or "Yes"/"No" (any case);
 * - `location`: a non-empty string (surrounding spaces trimmed; unknown cities are fine);
 * - `email` (optional): `local@domain.tld` syntax;
 * - `customer_id`, `name` (optional): strings.
 * Other fields are ignored. Fields are read as own properties only, so a `__proto__` key
 * can neither pollute nor inject a value.
 *
 * @example
 * validateCustomerForm({ customer_id: 'c1', email: 'a@b.in', location: 'Delhi', age: '35', last_login_days: 30, prefers_discount: 'No' })
 * // => { customer_id: 'c1', name: null, email: 'a@b.in', location: 'Delhi', age: 35, last_login_days: 30, prefers_discount: false }
 * validateCustomerForm({ age: 200 }) // throws ValidationError: age: must be between 0 and 120; ...
 */
export function validateCustomerForm(input: unknown): CustomerForm {
  const issues: FieldIssue[] = [];
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ValidationError([{ field: '(form)', message: 'must be an object' }]);
  }
  const field = (name: string): unknown => (Object.prototype.hasOwnProperty.call(input, name) ? (input as Record<string, unknown>)[name] : undefined);
  const issue = (f: string, message: string) => issues.push({ field: f, message });
  const { minAge, maxAge, maxLoginDays, maxText } = CUSTOMER_FORM_LIMITS;

  const optionalText = (name: string): string | null => {
    const v = field(name);
    if (v === undefined || v === null || v === '') return null;
    if (typeof v !== 'string') {
      issue(name, 'must be a string');
      return null;
    }
    const s = v.trim();
    if (s.length > maxText) issue(name, `must be at most ${maxText} characters`);
    return s === '' ? null : s;
  };
  const customerId = optionalText('customer_id');
  const name = optionalText('name');
  const email = optionalText('email');
  if (email !== null && !EMAIL.test(email)) issue('email', 'is not a valid e-mail address');

  let location = '';
  const rawLocation = field('location');
  if (typeof rawLocation !== 'string') issue('location', rawLocation === undefined ? 'is required' : 'must be a string');
  else if (rawLocation.trim() === '') issue('location', 'must not be empty');
  else if (rawLocation.length > maxText) issue('location', `must be at most ${maxText} characters`);
  else location = rawLocation.trim();

  const age = numberField(field('age'), 'age', issue);
  if (age !== undefined && (age < minAge || age > maxAge)) issue('age', `must be between ${minAge} and ${maxAge}`);
  const days = numberField(field('last_login_days'), 'last_login_days', issue);
  if (days !== undefined && days < 0) issue('last_login_days', 'must be 0 or more');
  else if (days !== undefined && days > maxLoginDays) issue('last_login_days', `must be at most ${maxLoginDays}`);

  let prefersDiscount = false;
  const rawDiscount = field('prefers_discount');
  if (typeof rawDiscount === 'boolean') prefersDiscount = rawDiscount;
  else if (typeof rawDiscount === 'string' && /^(yes|no)$/i.test(rawDiscount.trim())) prefersDiscount = rawDiscount.trim().toLowerCase() === 'yes';
  else issue('prefers_discount', rawDiscount === undefined ? 'is required' : 'must be true/false or "Yes"/"No"');

  if (issues.length > 0) throw new ValidationError(issues);
  return {
    customer_id: customerId,
    name,
    email,
    location,
    age: age!,
    last_login_days: days!,
    prefers_discount: prefersDiscount,
  };
}

function numberField(v: unknown, name: string, issue: (f: string, m: string) => void): number | undefined {
  if (v === undefined || v === null || v === '') {
    issue(name, 'is required');
    return undefined;
  }
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/.test(v)) n = Number(v);
  else {
    issue(name, 'must be a number');
    return undefined;
  }
  if (!Number.isFinite(n)) {
    issue(name, 'must be a finite number');
    return undefined;
  }
  return n;
}
