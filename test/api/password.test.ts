import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '10000' });
});
afterAll(async () => {
  await h?.close();
});

const anonymous = async (): Promise<string> => (await h.call('GET', '/api/session')).sid as string;
const login = (username: string, password: string) =>
  h.call('POST', '/api/session', { body: { username, password } });

async function partnerUserWithCode(email?: string) {
  const p = await h.partner();
  const u = await h.user({ partner: p.name, ...(email ? { email } : {}) });
  const { code } = await h.call('POST', `/api/partner/recovery/${u.uuid}`, { sid: p.sid });
  return { p, u, code: code as string };
}

describe('POST /api/password (spec 3.3)', () => {
  it('resets the password by username and authenticates the session (spec example)', async () => {
    const { p, u, code } = await partnerUserWithCode();
    const sid = await anonymous();
    const res = await h.call('POST', '/api/password', {
      sid,
      body: { username: u.username, code, password: 'newpass' },
    });
    expect(res).toEqual({ status: 'ok', partner: p.name });
    const info = await h.call('GET', '/api/session', { sid });
    expect(info).toMatchObject({ auth: true, partner: p.name });
    const session = await h.services.sessions.get(sid);
    expect(session).toMatchObject({ kind: 'user', userId: u.uuid, partnerId: p.id, partnerName: p.name });
    // The new session is one of the user's sessions (disable/delete can end it).
    expect(await h.services.sessions.sessionsOfUser(u.uuid)).toContain(sid);

    expect((await login(u.username, 'newpass')).status).toBe('ok');
    expect((await login(u.username, u.password)).status).toBe('wrong-credentials');
    // The code is used up.
    const again = await h.call('POST', '/api/password', {
      sid: await anonymous(),
      body: { username: u.username, code, password: 'another1' },
    });
    expect(again.status).toBe('wrong-username');
    expect((await login(u.username, 'newpass')).status).toBe('ok');
  });

  it('resets by e-mail, case-insensitively', async () => {
    const email = `Jane${Date.now()}@Doe.example`;
    const { u, code } = await partnerUserWithCode(email);
    const res = await h.call('POST', '/api/password', {
      sid: await anonymous(),
      body: { email: email.toLowerCase(), code, password: 'newpass' },
    });
    expect(res.status).toBe('ok');
    expect((await login(u.username, 'newpass')).status).toBe('ok');
  });

  it('leaves out partner for a user without a partner', async () => {
    const u = await h.user();
    const code = await h.services.lifecycle.createRecoveryCode(u.uuid);
    const res = await h.call('POST', '/api/password', {
      sid: await anonymous(),
      body: { username: u.username, code, password: 'newpass' },
    });
    expect(res).toEqual({ status: 'ok' });
  });

  it('answers wrong-username for unknown users, wrong, foreign and expired codes', async () => {
    const { u, code } = await partnerUserWithCode();
    const other = await partnerUserWithCode();
    const cases = [
      { username: 'nobody4711', code, password: 'newpass' },
      { email: 'nobody@nowhere.example', code, password: 'newpass' },
      { username: u.username, code: 'abcdefghijklmnopqrstuvwxyz', password: 'newpass' },
      { username: u.username, code: other.code, password: 'newpass' },
      { username: other.u.username, code, password: 'newpass' },
    ];
    for (const body of cases) {
      const sid = await anonymous();
      expect((await h.call('POST', '/api/password', { sid, body })).status, JSON.stringify(body)).toBe(
        'wrong-username',
      );
      expect((await h.call('GET', '/api/session', { sid })).auth).toBe(false);
    }
    // Still valid after the failures, until it expires.
    await h.services.db
      .updateTable('password_recoveries')
      .set({ expires_us: Date.now() * 1000 - 1 })
      .where('user_uuid', '=', u.uuid)
      .execute();
    const expired = await h.call('POST', '/api/password', {
      sid: await anonymous(),
      body: { username: u.username, code, password: 'newpass' },
    });
    expect(expired.status).toBe('wrong-username');
    expect((await login(u.username, u.password)).status).toBe('ok');
  });

  it('answers wrong-username for disabled and deleted users', async () => {
    const a = await partnerUserWithCode();
    await h.call('POST', `/api/partner/user/${a.u.uuid}`, { sid: a.p.sid, body: { disabled: true } });
    const res = await h.call('POST', '/api/password', {
      sid: await anonymous(),
      body: { username: a.u.username, code: a.code, password: 'newpass' },
    });
    expect(res.status).toBe('wrong-username');

    const b = await partnerUserWithCode();
    await h.services.lifecycle.delete(b.u.uuid);
    const res2 = await h.call('POST', '/api/password', {
      sid: await anonymous(),
      body: { username: b.u.username, code: b.code, password: 'newpass' },
    });
    expect(res2.status).toBe('wrong-username');
  });

  it('lets only one of two concurrent resets with the same code succeed', async () => {
    const { u, code } = await partnerUserWithCode();
    const [s1, s2] = [await anonymous(), await anonymous()];
    const results = await Promise.all([
      h.call('POST', '/api/password', { sid: s1, body: { username: u.username, code, password: 'first1' } }),
      h.call('POST', '/api/password', { sid: s2, body: { username: u.username, code, password: 'second2' } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['ok', 'wrong-username']);
    const winner = results[0].status === 'ok' ? 'first1' : 'second2';
    expect((await login(u.username, winner)).status).toBe('ok');
  });

  it('checks field formats and required fields', async () => {
    const { u, code } = await partnerUserWithCode();
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ username: u.username, password: 'newpass' }, 'missing-element'],
      [{ username: u.username, code }, 'missing-element'],
      [{ code, password: 'newpass' }, 'missing-element'],
      [{ username: 'x', code, password: 'newpass' }, 'wrong-syntax'],
      [{ username: 'bad name', code, password: 'newpass' }, 'wrong-syntax'],
      [{ email: 'not-an-email', code, password: 'newpass' }, 'wrong-syntax'],
      [{ username: u.username, code: 'has-dash', password: 'newpass' }, 'wrong-syntax'],
      [{ username: u.username, code: 'a'.repeat(51), password: 'newpass' }, 'wrong-syntax'],
      [{ username: u.username, code: '', password: 'newpass' }, 'wrong-syntax'],
      [{ username: u.username, code, password: 'four' }, 'wrong-syntax'],
      [{ username: u.username, code, password: 'x'.repeat(51) }, 'wrong-syntax'],
      [{ username: u.username, code, password: 12345 }, 'wrong-syntax'],
    ];
    for (const [body, status] of bad) {
      const res = await h.call('POST', '/api/password', { sid: await anonymous(), body });
      expect(res.status, JSON.stringify(body)).toBe(status);
    }
    // None of that used the code.
    const ok = await h.call('POST', '/api/password', {
      sid: await anonymous(),
      body: { username: u.username, code, password: 'x'.repeat(50) },
    });
    expect(ok.status).toBe('ok');
  });

  it('needs a session that is not authenticated', async () => {
    const { p, u, code } = await partnerUserWithCode();
    const body = { username: u.username, code, password: 'newpass' };
    expect((await h.call('POST', '/api/password', { body })).status).toBe('no-session');
    expect((await h.call('POST', '/api/password', { sid: 'unknownsid', body })).status).toBe('no-session');
    expect((await h.call('POST', '/api/password', { sid: u.sid, body })).status).toBe('already-auth');
    expect((await h.call('POST', '/api/password', { sid: p.sid, body })).status).toBe('already-auth');
    // The code survived the refused calls.
    expect((await h.call('POST', '/api/password', { sid: await anonymous(), body })).status).toBe('ok');
  });
});
