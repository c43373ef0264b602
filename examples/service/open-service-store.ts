import { join } from 'node:path';
import type { ServiceStore } from './service-store.js';

/**
 * The store the environment asks for: MongoDB when `MONGODB_URI` is set (database
 * `MONGODB_DB`, default `ecommerce_db`), otherwise the embedded SQLite store in
 * `dataDir/store`, which needs no server. Each is imported only when chosen, so the
 * embedded default never loads the MongoDB driver.
 *
 * @example
 * const store = await openServiceStore(process.env, '.retail-ml/service');
 * console.log(store.description);
 */
export async function openServiceStore(
  env: Readonly<Record<string, string | undefined>>,
  dataDir: string,
): Promise<ServiceStore> {
  const uri = env.MONGODB_URI?.trim();
  if (uri) {
    const { openMongoServiceStore } = await import('./mongo-service-store.js');
    return openMongoServiceStore({ uri, database: env.MONGODB_DB?.trim() || undefined });
  }
  const { openSqliteServiceStore } = await import('./sqlite-service-store.js');
  return openSqliteServiceStore(join(dataDir, 'store'));
}
