/**
 * Conference dial-in on the engine (spec 3.17, 3.9; issue 17) with the fake
 * adapter and a fake clock: the PIN dialog (right, wrong three times,
 * inactive conference), the combined flags (a digit during the voice box
 * announcement goes to the PIN entry, a fax tone to fax, nothing to the
 * voice box), the room (alone prompt, join beeps, kick, hang-up) and the
 * member events in order. Rooms are claimed in the real Redis.
 */
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventPublisher } from '../../src/events/types.js';
import { newId, randomToken } from '../../src/lib/ids.js';
import { connectRedis } from '../../src/lib/redis.js';
import { ConferenceLiveService } from '../../src/services/conference-live-service.js';
import type { ConferenceSettings } from '../../src/services/conference-service.js';
import { RedisConferenceRooms } from '../../src/store/redis/conference-rooms.js';
import { MediaError, type PromptSource } from '../../src/telephony/adapter.js';
import type { RoomMedia } from '../../src/telephony/conference/room-media.js';
import { ConferenceRooms } from '../../src/telephony/conference/rooms.js';
import { PIN_FIRST_DIGIT_MS } from '../../src/telephony/engine/conference-dial-in.js';
import { engineHarness, type EngineHarness } from '../fakes/engine-harness.js';
import type { FakeInboundLeg, FakeOutboundLeg, FakeRoom } from '../fakes/fake-adapter.js';
import { deleteKeys } from '../helpers/redis-keys.js';
import { settle, tick, until, useEngineClock } from './clock.js';

const JOIN = new Int16Array(80).fill(1);
const LEAVE = new Int16Array(80).fill(2);
const ALONE = new Int16Array(8000).fill(3);
const HOLD = new Int16Array(800).fill(4);

let h: EngineHarness;
let redis: Redis;
let rooms: ConferenceRooms<RoomMedia>;
let live: ConferenceLiveService;
const prefix = `cpt:${randomToken(8)}:`;
const events: Array<{ event: string; payload: Record<string, unknown> }> = [];
const conferences = new Map<string, ConferenceSettings>();

beforeAll(async () => {
  redis = await connectRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  const publisher: EventPublisher = {
    publish: async (_audience, event, payload) => void events.push({ event, payload: payload ?? {} }),
  };
  live = new ConferenceLiveService(new RedisConferenceRooms(redis, prefix), publisher, {
    subscribe: async () => undefined,
    unsubscribe: async () => undefined,
  });
  let member = 0;
  h = await engineHarness({
    conferences: (adapter) => {
      rooms = new ConferenceRooms<RoomMedia>({
        live,
        node: `test-${randomToken(4)}`,
        createMedia: adapter.conference.createRoom,
        sounds: { join: JOIN, leave: LEAVE, alone: () => ALONE, hold: HOLD },
        newId: () => `member-${++member}`,
      });
      return {
        byPin: async (owner, pin) => conferences.get(`${owner}:${pin}`) ?? null,
        settings: async (uuid) => [...conferences.values()].find((c) => c.uuid === uuid) ?? null,
        rooms,
        port: adapter.conference,
      };
    },
  });
});
afterAll(async () => {
  await h.close();
  await deleteKeys(redis, prefix);
  redis.disconnect();
});
beforeEach(() => {
  useEngineClock();
  h.cdrs.length = 0;
  events.length = 0;
});
afterEach(() => {
  h.registry.hangupAll();
  vi.useRealTimers();
});

let n = 0;
function conferenceNumber(phone: Record<string, unknown> = {}): { number: string; owner: string } {
  n += 1;
  const number = `+4930${String(6660000 + n)}`;
  const owner = `owner-${n}`;
  h.directory.numbers.set(number, {
    owner,
    phone: { conference_enable: true, fax_enable: false, recording_enable: false, ...phone },
  });
  return { number, owner };
}

function conference(owner: string, pin: string, active = true): ConferenceSettings {
  const c = { uuid: newId(), owner, description: 'Daily', pin, active, muteDefault: false };
  conferences.set(`${owner}:${pin}`, c);
  return c;
}

function dial(number: string, caller = '+4930111222'): FakeInboundLeg {
  return h.adapter.dialIn({
    called: number.slice(1),
    caller: { number: caller, display: null, clir: false },
  });
}

const promptNames = (leg: FakeInboundLeg): string[] =>
  leg.played.flatMap((list: PromptSource[]) =>
    list.map((s) => (s.kind === 'media' ? (s.ref.kind === 'prompt' ? s.ref.name : s.ref.kind) : s.kind)),
  );

const roomOf = (c: ConferenceSettings): FakeRoom | null => {
  const room = rooms.rooms.get(c.uuid);
  return room ? (h.adapter.conference.rooms.find((r) => r.members.size > 0 && !r.closed) ?? null) : null;
};

