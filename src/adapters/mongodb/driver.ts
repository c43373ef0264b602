import type * as MongoDriver from 'mongodb';
import { InputError, RetailMlError } from '../../errors.js';
import { redactUrl } from '../log/record.js';

/**
 * Where predictions go by default, as in the original system.
 *
 * @example
 * `${DEFAULT_DATABASE}.${DEFAULT_COLLECTION}` // => 'ecommerce_db.category_predictions'
 */
export const DEFAULT_DATABASE = 'ecommerce_db';
/** @see DEFAULT_DATABASE @example DEFAULT_COLLECTION // => 'category_predictions' */
export const DEFAULT_COLLECTION = 'category_predictions';

/**
 * Loads the optional `mongodb` peer on first use, so importing this subpath never
 * fails; a missing driver is a clear error naming the package to install.
 *
 * @example
 * const { MongoClient } = await loadMongoDriver();
 */
export async function loadMongoDriver(): Promise<typeof MongoDriver> {
  try {
    return await import('mongodb');
  } catch (error) {
    throw new RetailMlError(
      'MISSING_PEER',
      "the MongoDB adapter needs the optional peer dependency 'mongodb' (npm install mongodb)",
      { cause: error },
    );
  }
}

/**
 * How long an operation waits for a usable server when neither the options nor the URI
 * say (the driver's own default is 30 s): long enough for a replica-set election, short
 * enough that a wrong address is reported while someone is still looking.
 *
 * @example
 * DEFAULT_SERVER_SELECTION_TIMEOUT_MS // => 5000
 */
export const DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 5000;

/**
 * A connected-on-demand client for `uri`; a malformed URI is an `InputError` whose
 * message never shows the password. `serverSelectionTimeoutMS` defaults to
 * {@link DEFAULT_SERVER_SELECTION_TIMEOUT_MS} unless given here or in the URI.
 *
 * @example
 * const client = await createMongoClient('mongodb://127.0.0.1:27017', { serverSelectionTimeoutMS: 2000 });
 */
export async function createMongoClient(
  uri: string,
  clientOptions: MongoDriver.MongoClientOptions = {},
): Promise<MongoDriver.MongoClient> {
  const { MongoClient } = await loadMongoDriver();
  const inUri = /[?&]serverSelectionTimeoutMS=/i.test(uri);
  const defaults = inUri ? {} : { serverSelectionTimeoutMS: DEFAULT_SERVER_SELECTION_TIMEOUT_MS };
  try {
    return new MongoClient(uri, { appName: 'retail-ml', ...defaults, ...clientOptions });
  } catch (error) {
    throw new InputError(`invalid MongoDB URI ${redactUrl(uri)}: ${redactUrl((error as Error).message)}`, { cause: error });
  }
}

/**
 * `mongodb://host:port/db.collection` for printing: no user, no password, no options.
 *
 * @example
 * describeMongoTarget('mongodb+srv://u:p@cluster0.x.net/?retryWrites=true', 'ecommerce_db', 'category_predictions')
 * // => 'mongodb+srv://cluster0.x.net/ecommerce_db.category_predictions'
 */
export function describeMongoTarget(uri: string, database: string, collection: string): string {
  const match = /^([a-z+]+:\/\/)(?:[^@/]*@)?([^/?]*)/i.exec(uri);
  return match ? `${match[1]}${match[2]}/${database}.${collection}` : `${database}.${collection}`;
}
