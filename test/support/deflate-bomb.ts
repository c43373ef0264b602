/**
 * A raw deflate stream (one fixed-Huffman block) for `prefix`, then `count` copies of the
 * ASCII byte `fill`, then `suffix`: each run of 258 copies costs 13 bits, so 600 MB of
 * filler takes about 4 MB. Built bit by bit (RFC 1951, 3.2.6) so a test can make a real zip
 * bomb without ever holding its inflated size in memory.
 */
export function deflateBomb(prefix: string, fill: string, count: number, suffix: string): Uint8Array {
  // 8 bits a literal (prefix, suffix, up to 258 leftover fill bytes), 13 bits a 258-byte run.
  const out = new Uint8Array(Math.ceil(((prefix.length + suffix.length + 260) * 8 + (count / 258 + 1) * 13 + 16) / 8));
  let bit = 0;
  const put = (value: number, n: number, msbFirst: boolean) => {
    for (let i = 0; i < n; i++) {
      const b = msbFirst ? (value >> (n - 1 - i)) & 1 : (value >> i) & 1;
      if (b) out[bit >> 3] |= 1 << (bit & 7);
      bit++;
    }
  };
  // Fixed Huffman codes: literals 0-143 are 8 bits from 0x30; 280-287 are 8 bits from 0xc0; 256-279 are 7 bits.
  const literal = (code: number) => put(0x30 + code, 8, true);
  put(1, 1, false); // final block
  put(1, 2, false); // fixed Huffman
  for (const ch of prefix) literal(ch.charCodeAt(0));
  let left = count;
  if (left > 0) {
    literal(fill.charCodeAt(0));
    left--;
  }
  while (left >= 258) {
    put(0xc5, 8, true); // length code 285: 258 bytes
    put(0, 5, true); // distance code 0: 1 byte back
    left -= 258;
  }
  for (; left > 0; left--) literal(fill.charCodeAt(0));
  for (const ch of suffix) literal(ch.charCodeAt(0));
  put(0, 7, true); // end of block
  return out.subarray(0, Math.ceil(bit / 8));
}
