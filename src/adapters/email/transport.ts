import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type * as Nodemailer from 'nodemailer';
import { InputError, RetailMlError } from '../../errors.js';
import { redactUrl } from '../log/record.js';
import type { EmailSender } from './message.js';

/**
 * The sender when nothing else names one (`.invalid` is a reserved, never-routable domain).
 *
 * @example
 * DEFAULT_SENDER // => { name: 'Retail ML', address: 'recommendations@retail-ml.invalid' }
 */
export const DEFAULT_SENDER: EmailSender = { name: 'Retail ML', address: 'recommendations@retail-ml.invalid' };

/** What a send returns: nodemailer's info, plus the file path for the `.eml` outbox. */
export interface SentInfo {
  messageId?: string;
  envelope?: { from: string | false; to: string[] };
  accepted?: unknown[];
  rejected?: unknown[];
  response?: string;
  /** Set by the `.eml` outbox transport. */
  path?: string;
}

/** Anything with nodemailer's `sendMail` — a nodemailer transporter, or a test double. */
export interface MailTransport {
  sendMail(message: Nodemailer.SendMailOptions): Promise<SentInfo>;
  /** Where messages go, for printing (no password). */
  readonly describe?: string;
  /** The sender used when a send does not name one. */
  readonly from?: EmailSender;
  close?(): void;
}

/**
 * Loads the optional `nodemailer` peer on first use; a missing package is a clear error.
 *
 * @example
 * const nodemailer = await loadNodemailer();
 */
export async function loadNodemailer(): Promise<typeof Nodemailer> {
  try {
    const mod = (await import('nodemailer')) as typeof Nodemailer & { default?: typeof Nodemailer };
    return mod.default ?? mod;
  } catch (error) {
    throw new RetailMlError(
      'MISSING_PEER',
      "the e-mail adapter needs the optional peer dependency 'nodemailer' (npm install nodemailer)",
      { cause: error },
    );
  }
}

/** SMTP settings read from the environment, ready for `nodemailer.createTransport`. */
export interface SmtpSettings {
  options: string | Record<string, unknown>;
  /** `smtp://host:port` without credentials, for printing. */
  describe: string;
  /** The authenticated user, a sensible default sender when it is an address. */
  user?: string;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[?::1\]?)$/i;
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/**
 * SMTP settings from `SMTP_URL` (e.g. `smtps://me%40gmail.com:app-password@smtp.gmail.com:465`),
 * or from `SMTP_HOST`, `SMTP_PORT` (default 587), `SMTP_USER`, `SMTP_PASSWORD`,
 * `SMTP_SECURE` (default: true on port 465). Port 465 is TLS from the start; on other
 * ports a password is only ever sent after STARTTLS, except to a loopback host.
 * `undefined` when neither is set. A malformed value is an `InputError` (password hidden).
 *
 * @example
 * smtpSettingsFromEnv({ SMTP_HOST: 'smtp.gmail.com', SMTP_PORT: '465', SMTP_USER: 'me@gmail.com', SMTP_PASSWORD: 'abcdefghijklmnop' })
 * // => { options: { host: 'smtp.gmail.com', port: 465, secure: true, auth: {...}, ... }, describe: 'smtps://smtp.gmail.com:465', user: 'me@gmail.com' }
 */
