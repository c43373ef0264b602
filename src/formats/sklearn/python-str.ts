/**
 * Python's `str()` of a category as scikit-learn writes it into output names
 * (`get_feature_names_out`): strings as they are, `None`, `nan`, `True`/`False`, ints in
 * decimal and floats as `repr` writes them (`3.0`, `1e-05`, `1e+16`).
 *
 * @example
 * pythonStr(3, true) // => '3.0'
 * pythonStr(0.00001, true) // => '1e-05'
 * pythonStr(null) // => 'None'
 */
export function pythonStr(v: string | number | boolean | null, isFloat = false): string {
  if (v === null) return 'None';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (!isFloat) return String(v);
  if (Object.is(v, -0)) return '-0.0';
  // JavaScript and Python both print the shortest digits that round-trip; only the layout differs.
  const [mantissa, exp] = v.toExponential().split('e');
  const e = Number(exp);
  if (e >= -4 && e < 16) {
    // In this range JavaScript writes plain digits too (it switches to exponents below 1e-6 and from 1e21).
    const plain = String(v);
    return plain.includes('.') ? plain : `${plain}.0`;
  }
  const sign = e < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(e)).padStart(2, '0')}`;
}
