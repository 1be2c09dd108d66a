/**
 * The call API over HTTP (spec 3.24, 7.18) with the embedded telephony node:
 * dial and control reach the node through Redis, GET /api/call lists live
 * calls from Redis and finished ones from the database, statuses of bad
 * requests, and Idempotency-Key across two API instances.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

    const updates = await updatesOf(user, uuid);
    expect(updates[0]).toMatchObject({ incoming: false, status: 'init', from, to: '+4940111222' });
    expect(updates.at(-1)).toMatchObject({ status: 'hangup', hangup_cause: 21 });
    expect(updates.map((u) => u.status).filter(Boolean)).toEqual(['init', 'calling', 'hangup']);
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
});
