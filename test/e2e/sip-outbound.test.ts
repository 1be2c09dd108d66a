/**
 * Calls placed by SIP accounts through the embedded B2BUA (spec 4.2, 9.1.3,
 * 9.1.6): digest authentication, the carrier trunk, the partner's call filter
 * and live credit billing, with sipp as the softphone and as the carrier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sipAccount, userWithNumbers } from '../helpers/provision.js';
import { runSipp, startSipp, SIPP_AVAILABLE, type SippOptions } from '../helpers/sipp.js';
import { cdrsOf, createTelephonyHarness, eventually, type TelephonyHarness } from '../helpers/telephony.js';

let h: TelephonyHarness;
beforeAll(async () => {
  h = await createTelephonyHarness();
});
afterAll(async () => {
  await h?.close();
});

/** A partner user with a number and a SIP account. */
async function partnerSoftphone() {
  const partner = await h.partner();
  const { user, numbers } = await userWithNumbers(h, 1, { partner });
  const account = await sipAccount(h, user.sid);
  return { partner, user, number: numbers[0]!, account };
}

/** The softphone: a sipp UAC authenticating as the account, dialling `dialled`. */
function softphone(
  account: { name: string; domain: string; password: string },
  dialled: string,
  file = 'uac-call.xml',
  extra: Partial<SippOptions> = {},
) {
  return runSipp({
    scenario: file,
    remote: `127.0.0.1:${h.sipPort}`,
    localPort: 0,
    service: dialled,
    auth: { username: account.name, password: account.password },
    timeoutSeconds: 25,
    ...extra,
    vars: { from_user: account.name, domain: account.domain, ...(extra.vars ?? {}) },
  });
}

/** The carrier side of outbound calls: a sipp UAS on the trunk port. */
async function trunk(file = 'uas-answer.xml', vars: Record<string, string> = {}) {
  const p = startSipp({
    scenario: file,
    localPort: h.trunkPort,
    vars,
    timeoutSeconds: 25,
  });
  await p.ready;
  return p;
}

describe.skipIf(!SIPP_AVAILABLE)('calls from SIP accounts (embedded B2BUA, sipp)', () => {
  it('authenticates the softphone and sends the call to the carrier with the user’s number', async () => {
    const { number, account } = await partnerSoftphone();
    const carrier = await trunk();
    const call = await softphone(account, '+4930123456', 'uac-call.xml', { vars: { hold_ms: '1200' } });
    expect(call.successful, call.errors).toBe(1);
    const far = await carrier.done;
    expect(far.successful, far.errors).toBe(1);
    // The carrier saw the user's number as the caller.
    expect(far.messages).toMatch(new RegExp(`From: .*sip:\\${number}@`));
    const cdrs = await eventually(async () => {
      const c = await cdrsOf(h, number);
      return c.length === 2 ? c : null;
    }, 'two CDRs');
    expect(cdrs[0]).toMatchObject({ a_number: account.name, phone: number, service: 'call' });
    expect(cdrs[1]).toMatchObject({ b_number: '+4930123456', parent: cdrs[0]!['id'] });
    expect(Number(cdrs[1]!['t_post'])).toBeGreaterThanOrEqual(1);
  });

  it('refuses a wrong password with 403', async () => {
    const { account } = await partnerSoftphone();
    const r = await softphone(
      { ...account, password: 'not-the-password' },
      '+4930123456',
      'uac-call-expect-fail.xml',
      {
        vars: { expected: '403' },
      },
    );
    expect(r.successful, r.errors).toBe(1);
  });

  it('refuses a call the partner’s call filter denies (spec 9.1.3)', async () => {
    const { partner, user, account } = await partnerSoftphone();
    const filter = [
      { operator: 'replace', key: '^0', value: '+49' },
      { operator: 'match', key: '^\\+4930', pass: false },
    ];
    expect(
      (
        await h.call('POST', `/api/partner/callfilter/${user.uuid}`, {
          sid: partner.sid,
          body: { callfilter: filter },
        })
      )['status'],
    ).toBe('ok');
    const denied = await softphone(account, '030123456', 'uac-call-expect-fail.xml', {
      vars: { expected: '403' },
    });
    expect(denied.successful, denied.errors).toBe(1);
  });

  it('ends the call when the usergroup’s credit runs out (spec 9.1.6)', async () => {
    const { partner, user, number, account } = await partnerSoftphone();
    const G = '/api/partner/usergroup';
    const group = (await h.call('POST', G, { sid: partner.sid, body: { description: 'billing' } }))[
      'group_uuid'
    ] as string;
    await h.call('POST', `${G}/${group}/user`, { sid: partner.sid, body: { users: { add: [user.uuid] } } });
    // 60 credits a minute charged per second: 3 credits are 3 seconds of talk.
    const zones = [{ description: 'Berlin', prefix: ['+4930'], cost: 60, increment: 1 }];
    expect(
      (await h.call('POST', `${G}/${group}/zonefilter`, { sid: partner.sid, body: { zonefilter: zones } }))[
        'status'
      ],
    ).toBe('ok');
    await h.call('POST', `${G}/${group}/credit`, { sid: partner.sid, body: { add: 3 } });
    const carrier = await trunk();
    const started = Date.now();
    const call = await softphone(account, '+4930999888', 'uac-call.xml', { vars: { hold_ms: '15000' } });
    const elapsed = Date.now() - started;
    expect(call.successful, call.errors).toBe(1);
    expect((await carrier.done).successful).toBe(1);
    // Cut by callplane's BYE long before the softphone's own 15 s hold ended.
    expect(elapsed).toBeLessThan(10_000);
    expect((await h.call('GET', `${G}/${group}/credit`, { sid: partner.sid }))['credit']).toBe(0);
    const cdrs = await eventually(async () => {
      const c = await cdrsOf(h, number);
      return c.length === 2 ? c : null;
    }, 'two CDRs');
    expect(Number(cdrs[1]!['t_post'])).toBeGreaterThanOrEqual(3);
    expect(Number(cdrs[1]!['t_post'])).toBeLessThanOrEqual(5);
  });

  it('refuses a call when the usergroup has no credit left', async () => {
    const { partner, user, account } = await partnerSoftphone();
    const G = '/api/partner/usergroup';
    const group = (await h.call('POST', G, { sid: partner.sid, body: {} }))['group_uuid'] as string;
    await h.call('POST', `${G}/${group}/user`, { sid: partner.sid, body: { users: { add: [user.uuid] } } });
    await h.call('POST', `${G}/${group}/zonefilter`, {
      sid: partner.sid,
      body: { zonefilter: [{ prefix: [''], cost: 10 }] },
    });
    await h.call('POST', `${G}/${group}/credit`, { sid: partner.sid, body: { add: 0 } });
    const r = await softphone(account, '+4930123456', 'uac-call-expect-fail.xml', {
      vars: { expected: '402' },
    });
    expect(r.successful, r.errors).toBe(1);
  });
});
