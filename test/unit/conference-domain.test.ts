import { describe, expect, it } from 'vitest';
import { dialInTarget, firstPrompt, reachesConference } from '../../src/domain/conference/dial-in.js';
import {
  conferenceChannel,
  conferenceEvents,
  conferenceStartStop,
  conferenceStatus,
  memberDiff,
} from '../../src/domain/conference/events.js';
import {
  applyMemberChanges,
  newMember,
  parseMember,
  type ConferenceMember,
} from '../../src/domain/conference/member.js';
import { parseMemberRequest } from '../../src/domain/conference/member-request.js';
import { isConferencePin, PinDialog } from '../../src/domain/conference/pin.js';
import type { PhoneConfig } from '../../src/domain/routing/types.js';

const CONF = '52a9fd3c-8aad-11e0-9138-0024e8f90cc0';
// The member ids of spec 7.11's examples, as printed (the first one with an "l").
const M1 = '9felcc2a-8ab6-11e0-b368-0024e8f90cc0';
const M2 = 'b1439c46-8ab6-11e0-acdc-0024e8f90cc0';
const M3 = 'b20116b8-8acf-11e0-b38e-0024e8f90cc0';
const M4 = '359e049a-8ad0-11e0-8a33-0024e8f90cc0';

/** The two members of the conference_status example (spec 7.11.3). */
const statusMembers: Record<string, ConferenceMember> = {
  [M1]: {
    phone: '+492216698000',
    user: '2d07f7be-8abc-11e0-8166-0024e8f90cc0',
    mute: false,
    deaf: false,
    talk: true,
    floor: true,
    volume_in: 0,
    volume_out: 0,
  },
  [M2]: {
    phone: '+49241441010',
    mute: false,
    deaf: false,
    talk: true,
    floor: false,
    volume_in: 0,
    volume_out: 0,
  },
};

describe('conference events of spec 7.11, against its examples', () => {
  it('conference_start / conference_stop (7.11.1, 7.11.2)', () => {
    expect(
      conferenceStartStop({
        uuid: CONF,
        owner: '1de7257a-4f34-11e0-ab6e-0024e8f90cc1',
        description: 'My Conference Room',
      }),
    ).toEqual({
      conference: CONF,
      owner: '1de7257a-4f34-11e0-ab6e-0024e8f90cc1',
      description: 'My Conference Room',
    });
    // "description, if present"
    expect(conferenceStartStop({ uuid: CONF, owner: 'o', description: null })).toEqual({
      conference: CONF,
      owner: 'o',
    });
  });

  it('conference_status (7.11.3): every member in full, fields in the spec order', () => {
    const scrambled = { [M1]: { ...statusMembers[M1]!, volume_out: 0, phone: '+492216698000' } };
    const e = conferenceStatus(CONF, { ...scrambled, [M2]: statusMembers[M2]! });
    expect(e.event).toBe('conference_status');
    expect(JSON.stringify(e.payload)).toBe(
      JSON.stringify({
        conference: CONF,
        member: {
          [M1]: {
            phone: '+492216698000',
            user: '2d07f7be-8abc-11e0-8166-0024e8f90cc0',
            mute: false,
            deaf: false,
            talk: true,
            floor: true,
            volume_in: 0,
            volume_out: 0,
          },
          [M2]: statusMembers[M2],
        },
      }),
    );
  });

  it('conference_update (7.11.4): only members with changes, only the changed fields', () => {
    const after = {
      [M1]: { ...statusMembers[M1]!, talk: false, floor: false },
      [M2]: { ...statusMembers[M2]!, mute: true, talk: false },
    };
    expect(conferenceEvents(CONF, statusMembers, after)).toEqual([
      {
        event: 'conference_update',
        payload: {
          conference: CONF,
          member: { [M1]: { talk: false, floor: false }, [M2]: { mute: true, talk: false } },
        },
      },
    ]);
    expect(conferenceEvents(CONF, statusMembers, { ...statusMembers })).toEqual([]);
  });

  it('conference_join (7.11.5) and conference_leave (7.11.6)', () => {
    const joined: ConferenceMember = {
      phone: '+492216698123',
      mute: false,
      deaf: false,
      talk: true,
      floor: true,
      volume_in: 0,
      volume_out: 0,
    };
    expect(conferenceEvents(CONF, {}, { [M3]: joined })).toEqual([
      { event: 'conference_join', payload: { conference: CONF, member: { [M3]: joined } } },
    ]);
    const m4 = newMember({ muteDefault: false });
    expect(conferenceEvents(CONF, { [M3]: joined, [M4]: m4 }, {})).toEqual([
      { event: 'conference_leave', payload: { conference: CONF, member: [M3, M4] } },
    ]);
  });

  it('orders a combined change as join, update, leave', () => {
    const before = { [M1]: statusMembers[M1]!, [M2]: statusMembers[M2]! };
    const after = { [M1]: { ...statusMembers[M1]!, deaf: true }, [M3]: newMember({ muteDefault: true }) };
    expect(conferenceEvents(CONF, before, after).map((e) => e.event)).toEqual([
      'conference_join',
      'conference_update',
      'conference_leave',
    ]);
  });

  it('diffs members field by field and applies member changes', () => {
    const m = newMember({ phone: '+4930123', muteDefault: true });
    expect(m).toEqual({
      phone: '+4930123',
      mute: true,
      deaf: false,
      talk: false,
      floor: false,
      volume_in: 0,
      volume_out: 0,
    });
    expect(newMember({ phone: null, muteDefault: false })).not.toHaveProperty('phone');
    const next = applyMemberChanges(m, { user: 'u1', mute: false, volume_out: -2 });
    expect(memberDiff(m, next)).toEqual({ user: 'u1', mute: false, volume_out: -2 });
    expect(Object.keys(next)).toEqual([
      'phone',
      'user',
      'mute',
      'deaf',
      'talk',
      'floor',
      'volume_in',
      'volume_out',
    ]);
    expect(conferenceChannel(CONF.toUpperCase())).toBe(`conference:${CONF}`);
  });

  it('reads back only members of the spec shape', () => {
    expect(parseMember(statusMembers[M2])).toEqual(statusMembers[M2]);
    expect(parseMember({ ...statusMembers[M2], volume_in: 5 })).toBeNull();
    expect(parseMember({ ...statusMembers[M2], mute: 'no' })).toBeNull();
    expect(parseMember(null)).toBeNull();
  });
});

