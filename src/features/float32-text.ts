/**
 * The shortest decimal text that reads back as exactly this float32 value, so CSV
 * output round-trips through `Math.fround(Number(text))` bit for bit.
 *
 * @example
 * float32Text(Math.fround(0.1)) // => '0.1'
 */
export function float32Text(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  if (Object.is(value, -0)) return '-0';
  for (let digits = 1; digits < 9; digits++) {
    const text = value.toPrecision(digits);
    if (Math.fround(Number(text)) === value) return String(Number(text));
  }
  return String(Number(value.toPrecision(9)));
}
