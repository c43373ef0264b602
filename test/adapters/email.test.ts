import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerEnvelope } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdapterReport } from '../../src/adapters/log/index.js';
import {
  buildRecommendationMessage,
  createEmlOutboxTransport,
  createMailerFromEnv,
  createSmtpTransport,
  escapeHtml,
  isValidEmailAddress,
  renderTemplate,
  sendRecommendationEmail,
  smtpSettingsFromEnv,
} from '../../src/adapters/email/index.js';
import { InputError, ValidationError } from '../../src/errors.js';

interface Received {
  parsed: ParsedMail;
  envelope: SMTPServerEnvelope;
  user: unknown;
}

interface TestSmtp {
  port: number;
  received: Received[];
  password: { value: string };
  close(): Promise<void>;
}

async function startSmtp(user = 'mailer', pass = 'app password 123'): Promise<TestSmtp> {
  const received: Received[] = [];
  const password = { value: pass };
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password.value) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          received.push({ parsed, envelope: structuredClone(session.envelope), user: session.user });
          callback();
        },
        (error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return { port, received, password, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const CUSTOMER = { name: `Zoë "Z" <script>alert(1)</script> & Co`, email: 'zoe.lee+shop@example.com', customerId: 'C42' };
const TOP3 = [
  { label: 'Books & <Media>', probability: 0.61 },
  { label: 'Toys', probability: 0.254 },
  { label: `Garden "Outdoor"`, probability: 0.1 },
];

let dir: string;
let smtp: TestSmtp | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retail-ml-mail-'));
});
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('sendRecommendationEmail over real SMTP (smtp-server with AUTH, parsed by mailparser)', () => {
  it('delivers envelope, subject, plain-text and escaped HTML parts, authenticated from SMTP_URL', async () => {
    smtp = await startSmtp();
    const settings = smtpSettingsFromEnv({ SMTP_URL: `smtp://mailer:${encodeURIComponent('app password 123')}@127.0.0.1:${smtp.port}` })!;
    expect(settings.describe).toBe(`smtp://127.0.0.1:${smtp.port}`);
    const transport = await createSmtpTransport(settings, { name: 'Shop', address: 'shop@example.com' });
    const info = await sendRecommendationEmail(CUSTOMER, TOP3, transport);
    transport.close?.();
    expect(info.accepted).toEqual([CUSTOMER.email]);
    expect(smtp.received).toHaveLength(1);
    const [{ parsed, envelope, user }] = smtp.received;
    expect(user).toBe('mailer');
    expect(envelope.mailFrom && envelope.mailFrom.address).toBe('shop@example.com');
    expect(envelope.rcptTo.map((r) => r.address)).toEqual([CUSTOMER.email]);
    expect(parsed.subject).toBe(`Your top picks, ${CUSTOMER.name}`);
    expect(parsed.from?.value).toEqual([{ name: 'Shop', address: 'shop@example.com' }]);
    const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
    expect(to?.value).toEqual([{ name: CUSTOMER.name, address: CUSTOMER.email }]);
    expect(parsed.text).toBe(
      [
        `Hi ${CUSTOMER.name},`,
        '',
        "Based on your profile, here are the categories we think you'll love:",
        '',
        '1. Books & <Media> (61.0%)',
        '2. Toys (25.4%)',
        '3. Garden "Outdoor" (10.0%)',
        '',
        'Happy shopping!',
        '',
      ].join('\n'),
    );
    const html = String(parsed.html);
    expect(html).toContain('<p>Hi Zoë &quot;Z&quot; &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co,</p>');
    expect(html).toContain('<li><strong>Books &amp; &lt;Media&gt;</strong> (61.0%)</li>');
    expect(html).toContain('<li><strong>Toys</strong> (25.4%)</li>');
    expect(html).toContain('<li><strong>Garden &quot;Outdoor&quot;</strong> (10.0%)</li>');
    expect(html).not.toContain('<script>');
    expect(html.match(/<li>/g)).toHaveLength(3);
  });

  it('reads SMTP_HOST / SMTP_PORT / SMTP_USER / SMTP_PASSWORD and sends from the user by default', async () => {
    smtp = await startSmtp('shop@example.com', 'abcd efgh ijkl mnop');
    const reports: AdapterReport[] = [];
    const { mailer, kind } = await createMailerFromEnv(
      { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), SMTP_USER: 'shop@example.com', SMTP_PASSWORD: 'abcd efgh ijkl mnop' },
      { dir, onReport: (r) => reports.push(r) },
    );
    expect(kind).toBe('smtp');
    const outcome = await mailer.notify(CUSTOMER, TOP3);
    await mailer.close();
    expect(outcome).toMatchObject({ status: 'sent', to: CUSTOMER.email, destination: `smtp://127.0.0.1:${smtp.port}` });
    expect(reports).toEqual([]);
    expect(smtp.received[0].envelope.mailFrom && smtp.received[0].envelope.mailFrom.address).toBe('shop@example.com');
  });

  it('a failed send is queued, reported, retried, and never thrown', async () => {
    smtp = await startSmtp('mailer', 'right');
    smtp.password.value = 'something-else';
    const reports: AdapterReport[] = [];
    const { mailer } = await createMailerFromEnv(
      { SMTP_URL: `smtp://mailer:right@127.0.0.1:${smtp.port}`, SMTP_FROM: 'shop@example.com' },
      { dir, onReport: (r) => reports.push(r), retry: { baseMs: 60_000, maxMs: 60_000 } },
    );
    const outcome = await mailer.notify(CUSTOMER, TOP3);
    expect(outcome).toMatchObject({ status: 'queued', to: CUSTOMER.email });
    expect(mailer.waiting).toBe(1);
    expect(reports).toEqual([expect.objectContaining({ kind: 'retry', message: expect.stringMatching(/Invalid username or password/) })]);
    expect(smtp.received).toHaveLength(0);
    smtp.password.value = 'right';
    await mailer.flush();
    expect(mailer.waiting).toBe(0);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0].parsed.subject).toBe(`Your top picks, ${CUSTOMER.name}`);
    await mailer.close();
  });

  it('with the server gone, notify still resolves; at close the message is kept as .eml and reported', async () => {
    smtp = await startSmtp();
    const port = smtp.port;
    await smtp.close();
    smtp = undefined;
    const reports: AdapterReport[] = [];
    const { mailer } = await createMailerFromEnv(
      { SMTP_URL: `smtp://mailer:x@127.0.0.1:${port}` },
      { dir, onReport: (r) => reports.push(r), retry: { baseMs: 60_000, maxMs: 60_000 } },
    );
    await expect(mailer.notify(CUSTOMER, TOP3)).resolves.toMatchObject({ status: 'queued' });
    await mailer.close();
    expect(reports.map((r) => r.kind)).toEqual(['retry', 'gave-up']);
    const files = await readdir(join(dir, 'mail-failed'));
    expect(files).toHaveLength(1);
    const kept = await simpleParser(await readFile(join(dir, 'mail-failed', files[0])));
    expect(kept.subject).toBe(`Your top picks, ${CUSTOMER.name}`);
  });

  it('refuses header injection and bad addresses before anything reaches the server', async () => {
    smtp = await startSmtp();
    const transport = await createSmtpTransport(smtpSettingsFromEnv({ SMTP_URL: `smtp://mailer:${encodeURIComponent('app password 123')}@127.0.0.1:${smtp.port}` })!);
    const attempts: [Parameters<typeof sendRecommendationEmail>[0], Parameters<typeof sendRecommendationEmail>[3]?][] = [
      [{ name: 'Ann\r\nBcc: victim@example.com', email: 'ann@example.com' }],
      [{ name: 'Ann\nX-Evil: 1', email: 'ann@example.com' }],
      [{ name: 'Ann', email: 'ann@example.com\r\nBcc: victim@example.com' }],
      [{ name: 'Ann', email: 'ann@example.com>, <victim@example.com' }],
      [{ name: 'Ann', email: 'not-an-address' }],
      [{ name: 'Ann', email: 'ann@example.com' }, { templates: { subject: 'Hello\r\nBcc: victim@example.com' } }],
      [{ name: 'Ann', email: 'ann@example.com' }, { from: { name: 'Shop\r\nBcc: v@example.com', address: 'shop@example.com' } }],
    ];
    for (const [customer, options] of attempts) {
      await expect(sendRecommendationEmail(customer, TOP3, transport, options)).rejects.toBeInstanceOf(ValidationError);
    }
    transport.close?.();
    expect(smtp.received).toHaveLength(0);
  });
});

