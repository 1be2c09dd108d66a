/**
 * Conference dial-in on real calls (spec 3.17, 7.11; issue 17): three sipp
 * callers from the carrier, each with the test's own RTP socket sending a
 * tone of its own, key the PIN as RFC 4733 events and are mixed by the
 * embedded engine. Each hears the other two tones and not its own; a
 * member muted through the API is heard by nobody; volume_in / volume_out
 * change the measured level by 3 dB per step; a deaf member hears nothing;
 * kicked members' calls end with a BYE from the engine. Member control and
 * the event subscription go through a second API node (its own services and
 * Redis connection), which reaches the mixing node through Redis only; the
 * owner's event stream shows the join / talk / mute / leave sequence in
 * order.
 */
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newMember } from '../../src/domain/conference/member.js';
import { connectRedis } from '../../src/lib/redis.js';
import { createServices, type Services } from '../../src/services/index.js';
import { goertzelPower } from '../../src/telephony/embedded/media/dtmf.js';
import { volumeGain } from '../../src/telephony/embedded/media/mixer.js';
import { PIN_FIRST_DIGIT_MS } from '../../src/telephony/engine/conference-dial-in.js';
import fs from 'node:fs';
import { BARESIP_AVAILABLE, startBaresip } from '../helpers/baresip.js';
import { updatePhone, userWithNumbers } from '../helpers/provision.js';
import { audibleShare, RtpPeer, toneShare } from '../helpers/rtp-peer.js';
import { freeUdpPort, SIPP_AVAILABLE, startSipp, type SippHandle } from '../helpers/sipp.js';
import { createTelephonyHarness, eventually, freePort, type TelephonyHarness } from '../helpers/telephony.js';

let h: TelephonyHarness;
// A second API node: its own services on its own Redis connection, same database.
let redis2: Redis;
let services2: Services;
let app2: FastifyInstance;
const peers: RtpPeer[] = [];
const sipps: SippHandle[] = [];

beforeAll(async () => {
  // Every port of 127.0.0.1 is the carrier: three sipp callers need a port each.
  h = await createTelephonyHarness({ SIP_TRUNK: '127.0.0.1' });
  redis2 = await connectRedis(h.config.redisUrl);
  services2 = createServices({ config: h.config, db: h.services.db, redis: redis2 });
  app2 = await h.newApp(services2);
});
afterAll(async () => {
  for (const s of sipps) s.kill();
  for (const p of peers) p.close();
  await services2?.close();
  redis2?.disconnect();
  await h?.close();
});

const FREQS = [440, 880, 1320] as const;

async function caller(
  number: string,
  from: string,
  holdMs: number,
): Promise<{ peer: RtpPeer; sipp: SippHandle }> {
  const peer = await RtpPeer.open();
  peers.push(peer);
  const sipp = startSipp({
    scenario: 'uac-call',
    remote: `127.0.0.1:${h.sipPort}`,
    localPort: await freeUdpPort(),
    service: number.slice(1),
    timeoutSeconds: 30,
    vars: { from_user: from, rtp_port: String(peer.port), hold_ms: String(holdMs) },
  });
  sipps.push(sipp);
  return { peer, sipp };
}

/**
 * The amplitude of `freq` in what a caller heard: the median over 50 ms
 * windows (a whole number of cycles of each test tone), so a frame lost
 * under load does not move it.
 */
function amplitude(samples: Int16Array, freq: number, windowSamples = 400): number {
  const out: number[] = [];
  for (let i = 0; i + windowSamples <= samples.length; i += windowSamples) {
    const w = samples.subarray(i, i + windowSamples);
    out.push((2 * Math.sqrt(goertzelPower(w, freq))) / windowSamples);
  }
  out.sort((a, b) => a - b);
  return out.length === 0 ? 0 : out[Math.floor(out.length / 2)]!;
}

const db = (a: number, b: number): number => 20 * Math.log10(a / b);

