/**
 * Path (RFC 3327) at the registrar and on the way back: a REGISTER relayed by
 * an edge proxy (SIP_PROXY) stores its Path with the binding and the
 * phone's own address as the source; the 200 returns the Path; INVITEs and
 * NOTIFYs toward the phone go to the proxy with the Path as Route set; a
 * malformed Path is refused with 400 and never takes the node down. The
 * "proxy" is a plain UDP socket that relays nothing: the test sends what a
 * proxy would and looks at what arrives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAUSE } from '../../src/telephony/causes.js';
import { parsePath } from '../../src/telephony/embedded/sip/path.js';
import type { SipRequest, SipResponse } from '../../src/telephony/embedded/sip/message.js';
import { sipAccount } from '../helpers/provision.js';
import { digestAnswer, isRequest, isResponse, sipClient, type SipClient } from '../helpers/sip-client.js';
import { createTelephonyHarness, eventually, type TelephonyHarness } from '../helpers/telephony.js';

let h: TelephonyHarness;
let proxy: SipClient;
/** A port nobody listens on: the phone's address behind the proxy. */
const PHONE_PORT = 9;

beforeAll(async () => {
  proxy = await sipClient();
  h = await createTelephonyHarness({ SIP_PROXY: `127.0.0.1:${proxy.port}` });
});
afterAll(async () => {
  proxy?.close();
  await h?.close();
});

