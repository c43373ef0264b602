import { unzipSync, zipSync } from 'fflate';
import { seededRandom } from '../src/forest/random.js';

/** A seeded source of random numbers in [0, 1): the same seed gives the same cases. */
export type Random = () => number;

/**
 * The random source for one fuzz case, from the library's own seeded generator, so a
 * case replays from its seed on any machine.
 *
 * @example
 * const random = caseRandom(42);
 * random() // => the same number on every run
 */
export function caseRandom(seed: number): Random {
  const rng = seededRandom(seed);
  return () => rng.nextDouble();
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const int = (random: Random, n: number) => Math.floor(random() * n);

// Values that have broken readers: out-of-range and negative indexes, NaN, huge and
// far-out references, entities and DTDs, stray markup.
const NASTY = [
  '-1', 'NaN', '4294967296', '1e308', '99999999', '', ' ', 'XFD1048576', 'A0', 'AAAA1', 'A1048577',
  '&xxe;', '&#0;', '&#x110000;', '&', '<', ']]>', '"', "'", '<!DOCTYPE x [<!ENTITY e "ee">]>', '<![CDATA[',
  '<!--', '<?x?>', 't="s"', 't="b"', 't="e"', 't="d"', 't="str"', 't="inlineStr"', 't="zz"', 's="999"', 's="-1"',
  'date1904="1"', '<c r="B2" t="s"><v>7</v></c>', '<row r="1">', '</row>', '<si><t>x</t></si>', '\u0000', '\uFFFF', '\uD800',
];

/**
 * One structure-aware mutation of a valid workbook: at the zip level (flipped bytes,
 * extreme header fields, truncation, splices from another seed) or at the XML level (a
 * part is unzipped, its text mutated, and the archive zipped again with right checksums, so
 * the mutation reaches the XML reader rather than stopping at a CRC check).
 *
 * @example
 * const bytes = mutateXlsx(seed, [seed], caseRandom(7));
 */
export function mutateXlsx(seed: Uint8Array, others: readonly Uint8Array[], random: Random): Uint8Array {
  return random() < 0.4 ? mutateZip(seed, others, random) : mutateXml(seed, random);
}

function mutateZip(seed: Uint8Array, others: readonly Uint8Array[], random: Random): Uint8Array {
  const out = Uint8Array.from(seed);
  const view = new DataView(out.buffer);
  switch (int(random, 5)) {
    case 0: // a few flipped bytes anywhere
      for (let k = 1 + int(random, 4); k > 0; k--) out[int(random, out.length)] ^= 1 << int(random, 8);
      return out;
    case 1: {
      // an extreme value in the central directory and end record, where sizes and offsets live
      const at = out.length - 1 - int(random, Math.min(out.length - 4, 600));
      view.setUint32(Math.max(0, at - 3), pick(random, [0, 1, 0xffff, 0x7fffffff, 0xffffffff, out.length, 1 << 30]), true);
      return out;
    }
    case 2: // truncation
      return out.subarray(0, int(random, out.length));
    case 3: {
      // a splice from another seed
      const other = pick(random, others);
      const from = int(random, other.length);
      const length = int(random, Math.min(200, other.length - from));
      const at = int(random, out.length);
      return Uint8Array.from([...out.subarray(0, at), ...other.subarray(from, from + length), ...out.subarray(at + length)]);
    }
    default: // a byte run repeated (duplicated headers, overlapping entries)
    {
      const from = int(random, out.length);
      const length = int(random, 64);
      return Uint8Array.from([...out.subarray(0, from + length), ...out.subarray(from, from + length), ...out.subarray(from + length)]);
    }
  }
}

function mutateXml(seed: Uint8Array, random: Random): Uint8Array {
  const files = unzipSync(seed);
  const names = Object.keys(files).filter((n) => n.endsWith('.xml') || n.endsWith('.rels'));
  // the parts the reader reads most, more often
  const weighted = names.flatMap((n) => (/sheet\d*\.xml$|sharedStrings|workbook\.xml|styles/.test(n) ? [n, n, n] : [n]));
  const name = pick(random, weighted);
  let text = new TextDecoder().decode(files[name]);
  for (let k = 1 + int(random, 3); k > 0; k--) text = mutateText(text, random);
  files[name] = new TextEncoder().encode(text);
  if (random() < 0.1) delete files[pick(random, names)];
  return zipSync(files, { level: 1 });
}

function mutateText(text: string, random: Random): string {
  const at = int(random, text.length + 1);
  switch (int(random, 6)) {
    case 0: // delete a span
      return text.slice(0, at) + text.slice(at + int(random, 40));
    case 1: {
      // duplicate a span (repeated elements, nesting)
      const length = int(random, 200);
      return text.slice(0, at + length) + text.slice(at, at + length) + text.slice(at + length);
    }
    case 2: // a nasty value inserted
      return text.slice(0, at) + pick(random, NASTY) + text.slice(at);
    case 3: {
      // a number or attribute value replaced by a nasty one
      const matches = [...text.matchAll(/>(-?[0-9.]+)<|="([^"]*)"/g)];
      if (matches.length === 0) return text;
      const m = pick(random, matches);
      const value = m[1] ?? m[2];
      const start = m.index! + m[0].indexOf(value, 1);
      return text.slice(0, start) + pick(random, NASTY) + text.slice(start + value.length);
    }
    case 4: // an element name changed
      return text.replace(/<(c|v|t|si|row|sheet|xf|is|r)\b/, () => `<${pick(random, ['c', 'v', 't', 'si', 'row', 'is', 'r', 'rPh', 'f', 'sheetData'])}`);
    default: // a character changed
      return text.slice(0, at) + String.fromCharCode(int(random, 128)) + text.slice(at + 1);
  }
}