/** Waits `settleMs` for a change to reach the callers' ears, then records `windowMs`; answers the window. */
async function window(settleMs: number, windowMs: number): Promise<[number, number]> {
  await new Promise((r) => setTimeout(r, settleMs));
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, windowMs));
  return [t0, Date.now()];
}

/** The owner's events from `next` on, long-polled until `until` holds for what arrived. */
async function eventsUntil(
  sid: string,
  next: number,
  until: (events: Array<Record<string, any>>) => boolean,
  app?: FastifyInstance,
): Promise<Array<Record<string, any>>> {
  const got: Array<Record<string, any>> = [];
  let at = next;
  const deadline = Date.now() + 15_000;
  while (!until(got)) {
    if (Date.now() > deadline) throw new Error(`events so far: ${got.map((e) => e.event).join(', ')}`);
    const r = await h.call('GET', `/api/event?next=${at}&timeout=2`, { sid, ...(app ? { app } : {}) });
    if (r.status !== 'ok') throw new Error(`event stream: ${JSON.stringify(r)}`);
    got.push(...r.event);
    at = r.next as number;
  }
  return got;
}

describe.skipIf(!SIPP_AVAILABLE)('conference dial-in (sipp callers, embedded mixer)', () => {
  it('three callers join by PIN: each hears the other two; mute, volume, deaf and kick from another API node; events in order', async () => {
    const { user, numbers } = await userWithNumbers(h);
    const number = numbers[0]!;
    await updatePhone(h, user.sid, number, {
      conference_enable: true,
      fax_enable: false,
      recording_enable: false,
    });
    const created = await h.call('POST', '/api/conference', {
      sid: user.sid,
      body: { description: 'e2e', pin: '4711', active: true },
    });
    const uuid = created['uuid'] as string;
    const rooms = h.telephony.conferences!;
    const phones = ['+492215550201', '+492215550202', '+492215550203'];
    // A second session of the owner, on the second API node.
    const login = await h.call('POST', '/api/session', {
      app: app2,
      body: { username: user.username, password: user.password },
    });
    const sid2 = login['sid'] as string;
    const on2 = { sid: sid2, app: app2 };

    // Subscribed while offline: busy false, and the events flow from the first participant on.
    expect(await h.call('GET', `/api/conference/${uuid}/event`, { sid: user.sid })).toEqual({
      status: 'ok',
      busy: false,
    });
    const first = (await h.call('GET', '/api/session', { sid: user.sid }))['next_event'] as number;

    const calls = [];
    for (const [i, freq] of FREQS.entries()) {
      // Everyone stays until kicked (the scenario answers the engine's BYE).
      const c = await caller(number, phones[i]!, 30_000);
      // The PIN prompt reaches the peer: it then knows where to send, keys the PIN and talks.
      await eventually(async () => c.peer.audioPackets().length > 5, `caller ${i} hears the PIN prompt`);
      c.peer.send(freq);
      c.peer.digits('4711');
      await eventually(
        async () => (rooms.rooms.get(uuid.toLowerCase())?.size ?? 0) === i + 1,
        `caller ${i} in the room`,
      );
      calls.push(c);
    }
    const room = rooms.rooms.get(uuid.toLowerCase())!;
    const idOf = (phone: string): string =>
      Object.entries(room.members).find(([, m]) => m.phone === phone)![0];
    const ids = phones.map(idOf);
    const control = async (body: unknown): Promise<void> => {
      const r = await h.call('POST', `/api/conference/${uuid}/member`, { ...on2, body });
      expect(r, JSON.stringify(body)).toEqual({ status: 'ok' });
    };

    // Subscribing while it is live: busy true, and a conference_status with the three at once.
    const next2 = (await h.call('GET', '/api/session', on2))['next_event'] as number;
    expect(await h.call('GET', `/api/conference/${uuid}/event`, on2)).toEqual({ status: 'ok', busy: true });
    const [status] = await eventsUntil(sid2, next2, (e) => e.length > 0, app2);
    expect(status).toMatchObject({ event: 'conference_status', conference: uuid });
    expect(Object.keys(status!['member']).sort()).toEqual([...ids].sort());
    for (const [i, id] of ids.entries()) expect(status!['member'][id]).toMatchObject({ phone: phones[i] });

    // 1.2 s of everyone talking, after the join tone.
    const [t0, t1] = await window(400, 1200);
    const base = calls.map((c) => c.peer.audio(t0, t1));
    for (const [i, heard] of base.entries()) {
      expect(heard.length).toBeGreaterThan(8000 * 0.8);
      const shares = FREQS.map((f) => toneShare(heard, f));
      expect(shares[i], `caller ${i} hears itself: ${shares.join(', ')}`).toBeLessThan(0.02);
      for (const [j] of FREQS.entries()) {
        if (j !== i) expect(shares[j], `caller ${i} hears ${FREQS[j]} Hz`).toBeGreaterThan(0.25);
      }
    }

    // Muting the first caller: the others no longer hear 440 Hz.
    await control({ update: { [ids[0]!]: { mute: true } } });
    const [m0, m1] = await window(300, 800);
    for (const i of [1, 2]) {
      const heard = calls[i]!.peer.audio(m0, m1);
      expect(toneShare(heard, 440), `caller ${i} still hears the muted caller`).toBeLessThan(0.02);
      expect(toneShare(heard, FREQS[3 - i]!)).toBeGreaterThan(0.5);
    }

    // volume_in 2 on the 880 Hz caller: everyone hears it ×2.3 (+7.2 dB, mod_conference's scale);
    // volume_out -2 on the 1320 Hz caller: it hears everything ×0.6 (-4.4 dB).
    const up = 20 * Math.log10(volumeGain(2));
    const down = 20 * Math.log10(volumeGain(-2));
    await control({ update: { [ids[1]!]: { volume_in: 2 }, [ids[2]!]: { volume_out: -2 } } });
    const [v0, v1] = await window(300, 800);
    const after = calls.map((c) => c.peer.audio(v0, v1));
    const figures = {
      // caller 0 (muted, not deaf) hears 880 Hz louder, 1320 Hz as before
      in880: db(amplitude(after[0]!, 880), amplitude(base[0]!, 880)),
      in1320: db(amplitude(after[0]!, 1320), amplitude(base[0]!, 1320)),
      // caller 2 hears the same 880 Hz as caller 0, through its volume_out
      out880: db(amplitude(after[2]!, 880), amplitude(after[0]!, 880)),
      // caller 1 hears 1320 Hz as before (its own volume_in is for the others)
      own1320: db(amplitude(after[1]!, 1320), amplitude(base[1]!, 1320)),
    };
    expect(figures.in880, JSON.stringify(figures)).toBeGreaterThan(up - 1);
    expect(figures.in880, JSON.stringify(figures)).toBeLessThan(up + 1);
    expect(Math.abs(figures.in1320), JSON.stringify(figures)).toBeLessThan(1);
    expect(figures.out880, JSON.stringify(figures)).toBeGreaterThan(down - 1);
    expect(figures.out880, JSON.stringify(figures)).toBeLessThan(down + 1);
    expect(Math.abs(figures.own1320), JSON.stringify(figures)).toBeLessThan(1);
    process.stdout.write(
      `conference volume (expected +${up.toFixed(1)} / ${down.toFixed(1)} dB): ${JSON.stringify(figures)}\n`,
    );

    // Deaf on the first caller: it hears nothing; the others still hear each other.
    await control({ update: { [ids[0]!]: { deaf: true } } });
    const [d0, d1] = await window(300, 800);
    const deafHeard = calls[0]!.peer.audio(d0, d1);
    expect(deafHeard.length).toBeGreaterThan(8000 * 0.5);
    expect(audibleShare(deafHeard), 'the deaf caller hears the room').toBe(0);
    expect(toneShare(calls[1]!.peer.audio(d0, d1), 1320)).toBeGreaterThan(0.5);

    // Kicking the third caller: the engine sends it a BYE.
    await control({ delete: [ids[2]!] });
    const kicked = await calls[2]!.sipp.done;
    expect(kicked.stats['remote_bye(C)']).toBe('1');
    expect(kicked.successful, kicked.errors).toBe(1);
    await eventually(async () => room.size === 2, 'two left');
    // Then the other two, in one request: the room ends with its last member.
    await control({ delete: [ids[0]!, ids[1]!] });
    const [a, b] = await Promise.all([calls[0]!.sipp.done, calls[1]!.sipp.done]);
    expect(a.stats['remote_bye(C)']).toBe('1');
    expect(b.stats['remote_bye(C)']).toBe('1');
    await eventually(async () => room.closed, 'the room ends with its last member');
    expect(await h.call('GET', `/api/conference/${uuid}/event`, on2)).toEqual({ status: 'ok', busy: false });

    // The owner's stream, in order. floor moves with the loudest talker (mixer.ts): it is left out here.
    const seen = await eventsUntil(user.sid, first, (e) => e.some((x) => x.event === 'conference_stop'));
    const sequence = seen
      .filter((e) => e.conference === uuid)
      .map(({ id: _i, time: _t, ...e }) => {
        if (e.event !== 'conference_update') return e;
        const member: Record<string, unknown> = {};
        for (const [id, m] of Object.entries(e.member as Record<string, Record<string, unknown>>)) {
          const { floor: _f, ...rest } = m;
          if (Object.keys(rest).length > 0) member[id] = rest;
        }
        return { ...e, member };
      })
      .filter((e) => e.event !== 'conference_update' || Object.keys(e.member).length > 0);
    const join = (i: number) => ({
      event: 'conference_join',
      conference: uuid,
      member: { [ids[i]!]: newMember({ phone: phones[i]!, muteDefault: false }) },
    });
    const update = (member: Record<string, unknown>) => ({
      event: 'conference_update',
      conference: uuid,
      member,
    });
    const leave = (i: number) => ({ event: 'conference_leave', conference: uuid, member: [ids[i]] });
    expect(sequence).toEqual([
      { event: 'conference_start', conference: uuid, owner: user.uuid, description: 'e2e' },
      join(0),
      update({ [ids[0]!]: { talk: true } }),
      join(1),
      update({ [ids[1]!]: { talk: true } }),
      join(2),
      update({ [ids[2]!]: { talk: true } }),
      update({ [ids[0]!]: { mute: true, talk: false } }),
      update({ [ids[1]!]: { volume_in: 2 }, [ids[2]!]: { volume_out: -2 } }),
      update({ [ids[0]!]: { deaf: true } }),
      leave(2),
      leave(0),
      leave(1),
      { event: 'conference_stop', conference: uuid, owner: user.uuid, description: 'e2e' },
    ]);
    // The floor: the first talker took it, kept it against equal talkers, and gave it up when muted.
    const floors = seen
      .filter((e) => e.event === 'conference_update')
      .flatMap((e) => Object.entries(e.member as Record<string, { floor?: boolean }>))
      .filter(([, m]) => m.floor !== undefined)
      .map(([id, m]) => `${ids.indexOf(id)}:${m.floor}`);
    expect(floors.slice(0, 2)).toEqual(['0:true', '0:false']);

    const cdrs = await eventually(async () => {
      const rows = await h.services.db.selectFrom('cdrs').selectAll().where('phone', '=', number).execute();
      return rows.length === 3 ? rows : null;
    }, 'three CDRs');
    for (const r of cdrs as Array<Record<string, unknown>>) {
      expect(r).toMatchObject({ service: 'conference', conference_id: uuid.toLowerCase() });
    }
  }, 60_000);
  it('a wrong PIN three times hangs up; the PIN of an inactive conference is announced, then hung up', async () => {
    const { user, numbers } = await userWithNumbers(h);
    const number = numbers[0]!;
    await updatePhone(h, user.sid, number, {
      conference_enable: true,
      fax_enable: false,
      recording_enable: false,
    });
    const inactive = await h.call('POST', '/api/conference', {
      sid: user.sid,
      body: { description: 'closed', pin: '1234', active: false },
    });
    await h.call('POST', '/api/conference', { sid: user.sid, body: { pin: '4711', active: true } });

    /** Keys `pin` once the engine's media reached the peer; answers when the digits went out. */
    const key = async (c: { peer: RtpPeer }, pin: string): Promise<number> => {
      c.peer.digits(pin);
      await eventually(async () => !c.peer.sendingDigits, 'the digits sent');
      return Date.now();
    };
    const heardAfter = (c: { peer: RtpPeer }, at: number, what: string) =>
      eventually(async () => audibleShare(c.peer.audio(at)) > 0, what);

    const wrong = await caller(number, '+492215550211', 30_000);
    const closed = await caller(number, '+492215550212', 30_000);
    await Promise.all([
      (async () => {
        await eventually(async () => wrong.peer.audioPackets().length > 5, 'the PIN prompt');
        wrong.peer.send(0);
        const started = Date.now();
        for (let i = 0; i < 3; i += 1) {
          // Each wrong PIN is announced; the next try is keyed over that prompt.
          const sent = await key(wrong, '0000');
          await heardAfter(wrong, sent, `the wrong-pin prompt after try ${i + 1}`);
        }
        const r = await wrong.sipp.done;
        expect(r.stats['remote_bye(C)'], 'the engine hangs up after the third try').toBe('1');
        expect(r.successful, r.errors).toBe(1);
        // Three keyed tries, not first-digit timeouts (each of those alone takes PIN_FIRST_DIGIT_MS).
        expect(Date.now() - started).toBeLessThan(PIN_FIRST_DIGIT_MS);
      })(),
      (async () => {
        await eventually(async () => closed.peer.audioPackets().length > 5, 'the PIN prompt');
        closed.peer.send(0);
        const sent = await key(closed, '1234');
        await heardAfter(closed, sent, 'the inactive prompt');
        const r = await closed.sipp.done;
        expect(r.stats['remote_bye(C)'], 'the engine hangs up after the prompt').toBe('1');
        expect(r.successful, r.errors).toBe(1);
      })(),
    ]);
    // Neither call opened a room.
    expect(h.telephony.conferences!.rooms.has((inactive['uuid'] as string).toLowerCase())).toBe(false);
    expect(await h.call('GET', `/api/conference/${inactive['uuid']}/event`, { sid: user.sid })).toEqual({
      status: 'ok',
      busy: false,
    });
  }, 40_000);
  it.skipIf(!BARESIP_AVAILABLE)(
    'baresip keys the PIN and joins two sipp callers: it hears them, they hear it',
    async () => {
      const { user, numbers } = await userWithNumbers(h);
      const number = numbers[0]!;
      await updatePhone(h, user.sid, number, {
        conference_enable: true,
        fax_enable: false,
        recording_enable: false,
      });
      const created = await h.call('POST', '/api/conference', {
        sid: user.sid,
        body: { description: 'softphone', pin: '5813', active: true },
      });
      const uuid = created['uuid'] as string;
      const rooms = h.telephony.conferences!;
      const size = () => rooms.rooms.get(uuid.toLowerCase())?.size ?? 0;
      await h.call('GET', `/api/conference/${uuid}/event`, { sid: user.sid });
      const next = (await h.call('GET', '/api/session', { sid: user.sid }))['next_event'] as number;

      const calls = [];
      for (const [i, phone] of ['+492215550221', '+492215550222'].entries()) {
        const c = await caller(number, phone, 30_000);
        await eventually(async () => c.peer.audioPackets().length > 5, `caller ${i} hears the PIN prompt`);
        c.peer.send(FREQS[i]!);
        c.peer.digits('5813');
        await eventually(async () => size() === i + 1, `caller ${i} in the room`);
        calls.push(c);
      }

      // baresip calls in from the carrier's address (every port of 127.0.0.1 is the carrier here).
      const softphone = '+492215550223';
      const phone = startBaresip({
        account: softphone,
        domain: '127.0.0.1',
        password: 'unused',
        registrarPort: h.sipPort,
        localPort: await freePort(),
        register: false,
        ctrlPort: await freePort(),
        toneHz: FREQS[2],
        commands: [`/dial sip:${number}@127.0.0.1:${h.sipPort}`],
      });
      try {
        await phone.waitFor(/established/i, 10_000);
        // The PIN as RFC 4733 digits from baresip itself.
        expect(await phone.command('sndcode', '5813')).toMatchObject({ ok: true });
        await eventually(async () => size() === 3, 'baresip in the room', 10_000);
        const live = await h.services.conferenceLive.room(uuid);
        expect(Object.values(live!.members).map((m) => m.phone)).toContain(softphone);

        // The sipp callers hear baresip's tone (and each other).
        const [t0, t1] = await window(400, 1200);
        for (const [i, c] of calls.entries()) {
          const heard = c.peer.audio(t0, t1);
          expect(toneShare(heard, FREQS[2]), `caller ${i} hears baresip`).toBeGreaterThan(0.25);
          expect(toneShare(heard, FREQS[1 - i]!), `caller ${i} hears the other caller`).toBeGreaterThan(0.25);
        }
        // baresip hangs up on its own; its decoder's recording holds the two callers' tones.
        expect(await phone.command('hangup')).toMatchObject({ ok: true });
        await eventually(async () => size() === 2, 'baresip left');
        const file = phone.recordings().find((f) => /dec/.test(f));
        expect(file, phone.output().slice(-2000)).toBeTruthy();
        const wav = fs.readFileSync(file!);
        const rate = wav.readUInt32LE(24);
        const pcm = new Int16Array(
          wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.length - (wav.length % 2)),
        );
        const last = pcm.subarray(Math.max(0, pcm.length - rate));
        // Resampled to 8 kHz when baresip's player ran at another rate: take every (rate / 8000)th sample.
        const at8k = rate === 8000 ? last : last.filter((_, k) => k % Math.round(rate / 8000) === 0);
        const shares = FREQS.map((f) => toneShare(at8k, f));
        process.stdout.write(
          `baresip in the conference: decoder at ${rate} Hz, tone shares ${shares.map((x) => x.toFixed(3)).join(' / ')}\n`,
        );
        expect(shares[0], `baresip hears 440 Hz (rate ${rate}): ${shares.join(', ')}`).toBeGreaterThan(0.25);
        expect(shares[1], `baresip hears 880 Hz: ${shares.join(', ')}`).toBeGreaterThan(0.25);
        expect(shares[2], `baresip does not hear itself: ${shares.join(', ')}`).toBeLessThan(0.02);
      } finally {
        await phone.stop();
      }
      const ids = Object.keys(rooms.rooms.get(uuid.toLowerCase())!.members);
      const kick = await h.call('POST', `/api/conference/${uuid}/member`, {
        sid: user.sid,
        body: { delete: ids },
      });
      expect(kick['status']).toBe('ok');
      for (const c of calls) expect((await c.sipp.done).stats['remote_bye(C)']).toBe('1');

      const seen = await eventsUntil(user.sid, next, (e) => e.some((x) => x.event === 'conference_stop'));
      const joins = seen.filter((e) => e.event === 'conference_join').map((e) => Object.values(e.member)[0]);
      expect(joins.map((m: any) => m.phone)).toEqual(['+492215550221', '+492215550222', softphone]);
      const cdrs = await eventually(async () => {
        const rows = await h.services.db.selectFrom('cdrs').selectAll().where('phone', '=', number).execute();
        return rows.length === 3 ? rows : null;
      }, 'three CDRs');
      expect(cdrs.map((r) => (r as Record<string, unknown>)['service'])).toEqual([
        'conference',
        'conference',
        'conference',
      ]);
    },
    60_000,
  );
});
