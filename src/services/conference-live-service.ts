import {
  conferenceChannel,
  conferenceEvents,
  conferenceStartStop,
  conferenceStatus,
  type ConferenceInfo,
} from '../domain/conference/events.js';
import type { ConferenceMember, ConferenceMembers } from '../domain/conference/member.js';
import { parseMemberRequest } from '../domain/conference/member-request.js';
import type { ObjectRecord } from '../domain/objects.js';
import { ServiceError } from '../errors/index.js';
import type { EventPublisher } from '../events/types.js';
import type {
  ClaimResult,
  ConferenceCommand,
  LiveConference,
  RedisConferenceRooms,
} from '../store/redis/conference-rooms.js';

export interface ConferenceLiveOptions {
  /** How long a room stays live without its node's heartbeat (ms). */
  leaseMs?: number;
  /** How long a dead room's record is kept for the reaper after its lease ran out (ms). */
  graceMs?: number;
  now?: () => number;
  onError?: (err: unknown) => void;
}

/** How often a node should renew its rooms: three heartbeats per lease, so one lost one does no harm. */
export const heartbeatInterval = (leaseMs: number): number => Math.max(100, Math.floor(leaseMs / 3));

/** The channel subscriptions this service uses (events/subscriptions.ts). */
export interface ConferenceSubscriptions {
  subscribe(channel: string, sid: string): Promise<void>;
  unsubscribe(channel: string, sid: string): Promise<void>;
}

/**
 * Live conferences for every node (issue 17, spec 3.17 and 7.11), over the
 * Redis record of store/redis/conference-rooms.ts:
 *
 * - the API side: the event subscription (`busy`, and conference_status to
 *   the new subscriber at once), member control delivered to the mixing
 *   node (conference-offline when no room is live or no node took it);
 * - the mixing node's side (telephony/conference/rooms.ts): claiming a
 *   room, writing its members, publishing the events of spec 7.11 for each
 *   change, heartbeats, release, and the reaper that ends the rooms of a
 *   node that died (conference_leave for its members, conference_stop).
 *
 * A node writes a change to Redis before it publishes the event for it, so
 * a session that subscribes meanwhile gets a conference_status that already
 * holds the change (and at worst sees the change once more in the update).
 */
export class ConferenceLiveService {
  readonly leaseMs: number;
  readonly graceMs: number;
  readonly #now: () => number;
  readonly #onError: (err: unknown) => void;

  constructor(
    private readonly rooms: RedisConferenceRooms,
    private readonly events: EventPublisher,
    private readonly subscriptions: ConferenceSubscriptions,
    opts: ConferenceLiveOptions = {},
  ) {
    this.leaseMs = opts.leaseMs ?? 15_000;
    this.graceMs = opts.graceMs ?? 60_000;
    this.#now = opts.now ?? Date.now;
    this.#onError = opts.onError ?? (() => undefined);
  }

  // ------------------------------------------------------------ API side --

