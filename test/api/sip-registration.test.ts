import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Binding, BindRequest } from '../../src/store/redis/registrations.js';
import {
  listenSipNotify,
  type SipNotifier,
  type SipNotifyMessage,
  type SipNotifyRequest,
} from '../../src/store/redis/sip-notify-relay.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({
    SESSION_CREATE_LIMIT: '1000',
    SIP_DOMAIN: 'sip.solucon.com,sip.cospace.de',
    SIP_NOTIFY_TIMEOUT_MS: '300',
  });
});
afterAll(async () => {
  await h?.close();
});

const eventsOf = async (sid: string, ...names: string[]) =>
  (await h.services.eventLog.read(sid, 0))
    .filter((e) => names.includes(e.event))
    .map(({ id: _id, time: _t, ...rest }) => rest);

const sipAccount = async (u: TestUser, domain = 'sip.solucon.com'): Promise<string> => {
  const res = await h.call('POST', '/api/sip', { sid: u.sid, body: { password: 'sEcReT53a', domain } });
  expect(res.status).toBe('ok');
  return res.user as string;
};

/** What the SIP stack does on a REGISTER: look up the account, then bind. */
const register = async (name: string, over: Partial<BindRequest> = {}): Promise<Binding[]> => {
  const acc = (await h.services.sipAccounts.credentials(name))!;
  return h.services.registrations.bind(acc, {
    contact: `sip:${name}@212.202.0.32:5060`,
    source: '212.202.0.32:5060',
    transport: 'udp',
    expires: 3600,
    callId: `${name}-call`,
    cseq: 1,
    ...over,
  });
};

describe('SipAccountService.credentials (the registrar lookup)', () => {
  it('returns the HA1 pair of the account domain, null for unknown or disabled owners', async () => {
    const u = await h.user();
    const name = await sipAccount(u, 'sip.cospace.de');
    const row = await h.services.db
      .selectFrom('sip_accounts')
      .select('ha1')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    expect(await h.services.sipAccounts.credentials(name)).toEqual({
      name,
      owner: u.uuid,
      domain: 'sip.cospace.de',
      ha1: (row.ha1 as Record<string, unknown>)['sip.cospace.de'],
    });
    expect(await h.services.sipAccounts.credentials('nobody_01')).toBeNull();
    expect(await h.services.sipAccounts.credentials("x' or 1=1")).toBeNull();
    await h.services.lifecycle.disable(u.uuid);
    expect(await h.services.sipAccounts.credentials(name)).toBeNull();
    await h.services.lifecycle.enable(u.uuid);
    expect(await h.services.sipAccounts.credentials(name)).not.toBeNull();
  });
});

describe('GET /api/sip with registrations (spec 3.21, 7.15.4, 7.15.5)', () => {
  it('shows contact and expire of the newest active registration only', async () => {
    const u = await h.user();
    const a = await sipAccount(u);
    const b = await sipAccount(u, 'sip.cospace.de');
    const before = await h.call('GET', '/api/sip', { sid: u.sid });
    expect(before.sip[a]).toEqual({ domain: 'sip.solucon.com', password: 'sEcReT53a' });

    const [first] = await register(a, { expires: 600 });
    const shown = await h.call('GET', '/api/sip', { sid: u.sid });
    expect(shown.sip[a]).toEqual({
      domain: 'sip.solucon.com',
      password: 'sEcReT53a',
      contact: '212.202.0.32:5060',
      expire: Math.floor(first!.expiresAt / 1000),
    });
    expect(shown.sip[a].expire).toBeGreaterThan(Date.now() / 1000 + 590);
    expect(shown.sip[b]).toEqual({ domain: 'sip.cospace.de', password: 'sEcReT53a' });

    await new Promise((r) => setTimeout(r, 5));
    await register(a, { contact: `sip:${a}@10.0.0.5:5080`, source: '198.51.100.4:41000', callId: 'other' });
    expect((await h.call('GET', '/api/sip', { sid: u.sid })).sip[a].contact).toBe('198.51.100.4:41000');

    expect(await eventsOf(u.sid, 'sip_register')).toEqual([
      {
        event: 'sip_register',
        user: a,
        domain: 'sip.solucon.com',
        contact: '212.202.0.32:5060',
        expire: Math.floor(first!.expiresAt / 1000),
      },
      expect.objectContaining({ event: 'sip_register', user: a, contact: '198.51.100.4:41000' }),
    ]);
  });

  it('deleting a SIP account unregisters its devices before sip_delete', async () => {
    const u = await h.user();
    const a = await sipAccount(u);
    await register(a);
    expect((await h.call('DELETE', `/api/sip/${a}`, { sid: u.sid })).status).toBe('ok');
    expect(await h.services.registrations.bindings(a)).toEqual([]);
    expect((await eventsOf(u.sid, 'sip_unregister', 'sip_delete')).map((e) => e.event)).toEqual([
      'sip_unregister',
      'sip_delete',
    ]);
    expect((await eventsOf(u.sid, 'sip_unregister'))[0]).toEqual({
      event: 'sip_unregister',
      user: a,
      domain: 'sip.solucon.com',
      contact: '212.202.0.32:5060',
    });
  });

  it('deleting the user account drops the bindings of all its SIP accounts', async () => {
    const u = await h.user();
    const a = await sipAccount(u);
    const b = await sipAccount(u);
    await register(a);
    await register(b);
    const res = await h.call('POST', '/api/user/delete', {
      sid: u.sid,
      body: { username: u.username, password: u.password },
    });
    expect(res.status).toBe('ok');
    expect(await h.services.registrations.bindings(a)).toEqual([]);
    expect(await h.services.registrations.bindings(b)).toEqual([]);
  });
});

