import { describe, expect, it } from 'vitest';
import { Teardown, TeardownError } from '../../src/lib/teardown.js';

describe('Teardown', () => {
  it('runs the steps last-added first, waiting for each', async () => {
    const order: string[] = [];
    const t = new Teardown();
    t.add('a', () => order.push('a'));
    t.add('b', async () => {
      await new Promise((r) => setTimeout(r, 5));
      order.push('b');
    });
    t.add('c', () => order.push('c'));
    await t.run();
    expect(order).toEqual(['c', 'b', 'a']);
  });

  it('runs every step when some fail, and names the failed ones', async () => {
    const ran: string[] = [];
    const t = new Teardown();
    t.add('redis', () => ran.push('redis'));
    t.add('database', () => {
      ran.push('database');
      throw new Error('refused');
    });
    t.add('api', async () => {
      ran.push('api');
      throw new Error('socket gone');
    });
    t.add('worker', () => ran.push('worker'));
    const err = await t.run().then(
      () => null,
      (e: unknown) => e,
    );
    expect(ran).toEqual(['worker', 'api', 'database', 'redis']);
    expect(err).toBeInstanceOf(TeardownError);
    const te = err as TeardownError;
    expect(te.message).toBe('stop: api: socket gone; database: refused');
    expect(te.errors.map((e: Error) => (e.cause as Error).message)).toEqual(['socket gone', 'refused']);
  });

  it('keeps a thrown non-error readable', async () => {
    const t = new Teardown();
    t.add('odd', () => {
      throw 'plain string'; // eslint-disable-line @typescript-eslint/only-throw-error
    });
    await expect(t.run()).rejects.toThrow('stop: odd: plain string');
  });

  it('runs once: a second run gives the first outcome without running a step again', async () => {
    let runs = 0;
    const t = new Teardown();
    t.add('once', () => {
      runs++;
      throw new Error('no');
    });
    const first = t.run();
    const second = t.run();
    expect(second).toBe(first);
    await expect(first).rejects.toThrow('stop: once: no');
    await expect(t.run()).rejects.toThrow('stop: once: no');
    expect(runs).toBe(1);
  });

  it('refuses a step added after it ran', async () => {
    const t = new Teardown();
    await t.run();
    expect(() => t.add('late', () => undefined)).toThrow("teardown already ran; cannot add 'late'");
  });
});
