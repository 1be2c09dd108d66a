import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadKey } from '../../src/api/plugins/session-auth.js';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '1000' });
});
afterAll(async () => {
  await h?.close();
});

describe('GET /api/session (spec 3.1)', () => {
  it('creates an unauthenticated session with the spec fields and cookies', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/api/session',
      headers: { host: 'api.example:8080' },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      status: 'ok',
      auth: false,
      next_event: 0,
      server: 'http://api.example:8080',
    });
    expect(body.sid).toMatch(/^[A-Za-z0-9]{30}$/);
    expect(body.did).toMatch(/^[A-Za-z0-9]{30}$/);
    expect(body).not.toHaveProperty('partner');
    const cookies = Object.fromEntries(res.cookies.map((c) => [c.name, c.value]));
    expect(cookies['sid']).toBe(body.sid);
    expect(cookies['server']).toBe('http://api.example:8080');
  });

  it('re-uses a session given by bearer, cookie or sid parameter', async () => {
    const { sid } = await h.call('GET', '/api/session');
    expect((await h.call('GET', '/api/session', { sid })).sid).toBe(sid);
    expect((await h.call('GET', `/api/session?sid=${sid}`)).sid).toBe(sid);
    expect((await h.call('GET', '/api/session', { headers: { cookie: `sid=${sid}` } })).sid).toBe(sid);
  });

  it('answers wrong-session for an unknown sid and clears the cookies', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/session?sid=doesnotexist' });
    expect(res.json().status).toBe('wrong-session');
    const sidCookie = res.cookies.find((c) => c.name === 'sid');
    expect(sidCookie?.value).toBe('');
  });

  it('refuses unknown languages with wrong-syntax', async () => {
    expect((await h.call('GET', '/api/session?language=fr')).status).toBe('wrong-syntax');
  });

  it('throttles session creation per address (resource-throttle)', async () => {
    const t = await createHarness({ SESSION_CREATE_LIMIT: '3' });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await t.call('GET', '/api/session')).status);
      expect(statuses).toEqual(['ok', 'ok', 'ok', 'resource-throttle', 'resource-throttle']);
    } finally {
      await t.close();
    }
  });
});

