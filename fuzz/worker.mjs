// One fuzz worker: loads a single target and classifies each input it is sent. Plain
// JavaScript so it starts the same under tsx and under vitest; it registers tsx itself to
// import the TypeScript target and the library's error class (the same module instance
// the target throws from).
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { targetFile } = workerData;
const { target } = await import(pathToFileURL(targetFile).href);
const { RetailMlError } = await import(new URL('../src/errors.ts', import.meta.url).href);

function describe(error) {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 300) + (error.stack ? ` @ ${error.stack.split('\n').slice(1, 3).join(' ').trim().slice(0, 200)}` : '');
  try {
    return `non-Error thrown: ${String(error)}`.slice(0, 300);
  } catch {
    return 'non-Error thrown';
  }
}

parentPort.on('message', async ({ id, bytes }) => {
  // Heartbeats tell a pending promise (event loop idle, beats keep coming) from a blocked
  // event loop (no beats) when the case runs out of time.
  const beat = setInterval(() => parentPort.postMessage({ id, beat: true }), 100);
  let reply;
  try {
    let value;
    try {
      value = await target.parse(bytes);
    } catch (error) {
      if (error instanceof RetailMlError && typeof error.code === 'string' && error.code !== '') {
        reply = /[\r\n\u2028\u2029]/.test(error.message)
          ? { outcome: 'failure', kind: 'multi-line error message', detail: describe(error) }
          : { outcome: 'typed', code: error.code };
      } else {
        reply = { outcome: 'failure', kind: 'untyped throw', detail: describe(error) };
      }
    }
    if (!reply) {
      try {
        if (target.check) await target.check(value);
        reply = { outcome: 'accepted' };
      } catch (error) {
        reply = { outcome: 'failure', kind: 'failed check', detail: describe(error) };
      }
    }
  } finally {
    clearInterval(beat);
  }
  parentPort.postMessage({ id, ...reply });
});
parentPort.postMessage({ ready: true });
