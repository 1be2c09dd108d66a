import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.js';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '10000' });
});
afterAll(async () => {
  await h?.close();
});

/** SIP accounts as the SIP account API (spec 3.21) stores them. */
async function sipAccounts(owner: string, names: string[]): Promise<void> {
  await h.services.db
    .insertInto('sip_accounts')
    .values(
      names.map((name) => ({
        name,
        owner,
        domain: 'sip.example.com',
        description: null,
        password_hash: 'x',
        password_enc: 'x',
        ha1: '{}',
        created_us: Date.now() * 1000,
      })),
    )
    .execute();
}

let seq = 0;
/** A user with SIP accounts `<prefix>_01`, `_03`, `_07`, `_08`, `_13` (names are unique system-wide). */
async function userWithSip() {
  const u = await h.user();
  seq += 1;
  const prefix = `joe${seq}x${Math.random().toString(36).slice(2, 6)}`;
  const sip = (n: string) => `${prefix}_${n}`;
  await sipAccounts(
    u.uuid,
    ['01', '02', '03', '07', '08', '13'].map((n) => sip(n)),
  );
  return { ...u, sip };
}

const get = (sid: string) => h.call('GET', '/api/dialplan', { sid });
const post = (sid: string, body: unknown) => h.call('POST', '/api/dialplan', { sid, body });

const EMPTY = {
  status: 'ok',
  mix_ringtone: false,
  clir_enable: false,
  action: 'none',
  phone_pool: {},
  sip_pool: [],
  callreverse_enable: false,
};

describe('GET/POST /api/dialplan (spec 4.2)', () => {
  it('starts empty', async () => {
    const u = await h.user();
    expect(await get(u.sid)).toEqual(EMPTY);
  });

  it('applies the spec example and answers it back on GET, with dialplan_modify', async () => {
    const u = await userWithSip();
    const ann = await h.services.announcements.create(u.uuid, 'greeting');
    await post(u.sid, { phone_pool: { add: { '+492216698992': true } }, sip_pool: { add: [u.sip('02')] } });
    const before = await h.services.nextEventId(u.sid);
    const res = await post(u.sid, {
      announcement: ann.uuid,
      mix_ringtone: true,
      clip_number: '+492216698888',
      dial_prefix: '+492216698',
      clir_enable: false,
      cti_via: '+492216698777',
      action: 'none',
      phone: '+492216698001',
      sip: u.sip('01'),
      phone_pool: { add: { '+492216698990': false, '+492216698995': true }, delete: ['+492216698992'] },
      sip_pool: { add: [u.sip('01'), u.sip('03')], delete: [u.sip('02')] },
      callreverse_enable: false,
      timeout: { timeout: 20, action: 'record' },
      unavailable: { action: 'redirect', phone: '+492216698993' },
      busy: { action: 'sip', sip: u.sip('01') },
    });
    expect(res).toEqual({ status: 'ok' });
    const events = await h.services.eventLog.read(u.sid, before);
    expect(events).toEqual([{ id: before, event: 'dialplan_modify', time: expect.any(Number) }]);
    expect(await get(u.sid)).toEqual({
      status: 'ok',
      announcement: ann.uuid,
      mix_ringtone: true,
      clip_number: '+492216698888',
      dial_prefix: '+492216698',
      clir_enable: false,
      cti_via: '+492216698777',
      action: 'none',
      phone: '+492216698001',
      sip: u.sip('01'),
      phone_pool: { '+492216698990': false, '+492216698995': true },
      sip_pool: [u.sip('01'), u.sip('03')],
      callreverse_enable: false,
      timeout: { timeout: 20, action: 'record' },
      unavailable: { action: 'redirect', phone: '+492216698993' },
      busy: { action: 'sip', sip: u.sip('01') },
    });

    // Pool entries are overwritten by add; other fields stay as they were.
    await post(u.sid, { phone_pool: { add: { '+492216698990': true } }, action: 'sip' });
    const got = await get(u.sid);
    expect(got.phone_pool).toEqual({ '+492216698990': true, '+492216698995': true });
    expect(got.action).toBe('sip');
    expect(got.cti_via).toBe('+492216698777');

    // An empty string deletes announcement, phone, dial_prefix, clip_number, cti_via and sip.
    await post(u.sid, {
      announcement: '',
      phone: '',
      dial_prefix: '',
      clip_number: '',
      cti_via: '',
      sip: '',
    });
    const cleared = await get(u.sid);
    for (const f of ['announcement', 'phone', 'dial_prefix', 'clip_number', 'cti_via', 'sip']) {
      expect(cleared, f).not.toHaveProperty(f);
    }
    expect(cleared.mix_ringtone).toBe(true);
  });

  it("answers wrong-announcement and wrong-sip for another user's or unknown objects, changing nothing", async () => {
    const u = await userWithSip();
    const other = await userWithSip();
    const foreignAnn = await h.services.announcements.create(other.uuid, 'theirs');
    for (const id of [foreignAnn.uuid, newId()]) {
      expect((await post(u.sid, { announcement: id, mix_ringtone: true })).status).toBe('wrong-announcement');
    }
    for (const body of [
      { sip: other.sip('01') },
      { sip_pool: { add: [u.sip('01'), other.sip('03')] } },
      { timeout: { timeout: 10, action: 'sip', sip: other.sip('01') } },
      { unavailable: { action: 'sip', sip: 'nobody_01' } },
      { busy: { action: 'sip', sip: other.sip('07') } },
    ]) {
      expect((await post(u.sid, body)).status, JSON.stringify(body)).toBe('wrong-sip');
    }
    expect(await get(u.sid)).toEqual(EMPTY);
  });

  it('refuses action none for timeout and unavailable, accepts it for busy and the main action', async () => {
    const u = await h.user();
    expect((await post(u.sid, { timeout: { timeout: 20, action: 'none' } })).status).toBe('wrong-syntax');
    expect((await post(u.sid, { unavailable: { action: 'none' } })).status).toBe('wrong-syntax');
    expect((await post(u.sid, { busy: { action: 'none' }, action: 'none' })).status).toBe('ok');
    expect((await get(u.sid)).busy).toEqual({ action: 'none' });
  });

  it('answers wrong-syntax and missing-element for bad values', async () => {
    const u = await h.user();
    const bad: unknown[] = [
      { announcement: 'x' },
      { mix_ringtone: 'yes' },
      { clip_number: '0221' },
      { dial_prefix: '+49' },
      { clir_enable: 1 },
      { cti_via: '+49 221' },
      { action: 'forward' },
      { phone: '12345' },
      { sip: 'Joe_01' },
      { sip: 'joe_1' },
      { phone_pool: { add: { '0221': true } } },
      { phone_pool: { add: { '+49221669899': 'yes' } } },
      { phone_pool: { delete: '+492216698992' } },
      { sip_pool: { add: ['joe'] } },
      { sip_pool: ['joe_01'] },
      { callreverse_enable: 'no' },
      { timeout: { timeout: 0, action: 'record' } },
      { timeout: { timeout: 'x', action: 'record' } },
      { busy: { action: 'sip', sip: 'x' } },
      { busy: { action: 'redirect', phone: '0221' } },
      { unknown: true },
    ];
    for (const body of bad) {
      expect((await post(u.sid, body)).status, JSON.stringify(body)).toBe('wrong-syntax');
    }
    expect((await post(u.sid, { timeout: { action: 'record' } })).status).toBe('missing-element');
    expect((await post(u.sid, { timeout: { timeout: 20 } })).status).toBe('missing-element');
    expect((await post(u.sid, { busy: {} })).status).toBe('missing-element');
    expect(await get(u.sid)).toEqual(EMPTY);
  });
});

