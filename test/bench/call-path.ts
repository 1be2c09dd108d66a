/**
 * The whole per-call path for load runs (bench:sip, bench:cluster, soak): a
 * partner's user whose number forwards to the carrier through every part of
 * the trunk gate, a partner session that drains its `cdr` events, and the
 * sipp run that calls it at a rate.
 *
 * BENCH_SIPP_ERRORS=<prefix>: a run with failed calls leaves the caller's sipp
 * error log (every unexpected answer in full) and its statistics in
 * `<prefix>-<target port>-<rate>.log`.
 */
import fs from 'node:fs';
import { dialplanV2, updatePhone, userWithNumbers } from '../helpers/provision.js';
import { runSipp, startSipp } from '../helpers/sipp.js';
import type { TelephonyHarness } from '../helpers/telephony.js';

const G = '/api/partner/usergroup';

/** A partner's user whose number forwards to the carrier through every part of the trunk gate. */
export async function fullPath(h: TelephonyHarness): Promise<{ number: string; partnerSid: string }> {
  const partner = await h.partner();
  const { user, numbers } = await userWithNumbers(h, 1, { partner });
  const sid = partner.sid;
  const group = (await h.call('POST', G, { sid, body: {} }))['group_uuid'] as string;
  const ok = (r: Record<string, unknown>) => {
    if (r['status'] !== 'ok') throw new Error(JSON.stringify(r));
  };
  ok(await h.call('POST', `${G}/${group}/user`, { sid, body: { users: { add: [user.uuid] } } }));
  ok(await h.call('POST', `${G}/${group}/limit`, { sid, body: { limit: 999 } }));
  ok(await h.call('POST', `${G}/${group}/credit`, { sid, body: { add: 1_000_000_000 } }));
  ok(
    await h.call('POST', `${G}/${group}/zonefilter`, {
      sid,
      body: { zonefilter: [{ prefix: ['+4930'], cost: 1, increment: 60 }] },
    }),
  );
  ok(
    await h.call('POST', `/api/partner/callfilter/${user.uuid}`, {
      sid,
      body: {
        callfilter: [
          { operator: 'replace', key: '^0049', value: '+49' },
          { operator: 'match', key: '^\\+49900', pass: false },
          { operator: 'service', key: 'dialplan', pass: true },
        ],
      },
    }),
  );
  const dialplan = await dialplanV2(h, user.sid, { profiles: [{ parallel: { targets: ['+4930123456'] } }] });
  await updatePhone(h, user.sid, numbers[0]!, { dialplan });
  ok(await h.call('GET', '/api/partner/cdr/event', { sid }));
  return { number: numbers[0]!, partnerSid: sid };
}

/** Drains a partner session's event stream in the background: the `cdr` events it received. */
export function cdrCollector(h: TelephonyHarness, sid: string) {
  let received = 0;
  let next = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const r = await h.call('GET', `/api/event?next=${next}&timeout=1`, { sid });
      if (r['status'] === 'ok') {
        received += (r['event'] as Array<{ event: string }>).filter((e) => e.event === 'cdr').length;
        next = r['next'] as number;
      }
    }
  })();
  return {
    received: () => received,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/**
 * Carrier calls to `number` at `rate` for `seconds` (sipp uac-fast from the
 * carrier port to `target`: a node's or a proxy's SIP port), answered by a
 * sipp UAS on the trunk port. `cpu`: this process's CPU during the calls.
 */
export async function carrierCps(
  h: TelephonyHarness,
  opts: { target: number; number: string; rate: number; seconds: number },
) {
  const { rate } = opts;
  const calls = Math.round(rate * opts.seconds);
  const timeoutSeconds = Math.ceil(calls / rate) + 20;
  const uas = startSipp({
    scenario: 'uas-fast',
    localPort: h.trunkPort,
    calls: 1e9,
    traceMessages: false,
    timeoutSeconds,
  });
  await uas.ready;
  const cpu0 = process.cpuUsage();
  const uac = await runSipp({
    scenario: 'uac-fast',
    remote: `127.0.0.1:${opts.target}`,
    localPort: h.carrierPort,
    service: opts.number.slice(1),
    calls,
    rate,
    traceMessages: false,
    timeoutSeconds,
  });
  const cpu = process.cpuUsage(cpu0);
  uas.kill();
  await uas.done;
  const seconds = uac.elapsedSeconds || opts.seconds;
  const errorLog = process.env['BENCH_SIPP_ERRORS'];
  if (uac.failed > 0 && errorLog)
    fs.writeFileSync(
      `${errorLog}-${opts.target}-${rate}.log`,
      `${uac.errors}\n${JSON.stringify(uac.stats)}\n`,
    );
  return {
    cpu0,
    cpu,
    calls,
    successful: uac.successful,
    cps: uac.successful / seconds,
    failed: uac.failed + Math.max(0, calls - uac.successful - uac.failed),
    retransmissions: Number(uac.stats['Retransmissions(C)'] ?? 0),
  };
}
