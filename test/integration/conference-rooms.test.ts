import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newMember } from '../../src/domain/conference/member.js';
import { ConferenceLiveService } from '../../src/services/conference-live-service.js';
import type { ConferenceSettings } from '../../src/services/conference-service.js';
import { parseCommand, RedisConferenceRooms } from '../../src/store/redis/conference-rooms.js';
import { ConferenceRooms } from '../../src/telephony/conference/rooms.js';
import { goertzelPower } from '../../src/telephony/embedded/media/dtmf.js';
import { ConferenceMixer, type MixerMember } from '../../src/telephony/embedded/media/mixer.js';
import { SAMPLES_PER_FRAME } from '../../src/telephony/embedded/media/pacer.js';
import { decode, encode } from '../../src/telephony/embedded/rtp/g711.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';
import { RedisRecoveryJournal } from '../../src/store/redis/recovery-journal.js';
import { silentLogger } from '../../src/telephony/engine/logger.js';
import { CrashReaper } from '../../src/telephony/recovery.js';
import { sines } from '../unit/media-fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '1000' });
});
afterAll(async () => {
  await h?.close();
});

/** A live service on the harness's Redis with its own lease and a clock the test moves. */
function liveService(opts: { leaseMs?: number; graceMs?: number } = {}) {
  const clock = { offset: 0 };
  const errors: unknown[] = [];
  const live = new ConferenceLiveService(
    new RedisConferenceRooms(h.redis, h.config.redisPrefix),
    h.services.eventSystem.publisher,
    h.services.eventSystem.subscriptions,
    { ...opts, now: () => Date.now() + clock.offset, onError: (e) => errors.push(e) },
  );
  return { live, clock, errors };
}

async function conferenceOf(u: TestUser, pin: string, muteDefault = false): Promise<ConferenceSettings> {
  const r = await h.call('POST', '/api/conference', {
    sid: u.sid,
    body: { description: 'Daily', pin, active: true, mute_default: muteDefault },
  });
  return (await h.services.conferences.settings(r.uuid as string))!;
}

/** Long-polls the session's stream until `count` events arrived after `next` (the stream's own wake-up, no sleeps). */
async function nextEvents(sid: string, next: number, count: number): Promise<Array<Record<string, any>>> {
  const got: Array<Record<string, any>> = [];
  let at = next;
  while (got.length < count) {
    const r = await h.call('GET', `/api/event?next=${at}&timeout=5`, { sid });
    if (r.status !== 'ok') throw new Error(`no event after ${got.map((e) => e.event).join(',')}`);
    got.push(...r.event);
    at = r.next as number;
  }
  return got;
}

const nextId = async (sid: string): Promise<number> =>
  (await h.call('GET', '/api/session', { sid })).next_event as number;

/** A participant on the embedded mixer: µ-law, remembering what it heard. */
function participant(phone: string | null) {
  const heard: number[] = [];
  const p = {
    heard,
    kicked: 0,
    media: null as MixerMember | null,
    request: {
      phone,
      attach: (
        mixer: ConferenceMixer,
        mix: { mute: boolean; deaf: boolean; volumeIn: number; volumeOut: number },
      ) => {
        p.media = mixer.join({
          codec: 'PCMU',
          send: (payload) => {
            for (const v of decode('PCMU', payload)) heard.push(v);
          },
          ...mix,
        });
        return p.media;
      },
      onKick: () => {
        p.kicked += 1;
      },
    },
  };
  return p;
}

function rooms(live: ConferenceLiveService, node: string, sounds = {}) {
  let mixer: ConferenceMixer | null = null;
  const r = new ConferenceRooms<ConferenceMixer>({
    live,
    node,
    contact: `sip:${node}.example:5060`,
    createMedia: (onActivity) => (mixer = new ConferenceMixer({ onActivity })),
    sounds,
  });
  return { rooms: r, mix: (frames = 1) => Array.from({ length: frames }, () => mixer?.mix()) };
}

