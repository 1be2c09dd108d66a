/**
 * Carrier calls through the embedded B2BUA with real sipp peers (spec 4.1
 * dialplan v2 ringing): a sipp UAC plays the carrier calling one of the
 * platform's numbers, sipp UASes play the registered SIP phones.
 */
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialplanV2, sipAccount, updatePhone, userWithNumbers } from '../helpers/provision.js';
import { readPcapRtp } from '../helpers/pcap.js';
import { G711A_PCAP, runSipp, startSipp, SIPP_AVAILABLE, type SippOptions } from '../helpers/sipp.js';
import {
  bindContact,
  cdrsOf,
  createTelephonyHarness,
  eventually,
  freePort,
  holdAllRtpPorts,
  type TelephonyHarness,
} from '../helpers/telephony.js';

let h: TelephonyHarness;
beforeAll(async () => {
  h = await createTelephonyHarness();
});
afterAll(async () => {
  await h?.close();
});

/** The carrier: a sipp UAC calling `number` from the trunk's source port. */
function carrier(number: string, file = 'uac-call.xml', extra: Partial<SippOptions> = {}) {
  return runSipp({
    scenario: file,
    remote: `127.0.0.1:${h.sipPort}`,
    localPort: h.carrierPort,
    service: number,
    timeoutSeconds: 20,
    ...extra,
  });
}

/** A SIP phone: a sipp UAS on a free port, registered for `account`. */
async function phone(
  account: { name: string; domain: string },
  file: string,
  vars: Record<string, string> = {},
) {
  const port = await freePort();
  await bindContact(h, account, port);
  const p = startSipp({
    scenario: file,
    localPort: port,
    mediaPort: await freePort(),
    vars,
    timeoutSeconds: 20,
  });
  await p.ready;
  return p;
}

/** A user with a number whose dialplan v2 has one profile over `n` new SIP accounts. */
async function withProfile(profile: (names: string[]) => unknown, n = 1) {
  const { user, numbers } = await userWithNumbers(h);
  const accounts = [];
  for (let i = 0; i < n; i++) accounts.push(await sipAccount(h, user.sid));
  const number = numbers[0]!;
  const dialplan = await dialplanV2(h, user.sid, {
    description: 'e2e',
    profiles: [profile(accounts.map((a) => a.name))],
  });
  await updatePhone(h, user.sid, number, { dialplan });
  return { user, accounts, number };
}

