import type { Writable } from 'node:stream';

/**
 * Writes to a Node stream and, when it is full, waits for 'drain' (or rejects on 'error'):
 * the backpressure that keeps a slow output from filling memory. Both listeners are removed
 * either way, so they do not pile up over a long run.
 *
 * @example
 * await writeWithBackpressure(createWriteStream('out.csv'), 'a,b\n');
 */
export async function writeWithBackpressure(stream: Writable, chunk: string | Uint8Array): Promise<void> {
  if (chunk.length === 0) return;
  if (stream.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const onDrain = () => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (error: unknown) => {
      stream.off('drain', onDrain);
      reject(error);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}
