import type { IncomingMessage, ServerResponse } from 'node:http';
import { RetailMlError, UnavailableError, ValidationError, type FieldIssue } from 'retail-ml';

/** A request as the routes see it: the parsed URL, path parameters and a body reader. */
export interface Request {
  readonly method: string;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly raw: IncomingMessage;
  /** The body as JSON or as a URL-encoded form (by Content-Type), at most `maxBodyBytes`. */
  body(): Promise<unknown>;
  /** True when the client prefers HTML (a browser's form post) over JSON. */
  wantsHtml(): boolean;
}

/** What a route returns: JSON, an HTML page, or a redirect. */
export type Reply =
  | { status?: number; json: unknown }
  | { status?: number; html: string }
  | { status: 303; location: string };

export type Handler = (req: Request) => Promise<Reply> | Reply;

/** A failure the client caused, with the HTTP status to answer (never a stack trace). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues?: readonly FieldIssue[],
  ) {
    super(message);
  }
}

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

/**
 * A small router over `node:http`: `{name}` path parameters, a body size limit, JSON or form
 * bodies, and one error policy — library `ValidationError`s become 422 with their per-field
 * issues, `UnavailableError`s (the store is down) 503, other library errors 400, `HttpError`s their own status, anything else 500 with no
 * detail (logged on the server).
 */
export class Router {
  private readonly routes: Route[] = [];
  constructor(private readonly options: { maxBodyBytes: number; log: (line: string) => void; sameOrigin: (req: IncomingMessage) => boolean }) {}

  on(method: string, path: string, handler: Handler): this {
    const names: string[] = [];
    const pattern = new RegExp(`^${path.replace(/\{(\w+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`);
    this.routes.push({ method, pattern, names, handler });
    return this;
  }

  async handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(raw.url ?? '/', 'http://localhost');
    let reply: Reply;
    const method = raw.method ?? 'GET';
    try {
      const match = this.match(method, url.pathname);
      if (!match) throw new HttpError(this.routes.some((r) => r.pattern.test(url.pathname)) ? 405 : 404, 'not found');
      // Form posts and JSON writes must come from this origin (CSRF): browsers send Origin on POST.
      if (method !== 'GET' && !this.options.sameOrigin(raw)) throw new HttpError(403, 'cross-origin request refused');
      const request = this.request(raw, url, match.params, method);
      reply = await match.route.handler(request);
    } catch (error) {
      reply = this.errorReply(error, raw);
    }
    send(res, reply);
    this.options.log(`${method} ${url.pathname} ${'status' in reply && reply.status ? reply.status : 200} ${(performance.now() - started).toFixed(1)}ms`);
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = Object.create(null);
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
      return { route, params };
    }
    return undefined;
  }

  private request(raw: IncomingMessage, url: URL, params: Record<string, string>, method: string): Request {
    const { maxBodyBytes } = this.options;
    return {
      method,
      url,
      params,
      raw,
      wantsHtml: () => /text\/html/.test(raw.headers.accept ?? '') && !/application\/json/.test(raw.headers.accept ?? ''),
      async body() {
        const declared = Number(raw.headers['content-length'] ?? 0);
        if (declared > maxBodyBytes) throw new HttpError(413, `body larger than ${maxBodyBytes} bytes`);
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of raw) {
          size += (chunk as Buffer).length;
          if (size > maxBodyBytes) throw new HttpError(413, `body larger than ${maxBodyBytes} bytes`);
          chunks.push(chunk as Buffer);
        }
        const text = Buffer.concat(chunks).toString('utf8');
        const type = raw.headers['content-type'] ?? '';
        if (type.startsWith('application/x-www-form-urlencoded')) {
          const out: Record<string, string> = Object.create(null);
          for (const [k, v] of new URLSearchParams(text)) out[k] = v;
          return out;
        }
        if (!type.startsWith('application/json')) throw new HttpError(415, 'send application/json or a form');
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw new HttpError(400, 'body is not valid JSON');
        }
      },
    };
  }

  private errorReply(error: unknown, raw: IncomingMessage): Reply {
    if (error instanceof ValidationError) return { status: 422, json: { error: 'validation failed', issues: error.issues } };
    if (error instanceof HttpError) return { status: error.status, json: { error: error.message, ...(error.issues ? { issues: error.issues } : {}) } };
    if (error instanceof UnavailableError) {
      // The store's server is down or unreachable: say so (503), the details go to the log only.
      this.options.log(`unavailable ${raw.method} ${raw.url}: ${error.message}`);
      return { status: 503, json: { error: `${error.service} is unavailable` } };
    }
    if (error instanceof RetailMlError) return { status: 400, json: { error: error.message, code: error.code } };
    this.options.log(`error ${raw.method} ${raw.url}: ${(error as Error)?.stack ?? String(error)}`);
    return { status: 500, json: { error: 'internal error' } };
  }
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
  };
  if ('location' in reply) {
    res.writeHead(303, { ...headers, location: reply.location });
    res.end();
    return;
  }
  if ('html' in reply) {
    // No scripts on these pages: a strict CSP costs nothing and stops injected markup from running.
    res.writeHead(reply.status ?? 200, { ...headers, 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; img-src data:" });
    res.end(reply.html);
    return;
  }
  res.writeHead(reply.status ?? 200, { ...headers, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(reply.json));
}
