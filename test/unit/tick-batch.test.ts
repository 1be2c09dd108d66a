/**
 * TickBatch (src/lib/tick-batch.ts): the calls of one turn of the event
 * loop go out as one batch, in order; the next turn starts a new batch; a
 * failed batch fails each of its calls; a full batch goes at once.
 */
import { describe, expect, it } from 'vitest';
import { TickBatch } from '../../src/lib/tick-batch.js';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('TickBatch', () => {
  it('answers the calls of one turn with one batch, each its own answer', async () => {
    const batches: number[][] = [];
    const b = new TickBatch<number, number>(async (xs) => {
      batches.push(xs);
      return xs.map((x) => x * 10);
    });
    const first = await Promise.all([1, 2, 3].map((x) => b.call(x)));
    // Calls made from promise continuations of the same turn join the batch.
    const chained = await Promise.all([4, 5].map((x) => Promise.resolve().then(() => b.call(x))));
    expect(first).toEqual([10, 20, 30]);
    expect(chained).toEqual([40, 50]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('starts a new batch in the next turn', async () => {
    const batches: string[][] = [];
    const b = new TickBatch<string, string>(async (xs) => {
      batches.push(xs);
      return xs;
    });
    const a = b.call('a');
    await turn();
    const c = b.call('c');
    expect(await Promise.all([a, c])).toEqual(['a', 'c']);
    expect(batches).toEqual([['a'], ['c']]);
  });

  it('fails every call of a batch that fails, and the next batch runs again', async () => {
    let fail = true;
    const b = new TickBatch<number, number>(async (xs) => {
      if (fail) throw new Error('Redis is gone');
      return xs;
    });
    const results = await Promise.allSettled([b.call(1), b.call(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await b.call(3)).toBe(3);
  });

  it('a runner that throws at once fails its calls instead of the caller', async () => {
    const b = new TickBatch<number, number>(() => {
      throw new Error('bad');
    });
    await expect(b.call(1)).rejects.toThrow('bad');
  });

  it('sends a full batch at once and keeps the rest for the turn', async () => {
    const batches: number[][] = [];
    const b = new TickBatch<number, number>(async (xs) => {
      batches.push(xs);
      return xs;
    }, 2);
    const out = await Promise.all([1, 2, 3, 4, 5].map((x) => b.call(x)));
    expect(out).toEqual([1, 2, 3, 4, 5]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });
});
