import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUuid, uuidV1Micros } from '../../src/lib/ids.js';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '10000' });
});
afterAll(async () => {
  await h?.close();
});

const anonymous = async (language?: 'de' | 'en'): Promise<string> =>
  (await h.call('GET', '/api/session', language ? { query: { language } } : {})).sid as string;

let seq = 0;
const uniq = (): string => `${Date.now().toString(36)}${(seq += 1)}`;

/** The spec's sign-up request example, made unique. */
const signupBody = (verification: string, extra: Record<string, unknown> = {}) => ({
  username: `johndoe${uniq()}`.slice(0, 20),
  firstname: 'John',
  lastname: 'Doe',
  display_name: 'Johnny Doe',
  country_code: '+49',
  password: 'secret12345',
  language: 'de',
  newsletter: true,
  email: `john${uniq()}@doe.com`,
  verification,
  ...extra,
});

async function verification(partnerSid: string, body: Record<string, unknown> = {}) {
  const res = await h.call('POST', '/api/signup/verification', { sid: partnerSid, body });
  expect(res.status).toBe('ok');
  return res as unknown as { verification: string; uuid: string; info?: unknown };
}

describe('POST /api/signup/verification (spec 3.2)', () => {
  it('starts a partner-controlled sign-up (example 2)', async () => {
    const p = await h.partner();
    const res = await h.call('POST', '/api/signup/verification', {
      sid: p.sid,
      body: { info: { some: ['thing', 4711] } },
    });
    expect(res).toEqual({
      status: 'ok',
      verification: expect.stringMatching(/^[A-Za-z0-9]{25}$/),
      uuid: expect.any(String),
      info: { some: ['thing', 4711] },
    });
    expect(isUuid(res.uuid)).toBe(true);
    expect(uuidV1Micros(res.uuid)).not.toBeNull();
    const second = await verification(p.sid, { info: 1 });
    expect(second.verification).not.toBe(res.verification);
    expect(second.uuid).not.toBe(res.uuid);
  });

  it('accepts any JSON info up to 10000 characters, and no info at all', async () => {
    const p = await h.partner();
    for (const info of ['text', 0, false, null, [1, 2], { a: { b: 'c' } }, 'x'.repeat(9998)]) {
      const res = await verification(p.sid, { info });
      expect(res.info).toEqual(info);
    }
    const none = await verification(p.sid);
    expect(none).not.toHaveProperty('info');
    const tooLong = await h.call('POST', '/api/signup/verification', {
      sid: p.sid,
      body: { info: 'x'.repeat(9999) },
    });
    expect(tooLong.status).toBe('wrong-syntax');
  });

  it('answers already-exist for the e-mail address of an existing user', async () => {
    const p = await h.partner();
    const email = `taken${uniq()}@doe.com`;
    await h.user({ email });
    const res = await h.call('POST', '/api/signup/verification', {
      sid: p.sid,
      body: { email: email.toUpperCase() },
    });
    expect(res.status).toBe('already-exist');
    expect(
      (await h.call('POST', '/api/signup/verification', { sid: p.sid, body: { email: 'x@' } })).status,
    ).toBe('wrong-syntax');
  });

  it('refuses the captcha and hardware-code forms, which are not served', async () => {
    const sid = await anonymous();
    const call = (body: unknown) => h.call('POST', '/api/signup/verification', { sid, body });
    expect((await call({ captcha: 'soLuTiOn', email: 'john@doe.com' })).status).toBe('wrong-captcha');
    expect((await call({ 'hardware-code': 'ABCDE-FGHIJ-KLMNI-OPQRS', email: 'john@doe.com' })).status).toBe(
      'wrong-code',
    );
    expect((await call({ email: 'john@doe.com' })).status).toBe('missing-element');
    expect((await call({ captcha: 'soLuTiOn' })).status).toBe('missing-element');
    expect((await call({ 'hardware-code': 'ABCDE-FGHIJ-KLMNI-OPQRS' })).status).toBe('missing-element');
    expect((await call({ captcha: 'so-lution', email: 'john@doe.com' })).status).toBe('wrong-syntax');
    expect((await call({ 'hardware-code': 'short', email: 'john@doe.com' })).status).toBe('wrong-syntax');
    // Also on a user session: no partner, so the user forms apply.
    const u = await h.user();
    expect(
      (await h.call('POST', '/api/signup/verification', { sid: u.sid, body: { info: { a: 1 } } })).status,
    ).toBe('missing-element');
  });

  it('needs a session', async () => {
    expect((await h.call('POST', '/api/signup/verification', { body: { info: 1 } })).status).toBe(
      'no-session',
    );
  });
});

