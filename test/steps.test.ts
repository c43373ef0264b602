import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AbortedError, fitBgNbd, fitBgNbdAsync, fitCoOccurrence, fitCoOccurrenceAsync, fitKMeans, fitKMeansAsync, InputError, RandomForestClassifier, readCsv } from '../src/index.js';
import { hasShared, sharedData } from './support/paths.js';

function rows(n: number, cols: number, seed: number): number[][] {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  return Array.from({ length: n }, (_, i) => Array.from({ length: cols }, (_, j) => next() + (i % 3) * (j + 1)));
}

describe('cancellable fits', () => {
  const x = rows(600, 6, 7);
  const y = x.map((_, i) => (i % 3 === 0 ? 'a' : 'b'));

  it('fitAsync grows the same forest as fit, reports every tree, and lets timers run between trees', async () => {
    const sync = new RandomForestClassifier({ nEstimators: 12, seed: 3 }).fit(x, y);
    const seen: number[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const forest = await new RandomForestClassifier({ nEstimators: 12, seed: 3 }).fitAsync(x, y, { onProgress: (done, total) => seen.push(done / total) });
    clearInterval(timer);
    expect(Array.from(forest.predictProba(x))).toEqual(Array.from(sync.predictProba(x)));
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => (i + 1) / 12));
    expect(ticks).toBeGreaterThan(0);
  });

  it('an abort stops the forest between trees with an AbortedError carrying the reason', async () => {
    const controller = new AbortController();
    const done: number[] = [];
    const fit = new RandomForestClassifier({ nEstimators: 50 }).fitAsync(x, y, {
      signal: controller.signal,
      onProgress: (d) => {
        done.push(d);
        if (d === 2) controller.abort('user cancelled');
      },
    });
    const error = await fit.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).code).toBe('ABORTED');
    expect((error as AbortedError).cause).toBe('user cancelled');
    expect(done).toEqual([1, 2]);
  });

  it('an already aborted signal rejects before any work', async () => {
    const progress: number[] = [];
    await expect(fitKMeansAsync(x, { k: 3, signal: AbortSignal.abort(), onProgress: (d) => progress.push(d) })).rejects.toBeInstanceOf(AbortedError);
    expect(progress).toEqual([]);
  });

  it('fitKMeansAsync equals fitKMeans and reports each of the nInit runs', async () => {
    const sync = fitKMeans(x, { k: 4, seed: 1, nInit: 5 });
    const seen: string[] = [];
    const result = await fitKMeansAsync(x, { k: 4, seed: 1, nInit: 5, onProgress: (d, t) => seen.push(`${d}/${t}`) });
    expect(Array.from(result.labels)).toEqual(Array.from(sync.labels));
    expect(Array.from(result.centroids.data)).toEqual(Array.from(sync.centroids.data));
    expect(result.inertia).toBe(sync.inertia);
    expect(seen).toEqual(['1/5', '2/5', '3/5', '4/5', '5/5']);
  });

  it('k-means aborts between runs', async () => {
    const controller = new AbortController();
    const fit = fitKMeansAsync(x, { k: 4, nInit: 10, signal: controller.signal, onProgress: (d) => d === 3 && controller.abort() });
    await expect(fit).rejects.toBeInstanceOf(AbortedError);
  });

  it.skipIf(!hasShared)('fitBgNbdAsync equals fitBgNbd on CDNOW, keeps timers running, and aborts', async () => {
    const table = readCsv(readFileSync(join(sharedData, 'cdnow/cdnow_customers_summary.csv'), 'utf8'));
    const summary = table.toObjects().map((r) => ({ frequency: r.frequency as number, recency: r.recency as number, T: r.T as number }));
    const sync = fitBgNbd(summary);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const reports: number[] = [];
    const params = await fitBgNbdAsync(summary, { onProgress: (done) => reports.push(done) });
    clearInterval(timer);
    expect(params).toEqual(sync);
    expect(reports.length).toBeGreaterThan(2);
    expect(ticks).toBeGreaterThan(2);
    const controller = new AbortController();
    const aborted = fitBgNbdAsync(summary, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(aborted).rejects.toBeInstanceOf(AbortedError);
  });

  it('fitCoOccurrenceAsync equals fitCoOccurrence, reports each block of items, keeps timers running, and aborts', async () => {
    // 3,000 items bought by 6,000 users in baskets of 2–6: three blocks of 1,024 items.
    let seed = 11;
    const next = () => (seed = (seed * 48271) % 2147483647);
    const events = [];
    for (let u = 0; u < 6000; u++) for (let k = 2 + (next() % 5); k > 0; k--) events.push({ user: `u${u}`, item: `i${next() % 3000}` });
    const sync = fitCoOccurrence(events, { similarity: 'lift' });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const reports: [number, number][] = [];
    const model = await fitCoOccurrenceAsync(events, { similarity: 'lift', onProgress: (done, total) => reports.push([done, total]) });
    clearInterval(timer);
    expect(model).toEqual(sync);
    expect(reports).toEqual([[1, 4], [2, 4], [3, 4], [4, 4]]);
    expect(ticks).toBeGreaterThan(1);
    const controller = new AbortController();
    const aborted = fitCoOccurrenceAsync(events, { signal: controller.signal, onProgress: (done) => done === 2 && controller.abort() });
    await expect(aborted).rejects.toBeInstanceOf(AbortedError);
    await expect(fitCoOccurrenceAsync(events, { similarity: 'cosine' as never })).rejects.toBeInstanceOf(InputError);
  });
});
