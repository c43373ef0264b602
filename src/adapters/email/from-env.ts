import { join, resolve } from 'node:path';
import type { ReportHandler } from '../log/prediction-log.js';
import { headerIssues, isValidEmailAddress } from './validate.js';
import { createMailer, type Mailer } from './mailer.js';
import type { EmailSender, EmailTemplates } from './message.js';
import { createEmlOutboxTransport, createSmtpTransport, smtpSettingsFromEnv } from './transport.js';
import { InputError } from '../../errors.js';

/** Options of {@link createMailerFromEnv}. */
export interface MailerFromEnvOptions {
  /** Folder for the `.eml` outbox (`<dir>/mail-outbox`) and unsendable mail (`<dir>/mail-failed`); default `.retail-ml`. */
  dir?: string;
  /** Resolves a relative `dir` (default the process working directory). */
  cwd?: string;
  /** Sender when `SMTP_FROM` is not set. */
  from?: EmailSender;
  templates?: Partial<EmailTemplates>;
  onReport?: ReportHandler;
  retry?: { baseMs: number; maxMs: number };
  maxAttempts?: number;
}

/** Which transport {@link createMailerFromEnv} chose. */
export type MailerKind = 'smtp' | 'eml-outbox';

/**
 * The mailer the environment asks for: SMTP when `SMTP_URL` or `SMTP_HOST` is set (see
 * {@link smtpSettingsFromEnv}; sender `SMTP_FROM`, else the SMTP user), otherwise the
 * embedded `.eml` outbox folder `<dir>/mail-outbox`, which needs no server.
 *
 * @example
 * const { mailer, kind } = await createMailerFromEnv(process.env);
 * const outcome = await mailer.notify(customer, top3);
 * await mailer.close();
 */
export async function createMailerFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  options: MailerFromEnvOptions = {},
): Promise<{ mailer: Mailer; kind: MailerKind }> {
  const dir = resolve(options.cwd ?? process.cwd(), options.dir ?? '.retail-ml');
  const fromEnv = env.SMTP_FROM?.trim();
  if (fromEnv !== undefined && fromEnv !== '' && !isValidEmailAddress(fromEnv)) {
    throw new InputError(`SMTP_FROM must be a plain e-mail address, got ${JSON.stringify(fromEnv)}`);
  }
  const from = fromEnv || options.from;
  if (from && typeof from === 'object' && headerIssues('from', from.name).length > 0) throw new InputError('from.name must be one line');
  const settings = smtpSettingsFromEnv(env);
  const common = { onReport: options.onReport, templates: options.templates, retry: options.retry, maxAttempts: options.maxAttempts };
  if (settings) {
    const transport = await createSmtpTransport(settings, from);
    return { mailer: createMailer({ transport, failedDir: join(dir, 'mail-failed'), ...common }), kind: 'smtp' };
  }
  const transport = await createEmlOutboxTransport(join(dir, 'mail-outbox'), from);
  return { mailer: createMailer({ transport, ...common }), kind: 'eml-outbox' };
}
