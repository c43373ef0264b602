import { DataFormatError } from '../../../src/errors.js';
import type { FuzzTarget } from '../../../fuzz/target.js';
/** Accepts 1 and the check refuses it; refuses its own seed 2 (typed); a multi-line message for 3. */
export const target: FuzzTarget = {
  name: 'bad-check',
  seeds: () => [Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)],
  parse: (b) => {
    if (b[0] === 2) throw new DataFormatError('byte 0', 'two');
    // RetailMlError escapes control characters itself; overwrite the message to get past that.
    if (b[0] === 3) throw Object.assign(new DataFormatError('byte 0', 'x'), { message: 'line one\nline two' });
    return b[0];
  },
  check: (v) => {
    if (v === 1) throw new Error('probability 1.5 outside [0, 1]');
  },
};
