import type { FuzzTarget } from '../../../fuzz/target.js';
/** Blocks the event loop forever. */
export const target: FuzzTarget = {
  name: 'bad-hang',
  seeds: () => [Uint8Array.of(1)],
  parse: () => {
    for (;;);
  },
};
