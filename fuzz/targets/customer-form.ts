import { validateCustomerForm, type CustomerForm } from '../../src/index.js';
import type { FuzzTarget } from '../target.js';
import { inconsistent } from '../support/checks.js';

/** A customer form as a service receives it (a JSON body; non-JSON text is passed as the string itself). */
export const target: FuzzTarget = {
  name: 'customer-form',
  seeds: () =>
    [
      { customer_id: 'C123', name: 'Ada Lovelace', email: 'ada@example.com', location: 'Delhi', age: 35, last_login_days: 30, prefers_discount: 'Yes' },
      { location: 'Mumbai', age: '41', last_login_days: 0, prefers_discount: false },
    ].map((f) => new TextEncoder().encode(JSON.stringify(f))),
  parse: (bytes) => {
    const text = new TextDecoder().decode(bytes);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return validateCustomerForm(body);
  },
  check: (result) => {
    const f = result as CustomerForm;
    if (!(f.age >= 0 && f.age <= 120)) inconsistent(`age ${f.age}`);
    if (!(f.last_login_days >= 0 && Number.isFinite(f.last_login_days))) inconsistent(`last_login_days ${f.last_login_days}`);
    if (typeof f.prefers_discount !== 'boolean') inconsistent('prefers_discount is not a boolean');
    if (typeof f.location !== 'string') inconsistent('location is not a string');
  },
};