class RecordingNotifier implements SipNotifier {
  calls: { binding: Binding; account: { name: string; domain: string }; req: SipNotifyRequest }[] = [];
  async notify(
    binding: Binding,
    account: { name: string; domain: string },
    req: SipNotifyRequest,
  ): Promise<void> {
    this.calls.push({ binding, account, req });
  }
}

describe('POST /api/sip/(sip-user)/notify (spec 3.21)', () => {
  let u: TestUser;
  let name: string;
  beforeAll(async () => {
    u = await h.user();
    name = await sipAccount(u, 'sip.cospace.de');
  });
  const notify = (sip: string, body: unknown, sid = u.sid) =>
    h.call('POST', `/api/sip/${sip}/notify`, { sid, body });
  const spec = {
    'event-string': 'check-sync;reboot=true',
    'content-type': 'application/simple-message-summary',
  };

  it('answers wrong-sip for unknown and foreign accounts, not-registered without a binding', async () => {
    const other = await h.user();
    const foreign = await sipAccount(other);
    await register(foreign);
    expect((await notify(foreign, spec)).status).toBe('wrong-sip');
    expect((await notify('nobody_01', spec)).status).toBe('wrong-sip');
    expect((await notify(name, spec)).status).toBe('not-registered');
  });

  it('checks the body syntax', async () => {
    await register(name);
    expect((await notify(name, { 'event-string': 'x' })).status).toBe('missing-element');
    expect((await notify(name, { ...spec, 'event-string': 'e'.repeat(201) })).status).toBe('wrong-syntax');
    expect((await notify(name, { ...spec, content: 'c'.repeat(2501) })).status).toBe('wrong-syntax');
    expect((await notify(name, { ...spec, 'content-type': 5 })).status).toBe('wrong-syntax');
  });

  it('hands the request for every registered device to the local SIP stack', async () => {
    await register(name, { contact: `sip:${name}@192.0.2.50:5060`, source: '192.0.2.50:5060', callId: 'd2' });
    const recorder = new RecordingNotifier();
    h.services.sipNotifier = recorder;
    try {
      expect(await notify(name, spec)).toEqual({ status: 'ok' });
      expect(await notify(name, { ...spec, content: 'Messages-Waiting: yes' })).toEqual({ status: 'ok' });
    } finally {
      h.services.sipNotifier = null;
    }
    expect(recorder.calls).toHaveLength(4);
    expect(recorder.calls.map((c) => c.binding.source).sort()).toEqual([
      '192.0.2.50:5060',
      '192.0.2.50:5060',
      '212.202.0.32:5060',
      '212.202.0.32:5060',
    ]);
    expect(recorder.calls[0]).toMatchObject({
      account: { name, domain: 'sip.cospace.de' },
      req: {
        event: 'check-sync;reboot=true',
        contentType: 'application/simple-message-summary',
        content: '',
      },
    });
    expect(recorder.calls[3]?.req.content).toBe('Messages-Waiting: yes');
  });

  it('without a local SIP stack publishes it on <prefix>sip:notify for the telephony nodes', async () => {
    const received: SipNotifyMessage[] = [];
    const node = new RecordingNotifier();
    const stop = await listenSipNotify(h.redis, h.config.redisPrefix, node, {
      accept: (m) => {
        received.push(m);
        return m.binding.source === '212.202.0.32:5060';
      },
    });
    try {
      expect(h.services.sipNotifier).toBeNull();
      expect(await notify(name, { ...spec, content: 'hello' })).toEqual({ status: 'ok' });
      await expect.poll(() => received.length).toBe(2);
      await expect.poll(() => node.calls.length).toBe(1);
      expect(node.calls[0]).toMatchObject({
        binding: { source: '212.202.0.32:5060', transport: 'udp' },
        account: { name, domain: 'sip.cospace.de' },
        req: {
          event: 'check-sync;reboot=true',
          contentType: 'application/simple-message-summary',
          content: 'hello',
        },
      });
      // Garbage on the channel is ignored.
      await h.redis.publish(`${h.config.redisPrefix}sip:notify`, '{"binding":1}');
      await h.redis.publish(`${h.config.redisPrefix}sip:notify`, 'not json');
      await new Promise((r) => setTimeout(r, 50));
      expect(received).toHaveLength(2);
    } finally {
      await stop();
    }
  });
});

