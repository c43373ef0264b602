import type { RankedLabel } from '../log/record.js';
import { buildRecommendationMessage, type EmailCustomer, type EmailSender, type EmailTemplates } from './message.js';
import { DEFAULT_SENDER, type MailTransport, type SentInfo } from './transport.js';

/** Options of {@link sendRecommendationEmail}. */
export interface SendOptions {
  /** Default: the transport's sender, else `Retail ML <recommendations@retail-ml.invalid>`. */
  from?: EmailSender;
  /** Override any of the subject, plain-text and HTML templates. */
  templates?: Partial<EmailTemplates>;
}

/**
 * E-mails a customer their top categories: a plain-text and an HTML part from the
 * (overridable) templates, with every value HTML-escaped in the HTML part. Rejects
 * with a `ValidationError` before anything is sent when an address is invalid or a
 * name/subject carries a line break; rejects with the transport's error when the send
 * fails. To keep a prediction path safe from both, use {@link createMailer}, which
 * queues and retries instead.
 *
 * @example
 * const transport = await createEmlOutboxTransport('.retail-ml/mail-outbox');
 * const info = await sendRecommendationEmail(
 *   { name: 'Ann', email: 'ann@example.com' },
 *   [{ label: 'Books', probability: 0.61 }, { label: 'Toys', probability: 0.2 }, { label: 'Garden', probability: 0.1 }],
 *   transport,
 * );
 * info.path // where the .eml file went
 */
export async function sendRecommendationEmail(
  customer: EmailCustomer,
  top3: readonly RankedLabel[],
  transport: MailTransport,
  options: SendOptions = {},
): Promise<SentInfo> {
  const message = buildRecommendationMessage(customer, top3, {
    from: options.from ?? transport.from ?? DEFAULT_SENDER,
    templates: options.templates,
  });
  return transport.sendMail(message);
}
