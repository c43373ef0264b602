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
  createMailer,
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

/** Bytes that are a line end but not CRLF: a bare LF, or a CR not followed by LF. */
function bareLineEnds(bytes: Buffer): number {
  let bare = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a && bytes[i - 1] !== 0x0d) bare++;
    if (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a) bare++;
  }
  return bare;
}

/** The header lines a mail client would show, as mailparser decodes them. */
function displayed(mail: ParsedMail): { subject: string; from: string; to: string; headerNames: string[] } {
  const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
  return {
    subject: mail.subject ?? '',
    from: mail.from?.value.map((a) => `${a.name} <${a.address}>`).join(', ') ?? '',
    to: to?.value.map((a) => `${a.name} <${a.address}>`).join(', ') ?? '',
    headerNames: [...mail.headers.keys()].sort(),
  };
}

const HONEST_HEADERS = ['content-type', 'date', 'from', 'message-id', 'mime-version', 'subject', 'to'];

function forged(view: ReturnType<typeof displayed>): boolean {
  return /[\r\n\u0085\u2028\u2029]/.test(view.subject + view.from + view.to) || view.headerNames.join() !== HONEST_HEADERS.join();
}

describe('RFC 5322 and display forgery (issues #15, #21)', () => {
  it('the .eml file ends every line with CRLF, bodies included, for sent and for failed mail', async () => {
    const transport = await createEmlOutboxTransport(join(dir, 'out'));
    const info = await sendRecommendationEmail(CUSTOMER, TOP3, transport);
    const bytes = await readFile(info.path!);
    expect(bytes.includes('\n\n')).toBe(false);
    expect(bytes.includes('\r\n\r\nHi ')).toBe(true); // the text body's own line ends became CRLF
    expect(bareLineEnds(bytes)).toBe(0);
    const parsed = await simpleParser(bytes);
    expect(parsed.text).toContain('2. Toys (25.4%)');

    // a message that exhausts its attempts is kept in failedDir through the same writer
    const failing = { sendMail: () => Promise.reject(new Error('down')) };
    const mailer = createMailer({ transport: failing, maxAttempts: 1, failedDir: join(dir, 'failed'), onReport: () => undefined });
    expect((await mailer.notify(CUSTOMER, TOP3)).status).toBe('failed');
    await mailer.close();
    const [kept] = await readdir(join(dir, 'failed'));
    expect(bareLineEnds(await readFile(join(dir, 'failed', kept)))).toBe(0);
  });

  it('names and labels with TAB, NEL (U+0085) or any other C0/C1 control are refused', () => {
    const controls = [...Array.from({ length: 0x20 }, (_, c) => c), 0x7f, ...Array.from({ length: 0x20 }, (_, c) => 0x80 + c)].map((c) => String.fromCharCode(c));
    for (const c of controls) {
      const name = `Ann${c}Lee`;
      expect(() => buildRecommendationMessage({ name, email: 'ann@example.com' }, TOP3, { from: 'shop@example.com' }), JSON.stringify(name)).toThrow(ValidationError);
      expect(() => buildRecommendationMessage({ name: 'Ann', email: 'ann@example.com' }, [{ label: `Bo${c}oks`, probability: 0.5 }], { from: 'shop@example.com' })).toThrow(ValidationError);
      expect(() => buildRecommendationMessage({ name: 'Ann', email: 'ann@example.com' }, TOP3, { from: { name: `Shop${c}`, address: 'shop@example.com' } })).toThrow(ValidationError);
    }
    expect(() => buildRecommendationMessage({ name: 'Ann\u0085Bcc: v@example.com', email: 'ann@example.com' }, TOP3, { from: 'shop@example.com' })).toThrow(/name: must not contain line breaks or control characters/);
  });

  it('an RFC 2047 encoded word (any case, B or Q) in a name, label, sender, subject or address is refused', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const words = [
      `=?utf-8?B?${b64('Ann\r\nBcc: victim@example.com')}?=`,
      `=?UTF-8?b?${b64('Ann\r\nBcc: victim@example.com')}?=`,
      '=?utf-8?Q?Ann=0D=0ABcc:_victim@example.com?=',
      '=?iso-8859-1?q?Ann=0ABcc:_victim@example.com?=',
      '=?utf-8*en?Q?Ann=0A?=',
      'Ann =?utf-8?Q?=0D=0A?= Lee',
      '=?', // the opener alone: decoders differ in where a word ends
    ];
    const transport = await createEmlOutboxTransport(join(dir, 'out'));
    for (const word of words) {
      const attempts: [Parameters<typeof sendRecommendationEmail>[0], readonly { label: string; probability: number }[], Parameters<typeof sendRecommendationEmail>[3]?][] = [
        [{ name: word, email: 'ann@example.com' }, TOP3],
        [{ name: 'Ann', email: 'ann@example.com' }, [{ label: word, probability: 0.9 }]],
        [{ name: 'Ann', email: 'ann@example.com' }, TOP3, { from: { name: word, address: 'shop@example.com' } }],
        [{ name: 'Ann', email: 'ann@example.com' }, TOP3, { templates: { subject: `Hi ${word}` } }],
      ];
      for (const [customer, top, options] of attempts) {
        await expect(sendRecommendationEmail(customer, top, transport, options), word).rejects.toThrow(/must not contain '=\?' \(an RFC 2047 encoded word\)/);
      }
    }
    // split across two values, the rendered subject still carries the word
    const split = { name: '=?utf-8', email: 'ann@example.com' };
    await expect(sendRecommendationEmail({ ...split, name: 'Ann' }, TOP3, transport, { templates: { subject: '{{name}} =?utf-8?B?{{#categories}}{{category}}{{/categories}}?=' } })).rejects.toThrow(/subject: must not contain '=\?'/);
    expect(isValidEmailAddress('=?utf-8?Q?a=0A?=@example.com')).toBe(false);
    expect(isValidEmailAddress('a=b?c@example.com')).toBe(true);
    await expect(readdir(join(dir, 'out'))).rejects.toThrow(/ENOENT/);
  });

  it('the oracle sees a forged display when validation is bypassed (so the checks below can fail)', async () => {
    const { loadNodemailer } = await import('../../src/adapters/email/index.js');
    const renderer = (await loadNodemailer()).createTransport({ streamTransport: true, buffer: true });
    const word = `=?utf-8?B?${Buffer.from('Hi\r\nBcc: victim@example.com').toString('base64')}?=`;
    const raw = await renderer.sendMail({ from: 'shop@example.com', to: { name: 'Ann', address: 'ann@example.com' }, subject: word, text: 'x' });
    const view = displayed(await simpleParser(raw.message as Buffer));
    expect(view.subject).toBe('Hi\r\nBcc: victim@example.com');
    expect(forged(view)).toBe(true);
  });

  it('any accepted name and label is displayed exactly as given: one line, no extra header (property, parsed by mailparser)', async () => {
    const transport = await createEmlOutboxTransport(join(dir, 'prop'), { name: 'Shop', address: 'shop@example.com' });
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map((s) => s.trim()).filter((s) => s.length > 0);
    const pieces = fc.constantFrom('=?', '?=', '?B?', '?q?', 'utf-8', '\r\n', '\u0085', '\t', ' Bcc: v@example.com', '"', '<', '>', ',', ';', ':', '\\', 'é', '日本');
    const hostile = fc.array(fc.oneof(text, pieces), { minLength: 1, maxLength: 6 }).map((parts) => parts.join('').trim()).filter((s) => s.length > 0);
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(text, hostile), fc.oneof(text, hostile), async (name, label) => {
        let info;
        try {
          info = await sendRecommendationEmail({ name, email: 'ann@example.com' }, [{ label, probability: 0.5 }], transport);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          refused++;
          return;
        }
        accepted++;
        const bytes = await readFile(info.path!);
        expect(bareLineEnds(bytes)).toBe(0);
        const view = displayed(await simpleParser(bytes));
        expect(forged(view)).toBe(false);
        expect(view.from).toBe('Shop <shop@example.com>');
        // nodemailer (7.0) may split a surrogate pair between two encoded words, which
        // then display as U+FFFD: garbled, never forged. Exact text is checked without them.
        if (/[\ud800-\udfff]/.test(name)) return;
        expect(view.subject).toBe(`Your top picks, ${name}`);
        expect(view.to).toBe(`${name} <ann@example.com>`);
        await rm(info.path!);
      }),
      { numRuns: 200 },
    );
    expect(accepted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });
});