describe('POST /api/sip/(sip-user)/notify answers within SIP_NOTIFY_TIMEOUT_MS', () => {
  const spec = { 'event-string': 'check-sync', 'content-type': 'text/plain' };
  const timed = async (sid: string, name: string) => {
    const started = Date.now();
    const res = await h.call('POST', `/api/sip/${name}/notify`, { sid, body: spec });
    return { res, ms: Date.now() - started };
  };
  const never: SipNotifier = { notify: () => new Promise<void>(() => undefined) };

  it('local stack: not-registered when no device answers in time, or every device fails', async () => {
    const u = await h.user();
    const name = await sipAccount(u);
    await register(name);
    h.services.sipNotifier = never;
    try {
      const { res, ms } = await timed(u.sid, name);
      expect(res['status']).toBe('not-registered');
      expect(ms).toBeGreaterThanOrEqual(280);
      expect(ms).toBeLessThan(2500);
      h.services.sipNotifier = { notify: async () => Promise.reject(new Error('unreachable')) };
      expect((await timed(u.sid, name)).res['status']).toBe('not-registered');
      // One answering device of two is enough.
      await register(name, { contact: `sip:${name}@192.0.2.9:5060`, source: '192.0.2.9:5060', callId: 'n2' });
      h.services.sipNotifier = {
        notify: (b) =>
          b.source === '192.0.2.9:5060' ? Promise.resolve() : new Promise<void>(() => undefined),
      };
      const fast = await timed(u.sid, name);
      expect(fast.res).toEqual({ status: 'ok' });
      expect(fast.ms).toBeLessThan(280);
    } finally {
      h.services.sipNotifier = null;
    }
  });

  it('relay: not-registered at once without a telephony node, after the bound with a silent one', async () => {
    const u = await h.user();
    const name = await sipAccount(u);
    await register(name);
    const none = await timed(u.sid, name);
    expect(none.res['status']).toBe('not-registered');
    expect(none.ms).toBeLessThan(280);
    const stop = await listenSipNotify(h.redis, h.config.redisPrefix, never);
    try {
      const silent = await timed(u.sid, name);
      expect(silent.res['status']).toBe('not-registered');
      expect(silent.ms).toBeGreaterThanOrEqual(280);
    } finally {
      await stop();
    }
    const failing = await listenSipNotify(h.redis, h.config.redisPrefix, {
      notify: async () => Promise.reject(new Error('timed out')),
    });
    try {
      const res = await timed(u.sid, name);
      expect(res.res['status']).toBe('not-registered');
      expect(res.ms).toBeLessThan(280);
    } finally {
      await failing();
    }
  });
});

