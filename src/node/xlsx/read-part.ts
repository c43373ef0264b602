import { DataFormatError } from '../../errors.js';
import { inflateEntry, type InflateBudget } from './inflate-entry.js';
import { XmlTokenizer, type XmlHandler } from './xml-tokenizer.js';
import type { ZipArchive } from './zip-archive.js';

/**
 * Streams one XML part of a workbook through `handler`: inflated a step at a time,
 * decoded as strict UTF-8 and tokenized as it arrives, so a large sheet is never held whole
 * as text. Returns false when the archive has no such part.
 *
 * @example
 * readPart(zip, 'xl/workbook.xml', budget, { open: (name) => console.log(name), close() {}, text() {} });
 */
export function readPart(zip: ZipArchive, name: string, budget: InflateBudget, handler: XmlHandler): boolean {
  const entry = zip.entry(name);
  if (!entry) return false;
  const xml = new XmlTokenizer(entry.name, handler);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (chunk?: Uint8Array) => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch (error) {
      throw new DataFormatError(entry.name, 'not valid UTF-8', { cause: error });
    }
  };
  inflateEntry(zip, entry, budget, (chunk) => xml.write(decode(chunk)));
  xml.write(decode());
  xml.end();
  return true;
}