describe('POST /api/dialplan/callthrough (spec 4.2)', () => {
  it('keeps one process per user with an expiry, replaced by each call and cleared without phone', async () => {
    const u = await h.user();
    expect(
      await h.call('POST', '/api/dialplan/callthrough', {
        sid: u.sid,
        body: { phone: '+492216698001', filter: '+492118271982' },
      }),
    ).toEqual({ status: 'ok' });
    expect(await h.services.dialplanV1.callthroughState(u.uuid)).toEqual({
      phone: '+492216698001',
      filter: '+492118271982',
    });
    const ttl = await h.redis.pttl(`${h.config.redisPrefix}dialplan:callthrough:${u.uuid}`);
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
    await h.call('POST', '/api/dialplan/callthrough', { sid: u.sid, body: { phone: 'joe01' } });
    expect(await h.services.dialplanV1.callthroughState(u.uuid)).toEqual({ phone: 'joe01' });
    expect((await h.call('POST', '/api/dialplan/callthrough', { sid: u.sid, body: {} })).status).toBe('ok');
    expect(await h.services.dialplanV1.callthroughState(u.uuid)).toBeNull();
  });

  it('answers wrong-syntax for bad values', async () => {
    const u = await h.user();
    for (const body of [
      { phone: '+49' },
      { phone: 'a' },
      { phone: 'with space' },
      { filter: 'joe01' },
      { phone: 7 },
    ]) {
      expect(
        (await h.call('POST', '/api/dialplan/callthrough', { sid: u.sid, body })).status,
        JSON.stringify(body),
      ).toBe('wrong-syntax');
    }
  });
});

