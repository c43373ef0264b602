import type { FuzzTarget } from '../../../fuzz/target.js';
/** Returns a promise that never settles, leaving the event loop idle. */
export const target: FuzzTarget = {
  name: 'bad-pending',
  seeds: () => [Uint8Array.of(1)],
  parse: () => new Promise(() => {}),
};