describe('GET and DELETE /api/signup/verification/(verification) (spec 3.2)', () => {
  it('answers partner, uuid and info on any session (example 2)', async () => {
    const p = await h.partner();
    const v = await verification(p.sid, { info: { some: ['thing', 4711] } });
    const expected = { status: 'ok', partner: p.name, uuid: v.uuid, info: { some: ['thing', 4711] } };
    expect(
      await h.call('GET', `/api/signup/verification/${v.verification}`, { sid: await anonymous() }),
    ).toEqual(expected);
    expect(await h.call('GET', `/api/signup/verification/${v.verification}`, { sid: p.sid })).toEqual(
      expected,
    );
    const u = await h.user();
    expect(await h.call('GET', `/api/signup/verification/${v.verification}`, { sid: u.sid })).toEqual(
      expected,
    );
    const plain = await verification(p.sid);
    expect(await h.call('GET', `/api/signup/verification/${plain.verification}`, { sid: u.sid })).toEqual({
      status: 'ok',
      partner: p.name,
      uuid: plain.uuid,
    });
    const withEmail = await verification(p.sid, { email: 'pre@set.example' });
    expect(
      (await h.call('GET', `/api/signup/verification/${withEmail.verification}`, { sid: u.sid })).email,
    ).toBe('pre@set.example');
  });

  it('answers unknown-verification for unknown and expired keys', async () => {
    const p = await h.partner();
    const sid = await anonymous();
    expect((await h.call('GET', '/api/signup/verification/diJaDia8Aiofjb9aaobasdfDF', { sid })).status).toBe(
      'unknown-verification',
    );
    const v = await verification(p.sid);
    await h.services.db
      .updateTable('signup_verifications')
      .set({ expires_us: Date.now() * 1000 - 1 })
      .where('user_uuid', '=', v.uuid)
      .execute();
    expect((await h.call('GET', `/api/signup/verification/${v.verification}`, { sid })).status).toBe(
      'unknown-verification',
    );
    expect((await h.call('DELETE', `/api/signup/verification/${v.verification}`, { sid })).status).toBe(
      'unknown-verification',
    );
    expect((await h.call('GET', `/api/signup/verification/bad-key`, { sid })).status).toBe('wrong-syntax');
    expect((await h.call('GET', `/api/signup/verification/${'a'.repeat(51)}`, { sid })).status).toBe(
      'wrong-syntax',
    );
  });

  it('deletes a key once', async () => {
    const p = await h.partner();
    const v = await verification(p.sid);
    const sid = await anonymous();
    expect(await h.call('DELETE', `/api/signup/verification/${v.verification}`, { sid })).toEqual({
      status: 'ok',
    });
    expect((await h.call('GET', `/api/signup/verification/${v.verification}`, { sid })).status).toBe(
      'unknown-verification',
    );
    expect((await h.call('DELETE', `/api/signup/verification/${v.verification}`, { sid })).status).toBe(
      'unknown-verification',
    );
    expect((await h.call('POST', '/api/signup/user', { sid, body: signupBody(v.verification) })).status).toBe(
      'unknown-verification',
    );
  });

  it('needs a session', async () => {
    expect((await h.call('GET', '/api/signup/verification/abc')).status).toBe('no-session');
    expect((await h.call('DELETE', '/api/signup/verification/abc')).status).toBe('no-session');
  });
});

