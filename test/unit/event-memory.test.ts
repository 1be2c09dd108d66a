/**
 * What a process keeps in memory of the session streams it follows
 * (events/waiter.ts) and the long-poll answer made of stored texts
 * (events/raw-event.ts).
 */
import type { Redis } from 'ioredis';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventJson, parseEvent, pollAnswer } from '../../src/events/raw-event.js';
import { EventWaiter } from '../../src/events/waiter.js';

/** A waiter never connected, as if its subscription were in place: these tests feed it appends directly. */
const waiter = (): EventWaiter => {
  const w = new EventWaiter({} as Redis, 'ch');
  (w as unknown as { live: boolean }).live = true;
  return w;
};
const ev = (n: number): string => JSON.stringify({ event: 'e', time: 1, n });

describe('streams followed in memory', () => {
  it('follows appends in sequence and lets go of what the client confirmed', () => {
    const w = waiter();
    expect(w.cached('s', 0)).toBeNull(); // never read here
    w.remember('s', 3);
    expect(w.cached('s', 3)).toEqual([]);
    w.appendedHere(
      [
        { sid: 's', body: ev(3) },
        { sid: 's', body: ev(4) },
      ],
      [3, 4],
    );
    expect(w.cached('s', 3)?.map((e) => e.id)).toEqual([3, 4]);
    expect(w.cached('s', 4)?.map((e) => e.id)).toEqual([4]);
    expect(w.cached('s', 3)).toBeNull(); // 3 was let go of: only Redis has it now
    expect(w.cached('s', 6)).toBeNull(); // a cursor ahead of the stream
  });

  it('follows nothing while its subscription is not in place (notices may go unheard)', () => {
    const w = new EventWaiter({} as Redis, 'ch');
    w.remember('s', 0);
    expect(w.cached('s', 0)).toBeNull();
  });

  it('ignores an append it knows already and forgets a stream with a gap', () => {
    const w = waiter();
    w.remember('s', 0);
    w.appendedHere([{ sid: 's', body: ev(0) }], [0]);
    w.appendedHere([{ sid: 's', body: ev(0) }], [0]); // the notice of its own append
    expect(w.cached('s', 0)?.map((e) => e.id)).toEqual([0]);
    w.appendedHere([{ sid: 's', body: ev(2) }], [2]); // 1 never heard of
    expect(w.cached('s', 0)).toBeNull();
  });

  it('keeps a bounded backlog per session', () => {
    const w = waiter();
    w.remember('s', 0);
    const many = Array.from({ length: 64 }, (_, i) => ({ sid: 's', body: ev(i) }));
    w.appendedHere(
      many,
      many.map((_, i) => i),
    );
    expect(w.cached('s', 0)).toHaveLength(64);
    w.appendedHere([{ sid: 's', body: ev(64) }], [64]); // a client that stopped polling
    expect(w.cached('s', 0)).toBeNull();
  });

  it('lets go of the least recently polled sessions past its byte budget', () => {
    const w = waiter();
    const big = JSON.stringify({ event: 'e', time: 1, pad: 'x'.repeat(1024 * 1024) });
    for (let i = 0; i < 40; i++) w.remember(`s${i}`, 0);
    expect(w.cached('s0', 0)).toEqual([]); // s0 polled last of all
    for (let i = 1; i < 40; i++) w.appendedHere([{ sid: `s${i}`, body: big }], [0]);
    // 39 MB heard against a 32 MB budget: the oldest polled went, down to half the budget.
    expect(w.cached('s1', 0)).toBeNull();
    expect(w.cached('s39', 0)).toHaveLength(1);
    expect(w.cached('s0', 0)).toEqual([]);
  });
});

describe('the long-poll answer from stored texts', () => {
  it('is the JSON of the parsed events, id first', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id: fc.nat(),
            payload: fc.dictionary(
              fc.string().filter((k) => k !== 'event' && k !== 'time' && k !== 'id'),
              fc.jsonValue(),
            ),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        (list) => {
          const raws = list.map(({ id, payload }) => ({
            id,
            body: JSON.stringify({ event: 'x', time: 7, ...payload }),
          }));
          for (const r of raws) expect(JSON.parse(eventJson(r))).toEqual(parseEvent(r));
          expect(JSON.parse(pollAnswer(raws))).toEqual({
            status: 'ok',
            event: raws.map(parseEvent),
            next: raws[raws.length - 1]!.id + 1,
          });
          expect(pollAnswer(raws).startsWith('{"status":"ok","event":[{"id":')).toBe(true);
        },
      ),
    );
  });
});
