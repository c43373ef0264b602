// Built-in number formats that show dates or times (ECMA-376 Part 1, 18.8.30), including
// the East Asian ones whose codes are implied rather than stored.
const BUILT_IN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/**
 * Whether a number format shows its number as a date or time: a built-in date id, or a
 * format code with a date or time token (d, m, y, h, s) outside quoted text, escapes and
 * bracketed colours/conditions/locales (elapsed `[h]`, `[mm]`, `[ss]` do count).
 *
 * @example
 * isDateFormat(14)                   // => true
 * isDateFormat(164, 'yyyy-mm-dd')    // => true
 * isDateFormat(165, '"m²" #,##0.00') // => false
 */
export function isDateFormat(id: number, code?: string): boolean {
  if (code === undefined) return BUILT_IN_DATES.has(id);
  const firstSection = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\.|_.|\*./g, '')
    .replace(/\[(?![hms]+\])[^\]]*\]/gi, '')
    .split(';')[0];
  return /[dmyhs]/i.test(firstSection);
}
