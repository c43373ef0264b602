import type { ColumnKind } from './column.js';

/**
 * Text that reads as missing, as pandas' `read_csv` treats it by default. A quoted field
 * is never missing: `""` is an empty string.
 */
export const DEFAULT_MISSING_MARKERS: readonly string[] = Object.freeze([
  '', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN',
  '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null',
]);

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY = /^([+-]?)inf(?:inity)?$/i;
const ISO_DATE =
  /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses a decimal number as written in a CSV cell: optional sign, digits, optional
 * fraction and exponent, or `inf`/`infinity` (any case); surrounding spaces are allowed.
 * Anything else (thousands separators, hex, `1_000`) is `undefined`.
 *
 * @example
 * parseNumberCell(' 1.5e3 ') // => 1500
 * parseNumberCell('1,000')   // => undefined
 */
export function parseNumberCell(text: string): number | undefined {
  const s = text.trim();
  if (NUMBER.test(s)) return Number(s);
  const inf = INFINITY.exec(s);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  return undefined;
}

/**
 * Parses `true`/`false` in any letter case (surrounding spaces allowed); anything else is
 * `undefined`. `yes`/`no`/`1`/`0` are deliberately not booleans here.
 *
 * @example
 * parseBooleanCell('TRUE') // => true
 * parseBooleanCell('yes')  // => undefined
 */
export function parseBooleanCell(text: string): boolean | undefined {
  const s = text.trim().toLowerCase();
  if (s === 'true') return true;
  if (s === 'false') return false;
  return undefined;
}

/**
 * Parses a strict ISO 8601 date or date-time to epoch milliseconds: `YYYY-MM-DD`, with an
 * optional `T`/space time `HH:MM[:SS[.fraction]]` and zone `Z`/`±HH:MM`. **Without a zone
 * the time is read as UTC**, so results never depend on the machine's time zone.
 * Impossible dates (`2021-02-30`) are `undefined`.
 *
 * @example
 * parseIsoDateCell('2010-12-01 08:26:00') // => Date.UTC(2010, 11, 1, 8, 26)
 * parseIsoDateCell('01/12/2010')          // => undefined
 */
export function parseIsoDateCell(text: string): number | undefined {
  const m = ISO_DATE.exec(text.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000 + 1e-7);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, ms);
  if (utc.getUTCDate() !== day || utc.getUTCMonth() !== month - 1) return undefined;
  let offset = 0;
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const digits = zone.replace(':', '');
    const hh = Number(digits.slice(1, 3));
    const mm = Number(digits.slice(3, 5));
    if (hh > 23 || mm > 59) return undefined;
    offset = (zone[0] === '-' ? -1 : 1) * (hh * 60 + mm) * 60_000;
  }
  const time = utc.getTime() - offset;
  return Number.isFinite(time) ? time : undefined;
}

/**
 * The kind a column of text cells is read as: `number` if every present cell is a number,
 * else `boolean` if every one is `true`/`false`, else `date` if every one is an ISO 8601
 * date (and `dates` is on), else `string`. `null` cells are missing and do not vote; an
 * all-missing column is `number`.
 *
 * @example
 * inferTextKind(['1', null, '2.5'])     // => 'number'
 * inferTextKind(['2020-01-01', '2020-01-02']) // => 'date'
 * inferTextKind(['00123', 'A7'])        // => 'string'
 */
export function inferTextKind(cells: readonly (string | null)[], dates = true): ColumnKind {
  let number = true;
  let boolean = true;
  let date = dates;
  let present = 0;
  for (const cell of cells) {
    if (cell === null) continue;
    present++;
    if (number && parseNumberCell(cell) === undefined) number = false;
    if (boolean && parseBooleanCell(cell) === undefined) boolean = false;
    if (date && parseIsoDateCell(cell) === undefined) date = false;
    if (!number && !boolean && !date) return 'string';
  }
  if (present === 0 || number) return 'number';
  if (boolean) return 'boolean';
  return date ? 'date' : 'string';
}