/** Answers the call and keys `pin` once the enter-pin prompt plays. */
async function joinWith(number: string, pin: string, caller?: string): Promise<FakeInboundLeg> {
  const leg = dial(number, caller);
  await until(() => leg.state === 'answered' && promptNames(leg).includes('enter-pin'), 'PIN prompt');
  h.adapter.media.digits(leg, pin);
  return leg;
}

describe('conference dial-in (fake adapter, fake clock)', () => {
  it('the right PIN joins the room: alone prompt then hold music; the second caller brings join beeps', async () => {
    const { number, owner } = conferenceNumber();
    const c = conference(owner, '4711');
    const a = await joinWith(number, '4711', '+4930111001');
    await until(() => h.adapter.conference.memberOf(a) !== null, 'A in the room');
    const ma = h.adapter.conference.memberOf(a)!;
    expect(ma.playing).toBe(ALONE);
    await tick(1000);
    expect(ma.playing).toBe(HOLD);
    expect(ma.played.at(-1)!.loop).toBe(true);

    const b = await joinWith(number, '4711', '+4930111002');
    await until(() => h.adapter.conference.memberOf(b) !== null, 'B in the room');
    await until(() => ma.playing === null, 'hold music stops');
    const room = ma.room;
    expect(room.members.size).toBe(2);
    expect(room.playedAll).toEqual([JOIN]);
    expect(rooms.rooms.get(c.uuid)?.size).toBe(2);

    b.remoteHangup();
    await until(() => room.members.size === 1, 'B left');
    expect(room.playedAll).toEqual([JOIN, LEAVE]);
    await until(() => ma.playing === ALONE, 'A alone again');
    a.remoteHangup();
    await until(() => room.closed, 'room closed');
  });

  it('a wrong PIN three times: wrong-pin and enter-pin again, then wrong-pin and hang-up', async () => {
    const { number, owner } = conferenceNumber();
    conference(owner, '4711');
    const leg = await joinWith(number, '1111');
    await until(() => promptNames(leg).filter((p) => p === 'enter-pin').length === 2, 'second try');
    expect(promptNames(leg)).toEqual(['enter-pin', 'wrong-pin', 'enter-pin']);
    h.adapter.media.digits(leg, '2222');
    await until(() => promptNames(leg).filter((p) => p === 'enter-pin').length === 3, 'third try');
    h.adapter.media.digits(leg, '3333');
    await until(() => promptNames(leg).length === 6, 'last wrong-pin');
    expect(promptNames(leg)).toEqual([
      'enter-pin',
      'wrong-pin',
      'enter-pin',
      'wrong-pin',
      'enter-pin',
      'wrong-pin',
    ]);
    expect(leg.state).toBe('answered');
    await tick(1000);
    expect(leg.state).toBe('ended');
    expect(leg.endCause?.name).toBe('normal');
    expect(h.adapter.conference.memberOf(leg)).toBeNull();
  });

  it('no digit in time counts as a wrong try', async () => {
    const { number, owner } = conferenceNumber();
    conference(owner, '4711');
    const leg = dial(number);
    await until(() => promptNames(leg).includes('enter-pin'), 'prompt');
    await tick(1000); // the prompt
    await tick(PIN_FIRST_DIGIT_MS - 100);
    expect(promptNames(leg)).toEqual(['enter-pin']);
    await tick(200);
    expect(promptNames(leg)).toEqual(['enter-pin', 'wrong-pin', 'enter-pin']);
  });

  it('an inactive conference: its prompt, then the call ends', async () => {
    const { number, owner } = conferenceNumber();
    conference(owner, '5555', false);
    const leg = await joinWith(number, '5555');
    await until(() => promptNames(leg).includes('conference-inactive'), 'inactive prompt');
    expect(leg.state).toBe('answered');
    await tick(1000);
    expect(leg.state).toBe('ended');
    expect(h.adapter.conference.memberOf(leg)).toBeNull();
  });

  it('recording and conference on: a digit during the announcement starts the PIN entry with it', async () => {
    const { number, owner } = conferenceNumber({ recording_enable: true });
    conference(owner, '4711');
    const recordings = h.adapter.media.recordings.length;
    const leg = dial(number);
    await until(() => promptNames(leg).includes('leave-message'), 'voice box announcement');
    h.adapter.media.digits(leg, '4');
    await settle();
    h.adapter.media.digits(leg, '711');
    await until(() => h.adapter.conference.memberOf(leg) !== null, 'in the room');
    expect(promptNames(leg)).toEqual(['leave-message']);
    expect(h.adapter.media.recordings).toHaveLength(recordings);
  });

  it('recording and conference on: nothing during the announcement is a voice message', async () => {
    const { number } = conferenceNumber({ recording_enable: true });
    const leg = dial(number);
    await until(() => promptNames(leg).includes('leave-message'), 'voice box announcement');
    await tick(1000);
    expect(promptNames(leg)).toEqual(['leave-message', 'tone']);
    await tick(300);
    leg.remoteHangup();
    await until(() => h.voice.saved.length > 0 || h.adapter.media.recordings.length > 0, 'recorded');
    expect(h.adapter.media.recordings.length).toBeGreaterThan(0);
  });

  it('fax, recording and conference on: a fax tone goes to fax receive (refused as unavailable for now)', async () => {
    const { number } = conferenceNumber({ recording_enable: true, fax_enable: true });
    const recordings = h.adapter.media.recordings.length;
    const leg = dial(number);
    await until(() => promptNames(leg).includes('leave-message'), 'announcement');
    h.adapter.media.tone(leg, 'fax-cng');
    await until(() => leg.state === 'ended', 'fax path');
    expect(leg.endCause?.name).toBe('unavailable');
    expect(h.adapter.media.recordings).toHaveLength(recordings);
  });

  it('fax and conference on, no recording: a fax tone during the PIN prompt goes to fax receive', async () => {
    const { number, owner } = conferenceNumber({ fax_enable: true });
    conference(owner, '4711');
    const leg = dial(number);
    await until(() => promptNames(leg).includes('enter-pin'), 'PIN prompt');
    h.adapter.media.tone(leg, 'fax-cng');
    await until(() => leg.state === 'ended', 'fax path');
    expect(leg.endCause?.name).toBe('unavailable');
    expect(h.adapter.conference.memberOf(leg)).toBeNull();
  });

  it('fax and conference on: once a digit was keyed, a fax tone is no longer listened for', async () => {
    const { number, owner } = conferenceNumber({ fax_enable: true });
    conference(owner, '4711');
    const leg = dial(number);
    await until(() => promptNames(leg).includes('enter-pin'), 'PIN prompt');
    h.adapter.media.digits(leg, '47');
    await settle();
    h.adapter.media.tone(leg, 'fax-cng');
    h.adapter.media.digits(leg, '11');
    await until(() => h.adapter.conference.memberOf(leg) !== null, 'in the room');
    expect(leg.state).toBe('answered');
  });

  it('a participant whose media cannot join (gone during the claim) leaves no live room behind', async () => {
    const c = conference(`owner-x${++n}`, '4711');
    await expect(
      rooms.join(c, {
        attach: () => {
          throw new MediaError('the call is gone');
        },
        onKick: () => undefined,
      }),
    ).rejects.toBeInstanceOf(MediaError);
    expect(rooms.rooms.get(c.uuid)).toBeUndefined();
    const mine = () => events.filter((e) => JSON.stringify(e.payload).includes(c.uuid));
    await until(() => mine().filter((e) => e.event === 'conference_stop').length === 2, 'stopped');
    expect(mine().map((e) => e.event)).toEqual([
      'conference_start',
      'conference_stop',
      'conference_start',
      'conference_stop',
    ]);
  });

  it('join, talk, kick (the call ends), hang-up: member events and CDRs in order', async () => {
    const { number, owner } = conferenceNumber();
    const c = conference(owner, '4711');
    const a = await joinWith(number, '4711', '+4930111001');
    await until(() => h.adapter.conference.memberOf(a) !== null, 'A in');
    const b = await joinWith(number, '4711', '+4930111002');
    await until(() => h.adapter.conference.memberOf(b) !== null, 'B in');
    const mb = h.adapter.conference.memberOf(b)!;
    await until(() => events.filter((e) => e.event === 'conference_join').length === 2, 'two joins');
    mb.room.talking(mb, true);
    await until(() => events.some((e) => e.event === 'conference_update'), 'talk update');

    await rooms.rooms.get(c.uuid)!.apply({ kind: 'member', update: {}, delete: [idOf(c, '+4930111002')] });
    await until(() => b.state === 'ended', 'B kicked');
    expect(b.endCause?.name).toBe('normal');
    a.remoteHangup();
    await until(() => events.some((e) => e.event === 'conference_stop'), 'stopped');

    expect(events.map((e) => e.event)).toEqual([
      'conference_start',
      'conference_join',
      'conference_join',
      'conference_update',
      'conference_leave',
      'conference_leave',
      'conference_stop',
    ]);
    const joins = events.filter((e) => e.event === 'conference_join').map((e) => e.payload);
    expect(joins[0]).toMatchObject({ conference: c.uuid.toLowerCase() });
    expect(JSON.stringify(joins[1])).toContain('+4930111002');
    const update = events.find((e) => e.event === 'conference_update')!.payload;
    expect(JSON.stringify(update)).toContain('"talk":true');
    await until(() => h.cdrs.filter((r) => r.service === 'conference').length === 2, 'CDRs');
    const cdrs = h.cdrs.filter((r) => r.service === 'conference');
    expect(cdrs.map((r) => r.conference_id)).toEqual([c.uuid, c.uuid]);
    expect(roomOf(c)).toBeNull();
  });
});

