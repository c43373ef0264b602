import type { FieldIssue } from '../../errors.js';

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * Whether `address` is a plain `local@domain.tld` mailbox (ASCII, RFC 5321 lengths,
 * dot-atom local part, at least two domain labels). Quoted local parts, comments,
 * display names, IP literals and `=?` (an RFC 2047 encoded-word opener, which some
 * clients decode even there) are refused: they are never needed for a customer
 * address and are how header tricks get in.
 *
 * @example
 * isValidEmailAddress('ann.lee+shop@example.co.uk') // => true
 * isValidEmailAddress('ann@example.com\r\nBcc: x@evil.test') // => false
 */
export function isValidEmailAddress(address: unknown): address is string {
  if (typeof address !== 'string' || address.length > 254) return false;
  const at = address.lastIndexOf('@');
  if (at <= 0 || at > 64) return false;
  const local = address.slice(0, at);
  const labels = address.slice(at + 1).split('.');
  return (
    LOCAL_PART.test(local) &&
    !local.includes('=?') &&
    labels.length >= 2 &&
    labels.every((l) => DOMAIN_LABEL.test(l)) &&
    /[A-Za-z]/.test(labels[labels.length - 1])
  );
}

// eslint-disable-next-line no-control-regex
const HEADER_BREAKERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

// Mail clients decode `=?charset?B|Q?text?=` in display names and subjects, so a value
// carrying one could display text (a CR/LF, a fake header line) that was never validated.
// Decoders differ in how strictly they delimit a word, so the opener alone is refused.
const ENCODED_WORD_OPENER = /=\?/;

/**
 * Problems with a value that will become (part of) a mail header. A CR or LF would
 * start a new header (header injection), so any C0/C1 control (TAB, NEL included) or
 * Unicode line/paragraph separator is refused; so is `=?`, which opens an RFC 2047
 * encoded word that clients would decode and display as something else.
 *
 * @example
 * headerIssues('subject', 'Hi\r\nBcc: x@evil.test') // => [{ field: 'subject', message: 'must not contain line breaks or control characters' }]
 * headerIssues('name', '=?utf-8?B?QW5uDQpCY2M6IHhAZXZpbC50ZXN0?=') // => [{ field: 'name', message: "must not contain '=?' (an RFC 2047 encoded word)" }]
 */
export function headerIssues(field: string, value: unknown, { maxLength = 998 }: { maxLength?: number } = {}): FieldIssue[] {
  if (typeof value !== 'string') return [{ field, message: 'must be a string' }];
  if (HEADER_BREAKERS.test(value)) return [{ field, message: 'must not contain line breaks or control characters' }];
  if (ENCODED_WORD_OPENER.test(value)) return [{ field, message: "must not contain '=?' (an RFC 2047 encoded word)" }];
  if (value.length > maxLength) return [{ field, message: `must be at most ${maxLength} characters` }];
  return [];
}
