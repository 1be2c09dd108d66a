import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { Audience, EventPublisher } from '../../src/events/types.js';
import { randomToken } from '../../src/lib/ids.js';
import { connectRedis } from '../../src/lib/redis.js';
import {
  RegistrationOrderError,
  RegistrationStore,
  type BindRequest,
} from '../../src/store/redis/registrations.js';
import { deleteKeys } from '../helpers/redis-keys.js';

/** Records what the store publishes. */
class RecordingPublisher implements EventPublisher {
  events: { audience: Audience; event: string; payload: Record<string, unknown> | undefined }[] = [];
  async publish(audience: Audience, event: string, payload?: Record<string, unknown>): Promise<void> {
    this.events.push({ audience, event, payload });
  }
  take(): { event: string; payload: Record<string, unknown> | undefined; users: readonly string[] }[] {
    const out = this.events.map((e) => ({
      event: e.event,
      payload: e.payload,
      users: 'users' in e.audience ? e.audience.users : [],
    }));
    this.events = [];
    return out;
  }
}

let redis: Redis;
let other: Redis;
let prefix: string;
let clock: number;
let events: RecordingPublisher;
const now = () => clock;
const store = (opts: { maxContacts?: number; redis?: Redis } = {}) =>
  new RegistrationStore(opts.redis ?? redis, prefix, events, { now, ...opts });

const joe = { name: 'joe_01', owner: '11111111-1111-1111-1111-111111111111', domain: 'sip.example.com' };
const reg = (over: Partial<BindRequest> = {}): BindRequest => ({
  contact: 'sip:joe_01@192.0.2.10:5060',
  source: '192.0.2.10:5060',
  transport: 'udp',
  expires: 3600,
  callId: 'call-1',
  cseq: 1,
  ...over,
});

beforeAll(async () => {
  redis = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  other = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
});
afterAll(async () => {
  redis.disconnect();
  other.disconnect();
});
beforeEach(() => {
  prefix = `cpt:${randomToken(8)}:`;
  clock = 1_700_000_000_000;
  events = new RecordingPublisher();
});
afterEach(async () => {
  await deleteKeys(redis, prefix);
});