describe('GET/POST /api/sip/(sip-user)/blf (spec 3.21)', () => {
  let p: Awaited<ReturnType<Harness['partner']>>;
  let group: string;
  const phone = async (u: TestUser, number: string) => {
    await h.services.db
      .insertInto('phones')
      .values({ number, user_uuid: u.uuid, partner_id: null, created_us: Date.now() * 1000 })
      .execute();
  };
  const addToGroup = async (g: string, ...users: TestUser[]) =>
    expect(
      (
        await h.call('POST', `/api/partner/usergroup/${g}/user`, {
          sid: p.sid,
          body: { users: { add: users.map((x) => x.uuid) } },
        })
      ).status,
    ).toBe('ok');
  const newGroup = async () =>
    (await h.call('POST', '/api/partner/usergroup', { sid: p.sid, body: {} })).group_uuid as string;
  const blf = (u: TestUser, sip: string, body?: unknown) =>
    body === undefined
      ? h.call('GET', `/api/sip/${sip}/blf`, { sid: u.sid })
      : h.call('POST', `/api/sip/${sip}/blf`, { sid: u.sid, body });

  let joe: TestUser;
  let ann: TestUser;
  let bob: TestUser;
  let eve: TestUser;
  let joeSip: string;
  beforeAll(async () => {
    p = await h.partner();
    group = await newGroup();
    joe = await h.user({ partner: p.name });
    ann = await h.user({ partner: p.name });
    bob = await h.user({ partner: p.name });
    eve = await h.user({ partner: p.name });
    await addToGroup(group, joe, ann, bob);
    await addToGroup(await newGroup(), eve);
    await phone(ann, '+492216698711');
    await phone(bob, '+492216698712');
    await phone(ann, '+492216698307');
    await phone(eve, '+492216698999');
    joeSip = await sipAccount(joe);
  });

  it('subscribes and unsubscribes as in the spec example; GET lists numbers without +', async () => {
    expect(await blf(joe, joeSip)).toEqual({ status: 'ok', subscriptions: [] });
    expect(await blf(joe, joeSip, { subscribe: ['+492216698711', '+492216698307'] })).toEqual({
      status: 'ok',
    });
    expect(
      await blf(joe, joeSip, {
        subscribe: ['+492216698711', '+492216698712'],
        unsubscribe: ['+492216698307'],
      }),
    ).toEqual({ status: 'ok' });
    expect(await blf(joe, joeSip)).toEqual({ status: 'ok', subscriptions: ['492216698711', '492216698712'] });
    expect(await h.services.sipBlf.watchersOf('+492216698711')).toEqual([joeSip]);
    expect(await h.services.sipBlf.watchersOf('+492216698307')).toEqual([]);
  });

  it('answers wrong-sip, wrong-phone, access-denied and wrong-syntax, changing nothing', async () => {
    const before = await blf(joe, joeSip);
    const annSip = await sipAccount(ann);
    expect((await blf(joe, annSip)).status).toBe('wrong-sip');
    expect((await blf(joe, annSip, { subscribe: ['+492216698711'] })).status).toBe('wrong-sip');
    expect((await blf(joe, 'nobody_01', { subscribe: [] })).status).toBe('wrong-sip');
    expect((await blf(joe, joeSip, { subscribe: ['+492216698307', '+4922100000000'] })).status).toBe(
      'wrong-phone',
    );
    expect((await blf(joe, joeSip, { unsubscribe: ['+4922100000000'] })).status).toBe('wrong-phone');
    expect((await blf(joe, joeSip, { subscribe: ['+492216698307', '+492216698999'] })).status).toBe(
      'access-denied',
    );
    for (const body of [
      { subscribe: ['492216698711'] },
      { subscribe: '+492216698711' },
      { unsubscribe: [7] },
    ])
      expect((await blf(joe, joeSip, body)).status, JSON.stringify(body)).toBe('wrong-syntax');
    expect(await blf(joe, joeSip)).toEqual(before);

    // A user outside any usergroup may not subscribe, even to an own number, but may unsubscribe.
    const loner = await h.user({ partner: p.name });
    await phone(loner, '+492216698000');
    const lonerSip = await sipAccount(loner);
    expect((await blf(loner, lonerSip, { subscribe: ['+492216698000'] })).status).toBe('access-denied');
    expect((await blf(loner, lonerSip, { unsubscribe: ['+492216698000'] })).status).toBe('ok');
  });

  it('watchersOf follows usergroup changes, released numbers and deleted SIP accounts', async () => {
    const zoe = await h.user({ partner: p.name });
    await addToGroup(group, zoe);
    const zoeSip = await sipAccount(zoe);
    expect((await blf(zoe, zoeSip, { subscribe: ['+492216698711', '+492216698712'] })).status).toBe('ok');
    expect(await h.services.sipBlf.watchersOf('+492216698711')).toEqual([joeSip, zoeSip].sort());

    // Bob moves to another group: his number is no longer watched, though the subscriptions stay listed.
    const res = await h.call('POST', `/api/partner/usergroup/${group}/user`, {
      sid: p.sid,
      body: { users: { delete: [bob.uuid] } },
    });
    expect(res.status).toBe('ok');
    expect(await h.services.sipBlf.watchersOf('+492216698712')).toEqual([]);
    expect((await blf(zoe, zoeSip)).subscriptions).toContain('492216698712');

    // Ann releases a number: its subscriptions go.
    expect(
      (await h.call('POST', '/api/phone', { sid: ann.sid, body: { delete: ['+492216698711'] } })).status,
    ).toBe('ok');
    expect((await blf(zoe, zoeSip)).subscriptions).toEqual(['492216698712']);
    expect(await h.services.sipBlf.watchersOf('+492216698711')).toEqual([]);

    // Deleting the SIP account takes its subscriptions.
    expect((await h.call('DELETE', `/api/sip/${zoeSip}`, { sid: zoe.sid })).status).toBe('ok');
    const left = await h.services.db
      .selectFrom('sip_blf')
      .select('sip_name')
      .where('sip_name', '=', zoeSip)
      .execute();
    expect(left).toEqual([]);
  });
});