describe('POST /api/signup/user (spec 3.2)', () => {
  it('creates the user with the verification uuid and authenticates the session (spec example)', async () => {
    const p = await h.partner();
    const v = await verification(p.sid, { info: { some: ['thing', 4711] } });
    const sid = await anonymous('en');
    const body = signupBody(v.verification);
    expect(await h.call('POST', '/api/signup/user', { sid, body })).toEqual({ status: 'ok' });

    expect(await h.call('GET', '/api/session', { sid })).toMatchObject({ auth: true, partner: p.name });
    expect(await h.services.sessions.get(sid)).toMatchObject({
      kind: 'user',
      userId: v.uuid,
      partnerId: p.id,
    });
    const row = await h.services.users.byId(v.uuid);
    expect(row).toMatchObject({
      username: body.username,
      firstname: 'John',
      lastname: 'Doe',
      display_name: 'Johnny Doe',
      country_code: '+49',
      language: 'de',
      newsletter: true,
      email: body.email,
      partner_id: p.id,
    });
    expect((await h.call('GET', '/api/partner/user', { sid: p.sid })).users).toEqual([v.uuid]);
    expect((await h.call('GET', `/api/partner/user/${v.uuid}`, { sid: p.sid })).user.username).toBe(
      body.username,
    );
    // The key is used up, and the user can log in.
    expect((await h.call('GET', `/api/signup/verification/${v.verification}`, { sid: p.sid })).status).toBe(
      'unknown-verification',
    );
    const login = await h.call('POST', '/api/session', {
      body: { username: body.username, password: 'secret12345' },
    });
    expect(login).toMatchObject({ status: 'ok', partner: p.name });
  });

  it('fills in the defaults: session language, +49, newsletter, "firstname lastname"', async () => {
    const p = await h.partner();
    const v = await verification(p.sid);
    const sid = await anonymous('en');
    const res = await h.call('POST', '/api/signup/user', {
      sid,
      body: {
        username: `jane${uniq()}`.slice(0, 20),
        firstname: 'Jane',
        lastname: 'Roe',
        password: 'secret12345',
        email: `jane${uniq()}@roe.example`,
        verification: v.verification,
      },
    });
    expect(res.status).toBe('ok');
    expect(await h.services.users.byId(v.uuid)).toMatchObject({
      language: 'en',
      country_code: '+49',
      newsletter: true,
      display_name: 'Jane Roe',
    });
  });

  it('uses the e-mail address the verification carries', async () => {
    const p = await h.partner();
    const email = `carried${uniq()}@doe.example`;
    const v = await verification(p.sid, { email });
    const body = signupBody(v.verification);
    delete (body as Partial<typeof body>).email;
    expect((await h.call('POST', '/api/signup/user', { sid: await anonymous(), body })).status).toBe('ok');
    expect((await h.services.users.byId(v.uuid))?.email).toBe(email);
  });

  it('needs an e-mail address when the verification carries none; the key stays usable', async () => {
    const p = await h.partner();
    const v = await verification(p.sid);
    const sid = await anonymous();
    const body = signupBody(v.verification);
    delete (body as Partial<typeof body>).email;
    expect((await h.call('POST', '/api/signup/user', { sid, body })).status).toBe('missing-element');
    expect((await h.call('GET', '/api/session', { sid })).auth).toBe(false);
    expect((await h.call('POST', '/api/signup/user', { sid, body: signupBody(v.verification) })).status).toBe(
      'ok',
    );
  });

  it('answers duplicate-username and already-exist; the key stays usable', async () => {
    const p = await h.partner();
    const existing = await h.user({ email: `exists${uniq()}@doe.example` });
    const existingEmail = (await h.services.users.byId(existing.uuid))!.email!;
    const v = await verification(p.sid, { info: { keep: true } });
    const sid = await anonymous();
    const dup = await h.call('POST', '/api/signup/user', {
      sid,
      body: signupBody(v.verification, { username: existing.username.toUpperCase() }),
    });
    expect(dup.status).toBe('duplicate-username');
    const taken = await h.call('POST', '/api/signup/user', {
      sid,
      body: signupBody(v.verification, { email: existingEmail }),
    });
    expect(taken.status).toBe('already-exist');
    expect(await h.services.users.byId(v.uuid)).toBeUndefined();
    expect(await h.call('GET', `/api/signup/verification/${v.verification}`, { sid })).toEqual({
      status: 'ok',
      partner: p.name,
      uuid: v.uuid,
      info: { keep: true },
    });
    expect((await h.call('POST', '/api/signup/user', { sid, body: signupBody(v.verification) })).status).toBe(
      'ok',
    );
  });

  it('answers unknown-verification for unknown and expired keys', async () => {
    const p = await h.partner();
    const sid = await anonymous();
    expect(
      (await h.call('POST', '/api/signup/user', { sid, body: signupBody('diJaDia8Aiofjb9aaobasdfDF') }))
        .status,
    ).toBe('unknown-verification');
    const v = await verification(p.sid);
    await h.services.db
      .updateTable('signup_verifications')
      .set({ expires_us: Date.now() * 1000 - 1 })
      .where('user_uuid', '=', v.uuid)
      .execute();
    expect((await h.call('POST', '/api/signup/user', { sid, body: signupBody(v.verification) })).status).toBe(
      'unknown-verification',
    );
  });

  it('lets only one of two concurrent sign-ups with the same key succeed', async () => {
    const p = await h.partner();
    const v = await verification(p.sid);
    const [s1, s2] = [await anonymous(), await anonymous()];
    const results = await Promise.all([
      h.call('POST', '/api/signup/user', { sid: s1, body: signupBody(v.verification) }),
      h.call('POST', '/api/signup/user', { sid: s2, body: signupBody(v.verification) }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['ok', 'unknown-verification']);
    const count = await h.services.db.selectFrom('users').select('uuid').where('uuid', '=', v.uuid).execute();
    expect(count).toHaveLength(1);
  });

  it('checks every field format', async () => {
    const p = await h.partner();
    const v = await verification(p.sid);
    const sid = await anonymous();
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ username: 'j' }, 'wrong-syntax'],
      [{ username: 'john doe' }, 'wrong-syntax'],
      [{ username: 'a'.repeat(21) }, 'wrong-syntax'],
      [{ firstname: '' }, 'wrong-syntax'],
      [{ firstname: 'x'.repeat(51) }, 'wrong-syntax'],
      [{ lastname: '' }, 'wrong-syntax'],
      [{ display_name: 'x'.repeat(101) }, 'wrong-syntax'],
      [{ country_code: '49' }, 'wrong-syntax'],
      [{ country_code: '+1234' }, 'wrong-syntax'],
      [{ password: 'four' }, 'wrong-syntax'],
      [{ password: 'x'.repeat(51) }, 'wrong-syntax'],
      [{ language: 'fr' }, 'wrong-syntax'],
      [{ newsletter: 'yes' }, 'wrong-syntax'],
      [{ email: 'john.doe.com' }, 'wrong-syntax'],
      [{ verification: 'not-valid' }, 'wrong-syntax'],
      [{ verification: 'a'.repeat(51) }, 'wrong-syntax'],
    ];
    for (const [patch, status] of bad) {
      const res = await h.call('POST', '/api/signup/user', { sid, body: signupBody(v.verification, patch) });
      expect(res.status, JSON.stringify(patch)).toBe(status);
    }
    for (const field of ['username', 'firstname', 'lastname', 'password', 'verification']) {
      const body: Record<string, unknown> = signupBody(v.verification);
      delete body[field];
      const res = await h.call('POST', '/api/signup/user', { sid, body });
      expect(res.status, field).toBe('missing-element');
    }
    expect(await h.services.users.byId(v.uuid)).toBeUndefined();
    const ok = await h.call('POST', '/api/signup/user', {
      sid,
      body: signupBody(v.verification, {
        display_name: 'x'.repeat(100),
        country_code: '+1',
        newsletter: false,
        language: 'en',
      }),
    });
    expect(ok.status).toBe('ok');
    expect(await h.services.users.byId(v.uuid)).toMatchObject({
      country_code: '+1',
      newsletter: false,
      language: 'en',
    });
  });

  it('needs a session without authentication', async () => {
    const p = await h.partner();
    const v = await verification(p.sid);
    const u = await h.user();
    const body = signupBody(v.verification);
    expect((await h.call('POST', '/api/signup/user', { body })).status).toBe('no-session');
    expect((await h.call('POST', '/api/signup/user', { sid: u.sid, body })).status).toBe('already-auth');
    expect((await h.call('POST', '/api/signup/user', { sid: p.sid, body })).status).toBe('already-auth');
    expect((await h.call('POST', '/api/signup/user', { sid: await anonymous(), body })).status).toBe('ok');
  });
});
