import { RetailMlError } from '../../errors.js';

/**
 * Loads an optional peer dependency that writes a file format, or fails with a
 * `MISSING_PEER` error saying what to install.
 *
 * @example
 * const arrow = await loadWriterPeer('apache-arrow', () => import('apache-arrow'));
 */
export async function loadWriterPeer<T>(name: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new RetailMlError('MISSING_PEER', `writing this file needs the optional peer dependency '${name}' (npm install ${name})`, { cause: error });
  }
}