describe('RegistrationStore (RFC 3261 §10.3, spec 7.15.4/7.15.5)', () => {
  it('binds, refreshes the same contact, and reports sip_register with the origin and absolute expiry', async () => {
    const s = store();
    const first = await s.bind(joe, reg({ userAgent: 'Yealink T46' }));
    expect(first).toEqual([
      {
        contact: 'sip:joe_01@192.0.2.10:5060',
        source: '192.0.2.10:5060',
        transport: 'udp',
        expiresAt: clock + 3_600_000,
        callId: 'call-1',
        cseq: 1,
        userAgent: 'Yealink T46',
      },
    ]);
    expect(events.take()).toEqual([
      {
        event: 'sip_register',
        users: [joe.owner],
        payload: {
          user: 'joe_01',
          domain: 'sip.example.com',
          contact: '192.0.2.10:5060',
          expire: 1_700_003_600,
        },
      },
    ]);
    // Redis drops an abandoned account's key by itself, a day after its last expiry.
    expect(await redis.pttl(`${prefix}reg:b:joe_01`)).toBeGreaterThan(3_600_000 + 86_000_000);
    clock += 60_000;
    const refreshed = await s.bind(joe, reg({ cseq: 2, expires: 600, source: '192.0.2.10:5062' }));
    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).toMatchObject({ cseq: 2, expiresAt: clock + 600_000, source: '192.0.2.10:5062' });
    expect(refreshed[0]).not.toHaveProperty('userAgent');
    expect(events.take().map((e) => [e.event, e.payload?.['expire']])).toEqual([
      ['sip_register', Math.floor((clock + 600_000) / 1000)],
    ]);
  });

  it('refuses an out-of-order REGISTER with the same Call-ID, accepts another Call-ID', async () => {
    const s = store();
    await s.bind(joe, reg({ cseq: 5 }));
    events.take();
    for (const cseq of [5, 4]) {
      const err = await s.bind(joe, reg({ cseq, expires: 60 })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RegistrationOrderError);
      expect(err).toMatchObject({ storedCseq: 5, cseq });
    }
    expect((await s.bindings('joe_01'))[0]).toMatchObject({ cseq: 5, expiresAt: clock + 3_600_000 });
    // A removal out of order is refused too, and changes nothing.
    await expect(s.bind(joe, reg({ cseq: 3, expires: 0 }))).rejects.toBeInstanceOf(RegistrationOrderError);
    await expect(s.unbindAll(joe, { callId: 'call-1', cseq: 5 })).rejects.toBeInstanceOf(
      RegistrationOrderError,
    );
    expect(await s.bindings('joe_01')).toHaveLength(1);
    // A device that rebooted has a new Call-ID, and its CSeq may start over.
    const after = await s.bind(joe, reg({ callId: 'call-2', cseq: 1 }));
    expect(after.map((b) => [b.callId, b.cseq])).toEqual([['call-2', 1]]);
    expect(events.take().map((e) => e.event)).toEqual(['sip_register']);
  });

  it('keeps several contacts newest first, drops the oldest beyond maxContacts', async () => {
    const s = store({ maxContacts: 3 });
    for (let i = 1; i <= 3; i++) {
      clock += 1000;
      await s.bind(
        joe,
        reg({ contact: `sip:joe_01@192.0.2.${i}`, source: `192.0.2.${i}:5060`, callId: `c${i}` }),
      );
    }
    // Refreshing the first makes it the newest.
    clock += 1000;
    await s.bind(
      joe,
      reg({ contact: 'sip:joe_01@192.0.2.1', source: '192.0.2.1:5060', callId: 'c1', cseq: 2 }),
    );
    expect((await s.bindings('joe_01')).map((b) => b.source)).toEqual([
      '192.0.2.1:5060',
      '192.0.2.3:5060',
      '192.0.2.2:5060',
    ]);
    events.take();
    clock += 1000;
    const bound = await s.bind(
      joe,
      reg({ contact: 'sip:joe_01@192.0.2.4', source: '192.0.2.4:5060', callId: 'c4' }),
    );
    expect(bound.map((b) => b.source)).toEqual(['192.0.2.4:5060', '192.0.2.1:5060', '192.0.2.3:5060']);
    expect(events.take().map((e) => [e.event, e.payload?.['contact']])).toEqual([
      ['sip_unregister', '192.0.2.2:5060'],
      ['sip_register', '192.0.2.4:5060'],
    ]);
  });

  it('unbinds one contact (also by Expires: 0) and all (Contact: *), with sip_unregister each', async () => {
    const s = store();
    const bob = { name: 'bob_01', owner: '22222222-2222-2222-2222-222222222222', domain: 'sip.example.com' };
    await s.bind(joe, reg());
    await s.bind(
      joe,
      reg({
        contact: 'sip:joe_01@198.51.100.7:5070;transport=tcp',
        source: '198.51.100.7:5070',
        transport: 'tcp',
        callId: 'x',
      }),
    );
    await s.bind(joe, reg({ contact: 'sip:joe_01@203.0.113.9', source: '203.0.113.9:5060', callId: 'y' }));
    await s.bind(bob, reg({ contact: 'sip:bob_01@192.0.2.20', source: '192.0.2.20:5060' }));
    events.take();

    expect(await s.unbind(joe, 'sip:joe_01@192.0.2.10:5060')).toBe(true);
    expect(await s.unbind(joe, 'sip:joe_01@192.0.2.10:5060')).toBe(false);
    expect(
      await s.bind(joe, reg({ contact: 'sip:joe_01@203.0.113.9', callId: 'y', cseq: 2, expires: 0 })),
    ).toEqual([expect.objectContaining({ transport: 'tcp', source: '198.51.100.7:5070' })]);
    expect(events.take()).toEqual([
      {
        event: 'sip_unregister',
        users: [joe.owner],
        payload: { user: 'joe_01', domain: 'sip.example.com', contact: '192.0.2.10:5060' },
      },
      {
        event: 'sip_unregister',
        users: [joe.owner],
        payload: { user: 'joe_01', domain: 'sip.example.com', contact: '203.0.113.9:5060' },
      },
    ]);
    // Expires: 0 for a contact that is not bound changes nothing and reports nothing.
    expect(await s.bind(joe, reg({ contact: 'sip:joe_01@192.0.2.99', expires: 0 }))).toHaveLength(1);
    expect(events.take()).toEqual([]);

    await s.bind(joe, reg({ contact: 'sip:joe_01@192.0.2.11', source: '192.0.2.11:5060', callId: 'z' }));
    events.take();
    expect(await s.unbindAll(joe, { callId: 'z', cseq: 2 })).toBe(2);
    expect(
      events
        .take()
        .map((e) => e.payload?.['contact'])
        .sort(),
    ).toEqual(['192.0.2.11:5060', '198.51.100.7:5070']);
    expect(await s.bindings('joe_01')).toEqual([]);
    expect(await s.unbindAll(joe)).toBe(0);
    expect(await s.bindings('bob_01')).toHaveLength(1);
    expect(await redis.exists(`${prefix}reg:b:joe_01`)).toBe(0);
  });

  it('hides expired bindings at once; sweep removes them for all accounts and reports each once', async () => {
    const s = store();
    const bob = { name: 'bob_01', owner: '22222222-2222-2222-2222-222222222222', domain: 'sip.other.org' };
    await s.bind(joe, reg({ expires: 60 }));
    await s.bind(
      joe,
      reg({ contact: 'sip:joe_01@192.0.2.30', source: '192.0.2.30:5060', expires: 3600, callId: 'k' }),
    );
    await s.bind(bob, reg({ contact: 'sip:bob_01@192.0.2.20', source: '192.0.2.20:5060', expires: 120 }));
    events.take();
    expect(await s.sweep()).toBe(0);
    clock += 60_000;
    expect((await s.bindings('joe_01')).map((b) => b.source)).toEqual(['192.0.2.30:5060']);
    clock += 60_000;
    expect(await s.bindings('bob_01')).toEqual([]);
    // Two nodes sweeping at once: each binding goes (and is reported) exactly once.
    const node2 = store({ redis: other });
    const counts = await Promise.all([s.sweep(), node2.sweep(), s.sweep()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(2);
    expect(events.take()).toEqual(
      expect.arrayContaining([
        {
          event: 'sip_unregister',
          users: [joe.owner],
          payload: { user: 'joe_01', domain: 'sip.example.com', contact: '192.0.2.10:5060' },
        },
        {
          event: 'sip_unregister',
          users: [bob.owner],
          payload: { user: 'bob_01', domain: 'sip.other.org', contact: '192.0.2.20:5060' },
        },
      ]),
    );
    expect(await redis.zcard(`${prefix}reg:exp`)).toBe(1);
    expect(await redis.exists(`${prefix}reg:b:bob_01`)).toBe(0);
    expect(await s.sweep()).toBe(0);
    expect(events.take()).toEqual([]);
  });

  it('a refresh moves the expiry, so sweep leaves the binding alone', async () => {
    const s = store();
    await s.bind(joe, reg({ expires: 60 }));
    clock += 50_000;
    await s.bind(joe, reg({ expires: 60, cseq: 2 }));
    clock += 50_000;
    expect(await s.sweep()).toBe(0);
    expect(await s.bindings('joe_01')).toHaveLength(1);
    // A binding that expired before its refresh arrives is reported gone, then new.
    clock += 60_000;
    events.take();
    await s.bind(joe, reg({ cseq: 3 }));
    expect(events.take().map((e) => e.event)).toEqual(['sip_unregister', 'sip_register']);
    expect(await s.sweep()).toBe(0);
  });

  it('sweeps more bindings than one batch', async () => {
    const s = store();
    await Promise.all(
      Array.from({ length: 620 }, (_, i) =>
        s.bind({ ...joe, name: `u${i}_01` }, reg({ contact: `sip:u${i}@192.0.2.1`, expires: 30 })),
      ),
    );
    events.take();
    clock += 30_000;
    expect(await s.sweep()).toBe(620);
    expect(events.take()).toHaveLength(620);
    expect(await redis.zcard(`${prefix}reg:exp`)).toBe(0);
  });

  it('keeps concurrent registrations from two nodes', async () => {
    const a = store();
    const b = store({ redis: other });
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? a : b).bind(
          joe,
          reg({ contact: `sip:joe_01@192.0.2.${i}`, source: `192.0.2.${i}:5060`, callId: `c${i}` }),
        ),
      ),
    );
    expect(await a.bindings('joe_01')).toHaveLength(8);
    const newest = await b.newest(['joe_01', 'nobody_01']);
    expect([...newest.keys()]).toEqual(['joe_01']);
  });

  it('validates its input', async () => {
    const s = store();
    await expect(s.bind(joe, reg({ expires: -1 }))).rejects.toBeInstanceOf(RangeError);
    await expect(s.bind(joe, reg({ expires: 1.5 }))).rejects.toBeInstanceOf(RangeError);
    await expect(s.bind(joe, reg({ contact: '' }))).rejects.toBeInstanceOf(RangeError);
    await expect(s.bind(joe, reg({ cseq: -1 }))).rejects.toBeInstanceOf(RangeError);
    expect(() => store({ maxContacts: 0 })).toThrow(RangeError);
  });
});