let n = 0;
/** A REGISTER as an edge proxy relays it: its Via on top, the phone's below (with received/rport). */
function relayRegister(
  acc: { name: string; domain: string },
  callId: string,
  cseq: number,
  extra: string[],
  auth?: string,
): void {
  n++;
  proxy.send(
    [
      `REGISTER sip:${acc.domain} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${proxy.port};branch=z9hG4bKproxy${n}`,
      `Via: SIP/2.0/UDP 10.1.2.3:5060;branch=z9hG4bKphone${n};received=127.0.0.1;rport=${PHONE_PORT}`,
      `From: <sip:${acc.name}@${acc.domain}>;tag=f${n}`,
      `To: <sip:${acc.name}@${acc.domain}>`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: <sip:${acc.name}@10.1.2.3:5060>`,
      'Expires: 120',
      ...extra,
      ...(auth ? [`Authorization: ${auth}`] : []),
    ],
    h.sipPort,
  );
}

const final = (m: SipRequest | SipResponse): m is SipResponse => isResponse(m) && m.status >= 200;

/** Registers through the "proxy" with the digest exchange; returns the 200 (or the refusal). */
async function registerVia(
  acc: { name: string; domain: string; password: string },
  extra: string[],
): Promise<SipResponse> {
  const callId = `path-${n}-${acc.name}`;
  relayRegister(acc, callId, 1, extra);
  const challenge = await proxy.next(final);
  if (challenge.status !== 401) return challenge;
  const auth = digestAnswer(challenge.get('www-authenticate')!, acc, 'REGISTER', `sip:${acc.domain}`);
  relayRegister(acc, callId, 2, extra, auth);
  return proxy.next(final);
}

const PATH = (port: number): string => `<sip:127.0.0.1:${port};lr;received=sip:127.0.0.1:${PHONE_PORT}>`;

describe('registrar: Path (RFC 3327)', () => {
  it('stores the Path with the binding when the REGISTER supports it, returns it, and keeps the phone as source', async () => {
    const u = await h.user();
    const acc = await sipAccount(h, u.sid);
    const ok = await registerVia(acc, [`Path: ${PATH(proxy.port)}`, 'Supported: path']);
    expect(ok.status, ok.reason).toBe(200);
    expect(ok.getAll('path')).toEqual([PATH(proxy.port)]);
    const [b] = await h.services.registrations.bindings(acc.name);
    expect(b).toMatchObject({
      contact: `sip:${acc.name}@10.1.2.3:5060`,
      source: `127.0.0.1:${PHONE_PORT}`,
      path: [PATH(proxy.port)],
    });
  });

  it('keeps several Path entries in order (one header or several)', async () => {
    const u = await h.user();
    const acc = await sipAccount(h, u.sid);
    const outer = '<sip:198.51.100.7;lr>';
    const ok = await registerVia(acc, [
      `Path: ${PATH(proxy.port)}, <sip:192.0.2.1:5070;lr;transport=tcp>`,
      `Path: ${outer}`,
      'Supported: timer, path',
    ]);
    expect(ok.status, ok.reason).toBe(200);
    const [b] = await h.services.registrations.bindings(acc.name);
    expect(b?.path).toEqual([PATH(proxy.port), '<sip:192.0.2.1:5070;lr;transport=tcp>', outer]);
  });

  it('ignores the Path of a REGISTER that does not list path in Supported (§5.3)', async () => {
    const u = await h.user();
    const acc = await sipAccount(h, u.sid);
    const ok = await registerVia(acc, [`Path: ${PATH(proxy.port)}`]);
    expect(ok.status, ok.reason).toBe(200);
    expect(ok.getAll('path')).toEqual([]);
    const [b] = await h.services.registrations.bindings(acc.name);
    expect(b?.path).toBeUndefined();
    expect(b?.source).toBe(`127.0.0.1:${PHONE_PORT}`);
  });

  it('refuses a malformed Path with 400 and stays up (generated variants)', async () => {
    const u = await h.user();
    const acc = await sipAccount(h, u.sid);
    const fixed = [
      '<sip:127.0.0.1:5060>', // not a loose router
      'sip:127.0.0.1;lr', // no angle brackets
      '<tel:+4930123;lr>',
      '<sip:;lr>',
      '<sip:127.0.0.1:99999;lr>',
      '<sip:127.0.0.1;lr',
      '<>',
      '*',
      ',',
      `${'<sip:a.example;lr>,'.repeat(9)}<sip:a.example;lr>`,
      '"unterminated <sip:x;lr>',
      `<sip:${'x'.repeat(3000)};lr>`,
    ];
    // Random printable garbage around and inside a valid entry.
    let seed = 20;
    const rnd = (k: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % k);
    const alphabet = '<>;,:@"=\\ sip lr tel *?&%[]';
    const random = Array.from({ length: 40 }, () => {
      const base = PATH(proxy.port).split('');
      for (let i = 0; i < 1 + rnd(4); i++)
        base.splice(rnd(base.length), rnd(3), alphabet[rnd(alphabet.length)]!);
      return base.join('');
    });
    for (const bad of fixed) {
      relayRegister(acc, `bad-${n}`, 1, [`Path: ${bad}`, 'Supported: path']);
      const res = await proxy.next(final);
      expect(res.status, `Path: ${bad}`).toBe(400);
      expect(res.reason).toContain('Path');
    }
    for (const bad of random) {
      relayRegister(acc, `bad-${n}`, 1, [`Path: ${bad}`, 'Supported: path']);
      const res = await proxy.next(final);
      // A mutation may leave a well-formed list: that one is challenged like any REGISTER.
      expect(res.status, `Path: ${bad}`).toBe(parsePath([bad]) === null ? 400 : 401);
    }
    const ok = await registerVia(acc, [`Path: ${PATH(proxy.port)}`, 'Supported: path']);
    expect(ok.status).toBe(200);
  });
});

describe('requests toward a phone registered with a Path', () => {
  it('INVITE and NOTIFY go to the first Path hop with the Path as pre-loaded Route set', async () => {
    const u = await h.user();
    const acc = await sipAccount(h, u.sid);
    const ok = await registerVia(acc, [`Path: ${PATH(proxy.port)}`, 'Supported: path']);
    expect(ok.status).toBe(200);

    const leg = h.telephony.adapter.signaling.originate({
      call: 'path-call',
      target: { kind: 'account', account: acc.name },
      from: { number: '4930123456', display: null, clir: false },
    });
    const invite = await proxy.next(isRequest('INVITE'));
    expect(invite.uri).toBe(`sip:${acc.name}@10.1.2.3:5060`);
    expect(invite.getAll('route')).toEqual([PATH(proxy.port)]);
    leg.hangup(CAUSE.normal);

    const [binding] = await h.services.registrations.bindings(acc.name);
    const answered = h.telephony.adapter.notifier.notify(binding!, acc, {
      event: 'check-sync',
      contentType: '',
      content: '',
    });
    const notify = await proxy.next(isRequest('NOTIFY'));
    expect(notify.uri).toBe(`sip:${acc.name}@10.1.2.3:5060`);
    expect(notify.getAll('route')).toEqual([PATH(proxy.port)]);
    await answered; // the "proxy" answered 200 itself
    await eventually(
      async () => h.telephony.adapter.signaling.activeCalls === 0 || null,
      'the leg to end',
      10_000,
    );
  });
});
