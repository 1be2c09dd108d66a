/**
 * Waking a mobile softphone for its call (RFC 8599) with real SIP peers: a
 * sipp phone registers with pn parameters (an APNs VoIP token) and goes
 * quiet until its binding expires; a carrier call to its number sends a
 * VoIP push to a local APNs server (h2c) and rings, waiting; the phone,
 * "woken", registers again and the call reaches it. A phone that does not
 * come back leaves the caller with unavailable after the wait; a phone
 * whose binding is live is rung at once without a push.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialplanV2, sipAccount, updatePhone, userWithNumbers } from '../helpers/provision.js';
import { ecKeyPair, fakeApns, verifyJwt, type FakeProvider } from '../helpers/push-servers.js';
import { runSipp, startSipp, SIPP_AVAILABLE, type SippHandle } from '../helpers/sipp.js';
import {
  carrierCall,
  createTelephonyHarness,
  eventually,
  freePort,
  type TelephonyHarness,
} from '../helpers/telephony.js';

const TEAM = 'ABCD123456';
const KEY_ID = 'KEY0000001';
const TOPIC = 'com.example.phone.voip';
const WAIT_S = 4;
const ec = ecKeyPair();
let apns: FakeProvider;
let h: TelephonyHarness;

beforeAll(async () => {
  apns = await fakeApns();
  h = await createTelephonyHarness({
    PUSH_APNS_TEAM_ID: TEAM,
    PUSH_APNS_KEY_ID: KEY_ID,
    PUSH_APNS_KEY: ec.privatePem,
    PUSH_APNS_URL: apns.url,
    PUSH_APNS_SANDBOX_URL: apns.url,
    SIP_PUSH_WAIT_SECONDS: String(WAIT_S),
  });
});
afterAll(async () => {
  await h?.close();
  await apns?.close();
});

/** A number ringing one SIP account (dialplan v2, parallel). */
async function phoneNumber() {
  const { user, numbers } = await userWithNumbers(h);
  const account = await sipAccount(h, user.sid);
  const number = numbers[0]!;
  await updatePhone(h, user.sid, number, {
    dialplan: await dialplanV2(h, user.sid, { profiles: [{ parallel: { targets: [account.name] } }] }),
  });
  return { user, account, number };
}

const token = (): string =>
  [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, '0')).join('');
const pn = (prid: string) => `;pn-provider=apns;pn-param=${TEAM}.${TOPIC};pn-prid=${prid}`;

const call = (number: string, holdMs = 500) =>
  carrierCall(h, number, { from: '+492215550199', vars: { hold_ms: String(holdMs) } });

/** The phone's app, running: registers (with its push contact) and answers the call that comes. */
function app(
  account: { name: string; password: string; domain: string },
  prid: string,
  port: number,
): SippHandle {
  return startSipp({
    scenario: 'uas-registered',
    oocScenario: 'uas-answer',
    remote: `127.0.0.1:${h.sipPort}`,
    localPort: port,
    auth: { username: account.name, password: account.password },
    vars: { user: account.name, domain: account.domain, expires: '60', contact_params: pn(prid) },
    timeoutSeconds: 30,
  });
}

/** The phone registered once with its push contact and a short expiry, then slept until the binding expired. */
async function sleepingPhone(account: { name: string; password: string; domain: string }): Promise<string> {
  const prid = token();
  const first = await runSipp({
    scenario: 'register',
    remote: `127.0.0.1:${h.sipPort}`,
    localPort: await freePort(),
    auth: { username: account.name, password: account.password },
    vars: { user: account.name, domain: account.domain, expires: '1', contact_params: pn(prid) },
    timeoutSeconds: 10,
  });
  expect(first.successful, first.errors).toBe(1);
  // The registrar says it serves APNs pushes (RFC 8599 §5.2: Feature-Caps with sip.pns).
  expect(first.messages).toMatch(/SIP\/2\.0 200 OK[^]*?Feature-Caps: \*;\+sip\.pns="apns"/i);
  await eventually(
    async () => ((await h.services.registrations.bindings(account.name)).length === 0 ? true : undefined),
    'the binding expired',
  );
  return prid;
}

describe.skipIf(!SIPP_AVAILABLE)('push wake-up of mobile softphones (RFC 8599)', () => {
  it('pushes a phone whose binding went stale and rings it once it registers again', async () => {
    const { account, number } = await phoneNumber();
    const prid = await sleepingPhone(account);
    const seen = apns.requests.length;
    const started = Date.now();
    const caller = call(number);
    const [push] = (await apns.waitFor(seen + 1, `/3/device/${prid}`)).slice(-1);
    const pushedAfter = Date.now() - started;
    expect(push!.method).toBe('POST');
    expect(push!.headers['apns-push-type']).toBe('voip');
    expect(push!.headers['apns-topic']).toBe(TOPIC);
    expect(push!.headers['apns-priority']).toBe('10');
    expect(push!.headers['apns-expiration']).toBe('0');
    const jwt = verifyJwt(push!.headers['authorization']!.replace(/^bearer /, ''), ec.publicKey);
    expect(jwt?.header['kid']).toBe(KEY_ID);
    expect(jwt?.claims['iss']).toBe(TEAM);
    const body = JSON.parse(push!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      aps: {},
      event: 'incoming_call',
      account: account.name,
      caller: '+492215550199',
    });
    expect(typeof body['call_id']).toBe('string');

    // Woken: the app registers from a new address and takes the call.
    const phone = app(account, prid, await freePort());
    try {
      const result = await caller;
      expect(result.successful, result.errors).toBe(1);
      expect((await phone.done).successful).toBe(1);
      expect(result.messages).toMatch(/SIP\/2\.0 180 Ringing/);
      // The call waited for the phone (the push came first), not for the whole wait.
      expect(pushedAfter).toBeLessThan(WAIT_S * 1000);
    } finally {
      phone.kill();
    }
  }, 60_000);

  it('gives up after the wait when the woken phone does not register', async () => {
    const { account, number } = await phoneNumber();
    const prid = await sleepingPhone(account);
    const started = Date.now();
    const result = await runSipp({
      scenario: 'uac-call-expect-fail',
      remote: `127.0.0.1:${h.sipPort}`,
      localPort: h.carrierPort,
      service: number.slice(1),
      timeoutSeconds: 30,
    });
    const took = Date.now() - started;
    expect(apns.requests.some((r) => r.path === `/3/device/${prid}`)).toBe(true);
    expect(result.messages).toMatch(/SIP\/2\.0 180 Ringing/);
    expect(result.successful, result.errors).toBe(1);
    expect(took).toBeGreaterThanOrEqual(WAIT_S * 1000 - 500);
    expect(took).toBeLessThan(WAIT_S * 1000 + 5000);
  }, 60_000);

  it('rings a phone with a live binding at once, without a push', async () => {
    const { account, number } = await phoneNumber();
    const prid = token();
    const phone = app(account, prid, await freePort());
    try {
      await phone.waitForMessage(/SIP\/2\.0 200 OK[^]*?CSeq: \d+ REGISTER/);
      const result = await call(number, 200);
      expect(result.successful, result.errors).toBe(1);
      expect((await phone.done).successful).toBe(1);
      expect(apns.requests.some((r) => r.path === `/3/device/${prid}`)).toBe(false);
    } finally {
      phone.kill();
    }
  }, 60_000);
});