describe.skipIf(!SIPP_AVAILABLE)('carrier calls to a number (embedded B2BUA, sipp)', () => {
  it('rings a registered phone, bridges the call and writes a CDR per leg', async () => {
    const { accounts, number } = await withProfile((a) => ({ linear: { targets: [{ target: a[0] }] } }));
    const uas = await phone(accounts[0]!, 'uas-answer.xml');
    const caller = await carrier(number.slice(1), 'uac-call.xml', { vars: { hold_ms: '1500' } });
    const callee = await uas.done;
    expect(caller.successful, caller.errors).toBe(1);
    expect(callee.successful, callee.errors).toBe(1);
    const cdrs = await eventually(async () => {
      const c = await cdrsOf(h, number);
      return c.length === 2 ? c : null;
    }, 'two CDRs');
    const [root, child] = cdrs as [Record<string, unknown>, Record<string, unknown>];
    expect(root).toMatchObject({ service: 'call', a_number: 'sipp', phone: number });
    expect(root['parent']).toBeUndefined();
    expect(child).toMatchObject({
      service: 'call',
      b_number: accounts[0]!.name,
      parent: root['id'],
      root: root['id'],
    });
    expect(child['t_post']).toBeGreaterThanOrEqual(1);
  });

  it('rejects with the dialplan and answers an unknown number with 404', async () => {
    const { number } = await withProfile(() => ({ reject: {} }));
    const r = await carrier(number.slice(1), 'uac-call-expect-fail.xml', { vars: { expected: '403' } });
    expect(r.successful, r.errors).toBe(1);
    const unknown = await carrier('4900000000001', 'uac-call-expect-fail.xml', { vars: { expected: '404' } });
    expect(unknown.successful, unknown.errors).toBe(1);
  });

  it('relays the caller’s RTP (pcap) to the phone', async () => {
    const { accounts, number } = await withProfile((a) => ({ parallel: { targets: [a[0]] } }));
    const pcap = readPcapRtp(G711A_PCAP);
    const sink = dgram.createSocket('udp4');
    let packets = 0;
    sink.on('message', () => packets++);
    await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
    try {
      const uas = await phone(accounts[0]!, 'uas-answer.xml', { rtp_port: String(sink.address().port) });
      const caller = await carrier(number.slice(1), 'uac-call.xml', {
        pcap: G711A_PCAP,
        vars: { hold_ms: String(Math.ceil(pcap.durationMs) + 600) },
      });
      expect(caller.successful, caller.errors).toBe(1);
      if (process.env['SIP_DEBUG']) console.log(caller.messages.slice(-3000), caller.stats);
      const callee = await uas.done;
      expect(callee.successful, callee.errors + callee.stderr).toBe(1);
      // Every packet of the pcap crosses the B2BUA (loopback: allow 2 % for sipp's own start-up).
      expect(packets).toBeGreaterThanOrEqual(Math.floor(pcap.count * 0.98));
      expect(packets).toBeLessThanOrEqual(pcap.count);
    } finally {
      sink.close();
    }
  });

  it('a carrier target of the dialplan is the owner’s outgoing call: call filter on service dialplan', async () => {
    const partner = await h.partner();
    const { user, numbers } = await userWithNumbers(h, 1, { partner });
    const number = numbers[0]!;
    const dialplan = await dialplanV2(h, user.sid, {
      description: 'forward',
      profiles: [{ parallel: { targets: ['+4930666111'] } }],
    });
    await updatePhone(h, user.sid, number, { dialplan });
    const set = await h.call('POST', `/api/partner/callfilter/${user.uuid}`, {
      sid: partner.sid,
      body: { callfilter: [{ operator: 'service', key: 'dialplan', pass: false }] },
    });
    expect(set['status']).toBe('ok');
    // No INVITE reaches the trunk: the only target is refused, so the call is unavailable.
    const caller = await carrier(number.slice(1), 'uac-call-expect-fail.xml', { vars: { expected: '480' } });
    expect(caller.successful, caller.errors).toBe(1);
  });

  it('a forwarded carrier call is billed by the owner’s zone filter and cut when the credit runs out', async () => {
    const partner = await h.partner();
    const { user, numbers } = await userWithNumbers(h, 1, { partner });
    const number = numbers[0]!;
    const G = '/api/partner/usergroup';
    const group = (await h.call('POST', G, { sid: partner.sid, body: {} }))['group_uuid'] as string;
    await h.call('POST', `${G}/${group}/user`, { sid: partner.sid, body: { users: { add: [user.uuid] } } });
    await h.call('POST', `${G}/${group}/zonefilter`, {
      sid: partner.sid,
      body: { zonefilter: [{ prefix: ['+4930'], cost: 60, increment: 1 }] },
    });
    await h.call('POST', `${G}/${group}/credit`, { sid: partner.sid, body: { add: 2 } });
    const dialplan = await dialplanV2(h, user.sid, {
      description: 'forward',
      profiles: [{ parallel: { targets: ['+4930666222'] } }],
    });
    await updatePhone(h, user.sid, number, { dialplan });
    const far = startSipp({ scenario: 'uas-answer', localPort: h.trunkPort, timeoutSeconds: 20 });
    await far.ready;
    const started = Date.now();
    const caller = await carrier(number.slice(1), 'uac-call.xml', { vars: { hold_ms: '12000' } });
    expect(caller.successful, caller.errors).toBe(1);
    expect((await far.done).successful).toBe(1);
    expect(Date.now() - started).toBeLessThan(9000);
    expect((await h.call('GET', `${G}/${group}/credit`, { sid: partner.sid }))['credit']).toBe(0);
  });
});

describe.skipIf(!SIPP_AVAILABLE)('a node out of RTP ports', () => {
  it('refuses the carrier 503 (no channel available), answered or forwarded, and goes on once ports are free', async () => {
    const { user, numbers } = await userWithNumbers(h);
    const number = numbers[0]!;
    await updatePhone(h, user.sid, number, { recording_enable: true });
    const release = await holdAllRtpPorts(h);
    const { user: other, numbers: forwarded } = await userWithNumbers(h);
    const dialplan = await dialplanV2(h, other.sid, {
      profiles: [{ parallel: { targets: ['+4930666112'] } }],
    });
    await updatePhone(h, other.sid, forwarded[0]!, { dialplan });
    try {
      // Answered here: the inbound leg has no port for its answer.
      const refused = await carrier(number.slice(1), 'uac-call-expect-fail.xml', {
        vars: { expected: '503' },
      });
      expect(refused.successful, refused.errors).toBe(1);
      // Forwarded to the trunk: the trunk leg has no port, so nothing was rung (not 480, unavailable).
      const forward = await carrier(forwarded[0]!.slice(1), 'uac-call-expect-fail.xml', {
        vars: { expected: '503' },
      });
      expect(forward.successful, forward.errors).toBe(1);
    } finally {
      await release();
    }
    const caller = await carrier(number.slice(1), 'uac-call.xml', { vars: { hold_ms: '500' } });
    expect(caller.successful, caller.errors).toBe(1);
  });
});
