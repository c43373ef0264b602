import type * as BullMQ from 'bullmq';
import { InputError, RetailMlError } from '../../errors.js';

/**
 * Loads the optional `bullmq` peer on first use, so importing this subpath never fails;
 * a missing package is a clear error naming what to install.
 *
 * @example
 * const { Queue } = await loadBullMQ();
 */
export async function loadBullMQ(): Promise<typeof BullMQ> {
  try {
    return await import('bullmq');
  } catch (error) {
    throw new RetailMlError('MISSING_PEER', "the BullMQ adapter needs the optional peer dependency 'bullmq' (npm install bullmq ioredis)", { cause: error });
  }
}

/**
 * BullMQ connection options for a `redis://` or `rediss://` URL. Commands wait for Redis to
 * come back instead of failing (`maxRetriesPerRequest: null`), so a restarted Redis pauses
 * a run rather than ending it.
 *
 * @example
 * redisConnection('redis://127.0.0.1:6379') // => { url: 'redis://127.0.0.1:6379', maxRetriesPerRequest: null }
 */
export function redisConnection(url: string): BullMQ.ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`invalid Redis URL '${url.replace(/\/\/[^@/]*@/, '//')}'`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new InputError(`a Redis URL starts with redis:// or rediss://, got '${parsed.protocol}'`);
  return { url, maxRetriesPerRequest: null };
}

/** The queue the coordinator and workers share unless told otherwise. */
export const DEFAULT_SCORE_QUEUE = 'retail-ml-score';
