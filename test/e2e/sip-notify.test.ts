/**
 * POST /api/sip/(sip-user)/notify (spec 3.21) against the embedded SIP stack,
 * with SIP_DOMAIN set to the spec's own example domains: phones register
 * (digest, realm = their account's domain) in either domain, a device that
 * answers the NOTIFY makes the call `ok`, and a silent one answers
 * `not-registered` within SIP_NOTIFY_TIMEOUT_MS instead of after Timer F.
 */
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMessage, SipRequest } from '../../src/telephony/embedded/sip/message.js';
import { digestAnswer, isRequest, isResponse, sipClient, type SipClient } from '../helpers/sip-client.js';
import { bindContact, createTelephonyHarness, type TelephonyHarness } from '../helpers/telephony.js';

const NOTIFY_TIMEOUT_MS = 600;

let h: TelephonyHarness;
beforeAll(async () => {
  h = await createTelephonyHarness({
    SIP_DOMAIN: 'sip.solucon.com, sip.cospace.de',
    SIP_NOTIFY_TIMEOUT_MS: String(NOTIFY_TIMEOUT_MS),
  });
});
afterAll(async () => {
  await h?.close();
});

const spec = {
  'event-string': 'check-sync;reboot=true',
  'content-type': 'application/simple-message-summary',
};

async function account(
  sid: string,
  domain: string,
): Promise<{ name: string; domain: string; password: string }> {
  const r = await h.call('POST', '/api/sip', { sid, body: { password: 'sEcReT53a', domain } });
  expect(r).toMatchObject({ status: 'ok', domain });
  return { name: r['user'] as string, domain, password: 'sEcReT53a' };
}

/** REGISTER with digest authentication, as a phone does. */
async function register(phone: SipClient, acc: { name: string; domain: string; password: string }) {
  const uri = `sip:${acc.domain}`;
  const send = (cseq: number, auth?: string) =>
    phone.send(
      [
        `REGISTER ${uri} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${phone.port};branch=z9hG4bKreg${cseq};rport`,
        `From: <sip:${acc.name}@${acc.domain}>;tag=r${cseq}`,
        `To: <sip:${acc.name}@${acc.domain}>`,
        `Call-ID: reg-${acc.name}@test`,
        `CSeq: ${cseq} REGISTER`,
        `Contact: <sip:${acc.name}@127.0.0.1:${phone.port}>`,
        'Expires: 300',
        ...(auth ? [`Authorization: ${auth}`] : []),
      ],
      h.sipPort,
    );
  send(1);
  const challenge = await phone.next(isResponse);
  expect(challenge.status).toBe(401);
  expect(challenge.get('www-authenticate')).toContain(`realm="${acc.domain}"`);
  send(2, digestAnswer(challenge.get('www-authenticate')!, acc, 'REGISTER', uri));
  expect((await phone.next(isResponse)).status).toBe(200);
}

describe('custom NOTIFY to registered phones, several SIP domains', () => {
  it('registers phones in both spec domains and delivers the NOTIFY to each (ok once answered)', async () => {
    const u = await h.user();
    for (const domain of ['sip.solucon.com', 'sip.cospace.de']) {
      const acc = await account(u.sid, domain);
      const phone = await sipClient();
      try {
        await register(phone, acc);
        const sip = (await h.call('GET', '/api/sip', { sid: u.sid }))['sip'] as Record<
          string,
          Record<string, unknown>
        >;
        expect(sip[acc.name]).toMatchObject({ domain, contact: `127.0.0.1:${phone.port}` });
        const res = await h.call('POST', `/api/sip/${acc.name}/notify`, {
          sid: u.sid,
          body: { ...spec, content: 'Messages-Waiting: yes' },
        });
        expect(res).toEqual({ status: 'ok' });
        const notify = await phone.next(isRequest('NOTIFY'));
        expect(notify.get('event')).toBe('check-sync;reboot=true');
        expect(notify.get('to')).toContain(`sip:${acc.name}@${domain}`);
        expect(notify.get('content-type')).toBe('application/simple-message-summary');
        expect(notify.body.toString()).toBe('Messages-Waiting: yes');
      } finally {
        phone.close();
      }
    }
  });

  it('answers not-registered within SIP_NOTIFY_TIMEOUT_MS when the device does not answer', async () => {
    const u = await h.user();
    const acc = await account(u.sid, 'sip.cospace.de');
    // A device that receives but never answers (a phone gone behind a NAT binding that still lets packets in).
    const silent = dgram.createSocket('udp4');
    const received: SipRequest[] = [];
    silent.on('message', (b) => {
      const m = parseMessage(b);
      if (m instanceof SipRequest) received.push(m);
    });
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    try {
      await bindContact(h, acc, silent.address().port);
      const started = Date.now();
      const res = await h.call('POST', `/api/sip/${acc.name}/notify`, { sid: u.sid, body: spec });
      const elapsed = Date.now() - started;
      expect(res['status']).toBe('not-registered');
      expect(res['message']).toContain('answered');
      expect(elapsed).toBeGreaterThanOrEqual(NOTIFY_TIMEOUT_MS - 50);
      expect(elapsed).toBeLessThan(NOTIFY_TIMEOUT_MS + 3000);
      // It was sent (and retransmitted over UDP): the device was asked, it just did not answer.
      expect(received.filter((m) => m.method === 'NOTIFY').length).toBeGreaterThanOrEqual(1);
    } finally {
      silent.close();
    }
  });
});