describe('conference participants across nodes (fake adapter, fake clock)', () => {
  const OTHER = 'sip:192.0.2.9:5070';

  /** A room of `c` mixed on another node reachable at OTHER. */
  async function mixedElsewhere(c: ConferenceSettings): Promise<void> {
    const res = await live.claim(c, `other-${randomToken(4)}`, OTHER);
    expect(res.created).toBe(true);
  }

  async function nodeLeg(): Promise<FakeOutboundLeg> {
    const before = h.adapter.outbound.length;
    await until(() => h.adapter.outbound.length > before, 'a leg to the mixing node');
    return h.adapter.outbound[before]!;
  }

  it('after the PIN, a room on another node: a node leg to its contact, bridged; its end ends the call; one CDR', async () => {
    const { number, owner } = conferenceNumber();
    const c = conference(owner, '4711');
    await mixedElsewhere(c);
    const before = h.adapter.outbound.length;
    const a = await joinWith(number, '4711', '+4930111005');
    await until(() => h.adapter.outbound.length > before, 'a leg to the mixing node');
    const out = h.adapter.outbound[before]!;
    expect(out.target).toMatchObject({ kind: 'node', uri: OTHER, join: { conference: c.uuid } });
    expect(out.request.from).toMatchObject({ number: '+4930111005', clir: false });
    out.answer();
    await until(() => h.adapter.media.bridgedWith(a) === out, 'bridged with the node leg');
    expect(rooms.rooms.has(c.uuid.toLowerCase())).toBe(false);
    // A kick on the mixing node ends the node leg: the caller's call ends.
    out.remoteHangup();
    await until(() => a.state === 'ended', 'the caller hung up');
    await until(() => h.cdrs.some((r) => r.service === 'conference'), 'the CDR');
    await settle();
    expect(h.cdrs).toHaveLength(1);
    expect(h.cdrs[0]).toMatchObject({ service: 'conference', conference_id: c.uuid });
  });

  it('the caller hanging up ends the node leg; a node leg refused ends the call as unavailable', async () => {
    const { number, owner } = conferenceNumber();
    const c = conference(owner, '4711');
    await mixedElsewhere(c);
    const pending = nodeLeg();
    const a = await joinWith(number, '4711', '+4930111006');
    const out = await pending;
    out.answer();
    await until(() => h.adapter.media.bridgedWith(a) === out, 'bridged');
    a.remoteHangup();
    await until(() => out.state === 'ended', 'the node leg ended');
    expect(out.endedBy).toBe('local');

    const next = nodeLeg();
    const b = await joinWith(number, '4711', '+4930111007');
    (await next).fail('rejected');
    await until(() => b.state === 'ended', 'the caller hung up');
    expect(b.endCause?.name).toBe('unavailable');
  });

  it('a node leg joins the room without a PIN, with the caller number; a kick ends it; no CDR', async () => {
    const { owner } = conferenceNumber();
    const c = conference(owner, '4711');
    const leg = h.adapter.dialIn({
      origin: 'node',
      called: 'conference',
      caller: { number: '+4930111008', display: null, clir: false },
      join: { conference: c.uuid, language: 'de' },
    });
    await until(() => h.adapter.conference.memberOf(leg) !== null, 'in the room');
    expect(leg.state).toBe('answered');
    expect(promptNames(leg)).not.toContain('enter-pin');
    const id = idOf(c, '+4930111008');
    await rooms.rooms.get(c.uuid)!.apply({ kind: 'member', update: {}, delete: [id] });
    await until(() => leg.state === 'ended', 'kicked');
    expect(leg.endedBy).toBe('local');
    await settle();
    expect(h.cdrs).toHaveLength(0);
  });

  it('a node leg for a conference gone or inactive is refused (not found), never answered', async () => {
    const { owner } = conferenceNumber();
    const inactive = conference(owner, '1111', false);
    for (const uuid of [newId(), inactive.uuid]) {
      const leg = h.adapter.dialIn({
        origin: 'node',
        called: 'conference',
        join: { conference: uuid, language: 'en' },
      });
      await until(() => leg.state === 'ended', 'refused');
      expect(leg.answeredAt).toBeNull();
      expect(leg.endCause?.name).toBe('not-found');
    }
  });
});

/** The member id of the participant with `phone` in the conference's live room. */
function idOf(c: ConferenceSettings, phone: string): string {
  const members = rooms.rooms.get(c.uuid)!.members;
  const id = Object.entries(members).find(([, m]) => m.phone === phone)?.[0];
  if (!id) throw new Error(`no member ${phone}`);
  return id;
}
