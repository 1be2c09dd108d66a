/**
 * The call API over HTTP (spec 3.24, 7.18) with the embedded telephony node:
 * dial and control reach the node through Redis, GET /api/call lists live
 * calls from Redis and finished ones from the database, statuses of bad
 * requests, and Idempotency-Key across two API instances.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControlCommand } from '../../src/domain/call/call-api-bus.js';
import { newId } from '../../src/lib/ids.js';
import { createServices, type Services } from '../../src/services/index.js';
import type { TestUser } from '../helpers/harness.js';
import { userWithNumbers } from '../helpers/provision.js';
import { createTelephonyHarness, eventually, type TelephonyHarness } from '../helpers/telephony.js';

let h: TelephonyHarness;
let services2: Services;
let app2: FastifyInstance;
beforeAll(async () => {
  h = await createTelephonyHarness({ SESSION_CREATE_LIMIT: '1000' });
  // A second API node: its own services (its own reply channel) on the same Redis and database.
  services2 = createServices({ config: h.config, db: h.services.db, redis: h.redis });
  app2 = await h.newApp(services2);
}, 180_000);
afterAll(async () => {
  await services2?.close();
  await h?.close();
});

const UNKNOWN = '1de7257a-4f34-11e0-ab6e-0024e8f90cc0';

async function events(u: TestUser): Promise<Array<Record<string, any>>> {
  const r = await h.call('GET', '/api/event?next=0&timeout=0', { sid: u.sid });
  return r.status === 'ok' ? r.event : [];
}

const updatesOf = async (u: TestUser, uuid: string) =>
  (await events(u)).filter((e) => e.event === 'call_update' && e.call[uuid]).map((e) => e.call[uuid]);

describe('POST /api/call/dial, POST /api/call/(uuid)/control, GET /api/call', () => {
  it('dials, lists, controls and keeps the finished call; events reach the subscribed session', async () => {
    const { user, numbers } = await userWithNumbers(h, 1);
    const from = numbers[0]!;
    expect((await h.call('GET', '/api/call/event', { sid: user.sid })).status).toBe('ok');
    const before = Math.floor(Date.now() / 1000);
    const d = await h.call('POST', '/api/call/dial', {
      sid: user.sid,
      body: { to: '+4940111222', from, clir: false },
    });
    expect(d.status).toBe('ok');
    const uuid = d.uuid as string;
    const live = await h.call('GET', '/api/call', { sid: user.sid });
    expect(Object.keys(live.call)).toEqual([uuid]);
    expect(live.call[uuid]).toMatchObject({
      incoming: false,
      to: '+4940111222',
      from,
      clir: false,
      record_on: false,
    });
    expect(['init', 'calling']).toContain(live.call[uuid].status);
    expect(live.call[uuid].create_time).toBeGreaterThanOrEqual(before);

    await eventually(
      async () =>
        (await h.call('GET', '/api/call', { sid: user.sid, query: { uuid } })).call[uuid]?.status ===
          'calling' || null,
      'calling',
    );
    // The far end (nothing answers on the trunk) is still being called: ring is for incoming calls only.
    const ring = await h.call('POST', `/api/call/${uuid}/control`, {
      sid: user.sid,
      body: { controls: [{ control: 'ring' }] },
    });
    expect(ring.status).toBe('illegal-state');
    const other = await h.user();
    const foreign = await h.call('POST', `/api/call/${uuid}/control`, {
      sid: other.sid,
      body: { controls: [{ control: 'hangup' }] },
    });
    expect(foreign.status).toBe('wrong-call');
    const r = await h.call('POST', `/api/call/${uuid}/control`, {
      sid: user.sid,
      body: { queue: 'break', controls: [{ id: 'bye', control: 'hangup', hangup_cause: 21 }] },
    });
    expect(r.status).toBe('ok');
    const done = await eventually(async () => {
      const l = await h.call('GET', '/api/call', { sid: user.sid, query: { state: 'hangup' } });
      return l.call[uuid] ? l.call : null;
    }, 'stored');
    expect(done[uuid]).toMatchObject({ status: 'hangup', hangup_cause: 21, last_control_id: 'bye' });
    expect((await h.call('GET', '/api/call', { sid: user.sid })).call).toEqual({});
    expect((await h.call('GET', '/api/call', { sid: user.sid, query: { uuid } })).call[uuid].status).toBe(
      'hangup',
    );
    expect((await h.call('GET', '/api/call', { sid: other.sid, query: { uuid } })).call).toEqual({});
    const after = await h.call('POST', `/api/call/${uuid}/control`, {
      sid: user.sid,
      body: { controls: [{ control: 'hangup' }] },
    });
    expect(after.status).toBe('illegal-state');

    expect(await updatesOf(user, uuid)).toEqual([
      {
        incoming: false,
        to: '+4940111222',
        from,
        clir: false,
        status: 'init',
        create_time: live.call[uuid].create_time,
        record_on: false,
      },
      { status: 'calling' },
      { current_control_id: 'bye' },
      {
        status: 'hangup',
        hangup_time: done[uuid].hangup_time,
        hangup_cause: 21,
        current_control_id: '',
        last_control_id: 'bye',
      },
    ]);
    expect(await updatesOf(other, uuid)).toEqual([]);
  });

  it('answers the spec statuses for bad requests', async () => {
    const { user, numbers } = await userWithNumbers(h, 1);
    const dial = (body: unknown) => h.call('POST', '/api/call/dial', { sid: user.sid, body });
    expect((await dial({ to: '+4940111222', from: '+4940999999' })).status).toBe('wrong-phone');
    expect((await dial({ to: '4940111222', from: numbers[0] })).status).toBe('wrong-syntax');
    expect((await dial({ from: numbers[0] })).status).toBe('missing-element');
    const control = (uuid: string, body: unknown) =>
      h.call('POST', `/api/call/${uuid}/control`, { sid: user.sid, body });
    expect((await control(UNKNOWN, { controls: [{ control: 'answer' }] })).status).toBe('wrong-call');
    expect((await control(UNKNOWN, { controls: [{ control: 'dance' }] })).status).toBe('wrong-syntax');
    expect((await control(UNKNOWN, { queue: 'now', controls: [] })).status).toBe('wrong-syntax');
    const { uuid } = await dial({ to: '+4940111333', from: numbers[0] });
    expect((await control(uuid, { controls: [{ control: 'play', object: UNKNOWN }] })).status).toBe(
      'wrong-object',
    );
    expect((await control(uuid, { controls: [{ control: 'sleep', duration: 0 }] })).status).toBe(
      'wrong-syntax',
    );
    expect((await control(uuid, { controls: [{ control: 'hangup' }] })).status).toBe('ok');
    expect((await h.call('GET', '/api/call', { sid: user.sid, query: { count: '501' } })).status).toBe(
      'wrong-syntax',
    );
  });

  it('Idempotency-Key: the same dial sent to two API nodes at once makes one call', async () => {
    const { user, numbers } = await userWithNumbers(h, 1);
    const body = { to: '+4940555666', from: numbers[0] };
    const headers = { 'idempotency-key': `dial-${user.uuid}` };
    const [a, b] = await Promise.all([
      h.call('POST', '/api/call/dial', { sid: user.sid, body, headers }),
      h.call('POST', '/api/call/dial', { sid: user.sid, body, headers, app: app2 }),
    ]);
    expect(a.status).toBe('ok');
    expect(b).toEqual(a);
    const again = await h.call('POST', '/api/call/dial', { sid: user.sid, body, headers, app: app2 });
    expect(again).toEqual(a);
    expect(Object.keys((await h.call('GET', '/api/call', { sid: user.sid, app: app2 })).call)).toEqual([
      a.uuid,
    ]);
    // A control with a key runs once: the second hangup with it answers ok again, not illegal-state.
    const bye = { controls: [{ control: 'hangup' }] };
    const k = { 'idempotency-key': 'bye-1' };
    const c1 = await h.call('POST', `/api/call/${a.uuid}/control`, {
      sid: user.sid,
      body: bye,
      headers: k,
      app: app2,
    });
    await eventually(
      async () => (await h.call('GET', '/api/call', { sid: user.sid })).call[a.uuid] === undefined || null,
      'ended',
    );
    const c2 = await h.call('POST', `/api/call/${a.uuid}/control`, { sid: user.sid, body: bye, headers: k });
    expect([c1.status, c2.status]).toEqual(['ok', 'ok']);
    const c3 = await h.call('POST', `/api/call/${a.uuid}/control`, { sid: user.sid, body: bye });
    expect(c3.status).toBe('illegal-state');
    // Another user's key space is their own.
    const { user: u2, numbers: n2 } = await userWithNumbers(h, 1);
    const d2 = await h.call('POST', '/api/call/dial', {
      sid: u2.sid,
      body: { to: '+4940555666', from: n2[0] },
      headers,
    });
    expect(d2.uuid).not.toBe(a.uuid);
    await h.call('POST', `/api/call/${d2.uuid}/control`, { sid: u2.sid, body: bye });
  });

  it('produces every status string of the call API routes: spec 2.1, spec 3.24, locked-phone', async () => {
    const seen = new Set<string>();
    const { user, numbers } = await userWithNumbers(h, 2);
    const note = (r: Record<string, any>, want: string) => {
      expect(r.status, JSON.stringify(r)).toBe(want);
      seen.add(r.status);
    };
    const dial = (body: unknown, sid = user.sid, headers: Record<string, string> = {}) =>
      h.call('POST', '/api/call/dial', { sid, body, headers });
    const control = (uuid: string, body: unknown) =>
      h.call('POST', `/api/call/${uuid}/control`, { sid: user.sid, body });
    const routes: Array<[string, string, unknown]> = [
      ['GET', '/api/call', undefined],
      ['GET', '/api/call/event', undefined],
      ['POST', '/api/call/dial', { to: '+4940111222', from: numbers[0] }],
      ['POST', `/api/call/${UNKNOWN}/control`, { controls: [{ control: 'answer' }] }],
    ];
    const anon = (await h.call('GET', '/api/session'))['sid'] as string;
    const partner = await h.partner();
    for (const [method, url, body] of routes) {
      const m = method as 'GET';
      note(await h.call(m, url, { body }), 'no-session');
      note(await h.call(m, url, { sid: anon, body }), 'no-auth');
      note(await h.call(m, url, { sid: partner.sid, body }), 'no-auth');
    }
    // A session opened from one Origin refuses requests from another.
    const origin = { origin: 'https://app.example' };
    const login = await h.call('POST', '/api/session', {
      body: { username: user.username, password: user.password },
      headers: origin,
    });
    note(
      await h.call('GET', '/api/call', { sid: login['sid'], headers: { origin: 'https://evil.example' } }),
      'wrong-origin',
    );
    note(await h.call('GET', '/api/call', { sid: login['sid'], headers: origin }), 'ok');

    note(await dial({ to: '+4940111222', from: '+4940999999' }), 'wrong-phone');
    await h.services.db
      .updateTable('phones')
      .set({ unlock_code: '4711' })
      .where('number', '=', numbers[1]!)
      .execute();
    note(await dial({ to: '+4940111222', from: numbers[1] }), 'locked-phone');
    note(await dial({ to: '4940111222', from: numbers[0] }), 'wrong-syntax');
    note(await dial({ from: numbers[0] }), 'missing-element');
    note(await control(UNKNOWN, { controls: [{ control: 'answer' }] }), 'wrong-call');
    const d = await dial({ to: '+4940111333', from: numbers[0] });
    note(d, 'ok');
    note(await control(d.uuid, { controls: [{ control: 'ring' }] }), 'illegal-state');
    note(await control(d.uuid, { controls: [{ control: 'play', object: UNKNOWN }] }), 'wrong-object');
    note(await control(d.uuid, { controls: [{ control: 'hangup' }] }), 'ok');
    // A call whose node no longer listens: nobody can take the control.
    const orphan = {
      uuid: newId(),
      owner: user.uuid,
      node: `gone-${newId()}`,
      view: {
        incoming: true,
        to: numbers[0]!,
        from: '+4930123',
        clir: false,
        status: 'calling' as const,
        create_time: 1,
        record_on: false,
      },
    };
    await h.services.callApiBus.put(orphan);
    note(await control(orphan.uuid, { controls: [{ control: 'answer' }] }), 'fail');
    await h.services.callApiBus.remove(orphan);
    expect([...seen].sort()).toEqual(
      [
        'ok',
        'no-session',
        'no-auth',
        'wrong-origin',
        'wrong-syntax',
        'missing-element',
        'fail',
        'illegal-state',
        'wrong-call',
        'wrong-object',
        'wrong-phone',
        'locked-phone',
      ].sort(),
    );
  });

  it('a control sent to any API node reaches the node holding the call, and that node only', async () => {
    const { user, numbers } = await userWithNumbers(h, 1);
    // The live call the real node writes names that node and its process.
    const d = await h.call('POST', '/api/call/dial', {
      sid: user.sid,
      body: { to: '+4940555777', from: numbers[0] },
      app: app2,
    });
    const live = await h.services.callApiBus.get(d.uuid);
    expect(live).toMatchObject({
      node: h.config.nodeId,
      process: h.telephony.journal.process,
      owner: user.uuid,
    });
    // Another node (served through the second API instance's bus) holds a call of the user.
    const other = `node-${newId()}`;
    const got: ControlCommand[] = [];
    const stop = await services2.callApiBus.serve(
      other,
      {
        dial: async () => ({ ok: false, status: 'wrong-call', message: 'not here' }),
        control: (cmd) => {
          got.push(cmd);
          return { ok: true };
        },
      },
      () => undefined,
    );
    try {
      const there = newId();
      await h.services.callApiBus.put({ uuid: there, owner: user.uuid, node: other, view: live!.view });
      const r = await h.call('POST', `/api/call/${there}/control`, {
        sid: user.sid,
        body: { controls: [{ id: 'x', control: 'sleep', duration: 5 }] },
      });
      expect(r.status).toBe('ok');
      expect(got).toEqual([
        {
          uuid: there,
          owner: user.uuid,
          request: { queue: 'append', controls: [{ id: 'x', control: 'sleep', duration: 5 }] },
          objects: {},
        },
      ]);
      await h.services.callApiBus.remove({ uuid: there, owner: user.uuid, node: other, view: live!.view });
      // And the real node's call is controlled through the API instance without a telephony node.
      const bye = await h.call('POST', `/api/call/${d.uuid}/control`, {
        sid: user.sid,
        body: { controls: [{ control: 'hangup' }] },
        app: app2,
      });
      expect(bye.status).toBe('ok');
      expect(got).toHaveLength(1);
      await eventually(
        async () =>
          (await h.call('GET', '/api/call', { sid: user.sid, query: { uuid: d.uuid } })).call[d.uuid]
            ?.status === 'hangup' || null,
        'ended on its node',
      );
    } finally {
      await stop();
    }
  });
});
