import { InputError, ValidationError, type FieldIssue } from '../errors.js';
import type { Table } from '../features/table.js';
import type { DenseMatrix } from '../preprocess/matrix.js';

/** The 21 attributes the segmentation form collects, in model column order. */
export const CUSTOMER_ATTRIBUTES = [
  'Age', 'Education', 'Marital Status', 'Parental Status', 'Children', 'Income', 'Total_Spending',
  'Days_as_Customer', 'Recency', 'Wines', 'Fruits', 'Meat', 'Fish', 'Sweets', 'Gold', 'Web', 'Catalog',
  'Store', 'Discount Purchases', 'Total Promo', 'NumWebVisitsMonth',
] as const;

export type CustomerAttribute = (typeof CUSTOMER_ATTRIBUTES)[number];

/** One customer as the form submits it: numbers, or numeric strings from an HTML form. */
export type CustomerAttributes = Readonly<Record<CustomerAttribute, number | string>>;

/** Attributes the original pipeline clips at Q3 + 1.5·IQR: the continuous ones. */
export const CLIPPED_ATTRIBUTES: readonly CustomerAttribute[] = [
  'Age', 'Income', 'Total_Spending', 'Days_as_Customer', 'Recency', 'Wines', 'Fruits', 'Meat', 'Fish',
  'Sweets', 'Gold', 'Web', 'Catalog', 'Store', 'Discount Purchases', 'NumWebVisitsMonth',
];

type Rule = { integer?: boolean; min: number; max: number };
const RULES: Readonly<Record<CustomerAttribute, Rule>> = {
  Age: { integer: true, min: 0, max: 130 },
  Education: { integer: true, min: 0, max: 4 },
  'Marital Status': { integer: true, min: 0, max: 1 },
  'Parental Status': { integer: true, min: 0, max: 1 },
  Children: { integer: true, min: 0, max: 20 },
  Income: { min: 0, max: 1e9 },
  Total_Spending: { min: 0, max: 1e9 },
  Days_as_Customer: { integer: true, min: 0, max: 36600 },
  Recency: { integer: true, min: 0, max: 36600 },
  Wines: { min: 0, max: 1e9 },
  Fruits: { min: 0, max: 1e9 },
  Meat: { min: 0, max: 1e9 },
  Fish: { min: 0, max: 1e9 },
  Sweets: { min: 0, max: 1e9 },
  Gold: { min: 0, max: 1e9 },
  Web: { integer: true, min: 0, max: 1e6 },
  Catalog: { integer: true, min: 0, max: 1e6 },
  Store: { integer: true, min: 0, max: 1e6 },
  'Discount Purchases': { integer: true, min: 0, max: 1e6 },
  'Total Promo': { integer: true, min: 0, max: 5 },
  NumWebVisitsMonth: { integer: true, min: 0, max: 1e4 },
};

const ALIASES = new Map<string, CustomerAttribute>();
for (const name of CUSTOMER_ATTRIBUTES) {
  ALIASES.set(name, name);
  ALIASES.set(name.replace(/ /g, '_'), name);
}

/**
 * Checks one customer's 21 attributes and returns them as numbers in model column order.
 * Field names may use spaces or underscores (`Marital Status` or `Marital_Status`); numeric
 * strings are accepted. Every problem — missing, not a number, out of range, not an
 * integer, unknown field, Parental Status disagreeing with Children — is reported at once,
 * one issue per field, in a {@link ValidationError}.
 *
 * @example
 * validateCustomerAttributes({ Age: 42, Education: 2, ... }) // => Float64Array(21)
 */
export function validateCustomerAttributes(input: unknown): Float64Array {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError([{ field: '(customer)', message: 'must be an object of the 21 attributes' }]);
  }
  const issues: FieldIssue[] = [];
  const values = new Float64Array(CUSTOMER_ATTRIBUTES.length).fill(NaN);
  const seen = new Set<CustomerAttribute>();
  for (const key of Object.keys(input)) {
    const name = ALIASES.get(key);
    if (!name) {
      issues.push({ field: key, message: 'is not one of the 21 customer attributes' });
      continue;
    }
    if (seen.has(name)) {
      issues.push({ field: key, message: `given twice (also as another spelling of '${name}')` });
      continue;
    }
    seen.add(name);
    const raw = (input as Record<string, unknown>)[key];
    const rule = RULES[name];
    let v: number;
    if (typeof raw === 'number') v = raw;
    else if (typeof raw === 'string' && raw.trim() !== '' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw.trim())) v = Number(raw.trim());
    else {
      issues.push({ field: name, message: raw === undefined || raw === null || raw === '' ? 'is required' : 'must be a number' });
      continue;
    }
    if (!Number.isFinite(v)) issues.push({ field: name, message: 'must be a finite number' });
    else if (v < rule.min || v > rule.max) issues.push({ field: name, message: `must be between ${rule.min} and ${rule.max}` });
    else if (rule.integer && !Number.isInteger(v)) issues.push({ field: name, message: 'must be a whole number' });
    else values[CUSTOMER_ATTRIBUTES.indexOf(name)] = v;
  }
  for (const name of CUSTOMER_ATTRIBUTES) if (!seen.has(name)) issues.push({ field: name, message: 'is required' });
  const children = values[4];
  const parental = values[3];
  if (issues.length === 0 && parental !== (children > 0 ? 1 : 0)) {
    issues.push({ field: 'Parental Status', message: `must be ${children > 0 ? 1 : 0} when Children is ${children}` });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return values;
}