describe('conference rooms on their mixing node, events to subscribers (spec 7.11)', () => {
  it('a join / mute / talk / leave sequence reaches subscribers in order', async () => {
    const u = await h.user();
    const conf = await conferenceOf(u, '4711');
    const { live } = liveService();
    const node = rooms(live, 'node-1');
    await node.rooms.start();
    try {
      expect(await h.call('GET', `/api/conference/${conf.uuid}/event`, { sid: u.sid })).toMatchObject({
        busy: false,
      });
      const n0 = await nextId(u.sid);
      const a = participant('+492216698000');
      const b = participant(null);
      const ja = await node.rooms.join(conf, a.request);
      const jb = await node.rooms.join(conf, b.request);
      if (ja.kind !== 'local' || jb.kind !== 'local') throw new Error('rooms are local to their first node');
      const [idA, idB] = [ja.member.id, jb.member.id];

      // The mute comes from the API like any client's; the node applies it.
      expect(
        await h.call('POST', `/api/conference/${conf.uuid}/member`, {
          sid: u.sid,
          body: { update: { [idB]: { mute: true, volume_out: -2 } } },
        }),
      ).toEqual({ status: 'ok' });
      const upToMute = await nextEvents(u.sid, n0, 4);

      // A talks: a tone in, frames mixed; talk and floor come after the 40 ms attack.
      const tone = sines([440], 100, 8000);
      for (let f = 0; f < 3; f += 1) {
        a.media!.receive(encode('PCMU', tone.subarray(f * SAMPLES_PER_FRAME, (f + 1) * SAMPLES_PER_FRAME)));
        node.mix();
      }
      const talk = await nextEvents(u.sid, n0 + 4, 1);
      await jb.member.leave();
      await ja.member.leave();
      const end = await nextEvents(u.sid, n0 + 5, 3);

      const seen = [...upToMute, ...talk, ...end].map(({ id: _i, time: _t, ...e }) => e);
      expect(seen).toEqual([
        { event: 'conference_start', conference: conf.uuid, owner: u.uuid, description: 'Daily' },
        {
          event: 'conference_join',
          conference: conf.uuid,
          member: { [idA]: { ...newMember({ phone: '+492216698000', muteDefault: false }) } },
        },
        {
          event: 'conference_join',
          conference: conf.uuid,
          member: { [idB]: newMember({ muteDefault: false }) },
        },
        {
          event: 'conference_update',
          conference: conf.uuid,
          member: { [idB]: { mute: true, volume_out: -2 } },
        },
        { event: 'conference_update', conference: conf.uuid, member: { [idA]: { talk: true, floor: true } } },
        { event: 'conference_leave', conference: conf.uuid, member: [idB] },
        { event: 'conference_leave', conference: conf.uuid, member: [idA] },
        { event: 'conference_stop', conference: conf.uuid, owner: u.uuid, description: 'Daily' },
      ]);
      expect(b.media!.state).toMatchObject({ mute: true, volumeOut: -2 });
      expect(await live.room(conf.uuid)).toBeNull();
      expect(node.rooms.rooms.size).toBe(0);
    } finally {
      await node.rooms.stop();
    }
  });

  it('mutes members of a mute_default conference, kicks by API, and sends the others to the mixing node', async () => {
    const u = await h.user();
    const conf = await conferenceOf(u, '1234', true);
    const { live } = liveService();
    const one = rooms(live, 'node-1');
    const two = rooms(live, 'node-2');
    await one.rooms.start();
    await two.rooms.start();
    try {
      const [ra, rb] = await Promise.all([
        one.rooms.join(conf, participant('+4930111').request),
        two.rooms.join(conf, participant('+4930222').request),
      ]);
      // One of the two nodes claimed the room; the other is told where it is.
      const local = [ra, rb].filter((r) => r.kind === 'local');
      const remote = [ra, rb].filter((r) => r.kind === 'remote');
      expect(local).toHaveLength(1);
      expect(remote).toEqual([
        {
          kind: 'remote',
          node: expect.stringMatching(/^node-[12]$/),
          contact: expect.stringMatching(/^sip:node-/),
        },
      ]);
      const mixing = ra.kind === 'local' ? one : two;
      const c = participant(null);
      const rc = await mixing.rooms.join(conf, c.request);
      if (rc.kind !== 'local') throw new Error('joins on the mixing node stay local');
      expect(rc.room.members[rc.member.id]).toMatchObject({ mute: true });
      const n = await nextId(u.sid);
      await h.call('GET', `/api/conference/${conf.uuid}/event`, { sid: u.sid });
      await nextEvents(u.sid, n, 1); // the catch-up conference_status
      expect(
        await h.call('POST', `/api/conference/${conf.uuid}/member`, {
          sid: u.sid,
          body: { delete: [rc.member.id] },
        }),
      ).toEqual({ status: 'ok' });
      expect((await nextEvents(u.sid, n + 1, 1))[0]).toMatchObject({
        event: 'conference_leave',
        member: [rc.member.id],
      });
      expect(c.kicked).toBe(1);
      await rc.member.leave(); // the call's own hang-up afterwards changes nothing
      expect(rc.room.size).toBe(1);
    } finally {
      await one.rooms.stop();
      await two.rooms.stop();
    }
  });

  it('plays the alone prompt then hold music to a lone member, and join / leave tones to everyone', async () => {
    const u = await h.user();
    const conf = await conferenceOf(u, '2468');
    const { live } = liveService();
    const sounds = {
      alone: (lang: string) => (lang === 'de' ? sines([600], 100, 6000) : null),
      hold: sines([300], 200, 6000),
      join: sines([1000], 100, 6000),
      leave: sines([1500], 100, 6000),
    };
    const node = rooms(live, 'node-s', sounds);
    const a = participant('+4930333');
    const b = participant('+4930444');
    const level = (heard: number[], hz: number, from: number, to: number): number => {
      const block = heard.slice(from, to);
      return (2 * Math.sqrt(goertzelPower(block, hz))) / block.length;
    };
    const ja = await node.rooms.join(conf, { ...a.request, language: 'de' });
    node.mix(5); // 100 ms of the prompt
    await Promise.resolve();
    node.mix(15); // then hold music
    expect(level(a.heard, 600, 0, 800)).toBeGreaterThan(5000);
    expect(level(a.heard, 300, 1600, 3200)).toBeGreaterThan(5000);
    const jb = await node.rooms.join(conf, b.request);
    const at = a.heard.length;
    node.mix(10);
    expect(level(a.heard, 1000, at, at + 800)).toBeGreaterThan(5000);
    expect(level(b.heard, 1000, 0, 800)).toBeGreaterThan(5000);
    expect(level(a.heard, 300, at + 800, at + 1600)).toBeLessThan(100); // company: the music stopped
    if (jb.kind !== 'local' || ja.kind !== 'local') throw new Error('local rooms expected');
    await jb.member.leave();
    const at2 = a.heard.length;
    node.mix(10);
    expect(level(a.heard, 1500, at2, at2 + 800)).toBeGreaterThan(5000);
    await ja.member.leave();
  });
});