describe('POST /api/session (spec 3.1)', () => {
  it('authenticates a user by username on an existing session (example 1)', async () => {
    const u = await h.user();
    const { sid } = await h.call('GET', '/api/session');
    const res = await h.call('POST', '/api/session', {
      sid,
      body: { username: u.username, password: u.password },
    });
    expect(res).toEqual({ status: 'ok' });
    expect((await h.call('GET', '/api/session', { sid })).auth).toBe(true);
  });

  it('authenticates by e-mail, case-insensitively', async () => {
    const u = await h.user({ email: 'John@Doe.example' });
    const res = await h.call('POST', '/api/session', {
      body: { email: 'john@doe.example', password: u.password },
    });
    expect(res.status).toBe('ok');
    expect(res.auth).toBe(true);
  });

  it('creates an authenticated session when called without one (example 2)', async () => {
    const u = await h.user();
    const res = await h.call('POST', '/api/session', {
      body: { username: u.username, password: u.password },
    });
    expect(res).toMatchObject({ status: 'ok', auth: true, next_event: 0 });
    expect(res.sid).toBeTypeOf('string');
    expect((await h.call('GET', '/api/session', { sid: res.sid })).auth).toBe(true);
  });

  it('returns the partner name for a partner user', async () => {
    const p = await h.partner();
    const u = await h.user({ partner: p.name });
    const res = await h.call('POST', '/api/session', {
      body: { username: u.username, password: u.password },
    });
    expect(res.partner).toBe(p.name);
    const { sid } = await h.call('GET', '/api/session');
    expect(
      await h.call('POST', '/api/session', { sid, body: { username: u.username, password: u.password } }),
    ).toEqual({ status: 'ok', partner: p.name });
  });

  it('answers wrong-credentials for a wrong password or unknown user', async () => {
    const u = await h.user();
    expect(
      (await h.call('POST', '/api/session', { body: { username: u.username, password: 'wrongpass' } }))
        .status,
    ).toBe('wrong-credentials');
    expect(
      (await h.call('POST', '/api/session', { body: { username: 'nobody99', password: 'whatever' } })).status,
    ).toBe('wrong-credentials');
  });

  it('answers already-auth on an authenticated session', async () => {
    const u = await h.user();
    const res = await h.call('POST', '/api/session', {
      sid: u.sid,
      body: { username: u.username, password: u.password },
    });
    expect(res.status).toBe('already-auth');
  });

  it('checks every field against the spec format', async () => {
    const { sid } = await h.call('GET', '/api/session');
    const bad = [
      { username: 'a', password: 'secret12345' },
      { username: 'john_doe', password: 'secret12345' },
      { username: 'johndoe', password: '1234' },
      { partner: 'x', key: 'abcdef' },
      { partner: 'abc', key: 'abcdef', user: 'not-a-uuid' },
      { email: 'nomail', password: 'secret12345' },
    ];
    for (const body of bad)
      expect((await h.call('POST', '/api/session', { sid, body })).status).toBe('wrong-syntax');
    expect((await h.call('POST', '/api/session', { sid, body: { username: 'johndoe' } })).status).toBe(
      'missing-element',
    );
    expect((await h.call('POST', '/api/session', { sid, body: { password: 'secret12345' } })).status).toBe(
      'missing-element',
    );
    expect((await h.call('POST', '/api/session', { sid, body: '{"username": ' })).status).toBe(
      'wrong-syntax',
    );
    expect((await h.call('POST', '/api/session', { sid, body: '[1,2]' })).status).toBe('wrong-syntax');
  });

  it('authenticates a partner (example 3) and a partner proxy (example 4)', async () => {
    const p = await h.partner();
    expect((await h.call('GET', '/api/session', { sid: p.sid })).auth).toBe(true);
    const u = await h.user({ partner: p.name });
    const { sid } = await h.call('GET', '/api/session');
    expect(
      await h.call('POST', '/api/session', { sid, body: { partner: p.name, key: p.key, user: u.uuid } }),
    ).toEqual({
      status: 'ok',
    });
    const info = await h.call('GET', '/api/session', { sid });
    expect(info).toMatchObject({ auth: true, partner: p.name });
  });

  it('refuses a proxy for another partner’s user with wrong-user, and a wrong key', async () => {
    const p1 = await h.partner();
    const p2 = await h.partner();
    const u = await h.user({ partner: p2.name });
    const { sid } = await h.call('GET', '/api/session');
    expect(
      (await h.call('POST', '/api/session', { sid, body: { partner: p1.name, key: p1.key, user: u.uuid } }))
        .status,
    ).toBe('wrong-user');
    expect(
      (await h.call('POST', '/api/session', { sid, body: { partner: p1.name, key: 'wrongkey' } })).status,
    ).toBe('wrong-credentials');
  });

  it('needs a session for partner authentication', async () => {
    const p = await h.partner();
    expect((await h.call('POST', '/api/session', { body: { partner: p.name, key: p.key } })).status).toBe(
      'no-session',
    );
  });
});