describe('conference PIN dialog', () => {
  it('joins after four right digits', () => {
    const d = new PinDialog();
    expect(['4', '7', '1'].map((x) => d.digit(x).kind)).toEqual(['collect', 'collect', 'collect']);
    expect(d.digit('1')).toEqual({ kind: 'check', pin: '4711' });
    expect(d.digit('9')).toEqual({ kind: 'collect' }); // ignored while the lookup runs
    expect(d.found(true)).toEqual({ kind: 'join' });
  });

  it('gives three tries in all, counting timeouts and short entries', () => {
    const d = new PinDialog();
    for (const x of '1234') d.digit(x);
    expect(d.notFound()).toEqual({ kind: 'retry', triesLeft: 2 });
    expect(d.digit('5').kind).toBe('collect');
    expect(d.digit('#')).toEqual({ kind: 'retry', triesLeft: 1 });
    expect(d.timeout()).toEqual({ kind: 'give-up' });
    expect(d.failures).toBe(3);
  });

  it('clears with *, and tells an inactive conference apart', () => {
    const d = new PinDialog();
    for (const x of '12*') d.digit(x);
    for (const x of '471') expect(d.digit(x).kind).toBe('collect');
    expect(d.digit('1')).toEqual({ kind: 'check', pin: '4711' });
    expect(d.found(false)).toEqual({ kind: 'inactive' });
    expect(isConferencePin('4711')).toBe(true);
    for (const bad of ['471', '47111', '47a1', 4711, null]) expect(isConferencePin(bad)).toBe(false);
  });
});

