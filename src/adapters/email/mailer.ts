import type * as Nodemailer from 'nodemailer';
import type { RankedLabel } from '../log/record.js';
import { backoffDelay, warnReport, type ReportHandler } from '../log/prediction-log.js';
import { buildRecommendationMessage, type EmailCustomer, type EmailSender, type EmailTemplates } from './message.js';
import { createEmlOutboxTransport, DEFAULT_SENDER, type MailTransport } from './transport.js';

/** Options of {@link createMailer}. */
export interface MailerOptions {
  transport: MailTransport;
  from?: EmailSender;
  templates?: Partial<EmailTemplates>;
  /** Sends per message before giving up (default 5). */
  maxAttempts?: number;
  /** Backoff between attempts (default 2 s doubling to 5 min). */
  retry?: { baseMs: number; maxMs: number };
  /** Receives `retry`, `rejected` and `gave-up` reports. Default: a process warning. */
  onReport?: ReportHandler;
  /** Messages that exhaust their attempts (or are still queued at `close`) are written here as `.eml`. */
  failedDir?: string;
}

/** What happened to one {@link Mailer.notify}. */
export type EmailOutcome =
  | { status: 'sent'; to: string; messageId?: string; path?: string; destination: string }
  | { status: 'queued'; to: string; error: string }
  | { status: 'failed'; to: string; error: string }
  | { status: 'rejected'; error: string };

/** Sends recommendation e-mails without ever failing or blocking the caller. */
export interface Mailer {
  /** Where messages go (an outbox folder or `smtp://host:port`). */
  readonly destination: string;
  /** Messages waiting for a retry. */
  readonly waiting: number;
  /**
   * Validates, renders and sends. Never rejects: an invalid customer is `rejected`
   * (reported), a failed send is `queued` for retry with backoff (reported), or
   * `failed` when `maxAttempts` is 1.
   */
  notify(customer: EmailCustomer, top3: readonly RankedLabel[]): Promise<EmailOutcome>;
  /** Retries every queued message now, once each. */
  flush(): Promise<void>;
  /** Stops retrying; still-queued messages go to `failedDir` (reported). */
  close(): Promise<void>;
}

interface Queued {
  message: Nodemailer.SendMailOptions;
  to: string;
  attempts: number;
  dueAt: number;
}

/**
 * A never-throwing, retrying sender over any {@link MailTransport}.
 *
 * @example
 * const mailer = createMailer({ transport: await createEmlOutboxTransport('.retail-ml/mail-outbox') });
 * const outcome = await mailer.notify({ name: 'Ann', email: 'ann@example.com' }, top3);
 * if (outcome.status === 'sent') console.log(`e-mail written to ${outcome.path}`);
 */
export function createMailer(options: MailerOptions): Mailer {
  const report = options.onReport ?? warnReport;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const retry = options.retry ?? { baseMs: 2000, maxMs: 300_000 };
  const from = options.from ?? options.transport.from ?? DEFAULT_SENDER;
  const destination = options.transport.describe ?? 'mail transport';
  let queue: Queued[] = [];
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let closed = false;

  const errorText = (error: unknown) => String((error as Error)?.message ?? error).split('\n')[0];

  async function attempt(item: Queued): Promise<boolean> {
    item.attempts++;
    try {
      await options.transport.sendMail(item.message);
      return true;
    } catch (error) {
      if (item.attempts >= maxAttempts) {
        await giveUp(item, `failed ${item.attempts} times (${errorText(error)})`, error);
      } else {
        const delay = backoffDelay(item.attempts - 1, retry);
        item.dueAt = Date.now() + delay;
        queue.push(item);
        report({ kind: 'retry', message: `e-mail to ${item.to} via ${destination} failed (${errorText(error)}); retry ${item.attempts + 1}/${maxAttempts} in ${delay} ms`, error, attempt: item.attempts });
      }
      return false;
    }
  }

  async function giveUp(item: Queued, why: string, error?: unknown): Promise<void> {
    let kept = '';
    if (options.failedDir) {
      try {
        const info = await (await createEmlOutboxTransport(options.failedDir)).sendMail(item.message);
        kept = `; kept as ${info.path}`;
      } catch (saveError) {
        kept = `; could not keep it (${errorText(saveError)})`;
      }
    }
    report({ kind: 'gave-up', message: `e-mail to ${item.to} ${why}${kept}`, error, attempt: item.attempts });
  }

  function schedule(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (closed || queue.length === 0) return;
    const next = Math.min(...queue.map((q) => q.dueAt));
    timer = setTimeout(() => void run(false), Math.max(0, next - Date.now()));
    timer.unref();
  }

  function run(all: boolean): Promise<void> {
    const go = async () => {
      await running;
      const now = Date.now();
      const due = queue.filter((q) => all || q.dueAt <= now);
      queue = queue.filter((q) => !due.includes(q));
      for (const item of due) await attempt(item);
      schedule();
    };
    const current = go();
    running = current.catch(() => undefined);
    return current;
  }

  return {
    destination,
    get waiting() {
      return queue.length;
    },
    async notify(customer, top3) {
      let message: Nodemailer.SendMailOptions;
      try {
        if (closed) throw new Error('mailer is closed');
        message = buildRecommendationMessage(customer, top3, { from, templates: options.templates });
      } catch (error) {
        report({ kind: 'rejected', message: `e-mail not sent: ${errorText(error)}`, error });
        return { status: 'rejected', error: errorText(error) };
      }
      const to = customer.email;
      try {
        const info = await options.transport.sendMail(message);
        return { status: 'sent', to, messageId: info.messageId, path: info.path, destination };
      } catch (error) {
        const item: Queued = { message, to, attempts: 1, dueAt: 0 };
        if (maxAttempts <= 1) {
          await giveUp(item, `failed (${errorText(error)})`, error);
          return { status: 'failed', to, error: errorText(error) };
        } else {
          const delay = backoffDelay(0, retry);
          item.dueAt = Date.now() + delay;
          queue.push(item);
          report({ kind: 'retry', message: `e-mail to ${to} via ${destination} failed (${errorText(error)}); queued, retry in ${delay} ms`, error, attempt: 1 });
          schedule();
        }
        return { status: 'queued', to, error: errorText(error) };
      }
    },
    flush: () => run(true),
    async close() {
      if (closed) return;
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
      const left = queue;
      queue = [];
      for (const item of left) await giveUp(item, `still unsent at close after ${item.attempts} attempts`);
      options.transport.close?.();
    },
  };
}
