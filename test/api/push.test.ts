/** GET / POST /api/push (spec 8.1): registrations of APNs device tokens and GCM registration ids. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';

const APP = '39JSDKGJ38.de.cospace.app';
const TOKEN_A = 'a6461732069737d42065496e' + '0'.repeat(35) + 'f39ad';
const TOKEN_B = 'A6281E62E55932DF9EC72829' + '1'.repeat(35) + '5E2D3';
const REG_1 = 'APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx...';
const REG_2 = 'Iausdj89apcoaSDdojFAsidfAs8d84-5621i...';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({
    PUSH_APNS_APP_IDS: `${APP}, ABCDEFGHIJ.com.example.other`,
    PUSH_GCM_SENDER_ID: '4815162342',
  });
});
afterAll(async () => {
  await h?.close();
});

const post = (u: TestUser, body: unknown) => h.call('POST', '/api/push', { sid: u.sid, body });
const get = (u: TestUser) => h.call('GET', '/api/push', { sid: u.sid });

describe('GET/POST /api/push', () => {
  it('stores the spec examples and lists them in the shape of the spec', async () => {
    const u = await h.user();
    expect(await get(u)).toEqual({
      status: 'ok',
      gcm: { sender_id: '4815162342', registration_ids: [] },
      apns: { device_tokens: {} },
    });
    expect(await post(u, { system: 'gcm', action: 'add', registration_id: REG_1 })).toEqual({ status: 'ok' });
    expect(await post(u, { system: 'gcm', action: 'add', registration_id: REG_2 })).toEqual({ status: 'ok' });
    expect(
      await post(u, {
        system: 'apns',
        action: 'add',
        device_token: TOKEN_A,
        sandbox: true,
        application_id: APP,
      }),
    ).toEqual({ status: 'ok' });
    expect(
      await post(u, {
        system: 'apns',
        action: 'add',
        device_token: TOKEN_B,
        sandbox: false,
        application_id: APP,
        apns_topic: 'de.cospace.app.voip',
      }),
    ).toEqual({ status: 'ok' });
    expect(await get(u)).toEqual({
      status: 'ok',
      gcm: { sender_id: '4815162342', registration_ids: [REG_1, REG_2] },
      apns: {
        device_tokens: {
          [TOKEN_A]: { application_id: APP, sandbox: true },
          [TOKEN_B.toLowerCase()]: { application_id: APP, sandbox: false, apns_topic: 'de.cospace.app.voip' },
        },
      },
    });

    expect(await post(u, { system: 'gcm', action: 'delete', registration_id: REG_1 })).toEqual({
      status: 'ok',
    });
    // Deleting needs only the token, in any case.
    expect(await post(u, { system: 'apns', action: 'delete', device_token: TOKEN_B })).toEqual({
      status: 'ok',
    });
    const after = await get(u);
    expect(after['gcm'].registration_ids).toEqual([REG_2]);
    expect(Object.keys(after['apns'].device_tokens)).toEqual([TOKEN_A]);
  });

  it('answers the statuses of spec 8.1 and changes nothing on a refused request', async () => {
    const u = await h.user();
    const apns = { system: 'apns', action: 'add', device_token: TOKEN_A };
    const cases: Array<[unknown, string]> = [
      [{ ...apns, application_id: 'XXXXXXXXXX.de.unknown.app' }, 'unknown-appid'],
      [{ ...apns, application_id: 'short.de.cospace.app' }, 'invalid-appid'],
      [{ ...apns, application_id: '39JSDKGJ38.a' }, 'invalid-appid'],
      [{ ...apns, application_id: APP, apns_topic: 'bad topic!' }, 'invalid-apns-topic'],
      [{ ...apns, application_id: APP, apns_topic: 'abc' }, 'invalid-apns-topic'],
      [apns, 'missing-element'],
      [{ system: 'apns', action: 'add', application_id: APP }, 'missing-element'],
      [{ system: 'apns', action: 'delete' }, 'missing-element'],
      [{ ...apns, device_token: 'abc', application_id: APP }, 'wrong-syntax'],
      [{ ...apns, application_id: APP, sandbox: 'yes' }, 'wrong-syntax'],
      [{ system: 'gcm', action: 'add' }, 'missing-element'],
      [{ system: 'gcm', action: 'add', registration_id: 'short' }, 'wrong-syntax'],
      [{ system: 'gcm', action: 'add', registration_id: 'x'.repeat(251) }, 'wrong-syntax'],
      [{ system: 'wns', action: 'add', registration_id: REG_1 }, 'wrong-syntax'],
      [{ system: 'gcm', action: 'update', registration_id: REG_1 }, 'wrong-syntax'],
      [{ action: 'add', registration_id: REG_1 }, 'missing-element'],
    ];
    for (const [body, status] of cases) {
      expect((await post(u, body))['status'], JSON.stringify(body)).toBe(status);
    }
    expect(await get(u)).toMatchObject({ gcm: { registration_ids: [] }, apns: { device_tokens: {} } });
  });

  it('moves a token to the user who adds it last, and refreshes a repeated add', async () => {
    const alice = await h.user();
    const bob = await h.user();
    await post(alice, { system: 'gcm', action: 'add', registration_id: REG_1 });
    await post(alice, { system: 'apns', action: 'add', device_token: TOKEN_A, application_id: APP });
    await post(bob, {
      system: 'apns',
      action: 'add',
      device_token: TOKEN_A,
      application_id: APP,
      sandbox: true,
    });
    expect((await get(alice))['apns'].device_tokens).toEqual({});
    expect((await get(bob))['apns'].device_tokens).toEqual({
      [TOKEN_A]: { application_id: APP, sandbox: true },
    });
    // Bob cannot delete Alice's registration id.
    await post(bob, { system: 'gcm', action: 'delete', registration_id: REG_1 });
    expect((await get(alice))['gcm'].registration_ids).toEqual([REG_1]);
  });

  it('needs a user session; a deleted user takes the registrations along', async () => {
    const anon = await h.call('GET', '/api/session');
    expect((await h.call('GET', '/api/push', { sid: anon['sid'] }))['status']).toBe('no-auth');
    const u = await h.user();
    await post(u, { system: 'gcm', action: 'add', registration_id: REG_1 });
    await h.call('POST', '/api/user/delete', {
      sid: u.sid,
      body: { username: u.username, password: u.password },
    });
    expect(await h.services.push.devicesOf(u.uuid)).toEqual([]);
  });

  it('is described in the OpenAPI document with its statuses', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const desc = doc.paths['/api/push'].post.responses['200'].description as string;
    for (const s of ['unknown-appid', 'invalid-appid', 'invalid-apns-topic']) expect(desc).toContain(s);
  });
});