describe('DELETE /api/session and session lifetime', () => {
  it('deletes the session; the sid is then refused', async () => {
    const u = await h.user();
    expect(await h.call('DELETE', '/api/session', { sid: u.sid })).toEqual({ status: 'ok' });
    expect((await h.call('DELETE', '/api/session', { sid: u.sid })).status).toBe('no-session');
    expect((await h.call('GET', '/api/session', { sid: u.sid })).status).toBe('wrong-session');
  });

  it('needs a session', async () => {
    expect((await h.call('DELETE', '/api/session')).status).toBe('no-session');
  });

  it('sessions survive an app restart and are served by another API node', async () => {
    const u = await h.user();
    const other = await h.newApp();
    expect((await h.call('GET', '/api/session', { sid: u.sid, app: other })).auth).toBe(true);
    await h.app.close();
    const restarted = await h.newApp();
    h.app = restarted;
    expect((await h.call('GET', '/api/session', { sid: u.sid, app: restarted })).auth).toBe(true);
  });

  it('GET /api/session confirms a session only to its own Origin (spec 2.1, 3.1 wrong-origin)', async () => {
    const created = await h.call('GET', '/api/session', { headers: { origin: 'https://app.example' } });
    const sid = created.sid as string;
    const res = await h.app.inject({
      method: 'GET',
      url: '/api/session',
      headers: { authorization: `Bearer ${sid}`, origin: 'https://evil.example' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('wrong-origin');
    // The foreign origin learns nothing of the session and gets no cookie for it.
    expect(res.json().sid).toBeUndefined();
    expect(res.headers['set-cookie']).toBeUndefined();
    const again = await h.call('GET', '/api/session', { sid, headers: { origin: 'https://app.example' } });
    expect(again).toMatchObject({ status: 'ok', sid, auth: false });
    // A request without an Origin header (curl, native apps) is not a cross-origin one.
    expect((await h.call('GET', '/api/session', { sid })).status).toBe('ok');
  });

  it('refuses a request whose Origin differs from the session creation (wrong-origin)', async () => {
    const { sid } = await h.call('GET', '/api/session', { headers: { origin: 'https://app.example' } });
    expect(
      (await h.call('DELETE', '/api/session', { sid, headers: { origin: 'https://evil.example' } })).status,
    ).toBe('wrong-origin');
    expect(
      (await h.call('DELETE', '/api/session', { sid, headers: { origin: 'https://app.example' } })).status,
    ).toBe('ok');
  });
});

describe('generic rules (spec 2)', () => {
  it('GET /api/language needs no session', async () => {
    expect(await h.call('GET', '/api/language')).toEqual({ status: 'ok', language: ['en', 'de'] });
  });

  it('computes dkey as base64url(md5(lowercase(uuid) + sid))', () => {
    // md5("abc" + "def") = md5("abcdef") = e80b5017098950fc58aad83c8c14978e
    expect(downloadKey('ABC', 'def')).toBe(
      Buffer.from('e80b5017098950fc58aad83c8c14978e', 'hex').toString('base64url'),
    );
  });

  it('publishes an OpenAPI 3 description with status strings', async () => {
    const doc = await h.call('GET', '/api/openapi.json');
    expect(doc.openapi).toMatch(/^3\./);
    const post = doc.paths['/api/session'].post;
    expect(post.responses['200'].content['application/json'].schema.properties.status.enum).toContain(
      'already-auth',
    );
  });

  it('answers unknown API calls in the envelope: HTTP 200, wrong-syntax', async () => {
    for (const [method, url] of [
      ['GET', '/api/nonexistent'],
      ['PATCH', '/api/session'],
      ['GET', '/'],
    ] as const) {
      const res = await h.app.inject({ method, url });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'wrong-syntax', message: `no API call ${method} ${url}` });
    }
  });
});

describe('session lifetime renewal', () => {
  it('renews the expiry of the session and of its event stream on use', async () => {
    const u = await h.user();
    await h.services.events.publish({ users: [u.uuid] }, 'user_modify', {});
    const p = h.config.redisPrefix;
    await h.redis.expire(`${p}session:${u.sid}`, 5);
    await h.redis.expire(`${p}ev:next:${u.sid}`, 5);
    await h.redis.expire(`${p}ev:log:${u.sid}`, 5);
    expect((await h.call('GET', '/api/session', { sid: u.sid })).status).toBe('ok');
    for (const key of [`session:${u.sid}`, `ev:next:${u.sid}`, `ev:log:${u.sid}`]) {
      expect(await h.redis.ttl(`${p}${key}`)).toBeGreaterThan(60);
    }
  });
});

describe("a user's sessions (events to a user)", () => {
  it('lists the live ones in one read; a session that expired leaves the set', async () => {
    const u = await h.user();
    const second = await h.call('POST', '/api/session', {
      sid: (await h.call('GET', '/api/session')).sid as string,
      body: { username: u.username, password: u.password },
    });
    expect(second.status).toBe('ok');
    const sids = await h.services.sessions.sessionsOfUser(u.uuid);
    expect(sids).toHaveLength(2);
    expect(sids).toContain(u.sid);
    const gone = sids.find((s) => s !== u.sid)!;
    // The session's key expired (idle timeout); the user's set still names it.
    await h.redis.del(`${h.config.redisPrefix}session:${gone}`);
    expect(await h.services.sessions.sessionsOfUser(u.uuid)).toEqual([u.sid]);
    expect(await h.redis.smembers(`${h.config.redisPrefix}user-sessions:${u.uuid}`)).toEqual([u.sid]);
  });
});
