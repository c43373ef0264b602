import { DataFormatError } from '../../errors.js';

/**
 * What a streaming XML reader reports. Names are local names (`x:c` → `c`); `attrs`
 * alternates local attribute names and decoded values (read them with {@link attribute}).
 * Text may arrive in several pieces.
 */
export interface XmlHandler {
  open(name: string, attrs: readonly string[], selfClosing: boolean): void;
  close(name: string): void;
  text(text: string): void;
}

/**
 * The value of the attribute with local name `name`, if present.
 *
 * @example
 * attribute(['r', 'A1', 't', 's'], 't') // => 's'
 */
export function attribute(attrs: readonly string[], name: string): string | undefined {
  for (let i = 0; i < attrs.length; i += 2) if (attrs[i] === name) return attrs[i + 1];
  return undefined;
}

// One piece of markup (a tag, comment, CDATA section) may not be longer than this: it is
// held whole until it ends, and searching a growing piece again for every chunk would be
// quadratic. SpreadsheetML tags are short; cell text is text, not markup.
const MAX_MARKUP = 1024 * 1024;

// The common case, one complete attribute: much faster than scanning by hand.
// Values with tab, CR or LF take the slow path, which normalizes them.
const ATTRIBUTE = /([^\s=<>"'/]+)[ \t\r\n]*=[ \t\r\n]*(?:"([^"<\t\r\n]*)"|'([^'<\t\r\n]*)')/y;

// XML end-of-line handling (XML 1.0, 2.11 and 3.3.3), as every conforming parser (and so
// pandas through openpyxl) applies it: CR LF and lone CR read as LF in text, and tab, CR and
// LF as a space in attribute values. Written references (&#13;) are kept.
const newlines = (raw: string) => (raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw);
const attributeSpaces = (raw: string) => raw.replace(/\r\n?|[\n\t]/g, ' ');

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const localName = (name: string) => {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
};

/**
 * A minimal streaming XML reader for SpreadsheetML parts: elements, attributes, text,
 * CDATA, comments and processing instructions. Document type declarations are refused
 * (no DTD means no entity expansion and no external entities); only the five predefined
 * entities and character references are decoded. Feed it text with `write` and finish with
 * `end`; mismatched or unclosed tags, bad references and truncation are DataFormatErrors
 * naming `part`.
 *
 * @example
 * const xml = new XmlTokenizer('xl/workbook.xml', { open: (n) => names.push(n), close() {}, text() {} });
 * xml.write('<workbook><sheets><sheet name="a"/></sheets></workbook>');
 * xml.end(); // names => ['workbook', 'sheets', 'sheet']
 */
export class XmlTokenizer {
  private carry = '';
  private readonly stack: string[] = [];
  private sawRoot = false;
  private first = true;

  constructor(
    private readonly part: string,
    private readonly handler: XmlHandler,
  ) {}

  /** Feeds the next piece of the document. */
  write(chunk: string): void {
    let buf = this.carry + chunk;
    if (this.first && buf.length > 0) {
      this.first = false;
      if (buf.charCodeAt(0) === 0xfeff) buf = buf.slice(1);
    }
    this.carry = buf.slice(this.consume(buf));
    if (this.carry.length > MAX_MARKUP) this.fail(`markup longer than ${MAX_MARKUP} characters`);
  }

  /** Ends the document: anything left open is an error. */
  end(): void {
    if (this.carry.trim() !== '') this.fail('truncated XML');
    if (!this.sawRoot) this.fail('no XML element');
    if (this.stack.length > 0) this.fail(`<${this.stack[this.stack.length - 1]}> is not closed`);
  }

  /** Handles every complete token in `buf`; returns where the incomplete rest starts. */
  private consume(buf: string): number {
    const h = this.handler;
    let p = 0;
    for (;;) {
      const lt = buf.indexOf('<', p);
      const textEnd = lt < 0 ? buf.length : lt;
      if (textEnd > p) {
        let end = textEnd;
        if (lt < 0) {
          // A reference may be cut by the chunk boundary: keep it for the next chunk.
          const amp = buf.lastIndexOf('&', end);
          if (amp >= p && buf.indexOf(';', amp) < 0) end = amp;
          // so might a CR LF pair
          if (end > p && buf.charCodeAt(end - 1) === 0x0d) end--;
        }
        if (end > p) {
          const raw = buf.slice(p, end);
          if (this.stack.length > 0) h.text(this.decode(newlines(raw)));
          else if (raw.trim() !== '') this.fail('text outside the root element');
        }
        p = end;
      }
      if (lt < 0) return p;
      const next = buf.charCodeAt(lt + 1);
      if (Number.isNaN(next)) return lt;
      if (next === 0x2f /* / */) {
        const gt = buf.indexOf('>', lt);
        if (gt < 0) return lt;
        const name = localName(buf.slice(lt + 2, gt).trim());
        const open = this.stack.pop();
        if (open !== name) this.fail(open === undefined ? `</${name}> closes nothing` : `</${name}> closes <${open}>`);
        h.close(name);
        p = gt + 1;
      } else if (next === 0x3f /* ? */) {
        const end = buf.indexOf('?>', lt + 2);
        if (end < 0) return lt;
        p = end + 2;
      } else if (next === 0x21 /* ! */) {
        if (buf.length < lt + 4) return lt;
        if (buf.startsWith('<!--', lt)) {
          const end = buf.indexOf('-->', lt + 4);
          if (end < 0) return lt;
          p = end + 3;
        } else if (buf.length < lt + 9) {
          return lt;
        } else if (buf.startsWith('<![CDATA[', lt)) {
          const end = buf.indexOf(']]>', lt + 9);
          if (end < 0) return lt;
          if (this.stack.length === 0) this.fail('CDATA outside the root element');
          h.text(newlines(buf.slice(lt + 9, end)));
          p = end + 3;
        } else {
          // <!DOCTYPE and <!ENTITY: refusing DTDs is what keeps entity expansion and external entities out.
          this.fail('document type declarations (DTDs) are not allowed');
        }
      } else {
        const end = this.startTag(buf, lt);
        if (end < 0) return lt;
        p = end;
      }
    }
  }

  /** Reads the start tag at `lt`; returns the index after it, or -1 when it is incomplete. */
  private startTag(buf: string, lt: number): number {
    let i = lt + 1;
    while (i < buf.length) {
      const c = buf.charCodeAt(i);
      if (isSpace(c) || c === 0x3e || c === 0x2f) break;
      i++;
    }
    if (i >= buf.length) return -1;
    const name = localName(buf.slice(lt + 1, i));
    if (name === '' || name.includes('<')) this.fail('malformed tag');
    const attrs: string[] = [];
    for (;;) {
      while (i < buf.length && isSpace(buf.charCodeAt(i))) i++;
      if (i >= buf.length) return -1;
      const c = buf.charCodeAt(i);
      if (c === 0x3e) return this.opened(name, attrs, false, i + 1);
      if (c === 0x2f) {
        if (i + 1 >= buf.length) return -1;
        if (buf.charCodeAt(i + 1) !== 0x3e) this.fail(`malformed tag <${name}>`);
        return this.opened(name, attrs, true, i + 2);
      }
      ATTRIBUTE.lastIndex = i;
      const m = ATTRIBUTE.exec(buf);
      if (m) {
        const raw = m[2] ?? m[3];
        attrs.push(localName(m[1]), this.decode(raw));
        i = ATTRIBUTE.lastIndex;
        continue;
      }
      // Not a well-formed complete attribute: find out whether it is cut off or malformed.
      const eq = buf.indexOf('=', i);
      if (eq < 0) return -1;
      const key = buf.slice(i, eq).trim();
      if (key === '' || /[\s<>"'/]/.test(key)) this.fail(`malformed attribute in <${name}>`);
      let q = eq + 1;
      while (q < buf.length && isSpace(buf.charCodeAt(q))) q++;
      if (q >= buf.length) return -1;
      const quote = buf[q];
      if (quote !== '"' && quote !== "'") this.fail(`unquoted attribute ${key} in <${name}>`);
      const close = buf.indexOf(quote, q + 1);
      if (close < 0) return -1;
      const raw = buf.slice(q + 1, close);
      if (raw.includes('<')) this.fail(`'<' in attribute ${key} of <${name}>`);
      attrs.push(localName(key), this.decode(attributeSpaces(raw)));
      i = close + 1;
    }
  }

  private opened(name: string, attrs: string[], selfClosing: boolean, after: number): number {
    if (this.stack.length === 0) {
      if (this.sawRoot) this.fail('more than one root element');
      this.sawRoot = true;
    }
    if (!selfClosing) this.stack.push(name);
    this.handler.open(name, attrs, selfClosing);
    if (selfClosing) this.handler.close(name);
    return after;
  }

  /** Decodes the predefined entities and character references; anything else is refused. */
  private decode(raw: string): string {
    if (!raw.includes('&')) return raw;
    return raw.replace(/&([^;&<]{0,12});|&/g, (match, ref: string | undefined) => {
      if (ref === undefined) return this.fail('bare & (not a reference)');
      switch (ref) {
        case 'lt': return '<';
        case 'gt': return '>';
        case 'amp': return '&';
        case 'quot': return '"';
        case 'apos': return "'";
      }
      const code = /^#x[0-9a-fA-F]{1,6}$/.test(ref) ? parseInt(ref.slice(2), 16) : /^#[0-9]{1,7}$/.test(ref) ? parseInt(ref.slice(1), 10) : -1;
      if (code < 0) return this.fail(`undefined entity ${JSON.stringify(match)} (only the predefined ones are read)`);
      if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return this.fail(`invalid character reference ${match}`);
      return String.fromCodePoint(code);
    });
  }

  private fail(detail: string): never {
    throw new DataFormatError(this.part, detail);
  }
}