  /** The live room of a conference with its members; null when offline. */
  room(conference: string): Promise<LiveConference | null> {
    return this.rooms.get(conference.toLowerCase(), this.#now());
  }

  /**
   * GET /api/conference/(uuid)/event: subscribes the session and answers
   * `busy`; when busy, the session gets a conference_status right away
   * (spec 3.17: "so that the client can catch up").
   */
  async subscribe(conference: ObjectRecord, sid: string): Promise<boolean> {
    await this.subscriptions.subscribe(conferenceChannel(conference.uuid), sid);
    const live = await this.room(conference.uuid);
    if (live === null || Object.keys(live.members).length === 0) return false;
    const status = conferenceStatus(conference.uuid, live.members);
    await this.events.publish({ sessions: [sid] }, status.event, status.payload);
    return true;
  }

  async unsubscribe(conference: ObjectRecord, sid: string): Promise<void> {
    await this.subscriptions.unsubscribe(conferenceChannel(conference.uuid), sid);
  }

  /**
   * POST /api/conference/(uuid)/member: checks the request, then hands it to
   * the node mixing the room. Members that are not (or no longer) in the
   * room are skipped there: a kick racing a hang-up is not an error.
   */
  async control(conference: ObjectRecord, body: unknown): Promise<void> {
    const parsed = parseMemberRequest(body);
    if ('problem' in parsed) throw new ServiceError(parsed.problem.status, parsed.problem.message);
    const offline = (): ServiceError =>
      new ServiceError('conference-offline', 'the conference is currently offline');
    const live = await this.room(conference.uuid);
    if (live === null) throw offline();
    const sent = await this.rooms.send(live.node, live.conference, { kind: 'member', ...parsed.request });
    if (!sent) throw offline();
  }

  /** A deleted conference: its live room (if any) ends. */
  async closeRoom(conference: string): Promise<void> {
    const live = await this.room(conference);
    if (live !== null) await this.rooms.send(live.node, live.conference, { kind: 'close' });
  }

  // ------------------------------------------------- mixing node's side --

  /**
   * The room for a conference's new participant: live on some node, or new
   * on `node` (then conference_start goes to everyone with read access,
   * spec 7.11.1). A dead room it replaces is ended first (leave, stop).
   */
  async claim(info: ConferenceInfo, node: string, contact: string | null = null): Promise<ClaimResult> {
    const res = await this.rooms.claim({
      conference: info.uuid.toLowerCase(),
      node,
      owner: info.owner,
      description: info.description,
      contact,
      now: this.#now(),
      leaseMs: this.leaseMs,
      graceMs: this.graceMs,
    });
    if (res.replaced) await this.#ended(res.replaced);
    if (res.created) {
      await this.events.publish({ users: [info.owner] }, 'conference_start', conferenceStartStop(info));
    }
    return res;
  }

  /**
   * Records a room's new member state and publishes what changed from
   * `before` (conference_join, conference_update, conference_leave: spec
   * 7.11.4-7.11.6). False, and nothing published, when `node` no longer
   * holds the room (its lease ran out and the room was taken over).
   */
  async changed(
    conference: string,
    node: string,
    before: ConferenceMembers,
    after: ConferenceMembers,
  ): Promise<boolean> {
    const set: Record<string, ConferenceMember> = {};
    for (const [id, m] of Object.entries(after)) {
      const old = before[id];
      if (old === undefined || JSON.stringify(old) !== JSON.stringify(m)) set[id] = m;
    }
    const gone = Object.keys(before).filter((id) => after[id] === undefined);
    if (Object.keys(set).length === 0 && gone.length === 0) return true;
    if (!(await this.rooms.writeMembers(conference, node, set, gone))) return false;
    for (const e of conferenceEvents(conference, before, after)) {
      await this.events.publish({ channel: conferenceChannel(conference) }, e.event, e.payload);
    }
    return true;
  }

  /** The last member left: the room ends (conference_stop, spec 7.11.2) if `node` still held it. */
  async release(info: ConferenceInfo, node: string): Promise<void> {
    if (await this.rooms.release(info.uuid.toLowerCase(), node)) {
      await this.events.publish({ users: [info.owner] }, 'conference_stop', conferenceStartStop(info));
    }
  }

  /** Renews the leases of a node's rooms; answers those it lost. */
  heartbeat(node: string, conferences: readonly string[]): Promise<string[]> {
    return this.rooms.heartbeat(node, conferences, this.#now(), this.leaseMs, this.graceMs);
  }

  /** Takes the member commands and closes for the rooms of `node`. */
  listen(
    node: string,
    handler: (conference: string, command: ConferenceCommand) => void,
  ): Promise<() => Promise<void>> {
    return this.rooms.listen(node, handler, this.#onError);
  }

  /** Ends the rooms of dead nodes (lease run out); answers how many. Safe to run on every node. */
  async reap(): Promise<number> {
    const dead = await this.rooms.reap(this.#now());
    for (const room of dead) await this.#ended(room);
    return dead.length;
  }

  /**
   * Ends every room of a node that died (the crash reaper found its process's
   * heartbeat stopped), without waiting for the leases: conference_leave for
   * their members, conference_stop. Answers how many.
   */
  async endNode(node: string): Promise<number> {
    const dead = await this.rooms.reapNode(node);
    for (const room of dead) await this.#ended(room);
    return dead.length;
  }

  /** Runs reap() every `intervalMs` (default: the heartbeat interval); answers the stop function. */
  startReaper(intervalMs = heartbeatInterval(this.leaseMs)): () => void {
    const timer = setInterval(() => void this.reap().catch(this.#onError), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** A room that ended without its node: its members left, and it stopped. */
  async #ended(room: LiveConference): Promise<void> {
    const ids = Object.keys(room.members);
    if (ids.length > 0) {
      await this.events.publish({ channel: conferenceChannel(room.conference) }, 'conference_leave', {
        conference: room.conference,
        member: ids,
      });
    }
    const info = { uuid: room.conference, owner: room.owner, description: room.description };
    await this.events.publish({ users: [room.owner] }, 'conference_stop', conferenceStartStop(info));
  }
}
