/**
 * A call whose peers vanish (RTP stops, no BYE) is ended by the media
 * timeout (RTP_TIMEOUT_SECONDS) and still gets its CDRs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPcapRtp } from '../helpers/pcap.js';
import { dialplanV2, sipAccount, updatePhone, userWithNumbers } from '../helpers/provision.js';
import { G711A_PCAP, runSipp, startSipp, SIPP_AVAILABLE } from '../helpers/sipp.js';
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
  h = await createTelephonyHarness({ RTP_TIMEOUT_SECONDS: '2' });
});
afterAll(async () => {
  await h?.close();
});

describe.skipIf(!SIPP_AVAILABLE)('media timeout', () => {
  it('ends a call 2 s after RTP stops, hangs up both sides and records the CDRs', async () => {
    const { user, numbers } = await userWithNumbers(h);
    const account = await sipAccount(h, user.sid);
    const dialplan = await dialplanV2(h, user.sid, { profiles: [{ parallel: { targets: [account.name] } }] });
    await updatePhone(h, user.sid, numbers[0]!, { dialplan });
    const port = await freePort();
    await bindContact(h, account, port);
    const media = readPcapRtp(G711A_PCAP).durationMs;
    // Both ends play the pcap and then go silent for far longer than the timeout, without a BYE.
    const callee = startSipp({
      scenario: 'uas-answer',
      localPort: port,
      mediaPort: await freePort(),
      pcap: G711A_PCAP,
      timeoutSeconds: 40,
    });
    await callee.ready;
    const started = Date.now();
    const caller = await runSipp({
      scenario: 'uac-call',
      remote: `127.0.0.1:${h.sipPort}`,
      localPort: h.carrierPort,
      service: numbers[0]!.slice(1),
      pcap: G711A_PCAP,
      vars: { hold_ms: '30000' },
      timeoutSeconds: 40,
    });
    const elapsed = Date.now() - started;
    // callplane's BYE ended the caller's hold early ("remote_bye"), and the callee got one too.
    expect(caller.successful, caller.errors).toBe(1);
    expect((await callee.done).successful).toBe(1);
    expect(elapsed).toBeGreaterThan(media + 1500);
    expect(elapsed).toBeLessThan(media + 5000);
    const cdrs = await eventually(async () => {
      const c = await cdrsOf(h, numbers[0]!);
      return c.length === 2 ? c : null;
    }, 'two CDRs');
    expect(Number(cdrs[1]!['t_post'])).toBeGreaterThanOrEqual(Math.floor(media / 1000));
    const row = await h.services.db
      .selectFrom('cdrs')
      .select('q850')
      .where('id', '=', String(cdrs[0]!['id']))
      .executeTakeFirstOrThrow();
    // Q.850 41 "temporary failure": the media stopped.
    expect(row.q850).toBe(41);
  });
});
