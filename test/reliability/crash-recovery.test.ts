/**
 * kill -9 during a call (issue 14): a carrier call (sipp) reaches a number's
 * voice box on a separate telephony process, which is killed with SIGKILL
 * while the caller's message is being recorded. Started again, the process
 * finds what its dead self left in the recovery journal: the caller gets a
 * BYE (well within 30 s of the restart), the call's CDR is written (cause
 * 41, ended about when the process died) and the message recorded up to the
 * crash is in the owner's inbox as a recording object. A second caller,
 * in a conference the process mixed, gets its BYE too; its CDR is the
 * participant's (service conference), and the room is no longer live
 * (its subscribers are told its member left and it stopped).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMediaWorker, type RunningMediaWorker } from '../../src/media/worker.js';
import { readWav } from '../../src/telephony/embedded/media/wav.js';
import type { TestUser } from '../helpers/harness.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { dominantFrequency } from '../helpers/pcap.js';
import { updatePhone, userWithNumbers } from '../helpers/provision.js';
import { RtpPeer } from '../helpers/rtp-peer.js';
import { SIPP_AVAILABLE, startSipp } from '../helpers/sipp.js';
import { cdrsOf, eventually, freePort } from '../helpers/telephony.js';
import { postgresAnswers } from '../helpers/postgres.js';

const CHILD = path.join(import.meta.dirname, 'telephony-crash-child.ts');
const CALLER = '+492215550177';
const PARTICIPANT = '+492215550178';

// A second process shares the database: PostgreSQL (the PGlite run leaves this test to the PostgreSQL run).
const havePostgres = process.env['TEST_DATABASE'] === 'postgres' && (await postgresAnswers());

let h: Harness;
let worker: RunningMediaWorker;
let env: Record<string, string>;
const children: ChildProcessWithoutNullStreams[] = [];
let peer: RtpPeer | null = null;
let confPeer: RtpPeer | null = null;

/** Starts the telephony process; resolves once it takes calls. */
async function telephony(): Promise<ChildProcessWithoutNullStreams> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (d.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`telephony process exited (${code}): ${err}`)));
  });
  return child;
}

async function recordingsOf(u: TestUser) {
  return h.services.db
    .selectFrom('objects')
    .selectAll()
    .where('owner', '=', u.uuid)
    .where('type', '=', 'recording')
    .execute();
}

beforeAll(async () => {
  if (!havePostgres || !SIPP_AVAILABLE) return;
  const sipPort = await freePort();
  const trunkPort = await freePort();
  const carrierPort = await freePort();
  const confPort = await freePort();
  const rtp = 19000 + (process.pid % 4) * 100; // below the ephemeral range (helpers/telephony.ts)
  env = {
    SIP_PORT: String(sipPort),
    SIP_HOST: '127.0.0.1',
    RTP_PORTS: `${rtp}-${rtp + 99}`,
    SIP_TRUNK: `127.0.0.1:${trunkPort},127.0.0.1:${carrierPort},127.0.0.1:${confPort}`,
    SIP_DOMAIN: 'sip.callplane.test',
    NODE_ID: 'crash-test',
    CARRIER_PORT: String(carrierPort),
    CONF_CARRIER_PORT: String(confPort),
  };
  h = await createHarness(env, { database: 'postgres' });
  env = {
    ...env,
    DATA_DIR: h.config.dataDir,
    REDIS_PREFIX: h.config.redisPrefix,
    REDIS_URL: h.config.redisUrl,
    DATABASE_URL: h.config.databaseUrl!,
  };
  worker = startMediaWorker(h.services, { concurrency: 1 });
}, 60_000);

afterAll(async () => {
  peer?.close();
  confPeer?.close();
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await worker?.close();
  await h?.close();
});

