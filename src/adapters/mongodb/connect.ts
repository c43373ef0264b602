import type { MongoClient } from 'mongodb';
import { RetailMlError, UnavailableError } from '../../errors.js';
import { redactUrl } from '../log/record.js';

const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ECONNRESET/;

/**
 * Connects `client`, failing fast and in one line: when the deployment is a single host
 * (not `mongodb+srv`) and its first check is refused or its name does not resolve, the
 * error comes at once instead of after the whole server-selection timeout. Any failure to
 * reach MongoDB becomes an `UnavailableError` naming `address` (no password).
 *
 * @example
 * await connectMongoClient(client, 'mongodb://127.0.0.1:27017/ecommerce_db.category_predictions');
 * // UnavailableError: MongoDB at mongodb://127.0.0.1:27017/ecommerce_db.category_predictions: connection refused (connect ECONNREFUSED 127.0.0.1:27017)
 */
export async function connectMongoClient(client: MongoClient, address: string): Promise<void> {
  const single = client.options.hosts.length === 1 && !client.options.srvHost;
  let onFailed: ((event: { failure: Error }) => void) | undefined;
  const refused = new Promise<never>((_, reject) => {
    onFailed = (event) => {
      if (single && UNREACHABLE.test(errorText(event.failure))) reject(event.failure);
    };
    client.on('serverHeartbeatFailed', onFailed);
  });
  refused.catch(() => undefined);
  const connecting = client.connect();
  connecting.catch(() => undefined);
  try {
    await Promise.race([connecting, refused]);
  } catch (error) {
    await client.close().catch(() => undefined);
    throw toUnavailableError(error, address);
  } finally {
    if (onFailed) client.off('serverHeartbeatFailed', onFailed);
  }
}

/**
 * The typed, one-line form of a driver error that means MongoDB could not be reached or
 * would not let us in (server selection timeout, network error, authentication failure);
 * any other error is returned as it is.
 *
 * @example
 * throw toUnavailableError(error, describeMongoTarget(uri, db, collection));
 */
export function toUnavailableError(error: unknown, address: string): unknown {
  if (error instanceof RetailMlError) return error;
  const e = error as { name?: string; code?: unknown };
  const name = String(e?.name ?? '');
  let detail: string | undefined;
  if (name === 'MongoServerError' && (e.code === 18 || e.code === 13)) detail = `not allowed in (${errorText(error)})`;
  else if (/^Mongo(ServerSelection|Network|NetworkTimeout|TopologyClosed)Error$/.test(name) || UNREACHABLE.test(errorText(error))) {
    const text = errorText(error);
    const why = /ECONNREFUSED/.test(text)
      ? 'connection refused'
      : /ENOTFOUND|EAI_AGAIN/.test(text)
        ? 'host name not found'
        : /timed out|Timeout/i.test(name + text)
          ? 'no answer in time'
          : 'unreachable';
    detail = `${why} (${text})`;
  }
  return detail === undefined ? error : new UnavailableError('MongoDB', address, redactUrl(detail), { cause: error });
}

// A server-selection error's own message is generic; the server's last error says why.
function errorText(error: unknown): string {
  const e = error as { message?: string; reason?: { servers?: Map<string, { error?: { message?: string } | null }> }; cause?: { message?: string } };
  for (const server of e?.reason?.servers?.values() ?? []) {
    if (server.error?.message) return firstLine(server.error.message);
  }
  return firstLine(e?.message || e?.cause?.message || String(error));
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 300);
}
