/**
 * Message waiting on real calls (spec 13.1.2, RFC 3842): a number mapped to
 * an MWI URI (POST /api/mwi) whose target is a sipp UAS; the carrier (sipp)
 * leaves a voice message, and the lamp gets a message-summary NOTIFY once it
 * is stored, again when it is heard (tag_unread removed) and when it is deleted.
 * A phone of the owner's SIP account SUBSCRIBEs to its own mailbox instead
 * and gets the same changes in its subscription's dialog.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../src/admin/commands.js';
import { startMediaWorker, type RunningMediaWorker } from '../../src/media/worker.js';
import { renderTone } from '../../src/telephony/embedded/media/player.js';
import { encodeWav } from '../../src/telephony/embedded/media/wav.js';
import { waitIdle } from '../helpers/audio-api.js';
import { sipAccount, updatePhone, userWithNumbers } from '../helpers/provision.js';
import { digestAnswer, isRequest, isResponse, sipClient } from '../helpers/sip-client.js';
import { G711A_PCAP, SIPP_AVAILABLE, startSipp } from '../helpers/sipp.js';
import {
  carrierCall,
  createTelephonyHarness,
  eventually,
  freePort,
  type TelephonyHarness,
} from '../helpers/telephony.js';

let h: TelephonyHarness;
let worker: RunningMediaWorker;

beforeAll(async () => {
  h = await createTelephonyHarness();
  worker = startMediaWorker(h.services, { concurrency: 1 });
});
afterAll(async () => {
  await worker?.close();
  await h?.close();
});

/** A user whose number takes voice messages after a short announcement. */
async function voiceBox() {
  const { user, numbers } = await userWithNumbers(h);
  const number = numbers[0]!;
  const ann = await h.services.announcements.create(user.uuid, 'mwi');
  const pcm = renderTone({ kind: 'tone', frequencies: [600], durationMs: 300, levelDbm0: -10 });
  await h.services.announcements.upload(user.uuid, ann.uuid, encodeWav(pcm));
  await waitIdle(h);
  await updatePhone(h, user.sid, number, { announcement: ann.uuid, recording_enable: true });
  return { user, number };
}

/** The carrier (sipp) leaves a voice message on `number`. */
async function leaveMessage(number: string): Promise<void> {
  // sipp's speech pcap: a message with something in it (silence only is not kept).
  const caller = await carrierCall(h, number, { pcap: G711A_PCAP, vars: { hold_ms: '3500' } });
  expect(caller.successful, caller.errors).toBe(1);
}

async function voiceMessageOf(owner: string): Promise<string> {
  return eventually(
    async () =>
      (
        await h.services.db
          .selectFrom('objects')
          .select('uuid')
          .where('owner', '=', owner)
          .where('type', '=', 'recording')
          .executeTakeFirst()
      )?.uuid,
    'the voice message',
  );
}

/** The owner listens to the voice message: tag_unread taken off. Its uuid. */
async function heard(user: { uuid: string; sid: string }): Promise<string> {
  const rec = await voiceMessageOf(user.uuid);
  const system = (await h.services.users.byId(user.uuid))!.system_tags;
  const read = await h.call('POST', `/api/object/${rec}/tag`, {
    sid: user.sid,
    body: { delete: [system.tag_unread] },
  });
  expect(read['status']).toBe('ok');
  return rec;
}

