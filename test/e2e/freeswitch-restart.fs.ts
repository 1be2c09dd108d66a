/**
 * FreeSWITCH going away under calls and coming back (`npm run
 * test:e2e:freeswitch`, vitest.freeswitch.config.ts): the servers'
 * addresses as TELEPHONY=freeswitch takes them, and FREESWITCH_RESTART, a
 * shell command that stops the running FreeSWITCH and starts it again
 * (whatever manages it there).
 */
import { execSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialplanV2, updatePhone, userWithNumbers } from '../helpers/provision.js';
import { runSipp, startSipp, SIPP_AVAILABLE } from '../helpers/sipp.js';
import { cdrsOf, createTelephonyHarness, eventually, type TelephonyHarness } from '../helpers/telephony.js';

const RESTART = process.env['FREESWITCH_RESTART'];
if (!SIPP_AVAILABLE || RESTART === undefined || process.env['DRACHTIO_URL'] === undefined)
  throw new Error('needs sipp, DRACHTIO_URL, DRACHTIO_SIP, FREESWITCH_ESL and FREESWITCH_RESTART');

let h: TelephonyHarness;
beforeAll(async () => {
  h = await createTelephonyHarness({}, { telephony: 'freeswitch' });
});
afterAll(async () => {
  await h?.close();
});

describe('FreeSWITCH restarts under calls (drachtio + FreeSWITCH)', () => {
  it('the calls on it end with their CDRs (cause 38); once it is back, calls go through again', async () => {
    const { user, numbers } = await userWithNumbers(h);
    const dialplan = await dialplanV2(h, user.sid, {
      profiles: [{ parallel: { targets: ['+4930123456'] } }],
    });
    await updatePhone(h, user.sid, numbers[0]!, { dialplan });
    const carrier = startSipp({
      scenario: 'uas-answer',
      localPort: h.trunkPort,
      calls: 2,
      timeoutSeconds: 90,
    });
    await carrier.ready;
    const call = (holdMs: number) =>
      runSipp({
        scenario: 'uac-call',
        remote: `127.0.0.1:${h.sipPort}`,
        localPort: h.carrierPort,
        service: numbers[0]!.slice(1),
        vars: { hold_ms: String(holdMs) },
        timeoutSeconds: 60,
      });
    const long = call(40_000);
    await eventually(async () => h.telephony.registry.size === 1, 'the call up', 10_000);
    await new Promise((r) => setTimeout(r, 1000));
    const lost = Date.now();
    execSync(RESTART, { stdio: 'ignore', timeout: 30_000 });
    const first = await long;
    // The engine hung up the caller (its BYE ended the 40 s hold) soon after FreeSWITCH went.
    expect(first.successful, first.errors).toBe(1);
    expect(Date.now() - lost).toBeLessThan(35_000);
    const cdrs = await eventually(async () => {
      const c = await cdrsOf(h, numbers[0]!);
      return c.length === 2 ? c : null;
    }, 'both CDRs');
    const row = await h.services.db
      .selectFrom('cdrs')
      .select('q850')
      .where('id', '=', String(cdrs[0]!['id']))
      .executeTakeFirstOrThrow();
    expect(row.q850).toBe(38);
    // Reconnected with back-off: the next call is carried end to end.
    const second = await eventually(
      async () => {
        const r = await call(1000);
        return r.successful === 1 ? r : null;
      },
      'a call after the restart',
      45_000,
    );
    expect(second.successful).toBe(1);
    carrier.kill();
  }, 150_000);
});
