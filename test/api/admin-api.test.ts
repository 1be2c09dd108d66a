/**
 * The admin commands over HTTP under ADMIN_KEY (/admin/api/...): the same
 * JSON as `callplane admin`, in the spec's envelope.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

const KEY = 'admin-key-for-tests';
let h: Harness;
let admin: FastifyInstance;

beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '10000' });
  admin = await h.newApp({ ...h.services, config: { ...h.services.config, adminKey: KEY } });
});
afterAll(async () => {
  await h?.close();
});

async function call(
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
  headers: Record<string, string> = { 'x-admin-key': KEY },
): Promise<{ code: number; body: Record<string, any> }> {
  const res = await admin.inject({
    method,
    url,
    headers,
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  return { code: res.statusCode, body: res.json() };
}

describe('/admin/api', () => {
  it('is off (404) without ADMIN_KEY, and wants the key (401) with it', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/admin/api/users' })).statusCode).toBe(404);
    const none = await call('GET', '/admin/api/users', undefined, {});
    expect(none.code).toBe(401);
    expect(none.body).toMatchObject({ status: 'no-auth' });
    expect((await call('GET', '/admin/api/users', undefined, { 'x-admin-key': 'wrong-key-xx' })).code).toBe(
      401,
    );
    // The same key works as a bearer token and as a basic auth password.
    const bearer = await call('GET', '/admin/api/users', undefined, { authorization: `Bearer ${KEY}` });
    expect(bearer.code).toBe(200);
    const basic = Buffer.from(`ops:${KEY}`).toString('base64');
    expect((await call('GET', '/admin/api/users', undefined, { authorization: `Basic ${basic}` })).code).toBe(
      200,
    );
  });

  it('creates a partner and users and lists them, by partner too', async () => {
    const p = await call('POST', '/admin/api/partners', { name: 'acmeops' });
    expect(p.body).toEqual({ status: 'ok', partner: 'acmeops', key: expect.any(String) });
    const a = await call('POST', '/admin/api/users', {
      username: 'opsalice',
      password: 'secret12345',
      partner: 'acmeops',
    });
    expect(a.body).toEqual({ status: 'ok', uuid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    await call('POST', '/admin/api/users', {
      username: 'opsbob',
      password: 'secret12345',
      email: 'bob@example.com',
    });
    const all = await call('GET', '/admin/api/users');
    expect(all.body.status).toBe('ok');
    const names = (all.body.users as Array<{ username: string }>).map((u) => u.username);
    expect(names).toEqual(expect.arrayContaining(['opsalice', 'opsbob']));
    expect([...names].sort()).toEqual(names);
    const mine = await call('GET', '/admin/api/users?partner=acmeops');
    expect(mine.body.users).toEqual([
      {
        uuid: a.body.uuid,
        username: 'opsalice',
        email: null,
        partner: 'acmeops',
        area_code: null,
        disabled: false,
        created: expect.any(Number),
      },
    ]);
    expect((await call('GET', '/admin/api/users?partner=nope')).body.status).toBe('wrong-partner');
    expect((await call('GET', '/admin/api/users?limit=1')).body.users).toHaveLength(1);
    expect((await call('GET', '/admin/api/users?limit=x')).body.status).toBe('wrong-syntax');
    expect((await call('POST', '/admin/api/users', { username: 'x' })).body.status).toBe('missing-element');
  });

  it('lists numbers as free, reserved and active, by area and state', async () => {
    const u = await h.user();
    const base = 4930_5550_000 + Math.floor(Math.random() * 1000) * 10;
    const [n1, n2, n3] = [1, 2, 3].map((i) => `+${base + i}`) as [string, string, string];
    expect((await call('POST', '/admin/api/numbers', { area: '30', numbers: [n1, n2] })).body).toEqual({
      status: 'ok',
      added: [n1, n2],
    });
    expect((await call('POST', `/admin/api/users/${u.username}/area`, { area: '30' })).body.status).toBe(
      'ok',
    );
    const created = await h.call('POST', '/api/phone', { sid: u.sid, body: { create: true } });
    const reserved = Object.keys(created).find((k) => k.startsWith('+'))!;
    const p = await h.partner();
    const pu = await h.user({ partner: p.name });
    await h.call('POST', `/api/partner/phone/${pu.uuid}`, { sid: p.sid, body: { create: { [n3]: {} } } });

    const list = (await call('GET', '/admin/api/numbers')).body.numbers as Array<Record<string, unknown>>;
    const byNumber = Object.fromEntries(list.map((n) => [n['number'], n]));
    const free = [n1, n2].find((n) => n !== reserved)!;
    expect(byNumber[free]).toEqual({
      number: free,
      state: 'free',
      area_code: '30',
      user: null,
      username: null,
      partner: null,
    });
    expect(byNumber[reserved]).toMatchObject({ state: 'reserved', user: u.uuid, username: u.username });
    expect(byNumber[n3]).toMatchObject({ state: 'active', user: pu.uuid, partner: p.name });
    const onlyFree = (await call('GET', '/admin/api/numbers?state=free&area=30')).body.numbers;
    expect(onlyFree.map((n: { number: string }) => n.number)).toEqual([free]);
    expect((await call('GET', '/admin/api/numbers?state=lost')).body.status).toBe('wrong-syntax');
  });

  it('lists live registrations of every account, or of one user', async () => {
    const [u1, u2] = [await h.user(), await h.user()];
    const bind = (owner: string, name: string, port: number) =>
      h.services.registrations.bind(
        { name, owner, domain: 'sip.callplane.local' },
        {
          contact: `sip:${name}@198.51.100.7:${port}`,
          source: `198.51.100.7:${port}`,
          transport: 'udp',
          expires: 300,
          callId: `call-${name}-${port}`,
          cseq: 1,
          userAgent: 'baresip 3.x',
        },
      );
    await h.services.db
      .insertInto('sip_accounts')
      .values(
        [u1, u2].map((u, i) => ({
          name: `${u.username}_0${i + 1}`,
          owner: u.uuid,
          domain: 'sip.callplane.local',
          description: null,
          password_hash: 'x',
          password_enc: 'x',
          ha1: JSON.stringify({}),
          created_us: Date.now() * 1000,
        })),
      )
      .execute();
    const boundFrom = Math.floor(Date.now() / 1000);
    await bind(u1.uuid, `${u1.username}_01`, 5070);
    await bind(u1.uuid, `${u1.username}_01`, 5072);
    await bind(u2.uuid, `${u2.username}_02`, 5074);
    const boundBy = Math.ceil(Date.now() / 1000);

    const all = (await call('GET', '/admin/api/registrations')).body.registrations as Array<
      Record<string, unknown>
    >;
    expect(all.filter((r) => r['user'] === u1.uuid || r['user'] === u2.uuid)).toHaveLength(3);
    const mine = await call('GET', `/admin/api/registrations?user=${u1.username}`);
    expect(mine.body.registrations).toHaveLength(2);
    expect(mine.body.registrations[0]).toEqual({
      account: `${u1.username}_01`,
      domain: 'sip.callplane.local',
      user: u1.uuid,
      contact: expect.stringMatching(/^sip:.*@198\.51\.100\.7:507[02]$/),
      source: expect.stringMatching(/^198\.51\.100\.7:507[02]$/),
      transport: 'udp',
      expire: expect.any(Number),
      user_agent: 'baresip 3.x',
    });
    expect(mine.body.registrations[0].expire).toBeGreaterThanOrEqual(boundFrom + 300);
    expect(mine.body.registrations[0].expire).toBeLessThanOrEqual(boundBy + 300);
    expect((await call('GET', `/admin/api/registrations?user=${u2.uuid}`)).body.registrations).toHaveLength(
      1,
    );
    expect((await call('GET', '/admin/api/registrations?user=nobody')).body.status).toBe('wrong-user');
  });

  it('lists live calls of every node and sends a hang-up to the node that holds the call', async () => {
    const u = await h.user();
    const node = `node-${Date.now()}`;
    const got: Array<[string, unknown]> = [];
    const unlisten = await h.services.liveCalls.listen(node, (uuid, command) => got.push([uuid, command]));
    const uuid = '6f1c2a10-e7be-11f1-960f-1fec816a18e1';
    const summary = {
      uuid,
      node,
      owner: u.uuid,
      number: '+4930555000999',
      incoming: true,
      from: '+492215550100',
      to: '+4930555000999',
      clip: null,
      clir: false,
      state: 'answered' as const,
      createdAt: 1_790_000_000_000,
      answeredAt: 1_790_000_002_000,
      endedAt: null,
      hangupCause: null,
    };
    await h.services.liveCalls.put(summary);
    await h.services.liveCalls.flush();
    try {
      const all = await call('GET', `/admin/api/calls?node=${node}`);
      expect(all.body).toEqual({
        status: 'ok',
        calls: [
          {
            uuid,
            node,
            user: u.uuid,
            number: '+4930555000999',
            incoming: true,
            from: '+492215550100',
            to: '+4930555000999',
            state: 'answered',
            created: 1_790_000_000,
            answered: 1_790_000_002,
          },
        ],
      });
      expect((await call('GET', `/admin/api/calls?user=${u.username}`)).body.calls).toHaveLength(1);
      expect(
        (await call('GET', '/admin/api/calls')).body.calls.map((c: { uuid: string }) => c.uuid),
      ).toContain(uuid);
      const hung = await call('POST', `/admin/api/calls/${uuid}/hangup`, { cause: 17 });
      expect(hung.body).toEqual({ status: 'ok', uuid, node, hangup_cause: 17 });
      await vi.waitFor(() => expect(got).toEqual([[uuid, { kind: 'hangup', cause: 17 }]]));
      const unknown = await call('POST', '/admin/api/calls/00000000-0000-1000-8000-000000000000/hangup', {});
      expect(unknown.body.status).toBe('wrong-call');
      expect((await call('POST', `/admin/api/calls/${uuid}/hangup`, { cause: 300 })).body.status).toBe(
        'wrong-syntax',
      );
    } finally {
      await h.services.liveCalls.remove(summary);
      await h.services.liveCalls.flush();
      await unlisten();
    }
    expect((await call('GET', `/admin/api/calls?node=${node}`)).body.calls).toEqual([]);
  });

  it('lists and lifts the SIP password guard blocks', async () => {
    const blocked = await call('GET', '/admin/api/auth/blocked');
    expect(blocked.body).toMatchObject({ status: 'ok', blocked: expect.any(Array) });
    const lifted = await call('POST', '/admin/api/auth/unblock/198.51.100.99');
    expect(lifted.body).toMatchObject({ status: 'ok', target: '198.51.100.99' });
  });

  it('is not part of the OpenAPI description', async () => {
    const doc = (await admin.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/admin'))).toEqual([]);
  });
});
