/** Best wall time in milliseconds of `runs` calls: the least disturbed by other work on the machine. */
export function bestOf(runs: number, fn: () => void): number {
  let min = Infinity;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}
