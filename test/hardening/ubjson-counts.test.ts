// Tiny UBJSON files declaring huge containers of zero-width elements: every declared
// element is now charged at least one byte, so the count is refused before any array grows.
import { describe, expect, it } from 'vitest';
import { decodeUbjson, loadXGBoost, ModelFormatError } from '../../src/index.js';

const c = (s: string) => s.charCodeAt(0);

describe('UBJSON counts bounded by the bytes present', () => {
  it('9 bytes declaring 2^24 nulls: refused at once, nothing allocated', () => {
    const bytes = Uint8Array.of(c('['), c('$'), c('Z'), c('#'), c('l'), 0x01, 0x00, 0x00, 0x00);
    expect(bytes.length).toBe(9);
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    expect(() => decodeUbjson(bytes)).toThrow(/count 16777216 exceeds the 0 bytes left/);
    expect(performance.now() - started).toBeLessThan(50);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(16 * 1024 * 1024);
  });

  it('a 21-byte model declaring 2^31 nulls is a ModelFormatError, not a fatal out-of-memory', () => {
    const bytes = Uint8Array.of(c('{'), c('U'), 1, c('a'), c('['), c('$'), c('Z'), c('#'), c('L'), 0, 0, 0, 0, 0x80, 0, 0, 0, c('N'), c('N'), c('N'), c('}'));
    expect(bytes.length).toBe(21);
    expect(() => loadXGBoost(bytes)).toThrow(ModelFormatError);
    for (const marker of ['T', 'F']) {
      const same = bytes.slice();
      same[6] = c(marker);
      expect(() => decodeUbjson(same)).toThrow(/exceeds the 4 bytes left/);
    }
  });

  it('small zero-width containers still decode when the bytes cover the count', () => {
    expect(decodeUbjson(Uint8Array.of(c('['), c('$'), c('Z'), c('#'), c('U'), 2, c('N'), c('N')))).toEqual([null, null]);
  });
});