describe('which numbers reach conferences, and what a call to them does first', () => {
  const flags = (p: PhoneConfig): PhoneConfig => ({
    dialplan_enable: false,
    call_enable: false,
    fax_enable: false,
    recording_enable: false,
    conference_enable: false,
    ...p,
  });

  it.each([
    [{ conference_enable: true }, true],
    [{ conference_enable: true, fax_enable: true, recording_enable: true }, true],
    [{ conference_enable: false, fax_enable: true }, false],
    [{}, false],
    [{ conference_enable: true, dialplan_enable: true }, false],
    [{ conference_enable: true, dialplan: '215a5977-7835-47ed-8795-e9da0540074c' }, false],
    [{ conference_enable: true, ivr: 'ce19884c-8fed-11e2-93fe-0024e8f90cc2' }, false],
    [{ conference_enable: true, unlock_code: '7649' }, false],
    // call_enable with another switch on: the call API is inactive, the flags apply (spec 3.9).
    [{ conference_enable: true, call_enable: true }, true],
  ] as const)('%j reaches a conference: %s', (p, expected) => {
    expect(reachesConference(flags(p))).toBe(expected);
  });

  const route = (fax: boolean, conference: boolean, voicebox: boolean) =>
    ({
      kind: 'answer',
      announcement: null,
      voicebox: voicebox ? { record: true } : null,
      fax,
      conference,
    }) as const;

  it('fax tone to fax, a PIN to the conference, nothing to the voice box (all three on)', () => {
    const all = route(true, true, true);
    expect(firstPrompt(all)).toBe('announcement');
    expect(dialInTarget(all, { kind: 'fax-tone' })).toBe('fax');
    expect(dialInTarget(all, { kind: 'digit', digit: '4' })).toBe('conference');
    expect(dialInTarget(all, { kind: 'digit', digit: '#' })).toBe('none');
    expect(dialInTarget(all, { kind: 'nothing' })).toBe('voicebox');
  });

  it('without the voice box the PIN prompt comes first; a fax-only number takes the fax anyway', () => {
    const conf = route(true, true, false);
    expect(firstPrompt(conf)).toBe('enter-pin');
    expect(dialInTarget(conf, { kind: 'nothing' })).toBe('conference');
    const faxOnly = route(true, false, false);
    expect(firstPrompt(faxOnly)).toBe('none');
    expect(dialInTarget(faxOnly, { kind: 'digit', digit: '1' })).toBe('none');
    expect(dialInTarget(faxOnly, { kind: 'nothing' })).toBe('fax');
    expect(dialInTarget(route(false, true, true), { kind: 'fax-tone' })).toBe('none');
  });
});

describe('POST /api/conference/(uuid)/member body', () => {
  const A = '9fe1cc2a-8ab6-11e0-b368-0024e8f90cc0';
  const B = '22731d12-8b6e-11e0-9f8c-0024e8f90cc0';

  it('takes the spec example, member ids in lower case', () => {
    const r = parseMemberRequest({
      update: {
        [A.toUpperCase()]: {
          user: '2d07f7be-8abc-11e0-8166-0024e8f90cc0',
          mute: true,
          deaf: false,
          volume_in: 1,
          volume_out: -1,
        },
      },
      delete: [B, B],
    });
    expect(r).toEqual({
      request: {
        update: {
          [A]: {
            user: '2d07f7be-8abc-11e0-8166-0024e8f90cc0',
            mute: true,
            deaf: false,
            volume_in: 1,
            volume_out: -1,
          },
        },
        delete: [B],
      },
    });
    expect(parseMemberRequest({})).toEqual({ request: { update: {}, delete: [] } });
  });

  it.each([
    [{ update: { [A]: { volume_in: 5 } } }, 'volume_in'],
    [{ update: { [A]: { volume_out: 1.5 } } }, 'volume_out'],
    [{ update: { [A]: { mute: 'yes' } } }, 'mute'],
    [{ update: { [A]: { talk: true } } }, 'talk'],
    [{ update: { [A]: { user: 'bob' } } }, 'user'],
    [{ update: { 'not-a-uuid': {} } }, 'not-a-uuid'],
    [{ update: [] }, 'update'],
    [{ delete: 'x' }, 'delete'],
    [{ delete: [7] }, 'delete'],
    [{ update: { [A]: { mute: true } }, delete: [A] }, 'both'],
  ])('refuses %j (wrong-syntax naming %s)', (body, what) => {
    const r = parseMemberRequest(body);
    expect(r).toHaveProperty('problem.status', 'wrong-syntax');
    expect((r as { problem: { message: string } }).problem.message).toContain(what);
  });
});