describe('the embedded .eml outbox (nodemailer stream transport)', () => {
  it('createMailerFromEnv without SMTP settings writes a real message file', async () => {
    const { mailer, kind } = await createMailerFromEnv({}, { dir });
    expect(kind).toBe('eml-outbox');
    expect(mailer.destination).toBe(join(dir, 'mail-outbox'));
    const outcome = await mailer.notify(CUSTOMER, TOP3);
    await mailer.close();
    expect(outcome.status).toBe('sent');
    const path = (outcome as { path: string }).path;
    expect(path.startsWith(join(dir, 'mail-outbox'))).toBe(true);
    expect(await readdir(join(dir, 'mail-outbox'))).toEqual([path.slice(path.lastIndexOf('/') + 1)]);
    const parsed = await simpleParser(await readFile(path));
    expect(parsed.subject).toBe(`Your top picks, ${CUSTOMER.name}`);
    expect(parsed.from?.value).toEqual([{ name: 'Retail ML', address: 'recommendations@retail-ml.invalid' }]);
    expect(parsed.text).toContain('2. Toys (25.4%)');
    expect(String(parsed.html)).toContain('<li><strong>Books &amp; &lt;Media&gt;</strong> (61.0%)</li>');
  });

  it('uses overridden templates and rejects (reports) a template naming an unknown value', async () => {
    const transport = await createEmlOutboxTransport(join(dir, 'out'), 'shop@example.com');
    const info = await sendRecommendationEmail({ name: 'Ann', email: 'ann@example.com' }, TOP3.slice(0, 2), transport, {
      templates: {
        subject: '{{name}}, {{#categories}}{{#categories}}{{/categories}}{{/categories}}picked for you',
        text: 'Dear {{name}} ({{customerId}}): {{#categories}}[{{rank}}:{{category}}={{probability}}]{{/categories}}',
        html: '<div title="{{name}}">{{#categories}}<i>{{category}}</i>{{/categories}}</div>',
      },
    });
    const parsed = await simpleParser(await readFile(info.path!));
    expect(parsed.subject).toBe('Ann, picked for you');
    expect(parsed.text?.trim()).toBe('Dear Ann (): [1:Books & <Media>=0.6100][2:Toys=0.2540]');
    expect(String(parsed.html)).toContain('<div title="Ann"><i>Books &amp; &lt;Media&gt;</i><i>Toys</i></div>');

    const reports: AdapterReport[] = [];
    const { mailer } = await createMailerFromEnv({}, { dir, templates: { text: 'Hi {{nmae}}' }, onReport: (r) => reports.push(r) });
    await expect(mailer.notify({ name: 'Ann', email: 'ann@example.com' }, TOP3)).resolves.toMatchObject({ status: 'rejected' });
    expect(reports[0].message).toMatch(/unknown value \{\{nmae\}\}; known: name, email, customerId/);
    await mailer.close();
  });
});

