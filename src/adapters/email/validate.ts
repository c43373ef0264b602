import type { FieldIssue } from '../../errors.js';

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * Whether `address` is a plain `local@domain.tld` mailbox (ASCII, RFC 5321 lengths,
 * dot-atom local part, at least two domain labels). Quoted local parts, comments,
 * display names and IP literals are refused: they are never needed for a customer
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
    labels.length >= 2 &&
    labels.every((l) => DOMAIN_LABEL.test(l)) &&
    /[A-Za-z]/.test(labels[labels.length - 1])
  );
}

// eslint-disable-next-line no-control-regex
const HEADER_BREAKERS = /[\r\n\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u2028\u2029]/;

/**
 * Problems with a value that will become (part of) a mail header: a CR or LF would
 * start a new header (header injection), so any line break or control character is refused.
 *
 * @example
 * headerIssues('subject', 'Hi\r\nBcc: x@evil.test') // => [{ field: 'subject', message: 'must not contain line breaks or control characters' }]
 */
export function headerIssues(field: string, value: unknown, { maxLength = 998 }: { maxLength?: number } = {}): FieldIssue[] {
  if (typeof value !== 'string') return [{ field, message: 'must be a string' }];
  if (HEADER_BREAKERS.test(value)) return [{ field, message: 'must not contain line breaks or control characters' }];
  if (value.length > maxLength) return [{ field, message: `must be at most ${maxLength} characters` }];
  return [];
}
