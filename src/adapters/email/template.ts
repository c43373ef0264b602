import { InputError } from '../../errors.js';

/**
 * Escapes text for HTML element content and attribute values.
 *
 * @example
 * escapeHtml(`<a href="x">Tom & 'Jerry'</a>`) // => '&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** Values a template can use: strings, and lists of string records for `{{#list}}…{{/list}}` blocks. */
export type TemplateContext = ReadonlyMap<string, string | readonly ReadonlyMap<string, string>[]>;

const TOKEN = /\{\{\s*([#/]?)([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * Fills a tiny mustache-like template: `{{name}}` inserts a value, `{{#items}}…{{/items}}`
 * repeats its body per item (inside it, the item's fields shadow the outer ones). With
 * `html: true` every inserted value is HTML-escaped — the template's own markup is kept,
 * values can never add markup. An unknown name or an unclosed block is an `InputError`,
 * so a typo in a custom template fails loudly instead of mailing `{{nmae}}`.
 *
 * @example
 * renderTemplate('Hi {{name}}: {{#top}}{{rank}}. {{label}} {{/top}}',
 *   new Map([['name', 'Ann'], ['top', [new Map([['rank', '1'], ['label', 'Books']])]]]))
 * // => 'Hi Ann: 1. Books '
 */
export function renderTemplate(template: string, context: TemplateContext, { html = false }: { html?: boolean } = {}): string {
  const render = (from: number, to: number, scopes: readonly ReadonlyMap<string, unknown>[]): string => {
    let out = '';
    let at = from;
    const token = new RegExp(TOKEN.source, 'g');
    token.lastIndex = from;
    for (let m = token.exec(template); m !== null && m.index < to; m = token.exec(template)) {
      out += template.slice(at, m.index);
      const [whole, sigil, name] = m;
      const value = lookup(scopes, name);
      if (sigil === '/') throw new InputError(`template: {{/${name}}} without a matching {{#${name}}}`);
      if (sigil === '#') {
        const close = findClose(template, name, token.lastIndex, to);
        if (!Array.isArray(value)) throw new InputError(`template: {{#${name}}} needs a list; known lists: ${listNames(scopes)}`);
        for (const item of value as ReadonlyMap<string, string>[]) out += render(token.lastIndex, close, [item, ...scopes]);
        at = template.indexOf('}}', close) + 2;
        token.lastIndex = at;
        continue;
      }
      if (typeof value !== 'string') throw new InputError(`template: unknown value {{${name}}}; known: ${valueNames(scopes)}`);
      out += html ? escapeHtml(value) : value;
      at = m.index + whole.length;
    }
    return out + template.slice(at, to);
  };
  return render(0, template.length, [context]);
}

function lookup(scopes: readonly ReadonlyMap<string, unknown>[], name: string): unknown {
  for (const scope of scopes) if (scope.has(name)) return scope.get(name);
  return undefined;
}

function findClose(template: string, name: string, from: number, to: number): number {
  const token = new RegExp(TOKEN.source, 'g');
  token.lastIndex = from;
  let depth = 0;
  for (let m = token.exec(template); m !== null && m.index < to; m = token.exec(template)) {
    if (m[2] !== name) continue;
    if (m[1] === '#') depth++;
    else if (m[1] === '/') {
      if (depth === 0) return m.index;
      depth--;
    }
  }
  throw new InputError(`template: {{#${name}}} is never closed`);
}

function valueNames(scopes: readonly ReadonlyMap<string, unknown>[]): string {
  const names = new Set<string>();
  for (const s of scopes) for (const [k, v] of s) if (typeof v === 'string') names.add(k);
  return [...names].join(', ');
}

function listNames(scopes: readonly ReadonlyMap<string, unknown>[]): string {
  const names = new Set<string>();
  for (const s of scopes) for (const [k, v] of s) if (Array.isArray(v)) names.add(k);
  return [...names].join(', ');
}