describe('e-mail building blocks', () => {
  it('SMTP settings: Gmail over 465, STARTTLS required on 587 for remote hosts, clear typed errors', () => {
    const gmail = smtpSettingsFromEnv({ SMTP_HOST: 'smtp.gmail.com', SMTP_PORT: '465', SMTP_USER: 'me@gmail.com', SMTP_PASSWORD: 'abcdefghijklmnop' })!;
    expect(gmail.options).toMatchObject({ host: 'smtp.gmail.com', port: 465, secure: true, requireTLS: false, auth: { user: 'me@gmail.com', pass: 'abcdefghijklmnop' } });
    expect(gmail.describe).toBe('smtps://smtp.gmail.com:465');
    const starttls = smtpSettingsFromEnv({ SMTP_URL: 'smtp://me%40gmail.com:pw@smtp.gmail.com:587' })!;
    expect(starttls.options).toMatchObject({ secure: false, requireTLS: true, auth: { user: 'me@gmail.com', pass: 'pw' } });
    expect(smtpSettingsFromEnv({})).toBeUndefined();
    expect(() => smtpSettingsFromEnv({ SMTP_URL: 'http://u:secret@x' })).toThrow(InputError);
    expect(() => smtpSettingsFromEnv({ SMTP_HOST: 'h', SMTP_PORT: '99999' })).toThrow(InputError);
    try {
      smtpSettingsFromEnv({ SMTP_URL: 'smtp://u:secret@[bad' });
    } catch (error) {
      expect((error as Error).message).not.toContain('secret');
    }
  });

  it('smtpSettingsFromEnv returns settings or throws InputError for any input (fuzz)', () => {
    fc.assert(
      fc.property(fc.record({ SMTP_URL: fc.option(fc.string(), { nil: undefined }), SMTP_HOST: fc.option(fc.string(), { nil: undefined }), SMTP_PORT: fc.option(fc.string(), { nil: undefined }), SMTP_SECURE: fc.option(fc.string(), { nil: undefined }) }), (env) => {
        try {
          smtpSettingsFromEnv(env);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('an address or name with CR or LF anywhere is always refused (property)', () => {
    const withBreak = fc.tuple(fc.string(), fc.constantFrom('\r', '\n', '\r\n'), fc.string()).map(([a, b, c]) => a + b + c);
    fc.assert(
      fc.property(withBreak, (s) => {
        expect(isValidEmailAddress(s)).toBe(false);
        expect(isValidEmailAddress(`ann@example.com${s}`)).toBe(false);
        expect(() => buildRecommendationMessage({ name: s, email: 'ann@example.com' }, TOP3, { from: 'shop@example.com' })).toThrow(ValidationError);
      }),
      { numRuns: 300 },
    );
  });

  it('a value can never add HTML markup: escaped output decodes back to the value (property)', () => {
    const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (value) => {
        const out = renderTemplate('<b>{{v}}</b>', new Map([['v', value]]), { html: true });
        const inner = out.slice(3, -4);
        expect(inner).not.toMatch(/[<>"']/);
        expect(decode(inner)).toBe(value);
        expect(escapeHtml(value)).toBe(inner);
      }),
      { numRuns: 500 },
    );
  });

  it('malformed templates are typed errors', () => {
    const ctx = new Map<string, string | Map<string, string>[]>([['name', 'A'], ['categories', []]]);
    expect(() => renderTemplate('{{#categories}}x', ctx)).toThrow(InputError);
    expect(() => renderTemplate('x{{/categories}}', ctx)).toThrow(InputError);
    expect(() => renderTemplate('{{#name}}x{{/name}}', ctx)).toThrow(/needs a list/);
    expect(() => renderTemplate('{{categories}}', ctx)).toThrow(/unknown value/);
    expect(renderTemplate('{{ name }}{{#categories}}never{{/categories}}!', ctx)).toBe('A!');
  });
});
