import { newId } from '../../lib/ids.js';
import { heartbeatInterval, type ConferenceLiveService } from '../../services/conference-live-service.js';
import type { ConferenceSettings } from '../../services/conference-service.js';
import type { ConferenceCommand } from '../../store/redis/conference-rooms.js';
import type { ConferenceSounds, RoomMedia, RoomMediaFactory } from './room-media.js';
import { ConferenceRoom, type JoinRequest, type RoomMember } from './room.js';

export type RoomsLive = Pick<
  ConferenceLiveService,
  'claim' | 'changed' | 'release' | 'heartbeat' | 'listen' | 'leaseMs'
>;

export interface ConferenceRoomsOptions<M extends RoomMedia> {
  live: RoomsLive;
  /** This node's id: unique per process run (e.g. host, pid and start time), so a restart never looks like itself. */
  node: string;
  /** Where other nodes send the leg of a participant whose call landed there (e.g. `sip:10.0.0.5:5060`). */
  contact?: string | null;
  createMedia: RoomMediaFactory<M>;
  sounds?: ConferenceSounds;
  newId?: () => string;
  onError?: (err: unknown) => void;
}

/** Where a participant goes: into a room on this node, or to the node that mixes the conference. */
export type JoinResult<M extends RoomMedia> =
  | { kind: 'local'; room: ConferenceRoom<M>; member: RoomMember }
  /** Bridge the call to `contact` (a leg between nodes); the member joins there. */
  | { kind: 'remote'; node: string; contact: string | null };

/**
 * The conference rooms of one telephony node (issue 17): one conference is
 * mixed on one node. The first participant's node claims the room in
 * Redis; a participant whose call lands elsewhere is answered `remote` with
 * the mixing node's contact, to be bridged there. The node renews its
 * rooms' leases (heartbeat), takes the member commands any API node sends
 * (ConferenceLiveService.control) and ends a room it lost.
 */
export class ConferenceRooms<M extends RoomMedia> {
  readonly #rooms = new Map<string, ConferenceRoom<M>>();
  readonly #claims = new Map<string, Promise<ConferenceRoom<M> | { node: string; contact: string | null }>>();
  readonly #opts: ConferenceRoomsOptions<M>;
  readonly #onError: (err: unknown) => void;
  #unlisten: (() => Promise<void>) | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(opts: ConferenceRoomsOptions<M>) {
    this.#opts = opts;
    this.#onError = opts.onError ?? (() => undefined);
  }

  get node(): string {
    return this.#opts.node;
  }

  /** The rooms this node mixes now. */
  get rooms(): ReadonlyMap<string, ConferenceRoom<M>> {
    return this.#rooms;
  }

  /** Takes commands and renews leases from now on. */
  async start(): Promise<void> {
    if (this.#unlisten) return;
    this.#unlisten = await this.#opts.live.listen(this.node, (conference, command) => {
      this.#command(conference, command);
    });
    this.#timer = setInterval(() => void this.heartbeat(), heartbeatInterval(this.#opts.live.leaseMs));
    this.#timer.unref();
  }

  /** Ends every room (their calls end) and stops listening. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#unlisten?.();
    this.#unlisten = null;
    await Promise.all([...this.#rooms.values()].map((r) => r.close()));
  }

  /**
   * A participant enters the conference (its PIN was right and the
   * conference active): into the room on this node, or `remote`.
   */
  async join(conference: ConferenceSettings, req: JoinRequest<M>): Promise<JoinResult<M>> {
    for (let attempt = 0; ; attempt += 1) {
      const where = await this.#roomFor(conference);
      if (!(where instanceof ConferenceRoom)) return { kind: 'remote', ...where };
      try {
        return { kind: 'local', room: where, member: await where.join(req) };
      } catch (err) {
        // The room ended between the claim and the join (its last member left): claim anew.
        if (!where.closed || attempt > 0) throw err;
      }
    }
  }

  /** Renews the leases; a room this node lost ends. Runs on the timer; callable for tests. */
  async heartbeat(): Promise<void> {
    const ids = [...this.#rooms.keys()];
    if (ids.length === 0) return;
    try {
      const lost = await this.#opts.live.heartbeat(this.node, ids);
      for (const id of lost) {
        const room = this.#rooms.get(id);
        if (room) {
          this.#onError(new Error(`conference room ${id} was lost by node ${this.node}`));
          await room.lost();
        }
      }
    } catch (err) {
      this.#onError(err);
    }
  }

  #command(conference: string, command: ConferenceCommand): void {
    const room = this.#rooms.get(conference);
    if (room) room.apply(command).catch(this.#onError);
  }

  #roomFor(
    conference: ConferenceSettings,
  ): Promise<ConferenceRoom<M> | { node: string; contact: string | null }> {
    const uuid = conference.uuid.toLowerCase();
    const local = this.#rooms.get(uuid);
    if (local && !local.closed) return Promise.resolve(local);
    const pending = this.#claims.get(uuid);
    if (pending) return pending;
    const claim = (async () => {
      try {
        const res = await this.#opts.live.claim(conference, this.node, this.#opts.contact ?? null);
        if (res.room.node !== this.node) return { node: res.room.node, contact: res.room.contact };
        const room = new ConferenceRoom<M>(
          { ...conference, uuid },
          this.node,
          this.#opts.live,
          this.#opts.createMedia,
          this.#opts.sounds ?? {},
          this.#opts.newId ?? newId,
          (r) => {
            if (this.#rooms.get(uuid) === r) this.#rooms.delete(uuid);
          },
          this.#onError,
        );
        this.#rooms.set(uuid, room);
        return room;
      } finally {
        this.#claims.delete(uuid);
      }
    })();
    this.#claims.set(uuid, claim);
    return claim;
  }
}
