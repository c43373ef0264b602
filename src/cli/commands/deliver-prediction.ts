import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createPredictionRecord, openPredictionLogFromEnv, type AdapterReport } from '../../adapters/log/index.js';
import type { CliIO } from '../command.js';

/** What {@link deliverPrediction} logs and mails: one scored customer form. */
export interface DeliveredPrediction {
  /** The customer's form as submitted (credential-like fields are dropped from the log). */
  form: Readonly<Record<string, unknown>>;
  customer: { name: string; email: string; customerId?: string };
  /** The model's input row, in model order. */
  features: readonly { name: string; value: number }[];
  top: readonly { label: string | number; probability: number }[];
  /** The model's name and file (hashed with sha256 for the log). */
  model: { name: string; path: string };
}

/**
 * Logs a prediction and e-mails the customer, then prints where both went. With no
 * configuration it uses the embedded defaults (`.retail-ml/predictions.jsonl` and an
 * `.eml` file in `.retail-ml/mail-outbox/`); `MONGODB_URI` and `SMTP_URL` (or
 * `SMTP_HOST`…) switch to the real services. Never throws: a problem is printed as a
 * warning, because the prediction has already been made and shown.
 *
 * @example
 * await deliverPrediction({ form, customer, features: r.features, top: r.top, model: { name: 'xgb_model_category', path } }, io);
 */
export async function deliverPrediction(p: DeliveredPrediction, io: CliIO): Promise<void> {
  const warn = (r: AdapterReport) => io.stderr(`warning: ${r.message}\n`);
  const top = p.top.map((t) => ({ label: String(t.label), probability: t.probability }));
  try {
    const sha256 = createHash('sha256').update(await readFile(p.model.path)).digest('hex');
    const record = createPredictionRecord({
      input: p.form,
      customerId: p.customer.customerId,
      features: p.features.map((f) => f.value),
      featureNames: p.features.map((f) => f.name),
      top,
      model: { name: p.model.name, sha256 },
    });
    const { log, kind } = await openPredictionLogFromEnv(io.env, { cwd: io.cwd, onReport: warn });
    log.append(record);
    await log.close();
    const waiting = kind === 'mongodb' ? ((log as { stats?: () => { waiting: number } }).stats?.().waiting ?? 0) : 0;
    io.stdout(
      waiting > 0
        ? `Prediction ${record.id} kept in the MongoDB outbox (${log.location} unreachable); it is delivered on the next run\n`
        : `Prediction ${record.id} logged to ${log.location}\n`,
    );
  } catch (error) {
    io.stderr(`warning: prediction not logged: ${(error as Error).message}\n`);
  }
  try {
    const { createMailerFromEnv } = await import('../../adapters/email/index.js');
    const { mailer } = await createMailerFromEnv(io.env, { cwd: io.cwd, onReport: warn });
    const outcome = await mailer.notify(p.customer, top);
    await mailer.close();
    if (outcome.status === 'sent') {
      io.stdout(outcome.path ? `E-mail to ${outcome.to} written to ${outcome.path}\n` : `E-mail sent to ${outcome.to} via ${outcome.destination}\n`);
    } else {
      io.stdout(`E-mail not sent (${outcome.status}): ${outcome.error}\n`);
    }
  } catch (error) {
    io.stderr(`warning: e-mail skipped: ${(error as Error).message}\n`);
  }
}
