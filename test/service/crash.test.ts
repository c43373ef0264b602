/**
 * Durability: SIGKILL the service during a burst of writes, restart it on the same data,
 * and check that every write it acknowledged (201) is there and the store opens cleanly.
 * Runs without ../shared (the light start), so it is quick. With the MongoDB store the
 * database outlives the service (here the wire-protocol test server in this process): what
 * is checked is that the service answers 201 only once MongoDB has acknowledged the write.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStore, startMongoWireServer } from '../adapters/support/mongo-wire-server.js';
import { startService } from './service-process.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('crash safety', () => {
  it('loses nothing acknowledged when killed mid-burst, twice over, across checkpoints', { timeout: 180_000 }, async () => {
    const { acknowledged, attempted } = await burstAndKill({ SHARED_DATA: '/nonexistent' }, 3);
    // Enough writes to cross the 500-entry checkpoint at least once.
    expect(acknowledged).toBeGreaterThan(500);
    expect(attempted).toBeGreaterThan(acknowledged);
  });

  it('with the MongoDB store: nothing acknowledged is lost when the service is killed mid-burst', { timeout: 180_000 }, async () => {
    const data = new MemoryStore();
    const server = await startMongoWireServer({ store: data });
    try {
      const { acknowledged, attempted } = await burstAndKill({ SHARED_DATA: '/nonexistent', MONGODB_URI: server.uri, MONGODB_DB: 'shop' }, 2);
      expect(acknowledged).toBeGreaterThan(50);
      expect(attempted).toBeGreaterThan(acknowledged);
      // Ids never reused: every stored profile is one the clients sent, none twice.
      const ids = data.docs('shop.customer_profiles').map((d) => d.customer_id as string);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await server.stop();
    }
  });
});

/** Rounds of: start, check every earlier acknowledged write, 30 writers, SIGKILL; then a final start and check. */
async function burstAndKill(env: Record<string, string>, rounds: number): Promise<{ acknowledged: number; attempted: number }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'retail-ml-crash-'));
  dirs.push(dataDir);
  const acknowledged = new Set<string>();
  let attempted = 0;
  for (let round = 0; round < rounds; round++) {
    const service = await startService(dataDir, env);
    // Everything acknowledged before this start must be there.
    for (const id of acknowledged) {
      const r = await fetch(`${service.url}/customer/get-profile/${id}`);
      expect(r.status, `customer ${id}`).toBe(200);
    }
    // 30 concurrent writers; the kill lands while requests are in flight.
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const id = `r${round}-w${w}-${i}`;
        attempted++;
        try {
          const r = await fetch(`${service.url}/customer/create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customer_id: id, name: 'N', email: `${id}@example.com` }) });
          if (r.status === 201) acknowledged.add(id);
        } catch {
          return; // the connection died with the process: not acknowledged
        }
      }
    };
    const writers = Array.from({ length: 30 }, (_, w) => writer(w));
    await new Promise((resolve) => setTimeout(resolve, 1500 + round * 700));
    await service.stop('SIGKILL');
    stop = true;
    await Promise.all(writers);
  }
  const service = await startService(dataDir, env);
  const missing: string[] = [];
  for (const id of acknowledged) if ((await fetch(`${service.url}/customer/get-profile/${id}`)).status !== 200) missing.push(id);
  // The store is usable after the crashes: a new write and a read.
  expect((await fetch(`${service.url}/customer/create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ customer_id: 'after', name: 'A', email: 'a@example.com' }) })).status).toBe(201);
  await service.stop();
  expect(missing).toEqual([]);
  return { acknowledged: acknowledged.size, attempted };
}