describe.skipIf(!havePostgres || !SIPP_AVAILABLE)('a telephony process killed with SIGKILL mid-call', () => {
  it('ends the caller’s call, writes the CDR and keeps the message recorded up to the crash', async () => {
    const { user, numbers } = await userWithNumbers(h, 2);
    const number = numbers[0]!;
    await updatePhone(h, user.sid, numbers[1]!, {
      conference_enable: true,
      fax_enable: false,
      recording_enable: false,
    });
    const conf = await h.call('POST', '/api/conference', {
      sid: user.sid,
      body: { description: 'crash', pin: '2580', active: true },
    });
    const first = await telephony();

    // A participant in a conference mixed by the process that will die.
    confPeer = await RtpPeer.open();
    const participant = startSipp({
      scenario: 'uac-call',
      remote: `127.0.0.1:${env['SIP_PORT']}`,
      localPort: Number(env['CONF_CARRIER_PORT']),
      service: numbers[1]!.slice(1),
      timeoutSeconds: 90,
      vars: { from_user: PARTICIPANT, rtp_port: String(confPeer.port), hold_ms: '120000' },
    });
    await eventually(async () => confPeer!.audioPackets().length > 5, 'the PIN prompt', 20_000);
    confPeer.send(880);
    confPeer.digits('2580');
    await eventually(
      async () =>
        Object.keys((await h.services.conferenceLive.room(conf['uuid']))?.members ?? {}).length === 1,
      'the participant in the room',
      20_000,
    );
    expect(await h.call('GET', `/api/conference/${conf['uuid']}/event`, { sid: user.sid })).toMatchObject({
      busy: true,
    });

    peer = await RtpPeer.open();
    peer.send(440);
    const caller = startSipp({
      scenario: 'uac-call',
      remote: `127.0.0.1:${env['SIP_PORT']}`,
      localPort: Number(env['CARRIER_PORT']),
      service: number.slice(1),
      timeoutSeconds: 90,
      vars: { from_user: CALLER, rtp_port: String(peer.port), hold_ms: '120000' },
    });

    // The journal shows the message being recorded; 3 s of it reach the disk before the kill.
    const legs = await eventually(
      async () => {
        const keys = await h.redis.keys(`${env['REDIS_PREFIX']}recovery:legs:*`);
        for (const k of keys) {
          const entries = Object.values(await h.redis.hgetall(k)).map((t) => JSON.parse(t));
          if (entries.some((e) => e.recording)) return entries;
        }
        return null;
      },
      'the recording in the recovery journal',
      20_000,
    );
    expect(legs[0].snapshot).toBeTruthy();
    await new Promise((r) => setTimeout(r, 3500));
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const killedAt = Date.now();

    const restartedAt = Date.now();
    await telephony();
    const readyAt = Date.now();
    const result = await caller.done;
    const byeAfterMs = Date.now() - restartedAt;
    const byeAfterReadyMs = Date.now() - readyAt;
    peer.stopSending();
    expect(result.successful, result.errors).toBe(1);
    expect(byeAfterMs).toBeLessThan(30_000);

    const cdr = await eventually(async () => (await cdrsOf(h, number))[0], 'the CDR', 10_000);
    expect(cdr).toMatchObject({ service: 'call', a_number: CALLER });
    const recs = await eventually(
      async () => {
        const r = await recordingsOf(user);
        return r.length > 0 && r.every((x) => x.data['status'] !== 'convert') ? r : null;
      },
      'the recording of the crashed call, converted',
      20_000,
    );
    expect(recs).toHaveLength(1);
    expect(cdr['recording_id']).toBe(recs[0]!.uuid);
    expect(recs[0]!.data).toMatchObject({ from: CALLER, to: number, status: 'ok' });
    // About 3.5 s were recorded; the last second or so before the kill may be missing.
    const pcm = await readWav(h.services.recordings.telephonyWav(recs[0]!.uuid));
    expect(Math.abs(dominantFrequency(pcm) - 440)).toBeLessThan(10);
    expect(pcm.length / 8000).toBeGreaterThan(1);
    expect(pcm.length / 8000).toBeLessThan(4.5);
    // The leg ended when its process was last seen alive (heartbeat every 3 s), not at the restart.
    const endMs = Number(cdr['date']) + (Number(cdr['t_pre']) + Number(cdr['t_post'])) * 1000;
    expect(endMs).toBeGreaterThan(killedAt - 4500);
    expect(endMs).toBeLessThan(killedAt + 1500);
    // The participant's call ended too; its CDR is the conference's; the room is gone.
    const left = await participant.done;
    expect(left.successful, left.errors).toBe(1);
    expect(left.stats['remote_bye(C)']).toBe('1');
    const confCdr = await eventually(
      async () => (await cdrsOf(h, numbers[1]!))[0],
      'the participant CDR',
      10_000,
    );
    expect(confCdr).toMatchObject({
      service: 'conference',
      a_number: PARTICIPANT,
      conference_id: String(conf['uuid']).toLowerCase(),
    });
    const stopped = await eventually(
      async () => {
        const r = await h.call('GET', '/api/event?next=0&timeout=0', { sid: user.sid });
        const e = (r['event'] as Array<Record<string, unknown>>).filter(
          (x) => x['conference'] === conf['uuid'],
        );
        return e.some((x) => x['event'] === 'conference_stop') ? e : null;
      },
      'conference_stop',
      20_000,
    );
    const roomEndedAfterKillMs = Date.now() - killedAt;
    // (a conference_update for the participant's talk may come before or after the status)
    expect(stopped.map((e) => e['event']).filter((e) => e !== 'conference_update')).toEqual([
      'conference_start',
      'conference_status',
      'conference_leave',
      'conference_stop',
    ]);
    expect(await h.services.conferenceLive.room(conf['uuid'])).toBeNull();
    process.stdout.write(
      `crash recovery: conference room ended within ${roomEndedAfterKillMs} ms of the kill\n`,
    );
    process.stdout.write(
      `crash recovery: BYE ${byeAfterMs} ms after the restart (${byeAfterReadyMs} ms after it took calls), CDR end ${killedAt - endMs} ms before the kill\n`,
    );
    // Nothing left behind in the journal.
    await eventually(async () => {
      const keys = await h.redis.keys(`${env['REDIS_PREFIX']}recovery:legs:*`);
      for (const k of keys) if ((await h.redis.hlen(k)) > 0) return false;
      return true;
    }, 'an empty recovery journal');
  }, 120_000);
});