describe('POST /api/dialplan/callback (spec 4.2)', () => {
  const queue = () => `${h.config.redisPrefix}dialplan:callback`;

  it('queues the request for the telephony engine with cti_via, clip_number and clir_enable', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    await h.call('POST', `/api/partner/phone/${u.uuid}`, {
      sid: p.sid,
      body: { create: { '+492118271982': { dialplan_enable: true }, '+492118271983': {} } },
    });
    const body = { from: '+492118271982', to: '+492216698711' };
    expect((await h.call('POST', '/api/dialplan/callback', { sid: u.sid, body })).status).toBe('no-via');
    await post(u.sid, { cti_via: '+492216698777', clip_number: '+492216698980', clir_enable: true });
    expect(await h.call('POST', '/api/dialplan/callback', { sid: u.sid, body })).toEqual({ status: 'ok' });
    const queued = JSON.parse((await h.redis.lindex(queue(), 0))!) as Record<string, unknown>;
    expect(queued).toEqual({
      user: u.uuid,
      from: '+492118271982',
      to: '+492216698711',
      via: '+492216698777',
      clip_number: '+492216698980',
      clir_enable: true,
      requested_us: expect.any(Number),
    });

    // from must be the user's number with dialplan_enable set.
    const other = await h.user({ partner: p.name });
    await h.call('POST', `/api/partner/phone/${other.uuid}`, {
      sid: p.sid,
      body: { create: { '+492118271984': { dialplan_enable: true } } },
    });
    const len = await h.redis.llen(queue());
    for (const from of ['+492118271983', '+492118271984', '+499999999999']) {
      const r = await h.call('POST', '/api/dialplan/callback', { sid: u.sid, body: { from, to: 'joe01' } });
      expect(r.status, from).toBe('wrong-phone');
    }
    expect(await h.redis.llen(queue())).toBe(len);
  });

  it('answers wrong-syntax and missing-element for bad values', async () => {
    const u = await h.user();
    for (const body of [
      { from: '0211', to: '+492216698711' },
      { from: '+492118271982', to: 'a' },
      { from: '+492118271982', to: '+49 221' },
    ]) {
      expect((await h.call('POST', '/api/dialplan/callback', { sid: u.sid, body })).status).toBe(
        'wrong-syntax',
      );
    }
    expect(
      (await h.call('POST', '/api/dialplan/callback', { sid: u.sid, body: { from: '+492118271982' } }))
        .status,
    ).toBe('missing-element');
    expect(
      (await h.call('POST', '/api/dialplan/callback', { sid: u.sid, body: { to: 'joe01' } })).status,
    ).toBe('missing-element');
  });
});

describe('POST /api/dialplan/callreverse (spec 4.2)', () => {
  it('answers no-callreverse without a process and sets the filter of an ongoing one', async () => {
    const u = await h.user();
    const body = { filter: '+492118271982' };
    expect((await h.call('POST', '/api/dialplan/callreverse', { sid: u.sid, body })).status).toBe(
      'no-callreverse',
    );

    const before = await h.services.nextEventId(u.sid);
    await h.services.dialplanV1.startCallreverse(u.uuid, '+4989123248278', '+492216698000', 60_000);
    expect(await h.call('POST', '/api/dialplan/callreverse', { sid: u.sid, body })).toEqual({ status: 'ok' });
    expect(await h.services.dialplanV1.callreverseState(u.uuid)).toEqual({
      phone_from: '+4989123248278',
      phone_to: '+492216698000',
      filter: '+492118271982',
    });
    expect(await h.redis.pttl(`${h.config.redisPrefix}dialplan:callreverse:${u.uuid}`)).toBeGreaterThan(1000);
    await h.services.dialplanV1.stopCallreverse(u.uuid);
    const events = await h.services.eventLog.read(u.sid, before);
    expect(events.map((e) => [e.event, e['phone_from'], e['phone_to']])).toEqual([
      ['dialplan_callreverse_start', '+4989123248278', '+492216698000'],
      ['dialplan_callreverse_stop', '+4989123248278', '+492216698000'],
    ]);
    expect((await h.call('POST', '/api/dialplan/callreverse', { sid: u.sid, body })).status).toBe(
      'no-callreverse',
    );
  });

  it('answers wrong-syntax and missing-element', async () => {
    const u = await h.user();
    expect((await h.call('POST', '/api/dialplan/callreverse', { sid: u.sid, body: {} })).status).toBe(
      'missing-element',
    );
    expect(
      (await h.call('POST', '/api/dialplan/callreverse', { sid: u.sid, body: { filter: 'joe' } })).status,
    ).toBe('wrong-syntax');
  });
});

describe('authorization', () => {
  it('answers no-session and no-auth on every dialplan v1 route', async () => {
    const anon = (await h.call('GET', '/api/session')).sid as string;
    const p = await h.partner();
    const routes = [
      ['GET', '/api/dialplan', undefined],
      ['POST', '/api/dialplan', {}],
      ['POST', '/api/dialplan/callthrough', {}],
      ['POST', '/api/dialplan/callback', { from: '+492118271982', to: 'joe01' }],
      ['POST', '/api/dialplan/callreverse', { filter: '+492118271982' }],
    ] as const;
    for (const [method, url, body] of routes) {
      expect((await h.call(method, url, { body })).status, url).toBe('no-session');
      expect((await h.call(method, url, { sid: anon, body })).status, url).toBe('no-auth');
      expect((await h.call(method, url, { sid: p.sid, body })).status, url).toBe('no-auth');
    }
  });
});
