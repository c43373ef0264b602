import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/command.js';
import { startMongoWireServer } from './support/mongo-wire-server.js';

const BUNDLE = resolve(import.meta.dirname, '../../models/category-recommender');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retail-ml-start-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: dir, env };
  const code = await runCli(['start', '--bundle', BUNDLE, '--data', join(dir, 'no-data')], io);
  return { code, stdout, stderr };
}

describe('npm start logs the prediction and e-mails the customer', () => {
  it('with no configuration: a JSON Lines record and an .eml file, and says where', async () => {
    const { code, stdout, stderr } = await start({});
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const logPath = join(dir, '.retail-ml', 'predictions.jsonl');
    expect(stdout).toMatch(new RegExp(`Prediction [0-9a-f-]{36} logged to ${logPath.replace(/[.]/g, '\\.')}\\n`));
    const emlPath = /E-mail to asha@example\.com written to (\S+\.eml)\n/.exec(stdout)?.[1];
    expect(emlPath?.startsWith(join(dir, '.retail-ml', 'mail-outbox'))).toBe(true);

    const [record, ...more] = (await readFile(logPath, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(more).toEqual([]);
    expect(stdout).toContain(`Prediction ${record.id} logged`);
    const modelBytes = await readFile(join(BUNDLE, 'xgb_model_category.json'));
    expect(record.model).toEqual({ name: 'xgb_model_category', sha256: createHash('sha256').update(modelBytes).digest('hex') });
    expect(record.customerId).toBe('sample-0001');
    expect(record.input).toMatchObject({ customer_id: 'sample-0001', email: 'asha@example.com', location: 'Delhi', age: 35 });
    expect(record.features.names).toHaveLength(7);
    expect(record.features.values).toHaveLength(7);
    expect(record.top.map((t: { label: string }) => t.label)).toEqual(['Home', 'Clothing', 'Electronics']);
    // the probabilities printed above are the ones logged
    expect(stdout).toContain(`Home          ${(record.top[0].probability * 100).toFixed(2)}%`);

    const mail = await simpleParser(await readFile(emlPath!));
    expect(mail.subject).toBe('Your top picks, Asha');
    expect(mail.text).toContain(`1. Home (${(record.top[0].probability * 100).toFixed(1)}%)`);
    expect(String(mail.html)).toContain('<li><strong>Clothing</strong>');
  });

  it('MONGODB_URI and SMTP_URL switch to the real services', async () => {
    const mongo = await startMongoWireServer();
    const received: Awaited<ReturnType<typeof simpleParser>>[] = [];
    const smtp = new SMTPServer({
      authMethods: ['PLAIN'],
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (auth, _s, cb) => (auth.username === 'shop' && auth.password === 'pw' ? cb(null, { user: 'shop' }) : cb(new Error('bad'))),
      onData: (stream, _s, cb) => void simpleParser(stream).then((m) => (received.push(m), cb()), cb),
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    const port = (smtp.server.address() as { port: number }).port;
    try {
      const { code, stdout, stderr } = await start({
        MONGODB_URI: `${mongo.uri}&serverSelectionTimeoutMS=2000`,
        SMTP_URL: `smtp://shop:pw@127.0.0.1:${port}`,
        SMTP_FROM: 'shop@example.com',
      });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain(`logged to mongodb://127.0.0.1:${mongo.port}/ecommerce_db.category_predictions`);
      expect(stdout).toContain(`E-mail sent to asha@example.com via smtp://127.0.0.1:${port}`);
      const docs = mongo.store.docs('ecommerce_db.category_predictions');
      expect(docs).toHaveLength(1);
      expect(docs[0].topCategory).toBe('Home');
      expect(received).toHaveLength(1);
      expect(received[0].subject).toBe('Your top picks, Asha');
    } finally {
      await mongo.stop();
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });
});