export function smtpSettingsFromEnv(env: Readonly<Record<string, string | undefined>>): SmtpSettings | undefined {
  const url = env.SMTP_URL?.trim();
  if (url) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InputError(`SMTP_URL is not a URL: ${redactUrl(url)}`);
    }
    if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
      throw new InputError(`SMTP_URL must start with smtp:// or smtps://, got ${parsed.protocol}//`);
    }
    const secure = parsed.protocol === 'smtps:';
    const port = Number(parsed.port || (secure ? 465 : 587));
    const user = parsed.username ? decodeURIComponent(parsed.username) : undefined;
    const pass = decodeURIComponent(parsed.password);
    return smtpSettings(parsed.hostname, port, secure, user, pass);
  }
  const host = env.SMTP_HOST?.trim();
  if (!host) return undefined;
  const port = Number(env.SMTP_PORT?.trim() || 587);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InputError(`SMTP_PORT must be a port number, got ${env.SMTP_PORT}`);
  const secureText = env.SMTP_SECURE?.trim().toLowerCase();
  if (secureText && !['true', 'false', '1', '0'].includes(secureText)) throw new InputError(`SMTP_SECURE must be true or false, got ${env.SMTP_SECURE}`);
  const secure = secureText ? secureText === 'true' || secureText === '1' : port === 465;
  return smtpSettings(host, port, secure, env.SMTP_USER?.trim() || undefined, env.SMTP_PASSWORD ?? env.SMTP_PASS ?? '');
}

function smtpSettings(host: string, port: number, secure: boolean, user: string | undefined, pass: string): SmtpSettings {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InputError(`SMTP port must be 1-65535, got ${port}`);
  return {
    options: {
      host,
      port,
      secure,
      requireTLS: !secure && user !== undefined && !LOOPBACK.test(host),
      ...(user === undefined ? {} : { auth: { user, pass } }),
      ...TIMEOUTS,
    },
    describe: `${secure ? 'smtps' : 'smtp'}://${host}:${port}`,
    user,
  };
}

/**
 * A nodemailer SMTP transport from {@link SmtpSettings}.
 *
 * @example
 * const transport = await createSmtpTransport(smtpSettingsFromEnv(process.env)!, 'shop@example.com');
 */
export async function createSmtpTransport(settings: SmtpSettings, from?: EmailSender): Promise<MailTransport> {
  const nodemailer = await loadNodemailer();
  const transporter = nodemailer.createTransport(settings.options as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    describe: settings.describe,
    from: from ?? (settings.user && /@/.test(settings.user) ? settings.user : DEFAULT_SENDER),
    sendMail: (message) => transporter.sendMail(message) as Promise<SentInfo>,
    close: () => transporter.close(),
  };
}

/**
 * The embedded default: renders each message with nodemailer's stream transport and
 * writes it as an `.eml` file (RFC 5322, CRLF line ends, opens in any mail client) into
 * `dir`; the file appears whole (written aside, then renamed). `info.path` says where it went.
 *
 * @example
 * const transport = await createEmlOutboxTransport('.retail-ml/mail-outbox');
 * const info = await sendRecommendationEmail(customer, top3, transport, { from });
 * console.log(info.path); // .retail-ml/mail-outbox/20240501T120000Z-....eml
 */
export async function createEmlOutboxTransport(dir: string, from: EmailSender = DEFAULT_SENDER): Promise<MailTransport> {
  const nodemailer = await loadNodemailer();
  const folder = resolve(dir);
  const renderer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    describe: folder,
    from,
    async sendMail(message) {
      const info = (await renderer.sendMail(message)) as SentInfo & { message: Buffer };
      await mkdir(folder, { recursive: true });
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      const name = `${stamp}-${randomBytes(6).toString('hex')}.eml`;
      const path = join(folder, name);
      const partial = join(folder, `.${name}.partial`);
      await writeFile(partial, withCrlfLineEnds(info.message));
      await rename(partial, path);
      return { messageId: info.messageId, envelope: info.envelope, accepted: info.envelope?.to, rejected: [], path };
    },
  };
}

// nodemailer's stream transport ends header lines with CRLF but copies the bodies' bare
// LFs as they are; SMTP fixes them on the wire, a file would keep them (RFC 5322 wants
// CRLF). CR and LF bytes never occur inside a UTF-8 sequence, so any body encoding is safe.
function withCrlfLineEnds(bytes: Buffer): Buffer {
  return Buffer.from(bytes.toString('latin1').replace(/\r\n|\r|\n/g, '\r\n'), 'latin1');
}
