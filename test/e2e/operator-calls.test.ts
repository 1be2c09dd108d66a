/**
 * What an operator sees of a live call: `admin calls` lists it on the node
 * that holds it, `admin calls hangup` ends it from anywhere, the log has one
 * line per call start, leg and end carrying the call uuid and the SIP
 * Call-IDs, and SIP_TRACE logs the call's SIP messages in and out. A sipp
 * carrier calls a call_enable number, which waits for controls (spec 3.24)
 * and so stays up until the operator ends it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../src/admin/commands.js';
import type { Logger } from '../../src/telephony/engine/logger.js';
import { updatePhone, userWithNumbers } from '../helpers/provision.js';
import { runSipp, SIPP_AVAILABLE } from '../helpers/sipp.js';
import { createTelephonyHarness, eventually, type TelephonyHarness } from '../helpers/telephony.js';

interface Line {
  level: string;
  msg: string;
  obj: Record<string, any>;
}
const lines: Line[] = [];
const capture: Logger = {
  debug: (obj, msg = '') => lines.push({ level: 'debug', msg, obj: obj as Record<string, any> }),
  info: (obj, msg = '') => lines.push({ level: 'info', msg, obj: obj as Record<string, any> }),
  warn: (obj, msg = '') => lines.push({ level: 'warn', msg, obj: obj as Record<string, any> }),
  error: (obj, msg = '') => lines.push({ level: 'error', msg, obj: obj as Record<string, any> }),
};

let h: TelephonyHarness;
beforeAll(async () => {
  h = await createTelephonyHarness({ SIP_TRACE: '1' }, { log: capture });
}, 180_000);
afterAll(async () => {
  await h?.close();
});

describe.skipIf(!SIPP_AVAILABLE)('operator view of live calls (sipp)', () => {
  it('admin calls lists the call, admin calls hangup ends it; its log lines and SIP trace carry its ids', async () => {
    const { user, numbers } = await userWithNumbers(h);
    const number = numbers[0]!;
    await updatePhone(h, user.sid, number, {
      call_enable: true,
      fax_enable: false,
      recording_enable: false,
      conference_enable: false,
    });
    const caller = runSipp({
      scenario: 'uac-call-expect-fail',
      remote: `127.0.0.1:${h.sipPort}`,
      localPort: h.carrierPort,
      service: number.slice(1),
      vars: { from_user: '+492215550188' },
      timeoutSeconds: 30,
    });
    const admin = (cmd: Parameters<typeof runAdminCommand>[1]) => runAdminCommand(h.services, cmd);
    const listed = await eventually(async () => {
      const { calls } = (await admin({ op: 'calls.list' })) as { calls: Array<Record<string, any>> };
      const mine = calls.filter((c) => c.number === number);
      return mine.length === 1 ? mine[0]! : null;
    }, 'the call listed');
    expect(listed).toMatchObject({
      node: h.telephony.registry.node,
      user: user.uuid,
      incoming: true,
      from: '+492215550188',
      state: 'calling',
      answered: null,
    });
    expect(listed.created).toBeGreaterThan(Date.now() / 1000 - 60);
    const uuid = listed.uuid as string;
    // Filtered by user and by node; another node has none of it.
    expect(((await admin({ op: 'calls.list', user: user.uuid })) as any).calls).toHaveLength(1);
    expect(((await admin({ op: 'calls.list', node: 'elsewhere' })) as any).calls).toHaveLength(0);

    expect(await admin({ op: 'calls.hangup', uuid, cause: 21 })).toEqual({
      uuid,
      node: h.telephony.registry.node,
      hangup_cause: 21,
    });
    const res = await caller;
    // The caller was refused (a 4xx-6xx final answer) and nothing of the call is left.
    expect(res.successful, res.errors).toBe(1);
    await eventually(
      async () => ((await admin({ op: 'calls.list', user: user.uuid })) as any).calls.length === 0,
      'the call gone from the list',
    );
    await expect(admin({ op: 'calls.hangup', uuid })).rejects.toMatchObject({ status: 'wrong-call' });
    await expect(admin({ op: 'calls.hangup', uuid: 'nope' })).rejects.toMatchObject({
      status: 'wrong-syntax',
    });

    // Its log lines, found by the call uuid: start, the caller's leg (with its SIP Call-ID), end with the cause.
    const ofCall = lines.filter((l) => l.obj['call'] === uuid);
    expect(ofCall.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['call started', 'call leg', 'call ended']),
    );
    const legLine = ofCall.find((l) => l.msg === 'call leg')!;
    const sipCallId = legLine.obj['callId'] as string;
    expect(sipCallId).toMatch(/@/);
    const ended = ofCall.find((l) => l.msg === 'call ended')!;
    expect(ended.obj).toMatchObject({ cause: 21, answered: false, number, owner: user.uuid });
    expect(ended.obj['callIds']).toContain(sipCallId);
    expect(ofCall.every((l) => l.level === 'info')).toBe(true);

    // SIP_TRACE: the INVITE in and the final answer out, under the same Call-ID.
    const traced = lines.filter((l) => l.obj['callId'] === sipCallId && l.obj['sip']);
    const invite = traced.find((l) => l.obj['sip'] === 'in' && /^INVITE /.test(l.obj['message']));
    expect(invite?.msg).toBe('SIP in');
    expect(invite?.obj['peer']).toBe(`udp:127.0.0.1:${h.carrierPort}`);
    expect(
      traced.some((l) => l.obj['sip'] === 'out' && /^SIP\/2\.0 [4-6][0-9][0-9] /.test(l.obj['message'])),
    ).toBe(true);
  });
});
