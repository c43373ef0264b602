import { ValidationError, type FieldIssue } from '../../errors.js';
import type { RankedLabel } from '../log/record.js';
import { renderTemplate } from './template.js';
import { headerIssues, isValidEmailAddress } from './validate.js';

/** Who gets the e-mail. */
export interface EmailCustomer {
  name: string;
  email: string;
  customerId?: string;
}

/**
 * The three texts of a recommendation e-mail. Values: `{{name}}`, `{{email}}`,
 * `{{customerId}}`, and the block `{{#categories}}…{{/categories}}` with `{{rank}}`,
 * `{{category}}`, `{{percent}}` (e.g. `42.5%`) and `{{probability}}` (e.g. `0.4250`).
 * In `html` every value is HTML-escaped.
 */
export interface EmailTemplates {
  subject: string;
  text: string;
  html: string;
}

/**
 * The built-in templates; override any of them with {@link EmailTemplates} fields.
 *
 * @example
 * createMailer({ transport, templates: { subject: '{{name}}, your picks are in' } });
 */
export const DEFAULT_EMAIL_TEMPLATES: EmailTemplates = {
  subject: 'Your top picks, {{name}}',
  text: [
    'Hi {{name}},',
    '',
    "Based on your profile, here are the categories we think you'll love:",
    '',
    '{{#categories}}{{rank}}. {{category}} ({{percent}})',
    '{{/categories}}',
    'Happy shopping!',
    '',
  ].join('\n'),
  html: [
    '<!doctype html>',
    '<html><body style="font-family: sans-serif; color: #222">',
    '<p>Hi {{name}},</p>',
    "<p>Based on your profile, here are the categories we think you'll love:</p>",
    '<ol>',
    '{{#categories}}<li><strong>{{category}}</strong> ({{percent}})</li>',
    '{{/categories}}</ol>',
    '<p>Happy shopping!</p>',
    '</body></html>',
    '',
  ].join('\n'),
};

/** A sender: an address, or a display name and address. */
export type EmailSender = string | { name: string; address: string };

/** What a transport receives: nodemailer's `sendMail` options, already validated. */
export interface RecommendationMessage {
  from: { name: string; address: string } | string;
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
}

/**
 * Validates the customer and the top categories and renders the subject, plain-text
 * and HTML parts. Throws a `ValidationError` listing every problem: a bad address, a
 * CR/LF or control character in a name or the rendered subject (header injection),
 * no categories, a probability outside [0, 1].
 *
 * @example
 * const message = buildRecommendationMessage(
 *   { name: 'Ann', email: 'ann@example.com' },
 *   [{ label: 'Books', probability: 0.61 }, { label: 'Toys', probability: 0.2 }],
 *   { from: 'shop@example.com' },
 * );
 * message.subject // => 'Your top picks, Ann'
 */
export function buildRecommendationMessage(
  customer: EmailCustomer,
  top: readonly RankedLabel[],
  { from, templates }: { from: EmailSender; templates?: Partial<EmailTemplates> },
): RecommendationMessage {
  const t = { ...DEFAULT_EMAIL_TEMPLATES, ...templates };
  const issues: FieldIssue[] = [];
  if (!customer || typeof customer !== 'object') throw new ValidationError([{ field: 'customer', message: 'must be an object' }]);
  issues.push(...headerIssues('name', customer.name, { maxLength: 200 }));
  if (!isValidEmailAddress(customer.email)) issues.push({ field: 'email', message: 'is not a valid e-mail address' });
  if (customer.customerId !== undefined) issues.push(...headerIssues('customerId', customer.customerId, { maxLength: 200 }));
  const sender = typeof from === 'string' ? { name: '', address: from } : from;
  issues.push(...headerIssues('from.name', sender?.name ?? '', { maxLength: 200 }));
  if (!isValidEmailAddress(sender?.address)) issues.push({ field: 'from', message: 'is not a valid e-mail address' });
  if (!Array.isArray(top) || top.length === 0) issues.push({ field: 'top', message: 'needs at least one category' });
  else {
    top.forEach((c, i) => {
      issues.push(...headerIssues(`top[${i}].label`, c?.label, { maxLength: 200 }));
      if (typeof c?.probability !== 'number' || !(c.probability >= 0 && c.probability <= 1)) {
        issues.push({ field: `top[${i}].probability`, message: 'must be a number in [0, 1]' });
      }
    });
  }
  if (issues.length > 0) throw new ValidationError(issues);

  const context = new Map<string, string | Map<string, string>[]>([
    ['name', customer.name],
    ['email', customer.email],
    ['customerId', customer.customerId ?? ''],
    [
      'categories',
      top.map(
        (c, i) =>
          new Map([
            ['rank', String(i + 1)],
            ['category', c.label],
            ['percent', `${(c.probability * 100).toFixed(1)}%`],
            ['probability', c.probability.toFixed(4)],
          ]),
      ),
    ],
  ]);
  const subject = renderTemplate(t.subject, context).trim();
  const subjectIssues = headerIssues('subject', subject);
  if (subject.length === 0) subjectIssues.push({ field: 'subject', message: 'is empty' });
  if (subjectIssues.length > 0) throw new ValidationError(subjectIssues);
  return {
    from: sender.name ? { name: sender.name, address: sender.address } : sender.address,
    to: { name: customer.name, address: customer.email },
    subject,
    text: renderTemplate(t.text, context),
    html: renderTemplate(t.html, context, { html: true }),
  };
}