const EDUCATION = new Map([['Basic', 0], ['2n Cycle', 1], ['Graduation', 2], ['Master', 3], ['PhD', 4]]);
const REFERENCE_DAY = Date.UTC(2022, 10, 3);

function dayFirstDate(text: string | null, row: number): number {
  const m = text === null ? null : /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(text.trim());
  if (!m) throw new InputError(`Dt_Customer: row ${row} is ${JSON.stringify(text)}, expected dd-mm-yyyy`);
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1) throw new InputError(`Dt_Customer: row ${row} is not a real date`);
  return t;
}

/**
 * Derives the 21 attributes from the raw marketing-campaign table (the Kaggle "Customer
 * Personality Analysis" columns) exactly as the original pipeline did: Age = 2022 −
 * Year_Birth, Education coded 0–4, Marital Status 1 for Married/Together, Children =
 * Kidhome + Teenhome, Parental Status = Children > 0, Total_Spending = Σ Mnt..., Total Promo =
 * Σ AcceptedCmp1..5, Days_as_Customer = days from Dt_Customer (dd-mm-yyyy) to 2022-11-03,
 * and the renamed Mnt... and Num...Purchases columns. Missing Income stays NaN for the imputer.
 *
 * @example
 * const table = readCsv(text, { delimiter: '\t' });
 * deriveCustomerAttributes(table) // => { rows: 2240, cols: 21, data }
 */
export function deriveCustomerAttributes(table: Table): DenseMatrix {
  const need = (name: string) => {
    if (!table.has(name)) throw new InputError(`marketing data: column '${name}' is missing`);
    return table.numbers(name);
  };
  const n = table.numRows;
  const yearBirth = need('Year_Birth');
  if (!table.has('Education') || !table.has('Marital_Status') || !table.has('Dt_Customer')) {
    throw new InputError('marketing data: needs Education, Marital_Status and Dt_Customer columns');
  }
  const education = table.strings('Education');
  const marital = table.strings('Marital_Status');
  const since = table.strings('Dt_Customer');
  const income = need('Income');
  const kid = need('Kidhome');
  const teen = need('Teenhome');
  const recency = need('Recency');
  const mnt = ['MntWines', 'MntFruits', 'MntMeatProducts', 'MntFishProducts', 'MntSweetProducts', 'MntGoldProds'].map(need);
  const [web, catalog, store, deals, visits] = ['NumWebPurchases', 'NumCatalogPurchases', 'NumStorePurchases', 'NumDealsPurchases', 'NumWebVisitsMonth'].map(need);
  const cmp = ['AcceptedCmp1', 'AcceptedCmp2', 'AcceptedCmp3', 'AcceptedCmp4', 'AcceptedCmp5'].map(need);
  const cols = CUSTOMER_ATTRIBUTES.length;
  const data = new Float64Array(n * cols);
  for (let i = 0; i < n; i++) {
    const edu = EDUCATION.get(education[i] ?? '');
    if (edu === undefined) throw new InputError(`Education: row ${i} is ${JSON.stringify(education[i])}, expected Basic, 2n Cycle, Graduation, Master or PhD`);
    const children = kid[i] + teen[i];
    const days = Math.round((REFERENCE_DAY - dayFirstDate(since[i], i)) / 86_400_000);
    let spending = 0;
    for (const col of mnt) spending += col[i];
    let promo = 0;
    for (const col of cmp) promo += col[i];
    const row = [
      2022 - yearBirth[i], edu, marital[i] === 'Married' || marital[i] === 'Together' ? 1 : 0, children > 0 ? 1 : 0, children,
      income[i], spending, days, recency[i], mnt[0][i], mnt[1][i], mnt[2][i], mnt[3][i], mnt[4][i], mnt[5][i],
      web[i], catalog[i], store[i], deals[i], promo, visits[i],
    ];
    data.set(row, i * cols);
  }
  return { data, rows: n, cols };
}
