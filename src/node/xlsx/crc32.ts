let table: Uint32Array | undefined;

/**
 * CRC-32 (IEEE 802.3, the checksum zip stores for every entry) of `bytes`, continuing
 * from `crc` so a part can be checked chunk by chunk as it inflates.
 *
 * @example
 * crc32(new TextEncoder().encode('123456789')) // => 0xcbf43926
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  // Built on first use so importing the module costs nothing.
  const t = (table ??= buildTable());
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

function buildTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}