describe('room leases in Redis: a dead node leaves no live room behind', () => {
  it('a room whose node stops renewing goes offline, and the reaper tells subscribers it ended', async () => {
    const u = await h.user();
    const conf = await conferenceOf(u, '1357');
    const { live, clock } = liveService({ leaseMs: 1000, graceMs: 5000 });
    const members = { '9fe1cc2a-8ab6-11e0-b368-0024e8f90cc0': newMember({ muteDefault: false }) };
    const n = await nextId(u.sid);
    await live.claim(conf, 'node-dead');
    await live.changed(conf.uuid, 'node-dead', {}, members);
    await h.call('GET', `/api/conference/${conf.uuid}/event`, { sid: u.sid });
    // conference_start (read access), then the catch-up conference_status of the new subscription.
    expect((await nextEvents(u.sid, n, 2)).map((e) => e.event)).toEqual([
      'conference_start',
      'conference_status',
    ]);
    expect(await live.heartbeat('node-dead', [conf.uuid])).toEqual([]);
    clock.offset = 1500; // no heartbeat for longer than the lease
    expect(await live.room(conf.uuid)).toBeNull();
    expect(await live.heartbeat('node-dead', [conf.uuid])).toEqual([conf.uuid]); // too late to renew
    expect(await live.reap()).toBe(1);
    expect(await live.reap()).toBe(0);
    const ended = await nextEvents(u.sid, n + 2, 2);
    expect(ended.map(({ id: _i, time: _t, ...e }) => e)).toEqual([
      { event: 'conference_leave', conference: conf.uuid, member: Object.keys(members) },
      { event: 'conference_stop', conference: conf.uuid, owner: u.uuid, description: 'Daily' },
    ]);
    expect(await h.redis.exists(`${h.config.redisPrefix}conf:room:${conf.uuid}`)).toBe(0);
  });

  it('a new participant takes over a dead room: its end is announced, then a new start', async () => {
    const u = await h.user();
    const conf = await conferenceOf(u, '8642');
    const { live, clock } = liveService({ leaseMs: 1000 });
    await live.claim(conf, 'node-old');
    await live.changed(conf.uuid, 'node-old', {}, { m1: newMember({ muteDefault: false }) });
    const n = await nextId(u.sid);
    clock.offset = 2000;
    const res = await live.claim(conf, 'node-new');
    expect(res).toMatchObject({ created: true, room: { node: 'node-new' }, replaced: { node: 'node-old' } });
    expect(Object.keys(res.replaced!.members)).toEqual(['m1']);
    expect((await nextEvents(u.sid, n, 2)).map((e) => e.event)).toEqual([
      'conference_stop',
      'conference_start',
    ]);
    // The old node can no longer write into the room it lost.
    expect(await live.changed(conf.uuid, 'node-old', {}, { m2: newMember({ muteDefault: false }) })).toBe(
      false,
    );
  });

  it('a node that lost its room ends its calls there', async () => {
    const u = await h.user();
    const conf = await conferenceOf(u, '9753');
    const { live, clock } = liveService({ leaseMs: 1000 });
    const node = rooms(live, 'node-x');
    const a = participant('+4930555');
    await node.rooms.join(conf, a.request);
    clock.offset = 2000;
    await live.claim(conf, 'node-y'); // another node took the room over after the lease ran out
    await node.rooms.heartbeat();
    expect(a.kicked).toBe(1);
    expect(node.rooms.rooms.size).toBe(0);
    expect(
      parseCommand('{"conference":"c","command":{"kind":"member","update":{"x":{}},"delete":[]}}'),
    ).toBeNull();
    expect(parseCommand('nonsense')).toBeNull();
    expect(parseCommand('{"conference":"c","command":{"kind":"close"}}')).toEqual({
      conference: 'c',
      command: { kind: 'close' },
    });
  });
  it('the crash reaper ends the rooms of a process it finds dead at once, leases still running', async () => {
    const u = await h.user();
    const [c1, c2, c3] = [
      await conferenceOf(u, '1111'),
      await conferenceOf(u, '2222'),
      await conferenceOf(u, '3333'),
    ];
    const { live } = liveService(); // the default lease: still running for every room below
    const dead = new RedisRecoveryJournal(h.redis, h.config.redisPrefix, 'conf-dead', {
      heartbeatMs: 60_000,
    });
    await dead.start();
    for (const c of [c1, c2]) {
      await live.claim(c, dead.process);
      await live.changed(c.uuid, dead.process, {}, { [`m-${c.pin}`]: newMember({ muteDefault: false }) });
    }
    await live.claim(c3, 'another-process');
    await live.changed(c3.uuid, 'another-process', {}, { m3: newMember({ muteDefault: false }) });
    for (const c of [c1, c2]) await h.call('GET', `/api/conference/${c.uuid}/event`, { sid: u.sid });
    const n = await nextId(u.sid);

    // The process dies: its heartbeat key goes (as when it expires).
    await h.redis.del(`${h.config.redisPrefix}recovery:alive:${dead.process}`);
    const reaper = new CrashReaper({
      claims: new RedisRecoveryJournal(h.redis, h.config.redisPrefix, 'conf-reaper'),
      port: { snapshot: () => null, terminate: async () => undefined },
      cdrSink: { record: async () => undefined },
      saveRecording: async () => null,
      liveCalls: null,
      conferences: live,
      log: silentLogger,
    });
    await reaper.sweep();
    expect(await live.room(c1.uuid)).toBeNull();
    expect(await live.room(c2.uuid)).toBeNull();
    expect(await live.room(c3.uuid)).not.toBeNull();
    expect(await h.call('GET', `/api/conference/${c1.uuid}/event`, { sid: u.sid })).toMatchObject({
      busy: false,
    });
    const ended = (await nextEvents(u.sid, n, 4)).map((e) => `${e.event}:${e.conference}`).sort();
    expect(ended).toEqual(
      [
        `conference_leave:${c1.uuid}`,
        `conference_stop:${c1.uuid}`,
        `conference_leave:${c2.uuid}`,
        `conference_stop:${c2.uuid}`,
      ].sort(),
    );
    expect(await live.endNode(dead.process)).toBe(0); // taken once
    expect(await live.reap()).toBe(0);
    await live.release(c3, 'another-process');
    await dead.stop();
  });
});
