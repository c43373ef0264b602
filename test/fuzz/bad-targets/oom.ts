import type { FuzzTarget } from '../../../fuzz/target.js';
/** Grows the heap until the worker's resourceLimits stop it. */
export const target: FuzzTarget = {
  name: 'bad-oom',
  seeds: () => [Uint8Array.of(1)],
  parse: () => {
    const keep: number[][] = [];
    for (;;) keep.push(new Array(1e6).fill(1.5));
  },
};