describe.skipIf(!SIPP_AVAILABLE)('message waiting NOTIFYs to the MWI URI (sipp)', () => {
  it('a voice message lights the lamp (1/0), hearing it puts it out (0/1), deleting it leaves 0/0', async () => {
    const { user, number } = await voiceBox();

    const admin = await h.user();
    await runAdminCommand(h.services, {
      op: 'user.set-permission',
      user: admin.uuid,
      permission: 'mwi',
      granted: true,
    });
    const lampPort = await freePort();
    const uri = `sip:lamp@127.0.0.1:${lampPort}`;
    expect(await h.call('POST', '/api/mwi', { sid: admin.sid, body: { [number]: uri } })).toEqual({
      status: 'ok',
      'phone-ok': [number],
      'phone-fail': [],
    });
    const lamp = startSipp({ scenario: 'uas-notify', localPort: lampPort, calls: 3, timeoutSeconds: 60 });
    try {
      await lamp.ready;
      await leaveMessage(number);

      const lit = await lamp.waitForMessage(
        /NOTIFY sip:lamp@127\.0\.0\.1:\d+ SIP\/2\.0[^]*?Messages-Waiting: yes\r?\nMessage-Account: (\S+)\r?\nVoice-Message: 1\/0 \(0\/0\)/,
        30_000,
      );
      expect(lit[1]).toBe(uri);
      expect(lit[0]).toMatch(/Event: message-summary/i);
      expect(lit[0]).toMatch(/Content-Type: application\/simple-message-summary/i);

      const rec = await heard(user);
      await lamp.waitForMessage(
        /Messages-Waiting: no\r?\nMessage-Account: \S+\r?\nVoice-Message: 0\/1 \(0\/0\)/,
        20_000,
      );
      // Deleted (into the trash): no message left.
      expect((await h.call('DELETE', `/api/recording/${rec}`, { sid: user.sid }))['status']).toBe('ok');
      // The third NOTIFY ends sipp (-m 3): read its whole log once it has exited.
      const done = await lamp.done;
      expect(done.successful, done.errors).toBe(3);
      expect(done.messages).toMatch(
        /Messages-Waiting: no\r?\nMessage-Account: \S+\r?\nVoice-Message: 0\/0 \(0\/0\)/,
      );
    } finally {
      lamp.kill();
    }
  }, 120_000);

  it("a phone SUBSCRIBEd to its account's mailbox (message-summary) is told at once and of each change", async () => {
    const { user, number } = await voiceBox();
    const account = await sipAccount(h, user.sid);
    const phone = startSipp({
      scenario: 'uac-subscribe-mwi',
      remote: `127.0.0.1:${h.sipPort}`,
      localPort: await freePort(),
      calls: 1,
      timeoutSeconds: 60,
      auth: {
        username: account.name,
        password: account.password,
        uri: `sip:${account.name}@${account.domain}`,
      },
      vars: { user: account.name, domain: account.domain },
    });
    try {
      const summary = (counts: string) =>
        new RegExp(
          `NOTIFY sip:[^]*?Event: message-summary[^]*?Messages-Waiting: (?:yes|no)\\r?\\nMessage-Account: sip:${account.name}@\\S+\\r?\\nVoice-Message: ${counts} \\(0/0\\)`,
          'i',
        );
      // The state at once: nothing yet.
      await phone.waitForMessage(summary('0/0'), 20_000);
      await leaveMessage(number);
      await phone.waitForMessage(summary('1/0'), 30_000);
      await heard(user);
      const done = await phone.done;
      expect(done.successful, done.errors).toBe(1);
      expect(done.messages).toMatch(summary('0/1'));
      expect(done.messages).toMatch(/Subscription-State: active/i);
    } finally {
      phone.kill();
    }
  }, 120_000);

  it('answers a refresh with the current state, an unsubscribe with a final NOTIFY; other packages get 489', async () => {
    const { user } = await voiceBox();
    const account = await sipAccount(h, user.sid);
    const phone = await sipClient();
    try {
      const uri = `sip:${account.name}@${account.domain}`;
      let toTag = '';
      // Its own per run: a server may still hold the dialog of an earlier run's Call-ID.
      const callId = `${crypto.randomUUID()}@test`;
      const subscribe = (cseq: number, opts: { auth?: string; expires?: number; event?: string } = {}) =>
        phone.send(
          [
            `SUBSCRIBE ${uri} SIP/2.0`,
            `Via: SIP/2.0/UDP 127.0.0.1:${phone.port};branch=z9hG4bKmwi${cseq};rport`,
            'Max-Forwards: 70',
            `From: <${uri}>;tag=ph1`,
            `To: <${uri}>${toTag ? `;tag=${toTag}` : ''}`,
            `Call-ID: ${callId}`,
            `CSeq: ${cseq} SUBSCRIBE`,
            `Contact: <sip:${account.name}@127.0.0.1:${phone.port}>`,
            `Event: ${opts.event ?? 'message-summary'}`,
            `Expires: ${opts.expires ?? 120}`,
            ...(opts.auth ? [`Authorization: ${opts.auth}`] : []),
          ],
          h.sipPort,
        );
      subscribe(1, { event: 'presence' });
      const refused = await phone.next(isResponse);
      expect(refused.status).toBe(489);
      expect(refused.getAll('allow-events')).toEqual(['dialog', 'message-summary']);

      subscribe(2);
      const challenge = await phone.next(isResponse);
      expect(challenge.status).toBe(401);
      subscribe(3, { auth: digestAnswer(challenge.get('www-authenticate')!, account, 'SUBSCRIBE', uri) });
      const ok = await phone.next(isResponse);
      // 202 from servers that still send it (drachtio): the same to a subscriber (RFC 6665 §4.1.2.1).
      expect([200, 202]).toContain(ok.status);
      toTag = /;tag=([^;\s]+)/.exec(ok.get('to') ?? '')![1]!;
      const first = await phone.next(isRequest('NOTIFY'));
      expect(first.get('subscription-state')).toBe('active;expires=120');
      expect(first.body.toString()).toMatch(/Voice-Message: 0\/0 \(0\/0\)/);

      subscribe(4, { expires: 60 });
      expect([200, 202]).toContain((await phone.next(isResponse)).status);
      const refreshed = await phone.next(isRequest('NOTIFY'));
      expect(refreshed.get('subscription-state')).toBe('active;expires=60');
      expect(refreshed.body.toString()).toMatch(
        new RegExp(`Message-Account: ${uri}\\r\\nVoice-Message: 0/0 \\(0/0\\)`),
      );

      subscribe(5, { expires: 0 });
      expect([200, 202]).toContain((await phone.next(isResponse)).status);
      const last = await phone.next(isRequest('NOTIFY'));
      expect(last.get('subscription-state')).toBe('terminated;reason=timeout');
    } finally {
      phone.close();
    }
  });
});
