import { DataFormatError } from '../errors.js';

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Where {@link scanCsvRecords} resumes: a character offset into the text and the line (1-based) there. */
export interface CsvScanState {
  pos: number;
  line: number;
}

/**
 * Scans RFC 4180 records from `text`, starting at `state.pos`, and calls `onRecord` with
 * each record's fields (`null` for an unquoted missing marker) and the line it starts on.
 * Quoted fields take `""` escapes, delimiters and newlines; CRLF/LF/CR end a record; blank
 * lines are skipped; text after a closing quote or an unterminated quote is a
 * {@link DataFormatError} naming the line. The one scanner behind `readCsv` (whole text,
 * `final = true`) and the streaming readers (chunk by chunk): with `final = false` it stops
 * before a record the next chunk may continue and leaves `state` at that record's start.
 *
 * @example
 * const state = { pos: 0, line: 1 };
 * scanCsvRecords('a,b\n1,"x', state, 44, new Set(['']), false, (r, line) => console.log(line, r));
 * // logs 1 ['a', 'b']; state => { pos: 4, line: 2 } (the open quote may close in the next chunk)
 */
export function scanCsvRecords(
  text: string,
  state: CsvScanState,
  delimiter: number,
  missing: ReadonlySet<string>,
  final: boolean,
  onRecord: (fields: (string | null)[], line: number) => void,
): void {
  const n = text.length;
  let i = state.pos;
  let line = state.line;
  records: while (i < n) {
    const recordLine = line;
    const ch = text.charCodeAt(i);
    if (ch === LF || ch === CR) {
      // A CR at the end of a chunk may be the first half of a CRLF.
      if (ch === CR && i + 1 >= n && !final) break;
      // blank line: skipped, as pandas does
      i += ch === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      state.pos = i;
      state.line = line;
      continue;
    }
    const record: (string | null)[] = [];
    for (;;) {
      let value: string | null;
      if (text.charCodeAt(i) === QUOTE) {
        const openLine = line;
        let j = i + 1;
        let parts = '';
        let segmentStart = j;
        for (;;) {
          const q = text.indexOf('"', j);
          // A quote that is not closed yet, or closes at the very end (it may be a "" escape), waits for more text.
          if (q === -1 || (q + 1 >= n && !final)) {
            if (!final) break records;
            throw new DataFormatError(`line ${openLine}`, 'unterminated quoted field');
          }
          for (let k = j; k < q; k++) if (text.charCodeAt(k) === LF || (text.charCodeAt(k) === CR && text.charCodeAt(k + 1) !== LF)) line++;
          if (text.charCodeAt(q + 1) === QUOTE) {
            parts += text.slice(segmentStart, q + 1);
            j = q + 2;
            segmentStart = j;
            continue;
          }
          parts += text.slice(segmentStart, q);
          i = q + 1;
          break;
        }
        value = parts;
        const next = i < n ? text.charCodeAt(i) : LF;
        if (next !== delimiter && next !== LF && next !== CR) {
          throw new DataFormatError(`line ${line}`, 'unexpected text after a closing quote');
        }
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === delimiter || c === LF || c === CR) break;
          j++;
        }
        if (j >= n && !final) break records;
        const s = text.slice(i, j);
        value = missing.has(s) ? null : s;
        i = j;
      }
      record.push(value);
      if (i >= n) {
        onRecord(record, recordLine);
        break;
      }
      const c = text.charCodeAt(i);
      if (c === delimiter) {
        i++;
        if (i >= n) {
          if (!final) break records;
          record.push(missing.has('') ? null : '');
          onRecord(record, recordLine);
          break;
        }
        continue;
      }
      // end of line
      if (c === CR && i + 1 >= n && !final) break records;
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
      onRecord(record, recordLine);
      break;
    }
    state.pos = i;
    state.line = line;
  }
}
