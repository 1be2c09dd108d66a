/**
 * The conference events of spec 7.11 as pure functions of the member state:
 * conference_start / conference_stop (to everyone with read access),
 * conference_status, conference_update, conference_join and
 * conference_leave (to the sessions subscribed with
 * GET /api/conference/(uuid)/event).
 */
import { MEMBER_FIELDS, normalizeMember, type ConferenceMember, type ConferenceMembers } from './member.js';

/** The subscription channel of one conference's detailed events (spec 3.17 .../event). */
export const conferenceChannel = (conferenceId: string): string => `conference:${conferenceId.toLowerCase()}`;

export interface ConferenceInfo {
  uuid: string;
  owner: string;
  description: string | null;
}

export interface ConferenceEvent {
  event: 'conference_status' | 'conference_update' | 'conference_join' | 'conference_leave';
  payload: Record<string, unknown>;
}

/** spec 7.11.1 / 7.11.2: `{conference, owner, description?}`. */
export function conferenceStartStop(c: ConferenceInfo): Record<string, unknown> {
  return {
    conference: c.uuid,
    owner: c.owner,
    ...(c.description !== null && c.description !== '' ? { description: c.description } : {}),
  };
}

function membersPayload(members: ConferenceMembers): Record<string, ConferenceMember> {
  const out: Record<string, ConferenceMember> = {};
  for (const [id, m] of Object.entries(members)) out[id] = normalizeMember(m);
  return out;
}

/** spec 7.11.3: every member in full. */
export function conferenceStatus(conference: string, members: ConferenceMembers): ConferenceEvent {
  return { event: 'conference_status', payload: { conference, member: membersPayload(members) } };
}

/**
 * The fields of `after` that differ from `before`, in spec order (spec
 * 7.11.4: "only those fields that actually represent changes"). A field
 * that disappears (never the case for the booleans and volumes) is not
 * reported: the spec has no way to say so.
 */
export function memberDiff(before: ConferenceMember, after: ConferenceMember): Partial<ConferenceMember> {
  const out: Record<string, unknown> = {};
  for (const k of MEMBER_FIELDS) {
    if (after[k] !== undefined && after[k] !== before[k]) out[k] = after[k];
  }
  return out;
}

/**
 * The events that take a subscriber from `before` to `after`, in the order
 * a client applies them: conference_join (new members in full), then
 * conference_update (changed fields of members in both), then
 * conference_leave (ids of members gone). Empty when nothing changed.
 */
export function conferenceEvents(
  conference: string,
  before: ConferenceMembers,
  after: ConferenceMembers,
): ConferenceEvent[] {
  const joined: ConferenceMembers = {};
  const changed: Record<string, Partial<ConferenceMember>> = {};
  const left: string[] = [];
  for (const [id, m] of Object.entries(after)) {
    const old = before[id];
    if (old === undefined) {
      joined[id] = m;
      continue;
    }
    const d = memberDiff(old, m);
    if (Object.keys(d).length > 0) changed[id] = d;
  }
  for (const id of Object.keys(before)) if (after[id] === undefined) left.push(id);
  const out: ConferenceEvent[] = [];
  if (Object.keys(joined).length > 0) {
    out.push({ event: 'conference_join', payload: { conference, member: membersPayload(joined) } });
  }
  if (Object.keys(changed).length > 0) {
    out.push({ event: 'conference_update', payload: { conference, member: changed } });
  }
  if (left.length > 0) out.push({ event: 'conference_leave', payload: { conference, member: left } });
  return out;
}
