/**
 * The registrar's digest exchange over UDP with a hand-built client: SHA-256
 * (RFC 8760) and MD5 challenges in the configured order, stale nonces, and a
 * REGISTER that arrives out of order (RFC 3261 §10.3).
 */
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DigestAlgorithm } from '../../src/telephony/embedded/sip/digest.js';
import { parseMessage, SipResponse } from '../../src/telephony/embedded/sip/message.js';
import { sipAccount } from '../helpers/provision.js';
import { digestAnswer } from '../helpers/sip-client.js';
import { createTelephonyHarness, type TelephonyHarness } from '../helpers/telephony.js';

let h: TelephonyHarness;
let sock: dgram.Socket;
const inbox: SipResponse[] = [];
let wake: (() => void) | null = null;

beforeAll(async () => {
  h = await createTelephonyHarness({ SIP_DIGEST_ALGORITHMS: 'SHA-256,MD5', SIP_MIN_EXPIRES: '60' });
  sock = dgram.createSocket('udp4');
  sock.on('message', (b) => {
    const m = parseMessage(b);
    if (m instanceof SipResponse && m.status >= 200) inbox.push(m);
    wake?.();
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
});
afterAll(async () => {
  sock?.close();
  await h?.close();
});

async function response(): Promise<SipResponse> {
  for (let i = 0; i < 100 && inbox.length === 0; i++)
    await new Promise<void>((r) => ((wake = r), setTimeout(r, 50)));
  const r = inbox.shift();
  if (!r) throw new Error('no response');
  return r;
}

let branch = 0;
function register(
  account: string,
  domain: string,
  callId: string,
  cseq: number,
  auth?: string,
  expires = 60,
  extra: string[] = [],
): void {
  const port = sock.address().port;
  const lines = [
    `REGISTER sip:${domain} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bKreg${++branch};rport`,
    `From: <sip:${account}@${domain}>;tag=t${branch}`,
    `To: <sip:${account}@${domain}>`,
    `Call-ID: ${callId}`,
    `CSeq: ${cseq} REGISTER`,
    `Contact: <sip:${account}@127.0.0.1:${port}>`,
    `Expires: ${expires}`,
    ...(auth ? [`Authorization: ${auth}`] : []),
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ];
  sock.send(Buffer.from(lines.join('\r\n')), h.sipPort, '127.0.0.1');
}

const answer = (
  challenge: string,
  account: { name: string; domain: string; password: string },
  algorithm: DigestAlgorithm,
): string => digestAnswer(challenge, account, 'REGISTER', `sip:${account.domain}`, algorithm);

describe('registrar digest exchange (RFC 3261 §22, RFC 8760)', () => {
  it('challenges with SHA-256 first, then MD5, and accepts either answer', async () => {
    const u = await h.user();
    const acc = await sipAccount(h, u.sid);
    for (const algorithm of ['SHA-256', 'MD5'] as const) {
      const callId = `cid-${algorithm}@test`;
      register(acc.name, acc.domain, callId, 1);
      const challenge = await response();
      expect(challenge.status).toBe(401);
      const offers = challenge.getAll('www-authenticate');
      expect(offers.map((o) => /algorithm=([A-Z0-9-]+)/.exec(o)![1])).toEqual(['SHA-256', 'MD5']);
      register(acc.name, acc.domain, callId, 2, answer(offers[algorithm === 'MD5' ? 1 : 0]!, acc, algorithm));
      const ok = await response();
      expect(ok.status, ok.reason).toBe(200);
      expect(ok.get('contact')).toMatch(/;expires=(59|60)$/);
    }
  });

  it('refuses a REGISTER whose CSeq is not higher than the binding’s (RFC 3261 §10.3 step 6)', async () => {
    const u = await h.user();
    const acc = await sipAccount(h, u.sid);
    register(acc.name, acc.domain, 'order@test', 5);
    const c1 = await response();
    register(acc.name, acc.domain, 'order@test', 6, answer(c1.get('www-authenticate')!, acc, 'SHA-256'));
    expect((await response()).status).toBe(200);
    register(acc.name, acc.domain, 'order@test', 4);
    const c2 = await response();
    register(acc.name, acc.domain, 'order@test', 4, answer(c2.get('www-authenticate')!, acc, 'SHA-256'));
    expect((await response()).status).toBe(500);
  });

  it('answers 423 with Min-Expires below the shortest interval and caps long ones at 3600 s', async () => {
    const u = await h.user();
    const acc = await sipAccount(h, u.sid);
    register(acc.name, acc.domain, 'short@test', 1);
    const c = await response();
    register(acc.name, acc.domain, 'short@test', 2, answer(c.get('www-authenticate')!, acc, 'SHA-256'), 30);
    const tooBrief = await response();
    expect(tooBrief.status).toBe(423);
    expect(tooBrief.get('min-expires')).toBe('60');
    register(
      acc.name,
      acc.domain,
      'short@test',
      3,
      answer(c.get('www-authenticate')!, acc, 'SHA-256'),
      999_999,
    );
    const ok = await response();
    expect(ok.status).toBe(200);
    expect(ok.get('contact')).toMatch(/;expires=(3599|3600)$/);
  });

  it('reads header names that are Object properties (`constructor`, `__proto__`) as plain headers', async () => {
    const u = await h.user();
    const acc = await sipAccount(h, u.sid);
    const odd = ['constructor: x', '__proto__: y', 'toString: z', 'hasOwnProperty: w'];
    register(acc.name, acc.domain, 'proto@test', 1, undefined, 60, odd);
    const c = await response();
    expect(c.status).toBe(401);
    register(
      acc.name,
      acc.domain,
      'proto@test',
      2,
      answer(c.get('www-authenticate')!, acc, 'SHA-256'),
      60,
      odd,
    );
    expect((await response()).status).toBe(200);
  });
});
