/**
 * About `count` round tick values (1, 2 or 5 × 10^k steps) covering [min, max].
 * A degenerate range is widened so there are always at least two ticks.
 *
 * @example
 * niceTicks(0, 9.3, 5) // => [0, 2, 4, 6, 8, 10]
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min > max) [min, max] = [max, min];
  if (!(max - min >= 1e-290 && max - min > 1e-9 * Math.max(Math.abs(min), Math.abs(max)))) {
    const pad = Math.abs(min) < 1e-290 ? 1 : Math.max(Math.abs(min), Math.abs(max)) * 0.1;
    if (Number.isFinite(min - pad)) min -= pad;
    if (Number.isFinite(max + pad)) max += pad;
  }
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
  const first = Math.floor(min / step);
  const last = Math.ceil(max / step);
  // Ranges near the float limits (overflowing width, subnormal steps) get plain end ticks.
  if (!(step > 0) || !Number.isFinite(raw) || !Number.isFinite(first * step) || !Number.isFinite(last * step) || last - first > 100) {
    return [min, max];
  }
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) {
    const rounded = Number((i * step).toPrecision(12));
    ticks.push(Number.isFinite(rounded) ? rounded : i * step);
  }
  return ticks;
}

/**
 * Formats a tick value compactly: integers as is, others with up to 4 significant digits.
 *
 * @example
 * formatTick(0.30000000000000004) // => '0.3'
 */
export function formatTick(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e6 || abs < 1e-4) return value.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(4)));
}
