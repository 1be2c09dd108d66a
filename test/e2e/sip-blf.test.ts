/**
 * Busy lamp field (spec 3.21 blf): a phone subscribes to the dialog events
 * of a colleague's number, sees a call ring there (RFC 4235 NOTIFY) and picks
 * it up with `**<number>`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SipRequest } from '../../src/telephony/embedded/sip/message.js';
import { blfColleagues, sipAccount, userWithNumbers } from '../helpers/provision.js';
import { digestAnswer, isRequest, isResponse, sipClient } from '../helpers/sip-client.js';
import { runSipp, startSipp, SIPP_AVAILABLE } from '../helpers/sipp.js';
import {
  bindContact,
  cdrsOf,
  createTelephonyHarness,
  eventually,
  freePort,
  type TelephonyHarness,
} from '../helpers/telephony.js';

let h: TelephonyHarness;
beforeAll(async () => {
  h = await createTelephonyHarness();
});
afterAll(async () => {
  await h?.close();
});

const stateOf = (n: SipRequest): string[] =>
  [...n.body.toString().matchAll(/<state>([a-z]+)<\/state>/g)].map((m) => m[1]!);

describe.skipIf(!SIPP_AVAILABLE)('busy lamp field and pickup', () => {
  it('notifies a watching phone of ringing and lets it pick the call up', async () => {
    const { bobAcc, aliceAcc, number } = await blfColleagues(h);

    // Bob's phone subscribes (digest on SUBSCRIBE) and gets the initial, empty state.
    const phone = await sipClient();
    try {
      const uri = `sip:${number.slice(1)}@${bobAcc.domain}`;
      // Its own per run: a server may still hold the dialog of an earlier run's Call-ID.
      const callId = `${crypto.randomUUID()}@test`;
      const subscribe = (cseq: number, auth?: string) =>
        phone.send(
          [
            `SUBSCRIBE ${uri} SIP/2.0`,
            `Via: SIP/2.0/UDP 127.0.0.1:${phone.port};branch=z9hG4bKsub${cseq};rport`,
            `From: <sip:${bobAcc.name}@${bobAcc.domain}>;tag=bob1`,
            `To: <${uri}>`,
            `Call-ID: ${callId}`,
            `CSeq: ${cseq} SUBSCRIBE`,
            `Contact: <sip:${bobAcc.name}@127.0.0.1:${phone.port}>`,
            'Event: dialog',
            'Accept: application/dialog-info+xml',
            'Expires: 300',
            ...(auth ? [`Authorization: ${auth}`] : []),
          ],
          h.sipPort,
        );
      subscribe(1);
      const challenge = await phone.next(isResponse);
      expect(challenge.status).toBe(401);
      subscribe(2, digestAnswer(challenge.get('www-authenticate')!, bobAcc, 'SUBSCRIBE', uri));
      // 202 from servers that still send it (drachtio): the same to a subscriber (RFC 6665 §4.1.2.1).
      expect([200, 202]).toContain((await phone.next(isResponse)).status);
      const initial = await phone.next(isRequest('NOTIFY'));
      expect(initial.get('subscription-state')).toMatch(/^active/);
      expect(stateOf(initial)).toEqual([]);

      // A carrier call rings Alice's phone (which never answers); Bob's lamp shows it.
      const alicePort = await freePort();
      await bindContact(h, aliceAcc, alicePort);
      const alicePhone = startSipp({
        scenario: 'uas-noanswer',
        localPort: alicePort,
        timeoutSeconds: 20,
      });
      await alicePhone.ready;
      const caller = runSipp({
        scenario: 'uac-call',
        remote: `127.0.0.1:${h.sipPort}`,
        localPort: h.carrierPort,
        service: number.slice(1),
        vars: { hold_ms: '1000' },
        timeoutSeconds: 20,
      });
      const ringing = await phone.next(isRequest('NOTIFY'));
      expect(stateOf(ringing)).toEqual(['early']);
      expect(ringing.body.toString()).toContain('direction="recipient"');

      // Bob picks it up; Alice's phone is cancelled, the caller talks to Bob.
      const pickup = await runSipp({
        scenario: 'uac-call',
        remote: `127.0.0.1:${h.sipPort}`,
        localPort: 0,
        service: `**${number.slice(1)}`,
        auth: { username: bobAcc.name, password: bobAcc.password },
        vars: { from_user: bobAcc.name, domain: bobAcc.domain, hold_ms: '3000' },
        timeoutSeconds: 20,
      });
      expect(pickup.successful, pickup.errors).toBe(1);
      expect((await caller).successful).toBe(1);
      expect((await alicePhone.done).successful, 'Alice’s phone got the CANCEL').toBe(1);
      const confirmed = await phone.next(
        (m): m is SipRequest => isRequest('NOTIFY')(m) && stateOf(m).includes('confirmed'),
      );
      expect(confirmed).toBeTruthy();
      await phone.next((m): m is SipRequest => isRequest('NOTIFY')(m) && stateOf(m).includes('terminated'));
      const cdrs = await eventually(async () => {
        const c = await cdrsOf(h, number);
        return c.some((x) => x['service'] === 'blf_pickup') ? c : null;
      }, 'the pickup CDR');
      expect(cdrs.find((x) => x['service'] === 'blf_pickup')).toMatchObject({ b_number: bobAcc.name });
    } finally {
      phone.close();
    }
  });

  it('refuses a SUBSCRIBE to a number the account does not watch', async () => {
    const u = await userWithNumbers(h);
    const acc = await sipAccount(h, u.user.sid);
    const phone = await sipClient();
    try {
      const uri = `sip:4930111222@${acc.domain}`;
      const lines = (cseq: number, auth?: string) => [
        `SUBSCRIBE ${uri} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${phone.port};branch=z9hG4bKx${cseq};rport`,
        `From: <sip:${acc.name}@${acc.domain}>;tag=x1`,
        `To: <${uri}>`,
        'Call-ID: blf-2@test',
        `CSeq: ${cseq} SUBSCRIBE`,
        `Contact: <sip:${acc.name}@127.0.0.1:${phone.port}>`,
        'Event: dialog',
        ...(auth ? [`Authorization: ${auth}`] : []),
      ];
      phone.send(lines(1), h.sipPort);
      const c = await phone.next(isResponse);
      phone.send(lines(2, digestAnswer(c.get('www-authenticate')!, acc, 'SUBSCRIBE', uri)), h.sipPort);
      expect((await phone.next(isResponse)).status).toBe(403);
      phone.send([...lines(3).map((l) => l.replace('Event: dialog', 'Event: presence'))], h.sipPort);
      expect((await phone.next(isResponse)).status).toBe(489);
    } finally {
      phone.close();
    }
  });
});
