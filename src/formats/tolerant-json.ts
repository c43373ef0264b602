import { ModelFormatError } from '../errors.js';

/**
 * `JSON.parse` that also accepts the bare `NaN`, `Infinity` and `-Infinity` tokens
 * XGBoost writes for non-finite floats. NaN becomes `null` (loaders read a null in a
 * float array as NaN) and ±Infinity become ±1e999, which JSON.parse reads as ±Infinity.
 * Tokens inside strings are left alone. Malformed text is a {@link ModelFormatError}.
 *
 * @example
 * parseTolerantJson('{"split_conditions": [NaN, 1.5, -Infinity]}')
 * // => { split_conditions: [null, 1.5, -Infinity] }
 */
export function parseTolerantJson(text: string): unknown {
  const source = /NaN|Infinity/.test(text) ? replaceNonFiniteTokens(text) : text;
  try {
    return JSON.parse(source);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ModelFormatError('JSON', `not valid JSON (${detail})`, { cause: error });
  }
}

function replaceNonFiniteTokens(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34) break;
      }
    } else if (c === 78 /* N */ && text.startsWith('NaN', i)) {
      parts.push(text.slice(copied, i), 'null');
      i += 2;
      copied = i + 1;
    } else if (c === 73 /* I */ && text.startsWith('Infinity', i)) {
      parts.push(text.slice(copied, i), '1e999');
      i += 7;
      copied = i + 1;
    }
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/**
 * {@link parseTolerantJson} on UTF-8 bytes; bytes that are not valid UTF-8 are a
 * {@link ModelFormatError} at `where`.
 *
 * @example
 * parseTolerantJsonBytes(new TextEncoder().encode('{"a": NaN}')) // => { a: NaN }
 */
export function parseTolerantJsonBytes(bytes: Uint8Array, where = 'JSON'): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ModelFormatError(where, 'not valid UTF-8');
  }
  return parseTolerantJson(text);
}
