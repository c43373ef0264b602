import type { FuzzTarget } from '../../../fuzz/target.js';
/** Throws a plain TypeError on inputs starting with 'x'. */
export const target: FuzzTarget = {
  name: 'bad-untyped',
  seeds: () => [new TextEncoder().encode('xa'), new TextEncoder().encode('ya')],
  parse: (b) => {
    if (b[0] === 0x78) throw new TypeError('boom');
    return b.length;
  },
};
