import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newMember } from '../../src/domain/conference/member.js';
import type { ConferenceCommand } from '../../src/store/redis/conference-rooms.js';
import { createHarness, type Harness, type TestUser } from '../helpers/harness.js';
import { updatePhone, userWithNumbers } from '../helpers/provision.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ SESSION_CREATE_LIMIT: '1000' });
});
afterAll(async () => {
  await h?.close();
});

const UNKNOWN = '1de7257a-4f34-11e0-ab6e-0024e8f90cc0';

async function conference(u: TestUser, body: Record<string, unknown> = {}): Promise<string> {
  const r = await h.call('POST', '/api/conference', {
    sid: u.sid,
    body: { description: 'Daily', pin: '4711', active: true, ...body },
  });
  expect(r.status).toBe('ok');
  return r.uuid as string;
}

async function events(u: TestUser, next = 0): Promise<Array<Record<string, any>>> {
  const r = await h.call('GET', `/api/event?next=${next}&timeout=0`, { sid: u.sid });
  return r.status === 'ok' ? r.event : [];
}

async function tagAll(u: TestUser): Promise<string> {
  return (await h.call('GET', '/api/user', { sid: u.sid })).user.tag_all as string;
}

describe('POST/GET/POST/DELETE /api/conference (spec 3.17)', () => {
  it('creates a conference and shows it as the spec does', async () => {
    const u = await h.user();
    const before = Math.floor(Date.now() / 1000);
    const r = await h.call('POST', '/api/conference', {
      sid: u.sid,
      body: {
        description: 'Konferenzraum f\u00fcr Team-Besprechung',
        pin: '4711',
        active: true,
        mute_default: true,
      },
    });
    expect(r).toEqual({ status: 'ok', uuid: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const got = await h.call('GET', `/api/conference/${r.uuid}`, { sid: u.sid });
    expect(got).toEqual({
      status: 'ok',
      conference: {
        owner: u.uuid,
        time: expect.any(Number),
        description: 'Konferenzraum für Team-Besprechung',
        pin: '4711',
        active: true,
        mute_default: true,
        phone: [],
        tag: [await tagAll(u)],
      },
    });
    expect(got.conference.time).toBeGreaterThanOrEqual(before);
    const [ev] = await events(u);
    expect(ev).toMatchObject({
      event: 'object_new',
      object: r.uuid,
      type: 'conference',
      owner: u.uuid,
      description: 'Konferenzraum für Team-Besprechung',
      tag: [await tagAll(u)],
    });
  });

  it('takes description and mute_default as optional, pin and active as required', async () => {
    const u = await h.user();
    const r = await h.call('POST', '/api/conference', { sid: u.sid, body: { pin: '0000', active: false } });
    const got = await h.call('GET', `/api/conference/${r.uuid}`, { sid: u.sid });
    expect(got.conference).not.toHaveProperty('description');
    expect(got.conference).toMatchObject({ pin: '0000', active: false, mute_default: false });
    const bad = async (body: unknown) =>
      (await h.call('POST', '/api/conference', { sid: u.sid, body })).status;
    expect(await bad({ active: true })).toBe('missing-element');
    expect(await bad({ pin: '1234' })).toBe('missing-element');
    expect(await bad({ pin: '12345', active: true })).toBe('wrong-syntax');
    expect(await bad({ pin: 1234, active: true })).toBe('wrong-syntax');
    expect(await bad({ pin: '1234', active: 'yes' })).toBe('wrong-syntax');
    expect(await bad({ pin: '1234', active: true, description: 'x'.repeat(201) })).toBe('wrong-syntax');
    expect(await bad({ pin: '1234', active: true, mute_default: 1 })).toBe('wrong-syntax');
    expect(await bad('[')).toBe('wrong-syntax');
  });

  it('answers duplicate-pin per user, also when two requests race', async () => {
    const u = await h.user();
    const v = await h.user();
    const first = await conference(u, { pin: '1111' });
    expect(
      (await h.call('POST', '/api/conference', { sid: u.sid, body: { pin: '1111', active: true } })).status,
    ).toBe('duplicate-pin');
    await conference(v, { pin: '1111' }); // another user's conferences do not count
    const second = await conference(u, { pin: '2222' });
    const change = await h.call('POST', `/api/conference/${second}`, { sid: u.sid, body: { pin: '1111' } });
    expect(change.status).toBe('duplicate-pin');
    expect(
      (await h.call('POST', `/api/conference/${first}`, { sid: u.sid, body: { pin: '1111' } })).status,
    ).toBe('ok');
    const racing = await Promise.all(
      Array.from({ length: 5 }, () =>
        h.call('POST', '/api/conference', { sid: u.sid, body: { pin: '3333', active: true } }),
      ),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([
      'duplicate-pin',
      'duplicate-pin',
      'duplicate-pin',
      'duplicate-pin',
      'ok',
    ]);
  });

  it('modifies any subset of the fields and sends object_modify', async () => {
    const u = await h.user();
    const uuid = await conference(u);
    const next = (await h.call('GET', '/api/session', { sid: u.sid })).next_event as number;
    const body = {
      description: 'Konferenzraum f\u00fcr Kaffeekr\u00e4nzchen',
      pin: '4712',
      active: false,
      mute_default: false,
    };
    expect(await h.call('POST', `/api/conference/${uuid}`, { sid: u.sid, body })).toEqual({ status: 'ok' });
    expect(
      await h.call('POST', `/api/conference/${uuid}`, { sid: u.sid, body: { mute_default: true } }),
    ).toEqual({
      status: 'ok',
    });
    expect(await h.call('POST', `/api/conference/${uuid}`, { sid: u.sid, body: {} })).toEqual({
      status: 'ok',
    });
    const got = (await h.call('GET', `/api/conference/${uuid}`, { sid: u.sid })).conference;
    expect(got).toMatchObject({
      description: body.description,
      pin: '4712',
      active: false,
      mute_default: true,
    });
    const evs = await events(u, next);
    expect(evs.map((e) => e.event)).toEqual(['object_modify', 'object_modify']);
    expect(evs[0]).toMatchObject({
      object: uuid,
      type: 'conference',
      user: u.uuid,
      description: body.description,
    });
    expect(
      (await h.call('POST', `/api/conference/${uuid}`, { sid: u.sid, body: { pin: 'abcd' } })).status,
    ).toBe('wrong-syntax');
  });

  it("answers wrong-conference for unknown ones, other users' ones and other object types", async () => {
    const u = await h.user();
    const v = await h.user();
    const theirs = await conference(v);
    const fax = (await h.call('POST', '/api/fax', { sid: u.sid, body: {} })).uuid as string;
    for (const id of [theirs, fax, UNKNOWN]) {
      for (const [method, url, body] of [
        ['GET', `/api/conference/${id}`, undefined],
        ['POST', `/api/conference/${id}`, { active: true }],
        ['DELETE', `/api/conference/${id}`, undefined],
        ['GET', `/api/conference/${id}/event`, undefined],
        ['DELETE', `/api/conference/${id}/event`, undefined],
        ['POST', `/api/conference/${id}/member`, {}],
      ] as const) {
        expect((await h.call(method, url, { sid: u.sid, body })).status, `${method} ${url}`).toBe(
          'wrong-conference',
        );
      }
    }
    expect((await h.call('GET', '/api/conference/nope', { sid: u.sid })).status).toBe('wrong-syntax');
    expect((await h.call('GET', `/api/conference/${theirs}`)).status).toBe('no-session');
  });

  it('moves to the trash, and purges with purge', async () => {
    const u = await h.user();
    const uuid = await conference(u, { pin: '5555' });
    const next = (await h.call('GET', '/api/session', { sid: u.sid })).next_event as number;
    expect(await h.call('DELETE', `/api/conference/${uuid}`, { sid: u.sid })).toEqual({ status: 'ok' });
    const trash = (await h.call('GET', '/api/user', { sid: u.sid })).user.tag_trash as string;
    expect((await h.call('GET', `/api/conference/${uuid}`, { sid: u.sid })).conference.tag).toContain(trash);
    // A trashed conference keeps its PIN (it can be restored) but cannot be dialled into.
    expect(
      (await h.call('POST', '/api/conference', { sid: u.sid, body: { pin: '5555', active: true } })).status,
    ).toBe('duplicate-pin');
    expect(await h.services.conferences.byPin(u.uuid, '5555')).toBeNull();
    expect(await h.call('DELETE', `/api/conference/${uuid}`, { sid: u.sid, query: { purge: '' } })).toEqual({
      status: 'ok',
    });
    expect((await h.call('GET', `/api/conference/${uuid}`, { sid: u.sid })).status).toBe('wrong-conference');
    const evs = await events(u, next);
    expect(evs.map((e) => [e.event, e.purge])).toEqual([
      ['object_delete', undefined],
      ['object_delete', true],
    ]);
    await conference(u, { pin: '5555' }); // the PIN is free again
  });

  it("lists the owner's numbers that reach conferences under phone (spec 3.9 flags)", async () => {
    const { user, numbers } = await userWithNumbers(h, 4);
    const [plain, off, dialplan, callApi] = numbers as [string, string, string, string];
    await updatePhone(h, user.sid, off, { conference_enable: false });
    await updatePhone(h, user.sid, dialplan, { dialplan_enable: true });
    await updatePhone(h, user.sid, callApi, {
      call_enable: true,
      fax_enable: false,
      recording_enable: false,
      conference_enable: false,
    });
    const uuid = await conference(user);
    expect((await h.call('GET', `/api/conference/${uuid}`, { sid: user.sid })).conference.phone).toEqual([
      plain,
    ]);
  });

  it('appears in the object listing with active and pin (spec 3.10), and is found by PIN for dial-in', async () => {
    const u = await h.user();
    const uuid = await conference(u, {
      description: 'Unser t\u00e4gliches Kaffeekr\u00e4nzchen',
      pin: '4711',
    });
    const list = await h.call('GET', `/api/tag/${await tagAll(u)}/object`, {
      sid: u.sid,
      query: { filter: 'conference' },
    });
    expect(list.object[uuid]).toMatchObject({
      type: 'conference',
      owner: u.uuid,
      description: 'Unser tägliches Kaffeekränzchen',
      active: true,
      pin: '4711',
    });
    expect(await h.services.conferences.byPin(u.uuid, '4711')).toEqual({
      uuid,
      owner: u.uuid,
      description: 'Unser tägliches Kaffeekränzchen',
      pin: '4711',
      active: true,
      muteDefault: false,
    });
    expect(await h.services.conferences.byPin(u.uuid, '4712')).toBeNull();
    expect(await h.services.conferences.byPin(UNKNOWN, '4711')).toBeNull();
  });
});

describe('live conferences through the API (spec 3.17 .../event, .../member)', () => {
  /** Pretends to be the mixing node: claims the room and writes members as a node does. */
  async function liveRoom(owner: TestUser, uuid: string, node: string) {
    const info = { uuid, owner: owner.uuid, description: 'Daily' };
    const claim = await h.services.conferenceLive.claim(info, node, 'sip:10.0.0.7:5060');
    const members = {
      '9fe1cc2a-8ab6-11e0-b368-0024e8f90cc0': newMember({ phone: '+492216698000', muteDefault: false }),
    };
    await h.services.conferenceLive.changed(uuid, node, {}, members);
    return { claim, members, info };
  }

  it('answers busy false while offline and subscribes anyway; busy true with a conference_status at once', async () => {
    const u = await h.user();
    const uuid = await conference(u);
    expect(await h.call('GET', `/api/conference/${uuid}/event`, { sid: u.sid })).toEqual({
      status: 'ok',
      busy: false,
    });
    const next = (await h.call('GET', '/api/session', { sid: u.sid })).next_event as number;
    const { members } = await liveRoom(u, uuid, 'node-a');
    // Subscribed while offline: the events flow from the first participant on.
    const flowed = await events(u, next);
    expect(flowed.map((e) => e.event)).toEqual(['conference_start', 'conference_join']);
    expect(flowed[1]).toMatchObject({ conference: uuid, member: members });

    const other = await h.call('POST', '/api/session', {
      body: { username: u.username, password: u.password },
    });
    const s2 = { ...u, sid: other.sid as string };
    const n1 = (await h.call('GET', '/api/session', { sid: u.sid })).next_event as number;
    expect(await h.call('GET', `/api/conference/${uuid}/event`, { sid: s2.sid })).toEqual({
      status: 'ok',
      busy: true,
    });
    const status = (await events(s2)).filter((e) => e.event === 'conference_status');
    expect(status).toEqual([
      {
        id: expect.any(Number),
        event: 'conference_status',
        time: expect.any(Number),
        conference: uuid,
        member: members,
      },
    ]);
    // Only the new subscriber gets the catch-up status.
    expect((await events(u, n1)).filter((e) => e.event === 'conference_status')).toEqual([]);
    expect(await h.call('DELETE', `/api/conference/${uuid}/event`, { sid: s2.sid })).toEqual({
      status: 'ok',
    });
    await h.services.conferenceLive.changed(uuid, 'node-a', members, {});
    expect((await events(s2)).map((e) => e.event)).not.toContain('conference_leave');
  });

  it('delivers member updates and kicks to the mixing node; conference-offline without one', async () => {
    const u = await h.user();
    const uuid = await conference(u);
    const A = '9FE1CC2A-8AB6-11E0-B368-0024E8F90CC0';
    const body = { update: { [A]: { mute: true, volume_in: 1, user: u.uuid } }, delete: [UNKNOWN] };
    expect((await h.call('POST', `/api/conference/${uuid}/member`, { sid: u.sid, body })).status).toBe(
      'conference-offline',
    );
    await liveRoom(u, uuid, 'node-b');
    // The room is live but no process of node-b listens (it just died): still offline.
    expect((await h.call('POST', `/api/conference/${uuid}/member`, { sid: u.sid, body })).status).toBe(
      'conference-offline',
    );
    const got: Array<[string, ConferenceCommand]> = [];
    let arrived: () => void = () => undefined;
    const stop = await h.services.conferenceLive.listen('node-b', (c, cmd) => {
      got.push([c, cmd]);
      arrived();
    });
    try {
      const wait = new Promise<void>((resolve) => (arrived = resolve));
      expect(await h.call('POST', `/api/conference/${uuid}/member`, { sid: u.sid, body })).toEqual({
        status: 'ok',
      });
      await wait;
      expect(got).toEqual([
        [
          uuid,
          {
            kind: 'member',
            update: { [A.toLowerCase()]: { user: u.uuid, mute: true, volume_in: 1 } },
            delete: [UNKNOWN],
          },
        ],
      ]);
      for (const bad of [
        { update: { [A]: { volume_out: 9 } } },
        { update: { [A]: { floor: true } } },
        { delete: ['x'] },
        { update: { [A]: { mute: true } }, delete: [A] },
      ]) {
        expect(
          (await h.call('POST', `/api/conference/${uuid}/member`, { sid: u.sid, body: bad })).status,
        ).toBe('wrong-syntax');
      }
      const closed = new Promise<void>((resolve) => (arrived = resolve));
      expect(await h.call('DELETE', `/api/conference/${uuid}`, { sid: u.sid })).toEqual({ status: 'ok' });
      await closed;
      expect(got.at(-1)).toEqual([uuid, { kind: 'close' }]);
      // Purging (here from the trash) closes a room that is still live too.
      const purged = new Promise<void>((resolve) => (arrived = resolve));
      expect(await h.call('DELETE', '/api/trash', { sid: u.sid })).toEqual({ status: 'ok' });
      await purged;
      expect(got.map(([, c]) => c.kind)).toEqual(['member', 'close', 'close']);
    } finally {
      await stop();
    }
  });
});
