/**
 * Delivery of the spec 8.2 push events to local APNs (HTTP/2) and FCM (HTTP
 * v1 + OAuth2 token endpoint) servers: what each request carries (method,
 * path, headers, JWT, body), retries, dead tokens, and a push queued while no
 * worker runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMediaWorker } from '../../src/media/worker.js';
import { startPushWorker, type RunningPushWorker } from '../../src/push/worker.js';
import { tempDir, tone } from '../helpers/audio-fixtures.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';
import {
  ecKeyPair,
  fakeApns,
  fakeFcm,
  rsaKeyPair,
  verifyJwt,
  type FakeProvider,
  type SeenRequest,
} from '../helpers/push-servers.js';

const APP = '39JSDKGJ38.de.cospace.app';
const TEAM = 'TEAM123456';
const KEY_ID = 'KEY1234567';
const token = (n: number): string => n.toString(16).padStart(64, 'a');

let h: Harness;
let apns: FakeProvider;
let sandbox: FakeProvider;
let fcm: FakeProvider & { tokenUrl: string };
const ec = ecKeyPair();
const rsa = rsaKeyPair();
let worker: RunningPushWorker | null = null;
const dir = tempDir('push-delivery');

beforeAll(async () => {
  [apns, sandbox, fcm] = await Promise.all([fakeApns(), fakeApns(), fakeFcm()]);
  h = await createHarness({
    PUSH_APNS_APP_IDS: APP,
    PUSH_APNS_TEAM_ID: TEAM,
    PUSH_APNS_KEY_ID: KEY_ID,
    PUSH_APNS_KEY: ec.privatePem,
    PUSH_APNS_URL: apns.url,
    PUSH_APNS_SANDBOX_URL: sandbox.url,
    PUSH_FCM_SERVICE_ACCOUNT: JSON.stringify({
      type: 'service_account',
      project_id: 'cospace-test',
      private_key_id: 'k1',
      private_key: rsa.privatePem,
      client_email: 'push@cospace-test.iam.gserviceaccount.com',
      token_uri: fcm.tokenUrl,
    }),
    PUSH_FCM_URL: fcm.url,
    PUSH_BACKOFF_MS: '50',
    PUSH_ATTEMPTS: '4',
  });
});
afterEach(async () => {
  await worker?.close();
  worker = null;
  for (const p of [apns, sandbox, fcm]) p.script.length = 0;
});
afterAll(async () => {
  await h?.close();
  await Promise.all([apns?.close(), sandbox?.close(), fcm?.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

const start = (): void => {
  worker = startPushWorker({
    config: h.config,
    devices: h.services.push,
    queue: h.services.pushQueue,
    onError: () => undefined,
  });
};

async function userWithDevices(
  devices: { apns?: Array<{ token: string; sandbox?: boolean; topic?: string }>; gcm?: string[] } = {},
): Promise<TestUser> {
  const u = await h.user();
  for (const d of devices.apns ?? []) {
    const r = await h.call('POST', '/api/push', {
      sid: u.sid,
      body: {
        system: 'apns',
        action: 'add',
        device_token: d.token,
        application_id: APP,
        sandbox: d.sandbox ?? false,
        ...(d.topic ? { apns_topic: d.topic } : {}),
      },
    });
    expect(r.status).toBe('ok');
  }
  for (const id of devices.gcm ?? []) {
    const r = await h.call('POST', '/api/push', {
      sid: u.sid,
      body: { system: 'gcm', action: 'add', registration_id: id },
    });
    expect(r.status).toBe('ok');
  }
  return u;
}

const forToken = (p: FakeProvider, t: string): SeenRequest[] =>
  p.requests.filter((r) => r.path === `/3/device/${t}`);
const sends = (id: string): SeenRequest[] =>
  fcm.requests.filter((r) => r.path.includes('messages:send') && JSON.parse(r.body).message.token === id);

describe('push delivery (spec 8.2)', () => {
  it('APNs: POST /3/device/<token> with an ES256 provider token, topic, push type and the spec payload', async () => {
    start();
    const t1 = token(1);
    const t2 = token(2);
    const u = await userWithDevices({
      apns: [{ token: t1 }, { token: t2, sandbox: true, topic: 'de.cospace.app.voip' }],
    });
    await h.services.dialplanV1.startCallreverse(u.uuid, '+4989123248278', '+492216698000', 60_000);
    const [prod] = await apns.waitFor(1, `/3/device/${t1}`);
    const [sand] = await sandbox.waitFor(1, `/3/device/${t2}`);
    expect(prod!.method).toBe('POST');
    expect(prod!.headers).toMatchObject({
      'apns-topic': 'de.cospace.app',
      'apns-push-type': 'background',
      'apns-priority': '5',
      'content-type': 'application/json',
    });
    expect(sand!.headers['apns-topic']).toBe('de.cospace.app.voip');
    const jwt = verifyJwt(prod!.headers['authorization']!.replace(/^bearer /, ''), ec.publicKey);
    expect(jwt).not.toBeNull();
    expect(jwt!.header).toEqual({ alg: 'ES256', kid: KEY_ID });
    expect(jwt!.claims['iss']).toBe(TEAM);
    expect(Math.abs(Number(jwt!.claims['iat']) - Date.now() / 1000)).toBeLessThan(60);
    expect(JSON.parse(prod!.body)).toEqual({
      aps: { 'content-available': 1 },
      owner: u.uuid,
      message: 'dialplan_callreverse_start',
      phone_from: '+4989123248278',
      phone_to: '+492216698000',
    });

    await h.services.dialplanV1.stopCallreverse(u.uuid);
    const both = await apns.waitFor(2, `/3/device/${t1}`);
    expect(JSON.parse(both[1]!.body)['message']).toBe('dialplan_callreverse_stop');
    // The provider token is reused, not made per push.
    expect(both[1]!.headers['authorization']).toBe(both[0]!.headers['authorization']);
  });

  it('FCM: an OAuth2 token from the service account, then messages:send with string data', async () => {
    start();
    const before = fcm.requests.filter((r) => r.path === '/token').length;
    const u = await userWithDevices({ gcm: ['reg-id-0123456789:APA91b'] });
    await h.services.push.faxNew(u.uuid, 'af729cc0-3251-11e2-81c1-0800200c9a66', '+492215587412', 2);
    const [send] = await fcm.waitFor(1, '/v1/projects/cospace-test/messages:send');
    const tokens = fcm.requests.filter((r) => r.path === '/token');
    expect(tokens.length).toBeGreaterThan(before);
    const grant = new URLSearchParams(tokens.at(-1)!.body);
    expect(grant.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const assertion = verifyJwt(grant.get('assertion')!, rsa.publicKey);
    expect(assertion).not.toBeNull();
    expect(assertion!.header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(assertion!.claims).toMatchObject({
      iss: 'push@cospace-test.iam.gserviceaccount.com',
      scope: 'https://www.googleapis.com/auth/firebase.messaging',
      aud: fcm.tokenUrl,
    });
    expect(Number(assertion!.claims['exp']) - Number(assertion!.claims['iat'])).toBe(3600);

    expect(send!.method).toBe('POST');
    expect(send!.headers['authorization']).toMatch(/^Bearer access-[0-9]+$/);
    expect(JSON.parse(send!.body)).toEqual({
      message: {
        token: 'reg-id-0123456789:APA91b',
        // spec 8.2.1: GCM values are strings, page_count too.
        data: {
          owner: u.uuid,
          message: 'fax_new',
          fax: 'af729cc0-3251-11e2-81c1-0800200c9a66',
          phone: '+492215587412',
          page_count: '2',
        },
        android: { priority: 'high' },
      },
    });
  });

  it('recording_new goes to every device once the recording is converted', async () => {
    const media = startMediaWorker(h.services, { concurrency: 1 });
    try {
      const t = token(3);
      const u = await userWithDevices({ apns: [{ token: t }], gcm: ['reg-recording-0001'] });
      const rec = await h.services.recordings.createFromCall({
        owner: u.uuid,
        from: '+492215587412',
        to: '+492216698000',
        wavPath: tone(path.join(dir, 'call.wav'), { rate: 8000, channels: 1, seconds: 1.2 }),
      });
      const [a] = await apns.waitFor(1, `/3/device/${t}`);
      expect(JSON.parse(a!.body)).toEqual({
        aps: { 'content-available': 1 },
        owner: u.uuid,
        message: 'recording_new',
        recording: rec.uuid,
        phone: '+492215587412',
      });
      await expect.poll(() => sends('reg-recording-0001').length, { timeout: 10_000 }).toBe(1);
      expect(JSON.parse(sends('reg-recording-0001')[0]!.body).message.data).toEqual({
        owner: u.uuid,
        message: 'recording_new',
        recording: rec.uuid,
        phone: '+492215587412',
      });
    } finally {
      await media.close();
    }
  });

  it('retries throttling and server errors with back-off, gives up at once on a bad request', async () => {
    start();
    const t = token(4);
    const u = await userWithDevices({ apns: [{ token: t }] });
    apns.script.push(
      { status: 503, body: { reason: 'ServiceUnavailable' } },
      { status: 429, body: { reason: 'TooManyRequests' }, headers: { 'retry-after': '0' } },
    );
    await h.services.push.faxNew(u.uuid, 'af729cc0-3251-11e2-81c1-0800200c9a66', '+492215587412', 1);
    const tries = await apns.waitFor(3, `/3/device/${t}`);
    expect(tries.map((r) => r.body)).toEqual([tries[0]!.body, tries[0]!.body, tries[0]!.body]);

    const bad = token(5);
    await userWithDevices({ apns: [{ token: bad }] }).then(async (v) => {
      apns.script.push({ status: 400, body: { reason: 'BadDeviceToken' } });
      await h.services.push.faxNew(v.uuid, 'af729cc0-3251-11e2-81c1-0800200c9a66', '+492215587412', 1);
    });
    await apns.waitFor(1, `/3/device/${bad}`);
    await new Promise((r) => setTimeout(r, 500));
    expect(forToken(apns, bad)).toHaveLength(1);
    // A bad token for this app is not a dead one: the registration stays.
    expect(await h.services.push.device('apns', bad)).toBeDefined();
  });

  it('removes dead tokens: APNs 410 and FCM UNREGISTERED (but not a token registered again since)', async () => {
    start();
    const dead = token(6);
    const again = token(7);
    const u = await userWithDevices({ apns: [{ token: dead }, { token: again }], gcm: ['reg-dead-000001'] });
    fcm.script.push({
      status: 404,
      body: {
        error: {
          code: 404,
          status: 'NOT_FOUND',
          details: [
            { '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' },
          ],
        },
      },
    });
    // `again` was re-registered after the moment APNs says it went invalid.
    apns.script.push(
      { status: 410, body: { reason: 'Unregistered', timestamp: Date.now() + 60_000 } },
      { status: 410, body: { reason: 'Unregistered', timestamp: Date.now() - 60_000 } },
    );
    await h.services.dialplanV1.startCallreverse(u.uuid, '+4989123248278', '+492216698000', 60_000);
    await apns.waitFor(1, `/3/device/${dead}`);
    await apns.waitFor(1, `/3/device/${again}`);
    await expect
      .poll(async () => (await h.services.push.devicesOf(u.uuid)).length, { timeout: 10_000 })
      .toBe(1);
    const left = await h.call('GET', '/api/push', { sid: u.sid });
    expect(left['gcm'].registration_ids).toEqual([]);
    // Which of the two APNs answers came first decides which token stays: the one whose 410 predates it.
    const kept = Object.keys(left['apns'].device_tokens);
    expect(kept).toHaveLength(1);
    const keptReq = forToken(apns, kept[0]!)[0]!;
    const keptIdx = apns.requests.indexOf(keptReq);
    const deadIdx = apns.requests.indexOf(forToken(apns, kept[0] === dead ? again : dead)[0]!);
    expect(keptIdx).toBeGreaterThan(deadIdx);
  });

  it('keeps a push queued while no worker runs and delivers it when one starts (crash-safe queue)', async () => {
    const t = token(8);
    const u = await userWithDevices({ apns: [{ token: t }] });
    await h.services.push.recordingNew(u.uuid, 'af729cc0-3251-11e2-81c1-0800200c9a66', '+492215587412');
    await new Promise((r) => setTimeout(r, 200));
    expect(forToken(apns, t)).toHaveLength(0);
    start();
    await apns.waitFor(1, `/3/device/${t}`);
    // The same recording queued again (a retried conversion) is not pushed twice.
    await h.services.push.recordingNew(u.uuid, 'af729cc0-3251-11e2-81c1-0800200c9a66', '+492215587412');
    await new Promise((r) => setTimeout(r, 500));
    expect(forToken(apns, t)).toHaveLength(1);
  });
});
